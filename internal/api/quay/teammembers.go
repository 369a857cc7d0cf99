package quay

import (
	"fmt"
	"net/http"

	"wharf/internal/audit"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// addTeamMember answers PUT …/team/{teamname}/members/{membername}. A
// person not yet in any team of the organisation is invited instead, and
// joins when they accept; robots of the organisation and people already
// in it are added at once.
func (h *Handler) addTeamMember(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, t, err := h.adminTeam(r.Context(), c)
	if err != nil {
		return err
	}
	name := c.vars["membername"]
	if _, err := h.opt.Accounts.UserNamed(r.Context(), name); errs.Is(err, errs.NotFound) {
		return requestError("Unknown user")
	} else if err != nil {
		return err
	}
	res, err := h.opt.Accounts.AddTeamMember(r.Context(), t, ns, name, c.p, true)
	if err != nil {
		return asMessage(err)
	}
	md := map[string]any{"member": res.User.Name, "team": t.Name, "namespace": ns.Name}
	kind := "org_add_team_member"
	if res.Invited {
		kind = "org_invite_team_member"
		md["user"] = res.User.Name
	}
	h.record(r, c, audit.Entry{Kind: kind, NamespaceID: ns.ID, Metadata: md})
	return writeJSON(w, http.StatusOK, memberView(res.User, res.Invited))
}

// removeTeamMember answers DELETE …/team/{teamname}/members/{membername}:
// it withdraws the person's invitation when there is one, else removes
// them from the team.
func (h *Handler) removeTeamMember(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, t, err := h.adminTeam(r.Context(), c)
	if err != nil {
		return err
	}
	name := c.vars["membername"]
	if _, err := h.opt.Accounts.UserNamed(r.Context(), name); errs.Is(err, errs.NotFound) {
		return notFound()
	} else if err != nil {
		return err
	}
	invited, err := h.opt.Accounts.RemoveTeamMember(r.Context(), t, name, c.p)
	if errs.Is(err, errs.NotFound) {
		return messageError(http.StatusBadRequest, fmt.Sprintf("User %s does not belong to team %s", name, t.Name))
	}
	if err != nil {
		return asMessage(err)
	}
	md := map[string]any{"member": name, "team": t.Name, "namespace": ns.Name}
	kind := "org_remove_team_member"
	if invited {
		kind = "org_delete_team_member_invite"
		md["user"] = name
	}
	h.record(r, c, audit.Entry{Kind: kind, NamespaceID: ns.ID, Metadata: md})
	return writeJSON(w, http.StatusNoContent, nil)
}

// inviteEmail answers PUT …/team/{teamname}/invite/{email}: whoever signs
// in with that address may accept.
func (h *Handler) inviteEmail(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, t, err := h.adminTeam(r.Context(), c)
	if err != nil {
		return err
	}
	email := c.vars["email"]
	i, err := h.opt.Accounts.InviteEmail(r.Context(), t, email, c.p)
	switch {
	case errs.Is(err, errs.Exists):
		return messageError(http.StatusBadRequest, fmt.Sprintf("%s is already invited to team %s", email, t.Name))
	case err != nil:
		return err
	}
	h.record(r, c, audit.Entry{Kind: "org_invite_team_member", NamespaceID: ns.ID,
		Metadata: map[string]any{"email": email, "member": email, "team": t.Name, "namespace": ns.Name}})
	return writeJSON(w, http.StatusOK, emailInviteView(i))
}

// withdrawEmailInvite answers DELETE …/team/{teamname}/invite/{email}.
func (h *Handler) withdrawEmailInvite(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, t, err := h.adminTeam(r.Context(), c)
	if err != nil {
		return err
	}
	email := c.vars["email"]
	if err := h.opt.Accounts.DeleteEmailInvite(r.Context(), t, email); err != nil {
		return err
	}
	h.record(r, c, audit.Entry{Kind: "org_delete_team_member_invite", NamespaceID: ns.ID,
		Metadata: map[string]any{"email": email, "member": email, "team": t.Name, "namespace": ns.Name}})
	return writeJSON(w, http.StatusNoContent, nil)
}

// listTeamPermissions answers GET …/team/{teamname}/permissions.
func (h *Handler) listTeamPermissions(w http.ResponseWriter, r *http.Request, c *call) error {
	_, t, err := h.adminTeam(r.Context(), c)
	if err != nil {
		return err
	}
	ps, err := h.opt.Accounts.TeamPermissions(r.Context(), t)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"permissions": repoPermissionsView(ps)})
}

// invitation returns the caller's pending invitation with code, naming
// them or their e-mail address; another person's or a missing one is
// 404.
func (h *Handler) invitation(r *http.Request, c *call) (meta.User, invitationInfo, error) {
	if err := c.accountAdmin(); err != nil {
		return meta.User{}, invitationInfo{}, err
	}
	u, err := h.caller(r.Context(), c)
	if err != nil {
		return meta.User{}, invitationInfo{}, err
	}
	is, err := h.opt.Accounts.UserInvitations(r.Context(), u, true)
	if err != nil {
		return meta.User{}, invitationInfo{}, err
	}
	for _, i := range is {
		if i.Code == c.vars["code"] {
			return u, invitationInfo{org: i.Org, team: i.Team, inviter: i.Inviter.Name}, nil
		}
	}
	return meta.User{}, invitationInfo{}, notFound()
}

type invitationInfo struct {
	org     meta.Namespace
	team    meta.Team
	inviter string
}

// acceptInvite answers PUT /teaminvite/{code}: the invitee joins the team.
func (h *Handler) acceptInvite(w http.ResponseWriter, r *http.Request, c *call) error {
	u, inv, err := h.invitation(r, c)
	if err != nil {
		return err
	}
	if _, err := h.opt.Accounts.AcceptInvite(r.Context(), c.vars["code"], c.p); err != nil {
		return err
	}
	h.record(r, c, audit.Entry{Kind: "org_team_member_invite_accepted", NamespaceID: inv.org.ID,
		Metadata: map[string]any{"member": u.Name, "team": inv.team.Name, "inviter": inv.inviter, "namespace": inv.org.Name}})
	return writeJSON(w, http.StatusOK, map[string]any{"org": inv.org.Name, "team": inv.team.Name})
}

// declineInvite answers DELETE /teaminvite/{code}: the invitation goes.
func (h *Handler) declineInvite(w http.ResponseWriter, r *http.Request, c *call) error {
	u, inv, err := h.invitation(r, c)
	if err != nil {
		return err
	}
	if err := h.opt.Accounts.DeclineInvite(r.Context(), c.vars["code"], c.p); err != nil {
		return err
	}
	h.record(r, c, audit.Entry{Kind: "org_team_member_invite_declined", NamespaceID: inv.org.ID,
		Metadata: map[string]any{"member": u.Name, "team": inv.team.Name, "inviter": inv.inviter, "namespace": inv.org.Name}})
	return writeJSON(w, http.StatusNoContent, nil)
}
