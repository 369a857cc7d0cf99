package packages

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"wharf/internal/artifact"
	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/format/generic"
	"wharf/internal/httpx"
	"wharf/internal/meta"
)

// Prefix is where the front is mounted.
const Prefix = "/api/packages/"

// Options configure the front.
type Options struct {
	Artifacts  *artifact.Service
	Auth       *auth.Service
	Authorizer *auth.Authorizer
	// MaxFileBytes bounds an uploaded file; 0 means no bound.
	MaxFileBytes int64
	Log          *slog.Logger
}

// Handler serves /api/packages/.
type Handler struct {
	opt Options
	log *slog.Logger
}

// NewHandler returns the front.
func NewHandler(opt Options) *Handler {
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	return &Handler{opt: opt, log: opt.Log}
}

// httpError is an error with the status and plain-text message it is
// answered with.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func fail(status int, msg string) error { return &httpError{status, msg} }

// errNoPackage answers for a package or version that does not exist, and
// for one the caller may not read.
var errNoPackage = fail(http.StatusNotFound, "package does not exist")

// classify is the one place where an error becomes the status and
// message it is answered with; unexpected errors are logged.
func (h *Handler) classify(r *http.Request, err error) *httpError {
	var he *httpError
	if errors.As(err, &he) {
		return he
	}
	switch errs.KindOf(err) {
	case errs.NotFound:
		return &httpError{http.StatusNotFound, errs.Message(err)}
	case errs.Invalid:
		return &httpError{http.StatusBadRequest, errs.Message(err)}
	case errs.Exists, errs.Conflict:
		return &httpError{http.StatusConflict, errs.Message(err)}
	case errs.TooLarge:
		return &httpError{http.StatusRequestEntityTooLarge, errs.Message(err)}
	case errs.Unauthenticated:
		return &httpError{http.StatusUnauthorized, errs.Message(err)}
	case errs.Denied:
		return &httpError{http.StatusForbidden, errs.Message(err)}
	case errs.Unavailable:
		return &httpError{http.StatusServiceUnavailable, "service unavailable"}
	}
	h.log.ErrorContext(r.Context(), "request failed", "err", err, "method", r.Method, "path", r.URL.Path)
	return &httpError{http.StatusInternalServerError, "internal server error"}
}

// writeError answers an error as plain text.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	he := h.classify(r, err)
	hd := w.Header()
	hd.Del("Content-Disposition")
	hd.Del("Content-Length")
	hd.Set("Content-Type", "text/plain; charset=utf-8")
	hd.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(he.status)
	if r.Method != http.MethodHead {
		w.Write([]byte(he.msg + "\n"))
	}
}

// path is a parsed generic package path.
type path struct {
	owner, name, version, file string // file is "" for the version itself
}

func (p path) repoName() string { return p.owner + "/" + p.name }

// parsePath splits /api/packages/{owner}/generic/{name}/{version}[/{file}],
// unescaping each segment on its own so that an escaped slash never
// splits one.
func parsePath(r *http.Request) (path, error) {
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), Prefix)
	if !ok {
		return path{}, fail(http.StatusNotFound, "Not found.")
	}
	segs := strings.Split(rest, "/")
	if len(segs) < 4 || len(segs) > 5 || segs[1] != generic.RepoType {
		return path{}, fail(http.StatusNotFound, "Not found.")
	}
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil || u == "" {
			return path{}, fail(http.StatusNotFound, "Not found.")
		}
		segs[i] = u
	}
	p := path{owner: segs[0], name: segs[2], version: segs[3]}
	if len(segs) == 5 {
		p.file = segs[4]
	}
	return p, nil
}

// ServeHTTP routes a request under /api/packages/.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := h.serve(w, r); err != nil {
		h.writeError(w, r, err)
	}
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePath(r)
	if err != nil {
		return err
	}
	var (
		act  auth.Action
		fn   func(http.ResponseWriter, *http.Request, path, auth.Principal) error
		name string
	)
	switch {
	case p.file != "" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		act, fn, name = auth.Pull, h.download, "generic.download"
	case p.file != "" && r.Method == http.MethodPut:
		act, fn, name = auth.Push, h.upload, "generic.upload"
	case p.file != "" && r.Method == http.MethodDelete:
		act, fn, name = auth.Delete, h.deleteFile, "generic.delete_file"
	case p.file == "" && r.Method == http.MethodDelete:
		act, fn, name = auth.Delete, h.deleteVersion, "generic.delete_version"
	default:
		w.Header().Set("Allow", "GET, HEAD, PUT, DELETE")
		return fail(http.StatusMethodNotAllowed, "method not allowed")
	}
	httpx.SetRoute(r, name)
	httpx.SetRepo(r, p.repoName())
	who, err := h.authorize(r, p, act)
	if err != nil {
		if he := (*httpError)(nil); errors.As(err, &he) && he.status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Basic realm="Wharf Package API"`)
		}
		return err
	}
	return fn(w, r, p, who)
}

// authorize decides whether the caller may do act to the package of p and
// returns the caller. It answers as Gitea does where that reveals nothing:
// bad credentials are a 401, an unknown owner a 404, and missing rights a
// 401 with a Basic challenge, for signed-in callers too. One exception
// keeps private packages hidden: a read by a caller who may read the
// owner's public packages, of a package they may not read, is a 404
// "package does not exist", word for word what a package that does not
// exist answers. The decision rests on the owner and the Authorizer's
// answer alone and never looks the package up, so a private package and
// a missing one take the same path.
func (h *Handler) authorize(r *http.Request, p path, act auth.Action) (auth.Principal, error) {
	who, ns, err := h.caller(r, p.owner)
	if err != nil {
		return who, err
	}
	return who, h.allow(r.Context(), who, ns, p, act)
}

// caller authenticates the request and looks up the owner: bad
// credentials are a 401, an unknown owner a 404.
func (h *Handler) caller(r *http.Request, owner string) (auth.Principal, meta.Namespace, error) {
	c, err := auth.ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return auth.Principal{}, meta.Namespace{}, fail(http.StatusUnauthorized, "invalid credentials")
	}
	who, err := h.opt.Auth.Authenticate(r.Context(), c)
	if errs.Is(err, errs.Unauthenticated) {
		return auth.Principal{}, meta.Namespace{}, fail(http.StatusUnauthorized, "invalid credentials")
	}
	if err != nil {
		return auth.Principal{}, meta.Namespace{}, err // the store failed: not the caller's fault
	}
	httpx.SetUser(r, who.Name)
	ns, err := h.opt.Artifacts.Namespace(r.Context(), owner)
	if errs.Is(err, errs.NotFound) {
		return who, meta.Namespace{}, fail(http.StatusNotFound, "Not found.")
	} else if err != nil {
		return who, meta.Namespace{}, err
	}
	return who, ns, nil
}

// allow decides whether who may do act to the package of p in namespace
// ns, with the answers authorize documents.
func (h *Handler) allow(ctx context.Context, who auth.Principal, ns meta.Namespace, p path, act auth.Action) error {
	ok, err := h.opt.Authorizer.Can(ctx, who, act, generic.RepoType, p.repoName())
	if err != nil || ok {
		return err
	}
	if act == auth.Pull && ns.Public && who.Permits(act, p.repoName()) {
		return errNoPackage
	}
	return fail(http.StatusUnauthorized, "unauthorized")
}
