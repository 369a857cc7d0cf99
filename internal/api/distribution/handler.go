package distribution

import (
	"log/slog"
	"net/http"
	"strings"

	"wharf/internal/artifact"
	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/format/oci"
	"wharf/internal/httpx"
	"wharf/internal/meta"
)

// RepoType is the artifact type of OCI repositories.
const RepoType = oci.RepoType

// Options configure the front.
type Options struct {
	Artifacts  *artifact.Service
	Auth       *auth.Service
	Authorizer *auth.Authorizer
	Signer     *auth.Signer
	// PublicURL is the external base URL, used in the token realm.
	PublicURL string
	// Realm is the token endpoint's URL in challenges; default
	// PublicURL + "/v2/auth".
	Realm string
	// Service names this registry in tokens; default the PublicURL's host.
	Service string
	// MaxManifestBytes bounds a pushed manifest.
	MaxManifestBytes int64
	Log              *slog.Logger
}

// Handler serves /v2/.
type Handler struct {
	opt    Options
	log    *slog.Logger
	realm  string
	routes map[endpointKey]endpoint
}

// NewHandler returns the front.
func NewHandler(opt Options) *Handler {
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Service == "" {
		opt.Service = hostOf(opt.PublicURL)
	}
	h := &Handler{opt: opt, log: opt.Log, realm: opt.Realm}
	if h.realm == "" {
		h.realm = strings.TrimSuffix(opt.PublicURL, "/") + "/v2/auth"
	}
	h.routes = h.endpoints()
	return h
}

func hostOf(u string) string {
	_, rest, ok := strings.Cut(u, "://")
	if !ok {
		rest = u
	}
	host, _, _ := strings.Cut(rest, "/")
	return host
}

// request is what a handler needs to know of the request it serves.
type request struct {
	route     Route
	principal auth.Principal
	// credentials is set when the request carried valid credentials, an
	// anonymous token among them.
	credentials bool
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, req *request) error

// endpoint is one method on one kind of route, with the action it needs.
type endpoint struct {
	name   string
	action auth.Action // "" for endpoints that check access themselves
	fn     handlerFunc
}

type endpointKey struct {
	kind   RouteKind
	method string
}

func (h *Handler) endpoints() map[endpointKey]endpoint {
	return map[endpointKey]endpoint{
		{RouteBase, http.MethodGet}:         {"oci.base", "", h.base},
		{RouteCatalog, http.MethodGet}:      {"oci.catalog", "", h.catalog},
		{RouteTags, http.MethodGet}:         {"oci.tags", auth.Pull, h.tags},
		{RouteManifest, http.MethodGet}:     {"oci.manifest.get", auth.Pull, h.getManifest},
		{RouteManifest, http.MethodHead}:    {"oci.manifest.head", auth.Pull, h.getManifest},
		{RouteManifest, http.MethodPut}:     {"oci.manifest.put", auth.Push, h.putManifest},
		{RouteManifest, http.MethodDelete}:  {"oci.manifest.delete", auth.Delete, h.deleteManifest},
		{RouteBlob, http.MethodGet}:         {"oci.blob.get", auth.Pull, h.getBlob},
		{RouteBlob, http.MethodHead}:        {"oci.blob.head", auth.Pull, h.getBlob},
		{RouteBlob, http.MethodDelete}:      {"oci.blob.delete", auth.Delete, h.deleteBlob},
		{RouteUploadStart, http.MethodPost}: {"oci.upload.start", auth.Push, h.startUpload},
		{RouteUpload, http.MethodGet}:       {"oci.upload.status", auth.Push, h.uploadStatus},
		{RouteUpload, http.MethodPatch}:     {"oci.upload.patch", auth.Push, h.patchUpload},
		{RouteUpload, http.MethodPut}:       {"oci.upload.put", auth.Push, h.putUpload},
		{RouteUpload, http.MethodDelete}:    {"oci.upload.delete", auth.Push, h.cancelUpload},
		{RouteReferrers, http.MethodGet}:    {"oci.referrers", auth.Pull, h.referrers},
		{RouteAuth, http.MethodGet}:         {"oci.auth", "", h.token},
		{RouteAuth, http.MethodPost}:        {"oci.auth", "", h.token},
	}
}

// ServeHTTP routes a request under /v2/.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Docker-Distribution-API-Version", "registry/2.0")
	if err := h.serve(w, r); err != nil {
		writeError(w, r, h.log, err)
	}
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request) error {
	route, err := ParseRoute(r.URL.Path)
	if err != nil {
		if errs.Is(err, errs.Invalid) {
			return newError(codeNameInvalid, errs.Message(err))
		}
		return newError(codeNameUnknown, "no such endpoint")
	}
	ep, ok := h.routes[endpointKey{route.Kind, r.Method}]
	if !ok {
		return newError(codeUnsupported, "method "+r.Method+" not allowed here").withStatus(http.StatusMethodNotAllowed)
	}
	httpx.SetRoute(r, ep.name)
	req := &request{route: route}
	if route.Kind == RouteAuth {
		return ep.fn(w, r, req)
	}
	if req.principal, req.credentials, err = h.authenticate(r); err != nil {
		if !errs.Is(err, errs.Unauthenticated) {
			return err // the store failed: not the caller's fault
		}
		return h.challenge(w, route, ep.action, err)
	}
	httpx.SetUser(r, req.principal.Name)
	if route.Name != "" {
		httpx.SetRepo(r, route.Name)
	}
	if ep.action != "" {
		if err := h.authorize(w, r, req, ep.action); err != nil {
			return err
		}
	}
	return ep.fn(w, r, req)
}

// authenticate returns who the request acts as and whether it presented
// credentials at all.
func (h *Handler) authenticate(r *http.Request) (auth.Principal, bool, error) {
	c, err := auth.ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return auth.Principal{}, false, err
	}
	p, err := h.opt.Auth.Authenticate(r.Context(), c)
	return p, c.Kind != auth.None, err
}

// authorize answers whether the principal may do act on the request's
// repository. Anonymous callers and tokens that lack the scope are
// challenged, so that clients fetch a token; a signed-in caller who may
// not read learns nothing of the repository (404), one who may not write
// is denied (403).
func (h *Handler) authorize(w http.ResponseWriter, r *http.Request, req *request, act auth.Action) error {
	p := req.principal
	ok, err := h.opt.Authorizer.Can(r.Context(), p, act, RepoType, req.route.Name)
	if err != nil || ok {
		return err
	}
	if p.Anonymous() || !p.Permits(act, req.route.Name) {
		return h.challenge(w, req.route, act, errs.E(errs.Unauthenticated, "authentication required"))
	}
	if act == auth.Pull {
		return newError(codeNameUnknown, "repository name not known to registry")
	}
	return newError(codeDenied, "requested access to the resource is denied")
}

// challenge answers 401 with the Bearer challenge Docker clients follow.
func (h *Handler) challenge(w http.ResponseWriter, route Route, act auth.Action, cause error) error {
	v := `Bearer realm="` + h.realm + `",service="` + h.opt.Service + `"`
	if route.Name != "" && act != "" {
		actions := string(act)
		if act == auth.Push {
			actions = "pull,push"
		}
		v += `,scope="repository:` + route.Name + `:` + actions + `"`
	}
	if route.Kind == RouteCatalog {
		v += `,scope="registry:catalog:*"`
	}
	w.Header().Set("WWW-Authenticate", v)
	return newError(codeUnauthorized, errs.Message(cause))
}

// base answers the version check. A request without credentials is
// challenged so that clients learn where to get a token; any valid
// credential, an anonymous token included, is welcome.
func (h *Handler) base(w http.ResponseWriter, r *http.Request, req *request) error {
	if !req.credentials {
		return h.challenge(w, req.route, "", errs.E(errs.Unauthenticated, "authentication required"))
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte("{}"))
	return nil
}

// repo returns the request's repository. Errors: NAME_UNKNOWN.
func (h *Handler) repo(r *http.Request, req *request) (meta.Repository, error) {
	repo, err := h.opt.Artifacts.Repo(r.Context(), RepoType, req.route.Name)
	return repo, as(err, errs.NotFound, codeNameUnknown)
}
