package quay

import (
	"net/http"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/format/oci"
	"wharf/internal/meta"
)

// repoKindImage is Quay's kind of container image repositories, the OCI
// repositories of the core.
const repoKindImage = "image"

// repoAccess is a repository a call may act on, with its namespace and
// the caller's role on it ("" when the caller reads a public repository
// without a role).
type repoAccess struct {
	repo meta.Repository
	ns   meta.Namespace
	role string
}

// repoFor checks that the caller may do act to the repository the path
// names and returns it. Permission comes before existence, as in Quay: a
// caller without the right gets 401 or 403 whether the repository exists
// or not; one who has it (or who could create it) gets 404 for a missing
// one.
func (h *Handler) repoFor(r *http.Request, c *call, act auth.Action) (repoAccess, error) {
	ctx := r.Context()
	name := c.vars["repository"]
	ok, err := h.opt.Authorizer.Can(ctx, c.p, act, oci.RepoType, name)
	if err != nil {
		return repoAccess{}, err
	}
	if !ok {
		return repoAccess{}, c.denied()
	}
	repo, err := h.opt.Artifacts.Repo(ctx, oci.RepoType, name)
	if errs.Is(err, errs.NotFound) {
		return repoAccess{}, notFound()
	}
	if err != nil {
		return repoAccess{}, err
	}
	ns, err := h.opt.Accounts.Namespace(ctx, meta.NamespaceOf(repo.Name))
	if err != nil {
		return repoAccess{}, err
	}
	role, err := h.opt.Authorizer.RepoRole(ctx, c.p, oci.RepoType, repo.Name)
	if errs.Is(err, errs.NotFound) {
		return repoAccess{}, notFound() // deleted meanwhile
	}
	if err != nil {
		return repoAccess{}, err
	}
	return repoAccess{repo: repo, ns: ns, role: role}, nil
}

// can reports whether the caller's role and credential allow act on the
// repository.
func (a repoAccess) can(c *call, act auth.Action) bool {
	return auth.RoleAllows(a.role, act) && c.p.Permits(act, a.repo.Name)
}

// repoMeta is the metadata every repository log entry carries.
func repoMeta(repo meta.Repository, more map[string]any) map[string]any {
	m := map[string]any{"repo": shortRepoName(repo.Name), "namespace": meta.NamespaceOf(repo.Name)}
	for k, v := range more {
		m[k] = v
	}
	return m
}
