package habitat

import (
	"context"
	"net/http"
	"strconv"

	"wharf/internal/auth"
	"wharf/internal/depot"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// originRoutes registers the origin, member and invitation routes.
func (h *Handler) originRoutes() {
	h.handle("POST /v1/depot/origins", "hab.origin.create", signedIn(h.createOrigin))
	h.handle("GET /v1/depot/origins/{origin}", "hab.origin.get", h.getOrigin)
	h.handle("PUT /v1/depot/origins/{origin}", "hab.origin.update", signedIn(h.updateOrigin))
	h.handle("DELETE /v1/depot/origins/{origin}", "hab.origin.delete", h.deleteOrigin)
	h.handle("GET /v1/depot/origins/{origin}/users", "hab.origin.members", h.listMembers)
	h.handle("DELETE /v1/depot/origins/{origin}/users/{user}", "hab.origin.member.delete", h.removeMember)
	h.handle("GET /v1/depot/origins/{origin}/users/{user}/role", "hab.origin.member.role", h.memberRole)
	h.handle("PUT /v1/depot/origins/{origin}/users/{user}/role", "hab.origin.member.role.set", h.setMemberRole)
	h.handle("POST /v1/depot/origins/{origin}/transfer/{user}", "hab.origin.transfer", h.transferOrigin)
	h.handle("POST /v1/depot/origins/{origin}/depart", "hab.origin.depart", h.departOrigin)
	h.handle("GET /v1/depot/origins/{origin}/invitations", "hab.origin.invitations", h.listInvitations)
	h.handle("POST /v1/depot/origins/{origin}/users/{user}/invitations", "hab.origin.invite", h.invite)
	h.handle("PUT /v1/depot/origins/{origin}/invitations/{id}", "hab.origin.invitation.accept", signedIn(h.acceptInvitation))
	h.handle("PUT /v1/depot/origins/{origin}/invitations/{id}/ignore", "hab.origin.invitation.ignore", signedIn(h.ignoreInvitation))
	h.handle("DELETE /v1/depot/origins/{origin}/invitations/{id}", "hab.origin.invitation.rescind", signedIn(h.rescindInvitation))
}

// originJSON is Builder's origin as created and listed.
type originJSON struct {
	OwnerID           string `json:"owner_id"`
	Name              string `json:"name"`
	Created           string `json:"created_at"`
	Updated           string `json:"updated_at"`
	DefaultVisibility string `json:"default_package_visibility"`
}

func originOf(o depot.OriginInfo) originJSON {
	return originJSON{OwnerID: id(o.OwnerID), Name: o.Namespace.Name, Created: stamp(o.Settings.Created),
		Updated: stamp(o.Settings.Updated), DefaultVisibility: o.Settings.DefaultVisibility}
}

// visibilityBody is the body of origin creation and update.
type visibilityBody struct {
	Name              string  `json:"name"`
	DefaultVisibility *string `json:"default_package_visibility"`
}

// readVisibility reads a visibilityBody and its optional default
// visibility: "" when absent; a value Builder's enumeration does not hold
// is a 400, as its body parser gives.
func readVisibility(r *http.Request) (visibilityBody, string, error) {
	var b visibilityBody
	if err := readJSON(r, &b); err != nil {
		return b, "", err
	}
	if b.DefaultVisibility == nil {
		return b, "", nil
	}
	switch v := *b.DefaultVisibility; v {
	case meta.VisibilityPublic, meta.VisibilityPrivate:
		return b, v, nil
	}
	return b, "", fail(http.StatusBadRequest, "invalid default_package_visibility")
}

func (h *Handler) createOrigin(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	body, vis, err := readVisibility(r)
	if err != nil {
		return err
	}
	o, err := h.opt.Depot.CreateOrigin(r.Context(), p, depot.CreateOriginRequest{Name: body.Name, DefaultVisibility: vis})
	if err != nil {
		return remap(err, errs.Invalid, http.StatusExpectationFailed)
	}
	return writeJSON(w, http.StatusCreated, originOf(o))
}

func (h *Handler) getOrigin(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	o, err := h.opt.Depot.GetOrigin(r.Context(), r.PathValue("origin"))
	if err != nil {
		return err
	}
	var key *string
	if o.PrivateKeyName != "" {
		key = &o.PrivateKeyName
	}
	return writeJSON(w, http.StatusOK, struct {
		OwnerID           string  `json:"owner_id"`
		Name              string  `json:"name"`
		PrivateKeyName    *string `json:"private_key_name"`
		DefaultVisibility string  `json:"default_package_visibility"`
		OwnerAccount      string  `json:"owner_account"`
	}{id(o.OwnerID), o.Namespace.Name, key, o.Settings.DefaultVisibility, o.OwnerName})
}

func (h *Handler) updateOrigin(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	_, vis, err := readVisibility(r)
	if err != nil {
		return err
	}
	return noContent(w, h.opt.Depot.UpdateOrigin(r.Context(), p, r.PathValue("origin"), vis))
}

func (h *Handler) deleteOrigin(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return noContent(w, h.opt.Depot.DeleteOrigin(r.Context(), p, r.PathValue("origin")))
}

func (h *Handler) listMembers(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	origin := r.PathValue("origin")
	names, err := h.opt.Depot.Members(r.Context(), p, origin)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		Origin  string   `json:"origin"`
		Members []string `json:"members"`
	}{origin, names})
}

func (h *Handler) removeMember(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return noContent(w, h.opt.Depot.RemoveMember(r.Context(), p, r.PathValue("origin"), r.PathValue("user")))
}

func (h *Handler) memberRole(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	role, err := h.opt.Depot.MemberRole(r.Context(), p, r.PathValue("origin"), r.PathValue("user"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		Role string `json:"role"`
	}{role.String()})
}

func (h *Handler) setMemberRole(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if !r.URL.Query().Has("role") {
		return fail(http.StatusBadRequest, "the role parameter is required")
	}
	return noContent(w, h.opt.Depot.SetMemberRole(r.Context(), p, r.PathValue("origin"), r.PathValue("user"), r.URL.Query().Get("role")))
}

func (h *Handler) transferOrigin(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return noContent(w, h.opt.Depot.TransferOwnership(r.Context(), p, r.PathValue("origin"), r.PathValue("user")))
}

func (h *Handler) departOrigin(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return noContent(w, h.opt.Depot.Depart(r.Context(), p, r.PathValue("origin")))
}

// invitationJSON is Builder's origin invitation.
type invitationJSON struct {
	ID          string `json:"id"`
	Origin      string `json:"origin"`
	AccountID   string `json:"account_id"`
	AccountName string `json:"account_name"`
	OwnerID     string `json:"owner_id"`
	Ignored     bool   `json:"ignored"`
	Created     string `json:"created_at"`
	Updated     string `json:"updated_at"`
}

func invitationsOf(is []meta.OriginInvitation) []invitationJSON {
	out := make([]invitationJSON, 0, len(is))
	for _, i := range is {
		out = append(out, invitationJSON{ID: id(i.ID), Origin: i.Origin, AccountID: id(i.UserID),
			AccountName: i.UserName, OwnerID: id(i.InviterID), Ignored: i.Ignored,
			Created: stamp(i.Created), Updated: stamp(i.Updated)})
	}
	return out
}

func (h *Handler) listInvitations(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	origin := r.PathValue("origin")
	is, err := h.opt.Depot.OriginInvitations(r.Context(), p, origin)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		Origin      string           `json:"origin"`
		Invitations []invitationJSON `json:"invitations"`
	}{origin, invitationsOf(is)})
}

func (h *Handler) invite(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	inv, err := h.opt.Depot.Invite(r.Context(), p, r.PathValue("origin"), r.PathValue("user"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, invitationsOf([]meta.OriginInvitation{inv})[0])
}

// invitationID reads the invitation id of the path: not a number is a
// 422, as Builder answers.
func invitationID(r *http.Request) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || n < 0 {
		return 0, fail(http.StatusUnprocessableEntity, "")
	}
	return n, nil
}

// answerInvitation runs one of the answers to an invitation.
func (h *Handler) answerInvitation(w http.ResponseWriter, r *http.Request, p auth.Principal,
	answer func(context.Context, auth.Principal, string, int64) error) error {
	n, err := invitationID(r)
	if err != nil {
		return err
	}
	return noContent(w, answer(r.Context(), p, r.PathValue("origin"), n))
}

func (h *Handler) acceptInvitation(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return h.answerInvitation(w, r, p, h.opt.Depot.AcceptInvitation)
}

func (h *Handler) ignoreInvitation(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return h.answerInvitation(w, r, p, h.opt.Depot.IgnoreInvitation)
}

func (h *Handler) rescindInvitation(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return h.answerInvitation(w, r, p, h.opt.Depot.RescindInvitation)
}
