// Package habitat is the Habitat Builder front: the depot API under /v1/
// that the hab CLI and the Supervisor speak.
package habitat

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"wharf/internal/auth"
	"wharf/internal/depot"
	"wharf/internal/errs"
	"wharf/internal/httpx"
)

// Prefix is where the front is mounted.
const Prefix = "/v1/"

// Options configure the front.
type Options struct {
	Depot    *depot.Service
	Accounts *auth.Service
	// RegistryURL is where integration credentials are checked: a Docker
	// Registry v2 API root such as "https://registry.example.com/v2/".
	RegistryURL string
	// PrivateMaxAge is the max-age of a private package download.
	PrivateMaxAge time.Duration
	Log           *slog.Logger
}

// Handler serves /v1/.
type Handler struct {
	opt Options
	log *slog.Logger
	mux *http.ServeMux
}

// NewHandler returns the front.
func NewHandler(opt Options) *Handler {
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.PrivateMaxAge <= 0 {
		opt.PrivateMaxAge = 300 * time.Second
	}
	h := &Handler{opt: opt, log: opt.Log, mux: http.NewServeMux()}
	h.handle("GET /v1/status", "hab.status", h.status)
	h.handle("HEAD /v1/status", "hab.status", h.status)
	h.packageRoutes()
	h.channelRoutes()
	h.originRoutes()
	h.keyRoutes()
	h.accountRoutes()
	return h
}

// handlerFunc is a route's handler: it gets the authenticated caller and
// answers, or returns an error for writeError.
type handlerFunc func(w http.ResponseWriter, r *http.Request, p auth.Principal) error

// signedIn refuses an anonymous caller with Builder's bare 401 before fn
// runs.
func signedIn(fn handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		if p.Anonymous() {
			return fail(http.StatusUnauthorized, "")
		}
		return fn(w, r, p)
	}
}

// ctxKey keys the caller in a request's context.
type ctxKey struct{}

// handle registers a route under a metrics name.
func (h *Handler) handle(pattern, name string, fn handlerFunc) {
	h.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		httpx.SetRoute(r, name)
		p, _ := r.Context().Value(ctxKey{}).(auth.Principal)
		if err := fn(w, r, p); err != nil {
			h.writeError(w, r, err)
		}
	})
}

// ServeHTTP authenticates the request, as Builder does before routing,
// and routes it.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, err := h.authenticate(r)
	if err != nil {
		httpx.SetRoute(r, "hab.unauthenticated")
		h.writeError(w, r, err)
		return
	}
	httpx.SetUser(r, p.Name)
	if !cleanText(r.URL.Path) || !cleanQuery(r.URL.RawQuery) {
		httpx.SetRoute(r, "hab.bad_request")
		h.writeError(w, r, fail(http.StatusBadRequest, "The request path and query must be UTF-8 without control characters"))
		return
	}
	h.mux.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, p)))
}

// cleanText reports whether s is UTF-8 without control characters: every
// name Habitat puts in a path or a query is.
func cleanText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
}

// cleanQuery reports whether every key and value of a raw query decodes
// to clean text. A query that does not decode is left to the routes.
func cleanQuery(raw string) bool {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return true
	}
	for k, vs := range q {
		if !cleanText(k) {
			return false
		}
		for _, v := range vs {
			if !cleanText(v) {
				return false
			}
		}
	}
	return true
}

// authenticate reads a bearer token (or Basic credentials, for curl). Any
// Authorization header that does not authenticate is a 401, on every
// route; none is the anonymous caller.
func (h *Handler) authenticate(r *http.Request) (auth.Principal, error) {
	c, err := auth.ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil || c.Signed() {
		return auth.Principal{}, fail(http.StatusUnauthorized, "")
	}
	p, err := h.opt.Accounts.Authenticate(r.Context(), c)
	if errs.Is(err, errs.Unauthenticated) {
		return auth.Principal{}, fail(http.StatusUnauthorized, "")
	}
	if err == nil && p.Method == auth.ByAppToken {
		return auth.Principal{}, fail(http.StatusUnauthorized, "")
	}
	return p, err
}

func (h *Handler) status(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	w.WriteHeader(http.StatusOK)
	return nil
}

// httpError is an answer with a status and a plain-text body.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func fail(status int, msg string) error { return &httpError{status, msg} }

// statusOf maps a service error to Builder's status for it.
func statusOf(err error) (int, bool) {
	switch errs.KindOf(err) {
	case errs.NotFound:
		return http.StatusNotFound, true
	case errs.Exists, errs.Conflict:
		return http.StatusConflict, true
	case errs.Invalid, errs.RangeInvalid:
		return http.StatusUnprocessableEntity, true
	case errs.Unauthenticated:
		return http.StatusUnauthorized, true
	case errs.Denied:
		return http.StatusForbidden, true
	case errs.TooLarge:
		return http.StatusRequestEntityTooLarge, true
	case errs.Unsupported:
		return http.StatusNotImplemented, true
	case errs.Unavailable:
		return http.StatusServiceUnavailable, true
	}
	return 0, false
}

// writeError answers err: an *httpError as it says, a service error with
// its kind's status and message, anything else 500 without detail.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	if !errors.As(err, &he) {
		status, ok := statusOf(err)
		if !ok {
			if !errors.Is(err, context.Canceled) {
				h.log.ErrorContext(r.Context(), "habitat api", "err", err, "path", r.URL.Path)
			}
			status = http.StatusInternalServerError
		}
		msg := ""
		if ok {
			msg = errs.Message(err)
		}
		he = &httpError{status, msg}
	}
	w.Header().Set("Cache-Control", noCache)
	if he.msg == "" {
		w.WriteHeader(he.status)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(he.status)
	_, _ = w.Write([]byte(he.msg))
}

// remap answers err with status when its kind is k: Builder's routes
// differ in the statuses they give some failures.
func remap(err error, k errs.Kind, status int) error {
	if errs.Is(err, k) {
		return fail(status, errs.Message(err))
	}
	return err
}

// Cache-Control values Builder sends.
const (
	noCache     = "private, no-cache, no-store"
	longPublic  = "public, max-age=31536000"
	contentJSON = "application/json"
)

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", contentJSON)
	if w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", noCache)
	}
	w.WriteHeader(status)
	_, err = w.Write(body)
	return err
}

// uncached answers status with no body and Builder's no-cache header.
func uncached(w http.ResponseWriter, status int) error {
	w.Header().Set("Cache-Control", noCache)
	w.WriteHeader(status)
	return nil
}

// noContent answers 204 with no body, or err when it is set.
func noContent(w http.ResponseWriter, err error) error {
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// writeCreated answers 201, uncached, with location as Location and text
// as a plain body, as Builder answers an upload.
func writeCreated(w http.ResponseWriter, location, text string) error {
	w.Header().Set("Location", location)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", noCache)
	w.WriteHeader(http.StatusCreated)
	_, err := io.WriteString(w, text)
	return err
}

// readJSON decodes a request body of at most 1 MiB into v; a malformed
// body is a 400.
func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	if err := dec.Decode(v); err != nil {
		return fail(http.StatusBadRequest, "malformed JSON body")
	}
	return nil
}

// timeFormat is Builder's naive UTC timestamp, which hab parses with
// %Y-%m-%dT%H:%M:%S%.f: no zone.
const timeFormat = "2006-01-02T15:04:05.000000"

// stamp formats t as Builder does.
func stamp(t time.Time) string { return t.UTC().Format(timeFormat) }

// id formats a database id as Builder does: a string.
func id(n int64) string { return strconv.FormatInt(n, 10) }

// pageSize is Builder's fixed page size.
const pageSize = 50

// envelope is Builder's paginated result.
type envelope struct {
	RangeStart int `json:"range_start"`
	RangeEnd   int `json:"range_end"`
	TotalCount int `json:"total_count"`
	Data       any `json:"data"`
}

// writePage answers one page that starts at start, holds n items (data)
// of total: 206 while more remain, else 200; an empty page ends at total.
func writePage(w http.ResponseWriter, start, n, total int, data any) error {
	env := envelope{RangeStart: start, RangeEnd: start + n - 1, TotalCount: total, Data: data}
	if n == 0 {
		env.RangeEnd = total
	}
	status := http.StatusOK
	if total > env.RangeEnd+1 {
		status = http.StatusPartialContent
	}
	return writeJSON(w, status, env)
}

// rangeParam reads the "range" query parameter: 0 when absent. A value
// that is not an integer is a 400.
func rangeParam(r *http.Request) (int, error) {
	v := r.URL.Query().Get("range")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fail(http.StatusBadRequest, "invalid range")
	}
	return n, nil
}

// boolParam reads a boolean query parameter: false when absent or not
// "true"/"1".
func boolParam(r *http.Request, name string) bool {
	v := strings.ToLower(r.URL.Query().Get(name))
	return v == "true" || v == "1"
}
