package quay

import (
	"net/http"

	"wharf/internal/audit"
	"wharf/internal/auth"
	"wharf/internal/meta"
)

// permissionRoutes manage who holds which role on a repository. Every one
// needs the admin role on it.
func (h *Handler) permissionRoutes() []route {
	const base = "repository/{repository...}/permissions/"
	return []route{
		{http.MethodGet, base + "user/", h.listRepoUserPermissions},
		{http.MethodGet, base + "team/", h.listRepoTeamPermissions},
		{http.MethodGet, base + "user/{username}/transitive", h.transitivePermissions},
		{http.MethodGet, base + "user/{username}", h.getUserPermission},
		{http.MethodPut, base + "user/{username}", h.putUserPermission},
		{http.MethodDelete, base + "user/{username}", h.deleteUserPermission},
		{http.MethodGet, base + "team/{teamname}", h.getTeamPermission},
		{http.MethodPut, base + "team/{teamname}", h.putTeamPermission},
		{http.MethodDelete, base + "team/{teamname}", h.deleteTeamPermission},
	}
}

// userPermissionView is Quay's view of a user's permission; members says
// who is in a team of the organisation (nil for a personal namespace).
func userPermissionView(p meta.Permission, ns meta.Namespace, members map[int64]bool) map[string]any {
	u := meta.User{ID: p.UserID, Name: p.UserName, Robot: p.Robot}
	v := map[string]any{"role": p.Role, "name": u.Name, "is_robot": u.Robot, "avatar": userAvatar(u)}
	if ns.Kind == meta.KindOrg {
		v["is_org_member"] = u.Robot || members[u.ID]
	}
	return v
}

func teamPermissionView(role string, t meta.Team) map[string]any {
	return map[string]any{"role": role, "name": t.Name, "avatar": teamAvatar(t)}
}

// listRepoUserPermissions answers GET …/permissions/user/.
func (h *Handler) listRepoUserPermissions(w http.ResponseWriter, r *http.Request, c *call) error {
	a, err := h.repoFor(r, c, auth.Admin)
	if err != nil {
		return err
	}
	ps, err := h.opt.Accounts.RepoPermissions(r.Context(), a.repo, a.ns)
	if err != nil {
		return err
	}
	members, err := h.opt.Accounts.OrgMemberIDs(r.Context(), a.ns)
	if err != nil {
		return err
	}
	out := map[string]any{}
	for _, p := range ps {
		if p.UserID != 0 {
			out[p.UserName] = userPermissionView(p, a.ns, members)
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"permissions": out})
}

// listRepoTeamPermissions answers GET …/permissions/team/.
func (h *Handler) listRepoTeamPermissions(w http.ResponseWriter, r *http.Request, c *call) error {
	a, err := h.repoFor(r, c, auth.Admin)
	if err != nil {
		return err
	}
	ps, err := h.opt.Accounts.RepoPermissions(r.Context(), a.repo, a.ns)
	if err != nil {
		return err
	}
	out := map[string]any{}
	for _, p := range ps {
		if p.TeamID != 0 {
			out[p.TeamName] = teamPermissionView(p.Role, meta.Team{Name: p.TeamName})
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"permissions": out})
}

// getUserPermission answers GET …/permissions/user/{username}.
func (h *Handler) getUserPermission(w http.ResponseWriter, r *http.Request, c *call) error {
	a, err := h.repoFor(r, c, auth.Admin)
	if err != nil {
		return err
	}
	p, _, err := h.opt.Accounts.RepoUserPermission(r.Context(), a.repo, a.ns, c.vars["username"])
	if err != nil {
		return asMessage(err)
	}
	members, err := h.opt.Accounts.OrgMemberIDs(r.Context(), a.ns)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, userPermissionView(p, a.ns, members))
}

// roleBody reads {"role": …}.
func roleBody(r *http.Request) (string, error) {
	var b struct {
		Role *string `json:"role"`
	}
	if err := decodeBody(r, &b); err != nil {
		return "", err
	}
	return checkRole(b.Role)
}

// checkRole answers the role a body named, or Quay's refusal when it named
// none or one that is not a repository role.
func checkRole(role *string) (string, error) {
	switch {
	case role == nil:
		return "", requestError("'role' is a required property")
	case !auth.ValidRole(*role):
		return "", requestError("'" + *role + "' is not one of ['read', 'write', 'admin']")
	}
	return *role, nil
}

// putUserPermission answers PUT …/permissions/user/{username}.
func (h *Handler) putUserPermission(w http.ResponseWriter, r *http.Request, c *call) error {
	a, err := h.repoFor(r, c, auth.Admin)
	if err != nil {
		return err
	}
	role, err := roleBody(r)
	if err != nil {
		return err
	}
	p, u, err := h.opt.Accounts.SetUserPermission(r.Context(), a.repo, a.ns, c.vars["username"], role)
	if err != nil {
		return err
	}
	p.UserName, p.Robot = u.Name, u.Robot
	h.record(r, c, audit.Entry{Kind: "change_repo_permission", NamespaceID: a.ns.ID, RepoID: a.repo.ID,
		Metadata: repoMeta(a.repo, map[string]any{"username": u.Name, "role": role})})
	members, err := h.opt.Accounts.OrgMemberIDs(r.Context(), a.ns)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, userPermissionView(p, a.ns, members))
}

// deleteUserPermission answers DELETE …/permissions/user/{username}.
func (h *Handler) deleteUserPermission(w http.ResponseWriter, r *http.Request, c *call) error {
	a, err := h.repoFor(r, c, auth.Admin)
	if err != nil {
		return err
	}
	name := c.vars["username"]
	if err := h.opt.Accounts.DeleteUserPermission(r.Context(), a.repo, a.ns, name); err != nil {
		return err
	}
	h.record(r, c, audit.Entry{Kind: "delete_repo_permission", NamespaceID: a.ns.ID, RepoID: a.repo.ID,
		Metadata: repoMeta(a.repo, map[string]any{"username": name})})
	return writeJSON(w, http.StatusNoContent, nil)
}

// transitivePermissions answers GET …/permissions/user/{username}/transitive:
// every role the user holds, directly or through teams.
func (h *Handler) transitivePermissions(w http.ResponseWriter, r *http.Request, c *call) error {
	a, err := h.repoFor(r, c, auth.Admin)
	if err != nil {
		return err
	}
	roles, err := h.opt.Accounts.RepoUserRoles(r.Context(), a.repo, a.ns, c.vars["username"])
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(roles))
	for _, role := range roles {
		out = append(out, map[string]any{"role": role})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"permissions": out})
}

// getTeamPermission answers GET …/permissions/team/{teamname}.
func (h *Handler) getTeamPermission(w http.ResponseWriter, r *http.Request, c *call) error {
	a, err := h.repoFor(r, c, auth.Admin)
	if err != nil {
		return err
	}
	p, _, err := h.opt.Accounts.RepoTeamPermission(r.Context(), a.repo, a.ns, c.vars["teamname"])
	if err != nil {
		return asMessage(err)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"role": p.Role})
}

// putTeamPermission answers PUT …/permissions/team/{teamname}.
func (h *Handler) putTeamPermission(w http.ResponseWriter, r *http.Request, c *call) error {
	a, err := h.repoFor(r, c, auth.Admin)
	if err != nil {
		return err
	}
	role, err := roleBody(r)
	if err != nil {
		return err
	}
	t, err := h.opt.Accounts.SetTeamPermission(r.Context(), a.repo, a.ns, c.vars["teamname"], role)
	if err != nil {
		return err
	}
	h.record(r, c, audit.Entry{Kind: "change_repo_permission", NamespaceID: a.ns.ID, RepoID: a.repo.ID,
		Metadata: repoMeta(a.repo, map[string]any{"team": t.Name, "role": role})})
	return writeJSON(w, http.StatusOK, teamPermissionView(role, t))
}

// deleteTeamPermission answers DELETE …/permissions/team/{teamname}.
func (h *Handler) deleteTeamPermission(w http.ResponseWriter, r *http.Request, c *call) error {
	a, err := h.repoFor(r, c, auth.Admin)
	if err != nil {
		return err
	}
	name := c.vars["teamname"]
	if err := h.opt.Accounts.DeleteTeamPermission(r.Context(), a.repo, a.ns, name); err != nil {
		return err
	}
	h.record(r, c, audit.Entry{Kind: "delete_repo_permission", NamespaceID: a.ns.ID, RepoID: a.repo.ID,
		Metadata: repoMeta(a.repo, map[string]any{"team": name})})
	return writeJSON(w, http.StatusNoContent, nil)
}
