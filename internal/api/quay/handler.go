package quay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"wharf/internal/artifact"
	"wharf/internal/audit"
	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/httpx"
)

// Prefix is where the API is mounted.
const Prefix = "/api/v1/"

// maxBody bounds a JSON request body.
const maxBody = 1 << 20

// Options are what the API needs.
type Options struct {
	Accounts   *auth.Service
	Authorizer *auth.Authorizer
	Artifacts  *artifact.Service
	Audit      *audit.Recorder
	PublicURL  string // scheme and host, for links and error types
	SignUp     bool   // anyone may create an account
	Log        *slog.Logger
}

// Handler serves /api/v1/.
type Handler struct {
	opt    Options
	routes []route
}

// NewHandler returns the API handler.
func NewHandler(opt Options) *Handler {
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{opt: opt}
	h.routes = h.table()
	return h
}

// call is what a handler knows of the request beyond it.
type call struct {
	p    auth.Principal
	vars map[string]string
	ip   string
}

// ServeHTTP routes, authenticates and answers errors in Quay's shapes.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := h.serve(w, r); err != nil {
		h.writeError(w, r, err)
	}
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request) error {
	segs, ok := splitPath(r.URL.EscapedPath(), Prefix)
	if !ok {
		return notFound()
	}
	found, vars, allowed := pick(h.routes, segs, r.Method)
	switch {
	case found == nil && r.Method == http.MethodOptions && len(allowed) > 0:
		return writeJSON(w, http.StatusOK, nil)
	case found == nil && len(allowed) > 0:
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		return messageError(http.StatusMethodNotAllowed, "The method is not allowed for the requested URL.")
	case found == nil:
		return notFound()
	}
	httpx.SetRoute(r, "quay "+found.pattern)
	p, err := h.authenticate(r)
	if err != nil {
		return err
	}
	httpx.SetUser(r, p.Name)
	return found.fn(w, r, &call{p: p, vars: vars, ip: httpx.ClientIP(r)})
}

// authenticate reads the caller's credentials: a bearer OAuth access
// token or API token, or Basic credentials. Wrong credentials are a 401;
// none is the anonymous caller. Application-specific tokens are for
// registry logins only, as in Quay: the API refuses them (401), so that a
// password handed to a build tool does not administer the account.
func (h *Handler) authenticate(r *http.Request) (auth.Principal, error) {
	c, err := auth.ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return auth.Principal{}, &apiError{status: http.StatusUnauthorized, typ: typeInvalidToken, detail: errs.Message(err)}
	}
	if c.Signed() {
		// Registry tokens are for /v2/ only.
		return auth.Principal{}, &apiError{status: http.StatusUnauthorized, typ: typeInvalidToken, detail: "registry tokens are not accepted here"}
	}
	p, err := h.opt.Accounts.Authenticate(r.Context(), c)
	if errs.Is(err, errs.Unauthenticated) {
		return auth.Principal{}, &apiError{status: http.StatusUnauthorized, typ: typeInvalidToken, detail: errs.Message(err)}
	}
	if err == nil && p.Method == auth.ByAppToken {
		return auth.Principal{}, &apiError{status: http.StatusUnauthorized, typ: typeInvalidToken,
			detail: "application-specific tokens are for registry logins"}
	}
	return p, err
}

// writeError answers err in its shape; unexpected errors are logged and
// answered 500 without detail.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	ae, ok := asAPIError(err)
	if !ok {
		if !errors.Is(err, context.Canceled) {
			h.opt.Log.ErrorContext(r.Context(), "quay api", "err", err, "path", r.URL.Path)
		}
		ae = &apiError{status: http.StatusInternalServerError, detail: "Internal Server Error"}
	}
	switch {
	case ae.typ == "":
		_ = writeJSON(w, ae.status, map[string]any{"message": ae.detail})
	default:
		body := map[string]any{
			"status":        ae.status,
			"detail":        ae.detail,
			"error_message": ae.detail,
			"title":         ae.typ,
			"error_type":    ae.typ,
			"type":          h.opt.PublicURL + Prefix + "error/" + ae.typ,
		}
		for k, v := range ae.extra {
			body[k] = v
		}
		w.Header().Set("Content-Type", "application/problem+json")
		_ = writeJSON(w, ae.status, body)
	}
}

// writeJSON answers v as JSON with status; a 204 has no body.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.WriteHeader(status)
	_, err = w.Write(append(b, '\n'))
	return err
}

// decodeBody reads a JSON object into v. A missing body is Quay's 400
// "Missing JSON body"; malformed JSON or wrong types are 400
// invalid_request naming the problem.
func decodeBody(r *http.Request, v any) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	if len(body) == 0 {
		return requestError("Missing JSON body")
	}
	return unmarshalBody(body, v)
}

// decodeOptionalBody is decodeBody for endpoints whose body may be left
// out: an empty body leaves v as it is.
func decodeOptionalBody(r *http.Request, v any) error {
	body, err := readBody(r)
	if err != nil || len(body) == 0 {
		return err
	}
	return unmarshalBody(body, v)
}

// readBody reads a request body of at most maxBody bytes, trimmed of
// surrounding white space. Errors: 400 when it cannot be read, 413 when
// it is larger.
func readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, requestError("could not read the request body")
	}
	if len(body) > maxBody {
		return nil, messageError(http.StatusRequestEntityTooLarge, "request body is larger than 1 MiB")
	}
	return bytes.TrimSpace(body), nil
}

// unmarshalBody decodes a JSON body into v; malformed JSON or wrong types
// are 400 invalid_request naming the problem.
func unmarshalBody(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return requestError(te.Field + " has the wrong type: want " + te.Type.String())
		}
		return requestError("malformed JSON body: " + err.Error())
	}
	return nil
}

// truthy reads a boolean query parameter the way Quay does: anything but
// "false", "0", "null" and "" (in any case) is true; absent is def.
func truthy(r *http.Request, name string, def bool) bool {
	v, ok := r.URL.Query()[name]
	if !ok || len(v) == 0 {
		return def
	}
	switch strings.ToLower(v[0]) {
	case "false", "0", "null", "":
		return false
	}
	return true
}

// record writes a usage-log entry; a failure is logged, not answered,
// because the action has happened.
func (h *Handler) record(r *http.Request, c *call, e audit.Entry) {
	e.PerformerID, e.IP = c.p.UserID, c.ip
	recordEntry(r, h.opt, e)
}

// recordEntry writes e to the usage log of opt, logging a failure.
func recordEntry(r *http.Request, opt Options, e audit.Entry) {
	if opt.Audit == nil {
		return
	}
	if err := opt.Audit.Record(r.Context(), e); err != nil {
		opt.Log.ErrorContext(r.Context(), "usage log", "err", err, "kind", e.Kind)
	}
}
