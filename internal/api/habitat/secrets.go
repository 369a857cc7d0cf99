package habitat

import (
	"net/http"

	"wharf/internal/auth"
	"wharf/internal/depot"
	"wharf/internal/meta"
)

// secretRoutes registers the routes of origin secrets.
func (h *Handler) secretRoutes() {
	h.handle("GET /v1/depot/origins/{origin}/secret", "hab.secrets.list", h.listSecrets)
	h.handle("POST /v1/depot/origins/{origin}/secret", "hab.secrets.create", h.createSecret)
	h.handle("DELETE /v1/depot/origins/{origin}/secret/{secret}", "hab.secrets.delete", h.deleteSecret)
}

// secretItem is an origin secret as Builder shows it: origin_id is
// always "0", as the hab CLI expects.
type secretItem struct {
	ID       string `json:"id"`
	OriginID string `json:"origin_id"`
	Name     string `json:"name"`
	Value    string `json:"value"`
}

func newSecretItem(s meta.OriginSecret) secretItem {
	return secretItem{ID: id(s.ID), OriginID: "0", Name: s.Name, Value: s.Value}
}

func (h *Handler) listSecrets(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	secrets, err := h.opt.Depot.Secrets(r.Context(), p, r.PathValue("origin"))
	if err != nil {
		return err
	}
	out := make([]secretItem, 0, len(secrets))
	for _, s := range secrets {
		out = append(out, newSecretItem(s))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (h *Handler) createSecret(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var body struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	if err := readJSON(r, &body); err != nil {
		return err
	}
	s, err := h.opt.Depot.CreateSecret(r.Context(), p, r.PathValue("origin"), depot.SecretRequest{Name: body.Name, Value: body.Value})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, newSecretItem(s))
}

func (h *Handler) deleteSecret(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := h.opt.Depot.DeleteSecret(r.Context(), p, r.PathValue("origin"), r.PathValue("secret")); err != nil {
		return err
	}
	return uncached(w, http.StatusOK)
}
