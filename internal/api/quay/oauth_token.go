package quay

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"wharf/internal/errs"
)

// tokenError answers the token endpoint's errors in OAuth 2's JSON shape
// (RFC 6749 §5.2).
func tokenError(w http.ResponseWriter, status int, code, description string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="oauth"`)
	}
	writeTokenJSON(w, status, map[string]string{"error": code, "error_description": description})
}

func writeTokenJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// accessToken answers POST /oauth/access_token: an authorization code,
// the client's credentials (HTTP Basic or form fields) and the redirect
// URI the code was issued for are traded for an access token.
func (h *OAuthHandler) accessToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxOAuthForm)
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request", "the form could not be read")
		return
	}
	f := r.PostForm
	clientID, secret := f.Get("client_id"), f.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok {
		if (clientID != "" && clientID != u) || secret != "" {
			tokenError(w, http.StatusBadRequest, "invalid_request", "client credentials were sent twice")
			return
		}
		clientID, secret = u, p
	}
	switch gt := f.Get("grant_type"); {
	case gt == "":
		tokenError(w, http.StatusBadRequest, "invalid_request", "grant_type is required")
		return
	case gt != "authorization_code":
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "only authorization_code is supported")
		return
	case f.Get("code") == "":
		tokenError(w, http.StatusBadRequest, "invalid_request", "code is required")
		return
	case clientID == "" || secret == "":
		tokenError(w, http.StatusUnauthorized, "invalid_client", "client_id and client_secret are required")
		return
	}
	token, t, err := h.opt.Accounts.ExchangeCode(r.Context(), clientID, secret, f.Get("code"), f.Get("redirect_uri"))
	switch {
	case errs.Is(err, errs.Unauthenticated):
		tokenError(w, http.StatusUnauthorized, "invalid_client", "unknown client or wrong client secret")
		return
	case errs.Is(err, errs.Invalid):
		tokenError(w, http.StatusBadRequest, "invalid_grant", errs.Message(err))
		return
	case err != nil:
		h.opt.Log.ErrorContext(r.Context(), "oauth token", "err", err)
		tokenError(w, http.StatusInternalServerError, "server_error", "internal server error")
		return
	}
	app, err := h.opt.Accounts.App(r.Context(), clientID)
	if err == nil {
		h.assigned(r, app, t.UserID, "", t)
	}
	writeTokenJSON(w, http.StatusOK, map[string]any{
		"access_token": token,
		"token_type":   "Bearer",
		"expires_in":   int64(time.Until(t.Expires).Seconds()),
		"scope":        strings.Join(t.Scopes, " "),
	})
}
