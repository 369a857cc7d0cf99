package quay

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"wharf/internal/artifact"
	"wharf/internal/audit"
	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/format/oci"
	"wharf/internal/meta"
)

// repoPageSize is how many repositories a page of the list holds.
const repoPageSize = 100

// repositoryRoutes lists and creates repositories and changes their
// visibility and trust.
func (h *Handler) repositoryRoutes() []route {
	return []route{
		{http.MethodGet, "repository", h.listRepos},
		{http.MethodPost, "repository", h.createRepo},
		{http.MethodPost, "repository/{repository...}/changevisibility", h.changeVisibility},
		{http.MethodPost, "repository/{repository...}/changetrust", h.changeTrust},
	}
}

// repositoryItemRoutes read, update and delete one repository. Their
// pattern takes any path below repository/; longer patterns win over it
// (see pick).
func (h *Handler) repositoryItemRoutes() []route {
	return []route{
		{http.MethodGet, "repository/{repository...}", h.getRepo},
		{http.MethodPut, "repository/{repository...}", h.updateRepo},
		{http.MethodDelete, "repository/{repository...}", h.deleteRepo},
	}
}

// encodeRepoPage and decodeRepoPage make the opaque next_page token of
// repository lists: the ID of the last repository shown. A token that
// does not decode starts again at the first page, as in Quay.
func encodeRepoPage(afterID int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("repo:" + strconv.FormatInt(afterID, 10)))
}

func decodeRepoPage(tok string) int64 {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(string(b), "repo:"), 10, 64)
	if err != nil || n < 0 || !strings.HasPrefix(string(b), "repo:") {
		return 0
	}
	return n
}

// repoPage reads the page of the repositories f selects that the
// request's next_page token asks for. It returns them and the body to
// answer with, which holds the next token when more follow.
func (h *Handler) repoPage(r *http.Request, f meta.RepoFilter) ([]meta.Repository, map[string]any, error) {
	f.AfterID, f.Limit = decodeRepoPage(r.URL.Query().Get("next_page")), repoPageSize+1
	rs, err := h.opt.Artifacts.VisibleRepos(r.Context(), f)
	if err != nil {
		return nil, nil, err
	}
	body := map[string]any{}
	if len(rs) > repoPageSize {
		rs = rs[:repoPageSize]
		body["next_page"] = encodeRepoPage(rs[len(rs)-1].ID)
	}
	return rs, body, nil
}

// listRepos answers GET /api/v1/repository.
func (h *Handler) listRepos(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	q := r.URL.Query()
	nsName := q.Get("namespace")
	starred, public := truthy(r, "starred", false), truthy(r, "public", false)
	if nsName == "" && !starred && !public {
		return requestError("namespace, starred or public are required for this API call")
	}
	if kind := q.Get("repo_kind"); kind != "" && kind != repoKindImage {
		return requestError("Unknown repository kind: " + kind)
	}
	if starred && c.p.Anonymous() {
		return messageError(http.StatusBadRequest, "Listing starred repositories requires a signed-in user")
	}
	// Starred public repositories count as the caller's stars even
	// without public=true.
	f := meta.RepoFilter{UserID: c.p.UserID, Type: oci.RepoType, Public: public || starred, Starred: starred}
	if c.p.Caps != nil && c.p.Caps.Repo == "" {
		// A token without a repository scope reads what anyone may.
		f.UserID, f.Starred = 0, false
	}
	if nsName != "" {
		ns, err := h.opt.Accounts.Namespace(ctx, nsName)
		if errs.Is(err, errs.NotFound) {
			return writeJSON(w, http.StatusOK, map[string]any{"repositories": []any{}})
		}
		if err != nil {
			return err
		}
		f.NamespaceID = ns.ID
	}
	rs, body, err := h.repoPage(r, f)
	if err != nil {
		return err
	}
	stars, err := h.starredAmong(r, c, f)
	if err != nil {
		return err
	}
	items := make([]map[string]any, 0, len(rs))
	for _, repo := range rs {
		if !repo.Public && !c.p.Permits(auth.Pull, repo.Name) {
			continue // outside what the credential may read
		}
		item, err := h.repoListItem(r, c, repo, stars)
		if err != nil {
			return err
		}
		items = append(items, item)
	}
	body["repositories"] = items
	return writeJSON(w, http.StatusOK, body)
}

// starredAmong returns the IDs of the repositories f selects that the
// caller starred, or nil for the anonymous caller.
func (h *Handler) starredAmong(r *http.Request, c *call, f meta.RepoFilter) (map[int64]bool, error) {
	if f.UserID == 0 {
		return nil, nil
	}
	f.Starred, f.Limit = true, 0
	rs, err := h.opt.Artifacts.VisibleRepos(r.Context(), f)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]bool, len(rs))
	for _, repo := range rs {
		out[repo.ID] = true
	}
	return out, nil
}

// repoListItem is a repository as lists show it.
func (h *Handler) repoListItem(r *http.Request, c *call, repo meta.Repository, stars map[int64]bool) (map[string]any, error) {
	item := map[string]any{
		"namespace":   meta.NamespaceOf(repo.Name),
		"name":        shortRepoName(repo.Name),
		"description": repo.Description,
		"is_public":   repo.Public,
		"kind":        repoKindImage,
		"state":       "NORMAL",
	}
	if stars != nil {
		item["is_starred"] = stars[repo.ID]
	}
	if truthy(r, "last_modified", false) {
		t, err := h.opt.Artifacts.LastModified(r.Context(), repo.ID)
		if err != nil {
			return nil, err
		}
		item["last_modified"] = nil
		if !t.IsZero() {
			item["last_modified"] = t.Unix()
		}
	}
	if truthy(r, "popularity", false) {
		n, err := h.repoActionCount(r, repo)
		if err != nil {
			return nil, err
		}
		item["popularity"] = float64(n)
	}
	return item, nil
}

// createRepoBody is the body of POST /api/v1/repository.
type createRepoBody struct {
	Repository  *string `json:"repository"`
	Visibility  *string `json:"visibility"`
	Description *string `json:"description"`
	Namespace   *string `json:"namespace"`
	RepoKind    *string `json:"repo_kind"`
}

func (b createRepoBody) validate() error {
	for _, f := range []struct {
		name string
		v    *string
	}{{"repository", b.Repository}, {"visibility", b.Visibility}, {"description", b.Description}} {
		if f.v == nil {
			return requestError("'" + f.name + "' is a required property")
		}
	}
	if *b.Visibility != "public" && *b.Visibility != "private" {
		return requestError(strconv.Quote(*b.Visibility) + " is not one of ['public', 'private']")
	}
	if b.RepoKind != nil && *b.RepoKind != repoKindImage {
		return requestError(strconv.Quote(*b.RepoKind) + " is not a supported repository kind: only 'image' is")
	}
	return nil
}

// createRepo answers POST /api/v1/repository.
func (h *Handler) createRepo(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	var b createRepoBody
	if err := decodeBody(r, &b); err != nil {
		return err
	}
	if err := b.validate(); err != nil {
		return err
	}
	if c.p.Anonymous() {
		return c.denied()
	}
	nsName, _, _ := strings.Cut(c.p.Name, auth.RobotSeparator)
	if b.Namespace != nil && *b.Namespace != "" {
		nsName = *b.Namespace
	}
	ns, err := h.opt.Accounts.Namespace(ctx, nsName)
	if errs.Is(err, errs.NotFound) {
		return c.denied()
	}
	if err != nil {
		return err
	}
	full := ns.Name + "/" + *b.Repository
	role, err := h.opt.Authorizer.RoleIn(ctx, c.p, ns)
	if err != nil {
		return err
	}
	if role < auth.CreatorRole || !c.p.Permits(auth.Push, full) {
		return c.denied()
	}
	if _, err := h.opt.Artifacts.Repo(ctx, oci.RepoType, full); err == nil {
		return requestError("Repository already exists")
	} else if !errs.Is(err, errs.NotFound) {
		return err
	}
	if *b.Repository == "" {
		return requestError("Invalid repository name")
	}
	repo, err := h.opt.Artifacts.CreateRepo(ctx, artifact.CreateRepoRequest{
		Type: oci.RepoType, Name: full, CreatorID: c.p.UserID,
		Public: *b.Visibility == "public", Description: *b.Description,
	})
	switch {
	case errs.Is(err, errs.Exists):
		return requestError("Repository already exists")
	case errs.Is(err, errs.Invalid):
		return requestError("Invalid repository name")
	case err != nil:
		return err
	}
	h.record(r, c, audit.Entry{Kind: "create_repo", NamespaceID: ns.ID, RepoID: repo.ID, Metadata: repoMeta(repo, nil)})
	return writeJSON(w, http.StatusCreated, map[string]any{
		"namespace": ns.Name, "name": shortRepoName(repo.Name), "kind": repoKindImage,
	})
}
