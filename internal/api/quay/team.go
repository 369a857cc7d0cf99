package quay

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"wharf/internal/audit"
	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// teamRoutes serves teams, their members, invitations and permissions.
func (h *Handler) teamRoutes() []route {
	const team = "organization/{orgname}/team/{teamname}"
	return []route{
		{http.MethodPut, team, h.putTeam},
		{http.MethodDelete, team, h.deleteTeam},
		{http.MethodGet, team + "/members", h.listTeamMembers},
		{http.MethodPut, team + "/members/{membername}", h.addTeamMember},
		{http.MethodDelete, team + "/members/{membername}", h.removeTeamMember},
		{http.MethodPut, team + "/invite/{email}", h.inviteEmail},
		{http.MethodDelete, team + "/invite/{email}", h.withdrawEmailInvite},
		{http.MethodGet, team + "/permissions", h.listTeamPermissions},
		{http.MethodPut, "teaminvite/{code}", h.acceptInvite},
		{http.MethodDelete, "teaminvite/{code}", h.declineInvite},
	}
}

// adminTeam returns the organisation and team named in the path when the
// caller administers the organisation; a missing team is errs.NotFound,
// answered 404.
func (h *Handler) adminTeam(ctx context.Context, c *call) (meta.Namespace, meta.Team, error) {
	ns, err := h.orgAdmin(ctx, c, c.vars["orgname"])
	if err != nil {
		return ns, meta.Team{}, err
	}
	t, err := h.opt.Accounts.Team(ctx, ns, c.vars["teamname"])
	return ns, t, err
}

// putTeam answers PUT /organization/{orgname}/team/{teamname}: it creates
// the team or changes its role and description.
func (h *Handler) putTeam(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, err := h.orgAdmin(r.Context(), c, c.vars["orgname"])
	if err != nil {
		return err
	}
	var body struct {
		Role        *string `json:"role"`
		Description *string `json:"description"`
	}
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	name := c.vars["teamname"]
	switch {
	case body.Role == nil:
		return requestError("'role' is a required property")
	case !auth.ValidTeamRole(*body.Role):
		return requestError(fmt.Sprintf("%q is not one of ['member', 'creator', 'admin']", *body.Role))
	case auth.ValidUserName(name) != nil:
		return requestError(fmt.Sprintf("Invalid team name %q", name))
	}
	before, err := h.opt.Accounts.Team(r.Context(), ns, name)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return err
	}
	t, created, err := h.opt.Accounts.PutTeam(r.Context(), auth.PutTeamRequest{
		Org: ns, Name: name, Role: *body.Role, Description: body.Description, Caller: c.p,
	})
	if err != nil {
		return asMessage(err)
	}
	md := func(kv ...any) map[string]any {
		m := map[string]any{"team": t.Name, "namespace": ns.Name}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	switch {
	case created:
		h.record(r, c, audit.Entry{Kind: "org_create_team", NamespaceID: ns.ID, Metadata: md("role", t.Role, "description", t.Description)})
	default:
		if t.Description != before.Description {
			h.record(r, c, audit.Entry{Kind: "org_set_team_description", NamespaceID: ns.ID, Metadata: md("description", t.Description)})
		}
		if t.Role != before.Role {
			h.record(r, c, audit.Entry{Kind: "org_set_team_role", NamespaceID: ns.ID, Metadata: md("role", t.Role)})
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"name": t.Name, "description": t.Description, "can_view": true, "role": t.Role,
		"avatar": teamAvatar(t), "new_team": created,
	})
}

// deleteTeam answers DELETE /organization/{orgname}/team/{teamname}.
func (h *Handler) deleteTeam(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, err := h.orgAdmin(r.Context(), c, c.vars["orgname"])
	if err != nil {
		return err
	}
	name := c.vars["teamname"]
	err = h.opt.Accounts.DeleteTeam(r.Context(), ns, name, c.p)
	if errs.Is(err, errs.NotFound) {
		return messageError(http.StatusBadRequest, fmt.Sprintf("Could not find team %s", name))
	}
	if err != nil {
		return asMessage(err)
	}
	h.record(r, c, audit.Entry{Kind: "org_delete_team", NamespaceID: ns.ID,
		Metadata: map[string]any{"team": name, "namespace": ns.Name}})
	return writeJSON(w, http.StatusNoContent, nil)
}

// listTeamMembers answers GET …/team/{teamname}/members for the
// organisation's admins and the team's own members; admins may ask for
// pending invitations too (includePending).
func (h *Handler) listTeamMembers(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	if c.p.Caps != nil && !c.p.Caps.OrgAdmin {
		return c.denied()
	}
	ns, role, err := h.orgRole(ctx, c, c.vars["orgname"], auth.MemberRole)
	if err != nil {
		return err
	}
	admin := role >= auth.AdminRole
	t, err := h.opt.Accounts.Team(ctx, ns, c.vars["teamname"])
	switch {
	case errs.Is(err, errs.NotFound) && !admin:
		return c.denied()
	case errs.Is(err, errs.NotFound):
		return notFound()
	case err != nil:
		return err
	}
	if !admin {
		mine, err := h.opt.Accounts.UserTeams(ctx, c.p.UserID, ns.ID)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(mine, func(m meta.Team) bool { return m.ID == t.ID }) {
			return c.denied()
		}
	}
	us, err := h.opt.Accounts.TeamMembers(ctx, t)
	if err != nil {
		return err
	}
	members := make([]map[string]any, 0, len(us))
	for _, u := range us {
		members = append(members, memberView(u, false))
	}
	if admin && truthy(r, "includePending", false) {
		invites, err := h.invitesView(ctx, t)
		if err != nil {
			return err
		}
		members = append(members, invites...)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"name": t.Name, "members": members, "can_edit": admin})
}

// invitesView lists a team's pending invitations as Quay shows them among
// its members.
func (h *Handler) invitesView(ctx context.Context, t meta.Team) ([]map[string]any, error) {
	is, err := h.opt.Accounts.TeamInvites(ctx, t)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(is))
	for _, i := range is {
		if i.UserID == 0 {
			out = append(out, emailInviteView(i))
			continue
		}
		u, err := h.opt.Accounts.UserWithID(ctx, i.UserID)
		if errs.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, memberView(u, true))
	}
	return out, nil
}

// emailInviteView is an invitation of an e-mail address, as its
// organisation's admins see it: with the code to hand to the address's
// holder, as Quay sends it by e-mail.
func emailInviteView(i meta.Invite) map[string]any {
	return map[string]any{"email": i.Email, "kind": "invite", "avatar": avatar(i.Email, "user", i.Email), "invited": true,
		"code": i.Code}
}
