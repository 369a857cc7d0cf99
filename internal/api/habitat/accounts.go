package habitat

import (
	"net/http"
	"strconv"

	"wharf/internal/auth"
	"wharf/internal/depot"
	"wharf/internal/errs"
)

// accountRoutes registers the profile, access token and user routes.
// Builder's license routes are not offered.
func (h *Handler) accountRoutes() {
	h.handle("GET /v1/profile", "hab.profile", h.getProfile)
	h.handle("PATCH /v1/profile", "hab.profile.update", signedIn(h.updateProfile))
	h.handle("GET /v1/profile/access-tokens", "hab.profile.tokens", h.listAccessTokens)
	h.handle("POST /v1/profile/access-tokens", "hab.profile.token.create", h.createAccessToken)
	h.handle("DELETE /v1/profile/access-tokens/{id}", "hab.profile.token.delete", signedIn(h.deleteAccessToken))
	h.handle("GET /v1/user/invitations", "hab.user.invitations", h.userInvitations)
	h.handle("GET /v1/user/origins", "hab.user.origins", h.userOrigins)
}

func (h *Handler) getProfile(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	u, err := h.opt.Depot.Profile(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		ID      string `json:"id"`
		Email   string `json:"email"`
		Name    string `json:"name"`
		Created string `json:"created_at"`
		Updated string `json:"updated_at"`
	}{id(u.ID), u.Email, u.Name, stamp(u.Created), stamp(u.Created)})
}

func (h *Handler) updateProfile(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var body struct {
		Email string `json:"email"`
	}
	if err := readJSON(r, &body); err != nil {
		return err
	}
	if body.Email == "" {
		return fail(http.StatusBadRequest, "email is required")
	}
	if _, err := h.opt.Depot.SetEmail(r.Context(), p, body.Email); err != nil {
		return err
	}
	return uncached(w, http.StatusOK)
}

// tokenJSON is Builder's personal access token.
type tokenJSON struct {
	ID        string `json:"id"`
	AccountID string `json:"account_id"`
	Token     string `json:"token"`
	Created   string `json:"created_at"`
}

func tokenOf(t depot.AccessToken) tokenJSON {
	return tokenJSON{ID: id(t.ID), AccountID: id(t.UserID), Token: t.Secret, Created: stamp(t.Created)}
}

func (h *Handler) listAccessTokens(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	ts, err := h.opt.Depot.AccessTokens(r.Context(), p)
	if err != nil {
		return err
	}
	out := make([]tokenJSON, 0, len(ts))
	for _, t := range ts {
		out = append(out, tokenOf(t))
	}
	return writeJSON(w, http.StatusOK, struct {
		Tokens []tokenJSON `json:"tokens"`
	}{out})
}

func (h *Handler) createAccessToken(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	t, err := h.opt.Depot.CreateAccessToken(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, tokenOf(t))
}

func (h *Handler) deleteAccessToken(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || n < 0 {
		return fail(http.StatusUnprocessableEntity, "Error parsing access token.")
	}
	err = h.opt.Depot.DeleteAccessToken(r.Context(), p, n)
	if errs.Is(err, errs.NotFound) {
		return fail(http.StatusUnauthorized, "Unauthorized access.")
	}
	if err != nil {
		return err
	}
	return uncached(w, http.StatusOK)
}

func (h *Handler) userInvitations(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	is, err := h.opt.Depot.UserInvitations(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, invitationsOf(is))
}

func (h *Handler) userOrigins(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	origins, err := h.opt.Depot.UserOrigins(r.Context(), p)
	if err != nil {
		return err
	}
	type item struct {
		originJSON
		PackageCount int `json:"package_count"`
	}
	out := make([]item, 0, len(origins))
	for _, o := range origins {
		out = append(out, item{originOf(o), o.PackageCount})
	}
	return writeJSON(w, http.StatusOK, out)
}
