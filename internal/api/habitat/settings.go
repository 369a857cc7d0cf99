package habitat

import (
	"net/http"

	"wharf/internal/auth"
	"wharf/internal/errs"
)

// settingsRoutes registers the routes of package settings. The list of
// an origin's packages by their settings is a package route.
func (h *Handler) settingsRoutes() {
	h.handle("GET /v1/settings/{origin}/{name}", "hab.settings.get", h.getSettings)
	h.handle("POST /v1/settings/{origin}/{name}", "hab.settings.create", h.createSettings)
	h.handle("PUT /v1/settings/{origin}/{name}", "hab.settings.update", h.updateSettings)
	h.handle("DELETE /v1/settings/{origin}/{name}", "hab.settings.delete", h.deleteSettings)
}

func (h *Handler) getSettings(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	s, err := h.opt.Depot.PackageSettings(r.Context(), p, r.PathValue("origin"), r.PathValue("name"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, packageSettingsOf(s))
}

func (h *Handler) createSettings(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	s, err := h.opt.Depot.CreatePackageSettings(r.Context(), p, r.PathValue("origin"), r.PathValue("name"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, packageSettingsOf(s))
}

// updateSettings answers 422 for a missing visibility and 400 for an
// unknown one, as Builder does.
func (h *Handler) updateSettings(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var body struct {
		Visibility string `json:"visibility"`
	}
	if err := readJSON(r, &body); err != nil {
		return err
	}
	s, err := h.opt.Depot.UpdatePackageSettings(r.Context(), p, r.PathValue("origin"), r.PathValue("name"), body.Visibility)
	if err != nil {
		if body.Visibility != "" {
			err = remap(err, errs.Invalid, http.StatusBadRequest)
		}
		return err
	}
	return writeJSON(w, http.StatusOK, packageSettingsOf(s))
}

func (h *Handler) deleteSettings(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := h.opt.Depot.DeletePackageSettings(r.Context(), p, r.PathValue("origin"), r.PathValue("name")); err != nil {
		return err
	}
	return uncached(w, http.StatusNoContent)
}
