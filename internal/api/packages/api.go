package packages

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/format/generic"
	"wharf/internal/httpx"
	"wharf/internal/meta"
)

// APIPrefix is where the general package API is mounted.
const APIPrefix = "/api/v1/packages/"

// Paging of the listing, as Gitea's API: limit defaults to 30 and is
// capped at 50.
const (
	defaultLimit = 30
	maxLimit     = 50
)

// API is Gitea's general package API at /api/v1/packages/ for generic
// packages: the versions of an owner, one version, its files, and
// deleting a version. Access follows the generic front; errors are JSON
// objects with a "message".
type API struct {
	h *Handler
}

// NewAPI returns the general package API.
func NewAPI(opt Options) *API { return &API{h: NewHandler(opt)} }

// apiPath is a parsed /api/v1/packages/ path.
type apiPath struct {
	owner, typ, name, version string
	files                     bool // the version's files
}

// parseAPIPath splits /api/v1/packages/{owner}[/{type}/{name}/{version}[/files]],
// unescaping each segment on its own.
func parseAPIPath(r *http.Request) (apiPath, bool) {
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), APIPrefix)
	if !ok {
		return apiPath{}, false
	}
	segs := strings.Split(rest, "/")
	if len(segs) == 2 && segs[1] == "" {
		segs = segs[:1]
	}
	if len(segs) != 1 && len(segs) != 4 && (len(segs) != 5 || segs[4] != "files") {
		return apiPath{}, false
	}
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil || u == "" {
			return apiPath{}, false
		}
		segs[i] = u
	}
	p := apiPath{owner: segs[0]}
	if len(segs) > 1 {
		p.typ, p.name, p.version, p.files = segs[1], segs[2], segs[3], len(segs) == 5
	}
	return p, true
}

// pkg is the generic front's path of the package version p names.
func (p apiPath) pkg() path { return path{owner: p.owner, name: p.name, version: p.version} }

// ServeHTTP routes a request under /api/v1/packages/.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := a.serve(w, r); err != nil {
		a.writeError(w, r, err)
	}
}

func (a *API) serve(w http.ResponseWriter, r *http.Request) error {
	p, ok := parseAPIPath(r)
	if !ok {
		return fail(http.StatusNotFound, "Not found.")
	}
	var (
		act  auth.Action
		fn   func(http.ResponseWriter, *http.Request, apiPath, auth.Principal, meta.Namespace) error
		name string
	)
	switch {
	case p.typ == "" && r.Method == http.MethodGet:
		httpx.SetRoute(r, "packages.list")
		return a.list(w, r, p)
	case p.typ != "" && !p.files && r.Method == http.MethodGet:
		act, fn, name = auth.Pull, a.get, "packages.get"
	case p.files && r.Method == http.MethodGet:
		act, fn, name = auth.Pull, a.listFiles, "packages.files"
	case p.typ != "" && !p.files && r.Method == http.MethodDelete:
		act, fn, name = auth.Delete, a.delete, "packages.delete"
	default:
		if p.typ != "" && !p.files {
			w.Header().Set("Allow", "GET, DELETE")
		} else {
			w.Header().Set("Allow", "GET")
		}
		return fail(http.StatusMethodNotAllowed, "method not allowed")
	}
	httpx.SetRoute(r, name)
	httpx.SetRepo(r, p.pkg().repoName())
	// Bad credentials and unknown owners are answered first, also for
	// types other than generic, of which no package exists.
	who, ns, err := a.h.caller(r, p.owner)
	if err != nil {
		return err
	}
	if p.typ != generic.RepoType {
		return errNoPackage
	}
	if err := a.h.allow(r.Context(), who, ns, p.pkg(), act); err != nil {
		return err
	}
	return fn(w, r, p, who, ns)
}

// writeError answers an error as Gitea's API does: a JSON object with a
// message. A 401 carries the Basic challenge, as in the generic front.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	he := a.h.classify(r, err)
	if he.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="Wharf Package API"`)
	}
	writeJSON(w, he.status, map[string]string{"message": he.msg})
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	hd := w.Header()
	hd.Set("Content-Type", "application/json;charset=utf-8")
	hd.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// listAccess decides what of an owner's packages the caller may list:
// everything when the caller may read every package of the owner (the
// owner or a superuser with a credential covering the whole namespace),
// only public packages when the owner is public, and otherwise nothing:
// a 401 with a challenge for anonymous callers and a 403 for signed-in
// ones, as Gitea answers a token lacking access to a private owner.
func (a *API) listAccess(r *http.Request, who auth.Principal, ns meta.Namespace) (publicOnly bool, err error) {
	// A name no package can have: only rights over the whole namespace
	// count, not rights over one package.
	all := ns.Name + "/"
	if !who.Permits(auth.Pull, all) {
		return false, fail(http.StatusForbidden, "token does not grant read access to the owner's packages")
	}
	ok, err := a.h.opt.Authorizer.Can(r.Context(), who, auth.Pull, generic.RepoType, all)
	switch {
	case err != nil:
		return false, err
	case ok:
		return false, nil
	case ns.Public:
		return true, nil
	case who.Anonymous():
		return false, fail(http.StatusUnauthorized, "unauthorized")
	}
	return false, fail(http.StatusForbidden, "no access to the owner's packages")
}

// pageParams reads Gitea's page (1-based) and limit query parameters.
func pageParams(q url.Values) (page, limit int) {
	page, err := strconv.Atoi(q.Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	limit, err = strconv.Atoi(q.Get("limit"))
	if err != nil || limit < 1 {
		limit = defaultLimit
	}
	return page, min(limit, maxLimit)
}

// setPageHeaders sets X-Total-Count and a Link header with the first,
// previous, next and last pages as Gitea does; the links are relative
// references to the request's path.
func setPageHeaders(w http.ResponseWriter, r *http.Request, total, page, limit int) {
	hd := w.Header()
	hd.Set("X-Total-Count", strconv.Itoa(total))
	hd.Set("Access-Control-Expose-Headers", "X-Total-Count, Link")
	last := max((total+limit-1)/limit, 1)
	link := func(p int, rel string) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(p))
		q.Set("limit", strconv.Itoa(limit))
		return "<" + r.URL.EscapedPath() + "?" + q.Encode() + `>; rel="` + rel + `"`
	}
	var links []string
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"), link(min(page-1, last), "prev"))
	}
	if len(links) > 0 {
		hd.Set("Link", strings.Join(links, ","))
	}
}

// list answers GET /api/v1/packages/{owner}.
func (a *API) list(w http.ResponseWriter, r *http.Request, p apiPath) error {
	ctx := r.Context()
	who, ns, err := a.h.caller(r, p.owner)
	if err != nil {
		return err
	}
	publicOnly, err := a.listAccess(r, who, ns)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, limit := pageParams(q)
	out := []apiPackage{}
	total := 0
	if typ := q.Get("type"); typ == "" || typ == generic.RepoType {
		vs, n, err := a.h.opt.Artifacts.OwnerVersions(ctx, ns.ID, meta.VersionFilter{
			Type: generic.RepoType, NameContains: q.Get("q"), PublicOnly: publicOnly,
			Offset: (page - 1) * limit, Limit: limit,
		})
		if err != nil {
			return err
		}
		owner, err := a.owner(r, who, ns)
		if err != nil {
			return err
		}
		for _, v := range vs {
			out = append(out, toAPIPackage(v, owner, who))
		}
		total = n
	}
	setPageHeaders(w, r, total, page, limit)
	writeJSON(w, http.StatusOK, out)
	return nil
}

// owner returns the user object of a namespace: its user's, or for a
// namespace no user owns one with only the name.
func (a *API) owner(r *http.Request, who auth.Principal, ns meta.Namespace) (*apiUser, error) {
	u, err := a.h.opt.Artifacts.NamespaceUser(r.Context(), ns)
	if errs.Is(err, errs.NotFound) {
		return &apiUser{Login: ns.Name, UserName: ns.Name, Created: apiTime(ns.Created)}, nil
	}
	if err != nil {
		return nil, err
	}
	return toAPIUser(u, who), nil
}

// get answers GET /api/v1/packages/{owner}/{type}/{name}/{version}.
func (a *API) get(w http.ResponseWriter, r *http.Request, p apiPath, who auth.Principal, ns meta.Namespace) error {
	v, err := a.h.opt.Artifacts.OwnerVersion(r.Context(), generic.RepoType, p.pkg().repoName(), p.version)
	if errs.Is(err, errs.NotFound) {
		return errNoPackage
	} else if err != nil {
		return err
	}
	owner, err := a.owner(r, who, ns)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIPackage(v, owner, who))
	return nil
}

// listFiles answers GET /api/v1/packages/{owner}/{type}/{name}/{version}/files.
func (a *API) listFiles(w http.ResponseWriter, r *http.Request, p apiPath, _ auth.Principal, _ meta.Namespace) error {
	ctx := r.Context()
	v, err := a.h.opt.Artifacts.NamedVersion(ctx, generic.RepoType, p.pkg().repoName(), p.version)
	if errs.Is(err, errs.NotFound) {
		return errNoPackage
	} else if err != nil {
		return err
	}
	fs, err := a.h.opt.Artifacts.VersionFiles(ctx, v.ID)
	if err != nil {
		return err
	}
	out := make([]apiFile, len(fs))
	for i, f := range fs {
		out[i] = toAPIFile(f)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// delete answers DELETE /api/v1/packages/{owner}/{type}/{name}/{version}.
func (a *API) delete(w http.ResponseWriter, r *http.Request, p apiPath, _ auth.Principal, _ meta.Namespace) error {
	err := a.h.opt.Artifacts.DeleteNamedVersion(r.Context(), generic.RepoType, p.pkg().repoName(), p.version)
	if errs.Is(err, errs.NotFound) {
		return errNoPackage
	} else if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
