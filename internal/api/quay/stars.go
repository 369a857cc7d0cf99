package quay

import (
	"net/http"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/format/oci"
	"wharf/internal/meta"
)

// starRoutes list, add and remove the caller's starred repositories.
func (h *Handler) starRoutes() []route {
	return []route{
		{http.MethodGet, "user/starred", h.listStarred},
		{http.MethodPost, "user/starred", h.star},
		{http.MethodDelete, "user/starred/{repository...}", h.unstar},
	}
}

// listStarred answers GET /api/v1/user/starred: the starred repositories
// the caller may still see, paged as the repository list.
func (h *Handler) listStarred(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := c.accountAdmin(); err != nil {
		return err
	}
	rs, body, err := h.repoPage(r, meta.RepoFilter{UserID: c.p.UserID, Type: oci.RepoType, Public: true, Starred: true})
	if err != nil {
		return err
	}
	items := make([]map[string]any, 0, len(rs))
	for _, repo := range rs {
		items = append(items, map[string]any{
			"namespace":   meta.NamespaceOf(repo.Name),
			"name":        shortRepoName(repo.Name),
			"description": repo.Description,
			"is_public":   repo.Public,
			"kind":        repoKindImage,
		})
	}
	body["repositories"] = items
	return writeJSON(w, http.StatusOK, body)
}

// star answers POST /api/v1/user/starred {"namespace", "repository"}: the
// caller must be able to read the repository.
func (h *Handler) star(w http.ResponseWriter, r *http.Request, c *call) error {
	var b struct {
		Namespace  *string `json:"namespace"`
		Repository *string `json:"repository"`
	}
	if err := decodeBody(r, &b); err != nil {
		return err
	}
	switch {
	case b.Namespace == nil:
		return requestError("'namespace' is a required property")
	case b.Repository == nil:
		return requestError("'repository' is a required property")
	}
	if err := c.accountAdmin(); err != nil {
		return err
	}
	c.vars = map[string]string{"repository": *b.Namespace + "/" + *b.Repository}
	a, err := h.repoFor(r, c, auth.Pull)
	if err != nil {
		return err
	}
	if err := h.opt.Artifacts.Star(r.Context(), c.p.UserID, a.repo.ID); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]any{"namespace": a.ns.Name, "repository": shortRepoName(a.repo.Name)})
}

// unstar answers DELETE /api/v1/user/starred/{repository}: 204 whether or
// not the repository exists or was starred.
func (h *Handler) unstar(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := c.accountAdmin(); err != nil {
		return err
	}
	repo, err := h.opt.Artifacts.Repo(r.Context(), oci.RepoType, c.vars["repository"])
	switch {
	case errs.Is(err, errs.NotFound):
		return writeJSON(w, http.StatusNoContent, nil)
	case err != nil:
		return err
	}
	if err := h.opt.Artifacts.Unstar(r.Context(), c.p.UserID, repo.ID); err != nil {
		return err
	}
	return writeJSON(w, http.StatusNoContent, nil)
}
