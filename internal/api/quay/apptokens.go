package quay

import (
	"net/http"

	"wharf/internal/audit"
	"wharf/internal/meta"
)

// appTokenRoutes serves the user's application-specific tokens, the
// credentials for registry logins as "$app".
func (h *Handler) appTokenRoutes() []route {
	return []route{
		{http.MethodGet, "user/apptoken", h.listUserAppTokens},
		{http.MethodPost, "user/apptoken", h.createUserAppToken},
		{http.MethodGet, "user/apptoken/{token_uuid}", h.getUserAppToken},
		{http.MethodDelete, "user/apptoken/{token_uuid}", h.revokeUserAppToken},
	}
}

// appTokenView is Quay's view of an application-specific token; code is
// its secret, included when not "".
func appTokenView(t meta.Token, code string) map[string]any {
	v := map[string]any{
		"uuid":          t.UUID,
		"title":         t.Name,
		"last_accessed": formatDate(t.LastUsed),
		"created":       formatDate(t.Created),
		"expiration":    formatDate(t.Expires),
	}
	if code != "" {
		v["token_code"] = code
	}
	return v
}

// appTokenLog is a usage-log entry about a token of the user whose
// namespace is nsID, filed there as Quay files it.
func appTokenLog(kind string, nsID int64, t meta.Token) audit.Entry {
	return audit.Entry{Kind: kind, NamespaceID: nsID, Metadata: map[string]any{"app_specific_token_title": t.Name, "app_specific_token": t.UUID}}
}

// listUserAppTokens answers GET /user/apptoken[?expiring=…].
func (h *Handler) listUserAppTokens(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := c.accountAdmin(); err != nil {
		return err
	}
	var only any
	if _, ok := r.URL.Query()["expiring"]; ok {
		only = truthy(r, "expiring", false)
	}
	ts, err := h.opt.Accounts.ListAppTokens(r.Context(), c.p.UserID, only == true)
	if err != nil {
		return err
	}
	views := make([]map[string]any, 0, len(ts))
	for _, t := range ts {
		views = append(views, appTokenView(t, ""))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"tokens": views, "only_expiring": only})
}

// createUserAppToken answers POST /user/apptoken: 200 with the new token
// and its secret, as Quay does.
func (h *Handler) createUserAppToken(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := c.accountAdmin(); err != nil {
		return err
	}
	// The new token logs in to the registry with every right of the user;
	// an OAuth token may hand it out only when its own scopes reach as
	// far (Quay asks for user:admin alone).
	if !c.p.HoldsAllRepoRights() {
		return forbidden()
	}
	var body struct {
		Title *string `json:"title"`
	}
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	if body.Title == nil {
		return requestError("'title' is a required property")
	}
	u, err := h.caller(r.Context(), c)
	if err != nil {
		return err
	}
	secret, t, err := h.opt.Accounts.CreateAppToken(r.Context(), c.p.UserID, *body.Title, 0)
	if err != nil {
		return err
	}
	h.record(r, c, appTokenLog("create_app_specific_token", u.NamespaceID, t))
	return writeJSON(w, http.StatusOK, map[string]any{"token": appTokenView(t, secret)})
}

// getUserAppToken answers GET /user/apptoken/{token_uuid}: one of the
// caller's own tokens with its secret; anyone else's is 404.
func (h *Handler) getUserAppToken(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := c.accountAdmin(); err != nil {
		return err
	}
	t, err := h.opt.Accounts.AppToken(r.Context(), c.p.UserID, c.vars["token_uuid"])
	if err != nil {
		return err
	}
	secret, err := h.opt.Accounts.TokenSecret(t)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"token": appTokenView(t, secret)})
}

// revokeUserAppToken answers DELETE /user/apptoken/{token_uuid}.
func (h *Handler) revokeUserAppToken(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := c.accountAdmin(); err != nil {
		return err
	}
	u, err := h.caller(r.Context(), c)
	if err != nil {
		return err
	}
	t, err := h.opt.Accounts.RevokeAppToken(r.Context(), c.p.UserID, c.vars["token_uuid"])
	if err != nil {
		return err
	}
	h.record(r, c, appTokenLog("revoke_app_specific_token", u.NamespaceID, t))
	return writeJSON(w, http.StatusNoContent, nil)
}
