package quay

import "net/http"

// notificationRoutes serves the signed-in user's notifications.
func (h *Handler) notificationRoutes() []route {
	return []route{{http.MethodGet, "user/notifications", h.listNotifications}}
}

// listNotifications answers GET /user/notifications: the caller's pending
// team invitations, as Quay's org_team_invite notifications carrying the
// code to accept them with. Invitations of the caller's e-mail address
// are shown only while sign-up is off: with it on, anyone may claim any
// address, so the inviting admin hands out the code instead.
func (h *Handler) listNotifications(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := c.accountAdmin(); err != nil {
		return err
	}
	u, err := h.caller(r.Context(), c)
	if err != nil {
		return err
	}
	is, err := h.opt.Accounts.UserInvitations(r.Context(), u, !h.opt.SignUp)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(is))
	for _, i := range is {
		out = append(out, map[string]any{
			"id": i.Code, "organization": nil, "kind": "org_team_invite", "created": formatDate(i.Created),
			"dismissed": false,
			"metadata":  map[string]any{"code": i.Code, "inviter": i.Inviter.Name, "org": i.Org.Name, "team": i.Team.Name},
		})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"notifications": out})
}
