package spice

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"wharf/internal/artifact"
	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/format/spicepod"
	"wharf/internal/httpx"
	"wharf/internal/pkggen"
)

// Path is where the front is mounted: one route.
const Path = "/v1/packages/generate"

// unexpected is the body of every 5xx Wharf did not foresee.
const unexpected = "An unexpected error occurred"

// Options configure the front.
type Options struct {
	Generator  *pkggen.Service
	Artifacts  *artifact.Service // for publishing
	Auth       *auth.Service
	Authorizer *auth.Authorizer
	// Public lets anonymous callers generate packages.
	Public bool
	// RatePerMinute and RateBurst limit generations per principal (per
	// client address for anonymous callers); RatePerMinute 0 means no
	// limit.
	RatePerMinute, RateBurst int64
	// MaxFileBytes bounds a published file, as for generic uploads; 0
	// means no bound.
	MaxFileBytes int64
	Log          *slog.Logger
	// Now returns the current time; default time.Now.
	Now func() time.Time
}

// Handler serves POST /v1/packages/generate. It is safe for concurrent
// use.
type Handler struct {
	opt   Options
	log   *slog.Logger
	limit *limiter
}

// NewHandler returns the front.
func NewHandler(opt Options) *Handler {
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Handler{opt: opt, log: opt.Log, limit: newLimiter(opt.RatePerMinute, opt.RateBurst, opt.Now)}
}

// httpError is an error with the status, headers and message it is
// answered with.
type httpError struct {
	status int
	msg    string
	detail string
	header http.Header
}

func (e *httpError) Error() string { return e.msg }

func fail(status int, msg string) error { return &httpError{status: status, msg: msg} }

// ServeHTTP answers a request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	httpx.SetRoute(r, "spice.generate")
	if err := h.serve(w, r); err != nil {
		h.writeError(w, r, err)
	}
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodPost {
		return &httpError{status: http.StatusMethodNotAllowed, msg: "method not allowed", header: http.Header{"Allow": {"POST"}}}
	}
	who, err := h.caller(r)
	if err != nil {
		return err
	}
	if ok, wait := h.limit.allow(limitKey(r, who)); !ok {
		return &httpError{status: http.StatusTooManyRequests, msg: "too many package generations; retry later",
			header: http.Header{"Retry-After": {strconv.Itoa(int(wait.Seconds()))}}}
	}
	req, err := readRequest(w, r, bodyTimeout)
	if err != nil {
		return err
	}
	httpx.SetRepo(r, req.source.Org+"/"+req.source.Repo)
	if req.publish != nil {
		if err := h.mayPublish(r, who, *req.publish); err != nil {
			return err
		}
	}
	return h.generate(w, r, who, req)
}

// caller authenticates the request from its Authorization header, or an
// X-API-Key header (what Spice's clients send) holding a Wharf token.
// Anonymous callers pass only when the feature is public.
func (h *Handler) caller(r *http.Request) (auth.Principal, error) {
	hdr := r.Header.Get("Authorization")
	if key := r.Header.Get("X-API-Key"); hdr == "" && key != "" {
		hdr = "token " + key
	}
	c, err := auth.ParseAuthorization(hdr)
	if err != nil {
		return auth.Principal{}, &httpError{status: http.StatusUnauthorized, msg: "invalid credentials"}
	}
	who, err := h.opt.Auth.Authenticate(r.Context(), c)
	if errs.Is(err, errs.Unauthenticated) {
		return auth.Principal{}, &httpError{status: http.StatusUnauthorized, msg: "invalid credentials"}
	} else if err != nil {
		return auth.Principal{}, err
	}
	httpx.SetUser(r, who.Name)
	if who.Anonymous() && !h.opt.Public {
		return who, &httpError{status: http.StatusUnauthorized, msg: "sign in to generate packages"}
	}
	return who, nil
}

// writeError answers err as {"error": "…"} (with "detail" for a refused
// from field); the one place an error becomes a status. A 401 carries the
// Basic challenge.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	he := h.classify(r, err)
	for k, vs := range he.header {
		w.Header()[k] = vs
	}
	if he.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="Wharf"`)
	}
	out := map[string]string{"error": he.msg}
	if he.detail != "" {
		out["detail"] = he.detail
	}
	writeJSON(w, he.status, out)
}

func (h *Handler) classify(r *http.Request, err error) *httpError {
	var (
		he *httpError
		se *spicepod.SourceError
		rl *pkggen.RateLimitError
		ue *pkggen.UpstreamError
	)
	switch {
	case errors.As(err, &he):
		return he
	case errors.As(err, &se):
		return &httpError{status: http.StatusBadRequest, msg: spicepod.InvalidFromMessage, detail: se.Detail}
	case errors.As(err, &rl):
		h.log.WarnContext(r.Context(), "GitHub rate limit", "retry_after", rl.RetryAfter)
		return &httpError{status: http.StatusServiceUnavailable, msg: "GitHub's rate limit was reached; retry later",
			header: http.Header{"Retry-After": {strconv.Itoa(int(rl.RetryAfter.Seconds()))}}}
	case errors.As(err, &ue):
		h.log.WarnContext(r.Context(), "GitHub failed", "err", err)
		return &httpError{status: http.StatusBadGateway, msg: ue.Msg}
	case errors.Is(err, pkggen.ErrTimeout):
		return &httpError{status: http.StatusGatewayTimeout, msg: err.Error()}
	}
	switch errs.KindOf(err) {
	case errs.NotFound:
		return &httpError{status: http.StatusNotFound, msg: errs.Message(err)}
	case errs.Invalid:
		return &httpError{status: http.StatusUnprocessableEntity, msg: errs.Message(err)}
	case errs.TooLarge:
		return &httpError{status: http.StatusRequestEntityTooLarge, msg: errs.Message(err)}
	case errs.Exists, errs.Conflict:
		return &httpError{status: http.StatusConflict, msg: errs.Message(err)}
	case errs.Unavailable:
		return &httpError{status: http.StatusServiceUnavailable, msg: "service unavailable"}
	}
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		h.log.DebugContext(r.Context(), "client went away", "err", err)
	} else {
		h.log.ErrorContext(r.Context(), "package generation failed", "err", err)
	}
	return &httpError{status: http.StatusInternalServerError, msg: unexpected}
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	hd.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
