package quay

import (
	"net/http"

	"wharf/internal/audit"
)

// listOrgMembers answers GET /organization/{orgname}/members: the people
// in the organisation's teams; robots are left out.
func (h *Handler) listOrgMembers(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, err := h.orgAdmin(r.Context(), c, c.vars["orgname"])
	if err != nil {
		return err
	}
	ms, err := h.opt.Accounts.OrgMembers(r.Context(), ns)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(ms))
	for _, m := range ms {
		if !m.User.Robot {
			out = append(out, orgMemberView(m))
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"members": out})
}

// getOrgMember answers GET /organization/{orgname}/members/{membername}:
// a person or robot in the organisation's teams, or one of its robots.
func (h *Handler) getOrgMember(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, err := h.orgAdmin(r.Context(), c, c.vars["orgname"])
	if err != nil {
		return err
	}
	m, err := h.opt.Accounts.FindOrgMember(r.Context(), ns, c.vars["membername"])
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, orgMemberView(m))
}

// removeOrgMember answers DELETE /organization/{orgname}/members/{membername}:
// the person leaves every team and loses their own permissions on the
// organisation's repositories. The only admin and the owner of the
// organisation as a Habitat origin cannot be removed (400).
func (h *Handler) removeOrgMember(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, err := h.orgAdmin(r.Context(), c, c.vars["orgname"])
	if err != nil {
		return err
	}
	name := c.vars["membername"]
	left, err := h.opt.Accounts.RemoveOrgMember(r.Context(), ns, name)
	if err != nil {
		return asMessage(err)
	}
	for _, t := range left {
		h.record(r, c, audit.Entry{Kind: "org_remove_team_member", NamespaceID: ns.ID,
			Metadata: map[string]any{"member": name, "team": t.Name, "namespace": ns.Name}})
	}
	return writeJSON(w, http.StatusNoContent, nil)
}

// listCollaborators answers GET /organization/{orgname}/collaborators:
// people outside the organisation's teams with their own permissions on
// its repositories.
func (h *Handler) listCollaborators(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, err := h.orgAdmin(r.Context(), c, c.vars["orgname"])
	if err != nil {
		return err
	}
	repos, err := h.orgRepos(r, ns)
	if err != nil {
		return err
	}
	cs, err := h.opt.Accounts.Collaborators(r.Context(), ns, repos)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(cs))
	for _, m := range cs {
		out = append(out, map[string]any{
			"kind": "user", "name": m.User.Name, "avatar": userAvatar(m.User),
			"repositories": shortNames(m.Repos),
		})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"collaborators": out})
}
