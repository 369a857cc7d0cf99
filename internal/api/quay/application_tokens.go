package quay

import (
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"wharf/internal/audit"
	"wharf/internal/auth"
	"wharf/internal/meta"
)

// maxAppTokenName bounds the name of an OAuth token made through the API.
const maxAppTokenName = 255

// isoDate renders t as the OAuth token views do: ISO 8601 in UTC; the
// zero time is null.
func isoDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// oauthTokenView is Quay's view of an OAuth access token of an
// application.
func oauthTokenView(t meta.Token, createdBy string) map[string]any {
	return map[string]any{
		"uuid":          t.UUID,
		"name":          t.Name,
		"scope":         strings.Join(t.Scopes, " "),
		"expires_at":    isoDate(t.Expires),
		"created":       isoDate(t.Created),
		"created_by":    createdBy,
		"last_accessed": isoDate(t.LastUsed),
	}
}

// listAppTokens answers GET …/applications/{client_id}/tokens. The list
// is whole: an application's tokens are few, so there is no next_page.
func (h *Handler) listAppTokens(w http.ResponseWriter, r *http.Request, c *call) error {
	_, a, err := h.orgApp(r.Context(), c)
	if err != nil {
		return err
	}
	ts, err := h.opt.Accounts.AppTokens(r.Context(), a)
	if err != nil {
		return err
	}
	views := make([]map[string]any, 0, len(ts))
	for _, t := range ts {
		views = append(views, oauthTokenView(t.Token, t.UserName))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"tokens": views})
}

// appTokenBody is the body of POST …/applications/{client_id}/tokens.
type appTokenBody struct {
	Name       *string `json:"name"`
	Scope      *string `json:"scope"`
	Expiration *int64  `json:"expiration"` // seconds
}

// createAppToken answers POST …/applications/{client_id}/tokens: an
// OAuth access token of the application acting as the caller, with
// scopes the caller holds himself. 200 with the token's view and its
// secret, shown once.
func (h *Handler) createAppToken(w http.ResponseWriter, r *http.Request, c *call) error {
	org, a, err := h.orgApp(r.Context(), c)
	if err != nil {
		return err
	}
	var body appTokenBody
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	switch {
	case body.Name == nil:
		return requestError("'name' is a required property")
	case body.Scope == nil:
		return requestError("'scope' is a required property")
	}
	name := strings.TrimSpace(*body.Name)
	if name == "" || utf8.RuneCountInString(name) > maxAppTokenName {
		return messageError(http.StatusBadRequest, "Token name must be 1 to 255 characters")
	}
	scopes, _, err := auth.ParseOAuthScopes(*body.Scope)
	if err != nil {
		return messageError(http.StatusBadRequest, "Invalid scope: "+*body.Scope)
	}
	super, err := h.opt.Authorizer.Superuser(r.Context(), c.p)
	if err != nil {
		return err
	}
	if !auth.HoldsScopes(c.p, super, scopes) {
		return messageError(http.StatusBadRequest, "You cannot grant scopes you do not hold yourself")
	}
	var ttl time.Duration
	if body.Expiration != nil {
		max := int64(auth.OAuthTokenTTL / time.Second)
		if *body.Expiration < 1 || *body.Expiration > max {
			return messageError(http.StatusBadRequest, "Expiration must be between 1 second and 10 years")
		}
		ttl = time.Duration(*body.Expiration) * time.Second
	}
	secret, t, err := h.opt.Accounts.IssueOAuthToken(r.Context(), a, c.p.UserID, name, scopes, ttl)
	if err != nil {
		return err
	}
	e := appLog("create_oauth_api_token", org, a)
	e.Metadata["token_name"], e.Metadata["token_uuid"], e.Metadata["scope"] = t.Name, t.UUID, strings.Join(t.Scopes, " ")
	h.record(r, c, e)
	v := oauthTokenView(t, c.p.Name)
	v["token"] = secret
	return writeJSON(w, http.StatusOK, v)
}

// revokeAppToken answers DELETE …/applications/{client_id}/tokens/{token_uuid}.
func (h *Handler) revokeAppToken(w http.ResponseWriter, r *http.Request, c *call) error {
	org, a, err := h.orgApp(r.Context(), c)
	if err != nil {
		return err
	}
	t, err := h.opt.Accounts.RevokeOAuthToken(r.Context(), a, c.vars["token_uuid"])
	if err != nil {
		return err
	}
	h.record(r, c, revokeLog(org, a, t))
	return writeJSON(w, http.StatusNoContent, nil)
}

func revokeLog(org meta.Namespace, a meta.App, t meta.Token) audit.Entry {
	e := appLog("revoke_oauth_api_token", org, a)
	e.Metadata["token_name"], e.Metadata["token_uuid"] = t.Name, t.UUID
	return e
}
