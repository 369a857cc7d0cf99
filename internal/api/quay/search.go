package quay

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/format/oci"
	"wharf/internal/meta"
)

// Sizes of search answers, as in Quay.
const (
	searchPageSize = 10 // repositories per page of find/repositories
	searchMaxPage  = 10 // the last page find/repositories serves
	searchPerKind  = 5  // results per kind in find/all
	searchBatch    = 50 // rows read at a time while filtering
)

// Scores of find/all results: repositories first, then teams, then
// users, organisations and robots.
const (
	scoreRepository = 4
	scoreTeam       = 2
	scoreEntity     = 1
)

// searchRoutes serves search.
func (h *Handler) searchRoutes() []route {
	return []route{
		{http.MethodGet, "find/all", h.findAll},
		{http.MethodGet, "find/repositories", h.findRepos},
		{http.MethodGet, "entities/{prefix}", h.findEntities},
	}
}

// searchRepos returns up to want repositories whose names contain query
// and that the caller may pull.
func (h *Handler) searchRepos(ctx context.Context, c *call, query string, want int) ([]meta.Repository, error) {
	return h.visibleRepos(ctx, c, meta.RepoFilter{NameContains: query}, want)
}

// visibleRepos returns up to want repositories f selects that the caller
// may pull. The store knows what the user may see; what the credential
// allows (OAuth scopes, grants of a scoped token) is checked repository
// by repository.
func (h *Handler) visibleRepos(ctx context.Context, c *call, f meta.RepoFilter, want int) ([]meta.Repository, error) {
	f.UserID, f.Type, f.Public, f.Limit = c.p.UserID, oci.RepoType, true, searchBatch
	exact := c.p.Caps == nil && !c.p.Restricted
	var out []meta.Repository
	for len(out) < want {
		rs, err := h.opt.Artifacts.SearchRepos(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if !exact {
				ok, err := h.opt.Authorizer.Can(ctx, c.p, auth.Pull, oci.RepoType, r.Name)
				if err != nil {
					return nil, err
				}
				if !ok {
					continue
				}
			}
			if out = append(out, r); len(out) == want {
				break
			}
		}
		if len(rs) < f.Limit {
			break
		}
		f.AfterID = rs[len(rs)-1].ID
	}
	return out, nil
}

// namespaces reads namespaces by ID, each once.
type namespaces struct {
	h    *Handler
	byID map[int64]meta.Namespace
}

func (n *namespaces) get(ctx context.Context, id int64) (meta.Namespace, error) {
	if ns, ok := n.byID[id]; ok {
		return ns, nil
	}
	ns, err := n.h.opt.Accounts.NamespaceWithID(ctx, id)
	if err != nil {
		return meta.Namespace{}, err
	}
	n.byID[id] = ns
	return ns, nil
}

// repoResult is a repository in search results.
func repoResult(repo meta.Repository, ns meta.Namespace) map[string]any {
	return map[string]any{
		"kind":        "repository",
		"title":       "repo",
		"namespace":   namespaceEntity(ns),
		"name":        shortRepoName(repo.Name),
		"description": repo.Description,
		"is_public":   repo.Public && ns.Public,
		"score":       scoreRepository,
		"href":        "/repository/" + repo.Name,
	}
}

// findRepos answers GET /find/repositories?query=&page=&includeUsage=:
// ten repositories a page, pages 1 to 10.
func (h *Handler) findRepos(w http.ResponseWriter, r *http.Request, c *call) error {
	query := strings.TrimSpace(r.URL.Query().Get("query"))
	page := 1
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return requestError("page must be an integer")
		}
		page = min(max(n, 1), searchMaxPage)
	}
	start := (page - 1) * searchPageSize
	results := []map[string]any{}
	more := false
	if query != "" {
		rs, err := h.searchRepos(r.Context(), c, query, start+searchPageSize+1)
		if err != nil {
			return err
		}
		more = len(rs) > start+searchPageSize
		rs = rs[min(start, len(rs)):min(start+searchPageSize, len(rs))]
		nss := &namespaces{h: h, byID: map[int64]meta.Namespace{}}
		usage := truthy(r, "includeUsage", false)
		for _, repo := range rs {
			ns, err := nss.get(r.Context(), repo.NamespaceID)
			if err != nil {
				return err
			}
			u, err := h.opt.Artifacts.SearchRepoUsage(r.Context(), repo.ID)
			if err != nil {
				return err
			}
			v := repoResult(repo, ns)
			v["last_modified"] = nil
			if !u.LastModified.IsZero() {
				v["last_modified"] = u.LastModified.Unix()
			}
			if usage {
				v["stars"] = u.Stars
			}
			results = append(results, v)
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"results": results, "has_additional": more && page < searchMaxPage, "page": page,
		"page_size": searchPageSize, "start_index": start,
	})
}

// findAll answers GET /find/all?query=: repositories the caller may see,
// namespaces that own one of them, and for a signed-in caller the teams
// and robots they may see, best first.
func (h *Handler) findAll(w http.ResponseWriter, r *http.Request, c *call) error {
	query := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("query")))
	results := []map[string]any{}
	if query == "" {
		return writeJSON(w, http.StatusOK, map[string]any{"results": results})
	}
	ctx := r.Context()
	nss := &namespaces{h: h, byID: map[int64]meta.Namespace{}}
	repos, err := h.searchRepos(ctx, c, query, searchPerKind)
	if err != nil {
		return err
	}
	for _, repo := range repos {
		ns, err := nss.get(ctx, repo.NamespaceID)
		if err != nil {
			return err
		}
		results = append(results, repoResult(repo, ns))
	}
	more, err := h.searchNamespaces(ctx, c, query)
	if err != nil {
		return err
	}
	results = append(results, more...)
	if !c.p.Anonymous() && !c.p.Restricted && !c.p.Robot {
		if more, err = h.searchTeamsAndRobots(ctx, c, query); err != nil {
			return err
		}
		results = append(results, more...)
	}
	slices.SortStableFunc(results, func(a, b map[string]any) int { return b["score"].(int) - a["score"].(int) })
	return writeJSON(w, http.StatusOK, map[string]any{"results": results})
}

// searchNamespaces finds users and organisations whose names start with
// query and that own a repository the caller may see, as Quay does: the
// search tells nothing of namespaces that show the caller nothing.
func (h *Handler) searchNamespaces(ctx context.Context, c *call, query string) ([]map[string]any, error) {
	cands, err := h.opt.Accounts.SearchNamespaces(ctx, "", query, searchBatch)
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	for _, ns := range cands {
		if len(out) == searchPerKind {
			break
		}
		ok, err := h.showsRepo(ctx, c, ns)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		v := map[string]any{"kind": "user", "title": "user", "name": ns.Name,
			"avatar": avatar(ns.Name, namespaceKind(ns), ns.Email), "score": scoreEntity, "href": "/user/" + ns.Name}
		if ns.Kind == meta.KindOrg {
			v["kind"], v["title"], v["href"] = "organization", "org", "/organization/"+ns.Name
		}
		out = append(out, v)
	}
	return out, nil
}

// showsRepo reports whether a namespace owns a repository the caller may
// see.
func (h *Handler) showsRepo(ctx context.Context, c *call, ns meta.Namespace) (bool, error) {
	rs, err := h.visibleRepos(ctx, c, meta.RepoFilter{NamespaceID: ns.ID}, 1)
	return len(rs) > 0, err
}

// adminNamespaces returns the caller's own namespace and the
// organisations they administer (their role capped by the credential).
func (h *Handler) adminNamespaces(ctx context.Context, c *call) (own meta.Namespace, orgs []meta.Namespace, err error) {
	if own, err = h.opt.Accounts.Namespace(ctx, c.p.Name); err != nil && !errs.Is(err, errs.NotFound) {
		return own, nil, err
	}
	member, err := h.opt.Accounts.UserOrgs(ctx, c.p.UserID)
	if err != nil {
		return own, nil, err
	}
	for _, ns := range member {
		role, err := h.opt.Authorizer.RoleIn(ctx, c.p, ns)
		if err != nil {
			return own, nil, err
		}
		if role == auth.AdminRole {
			orgs = append(orgs, ns)
		}
	}
	return own, orgs, nil
}
