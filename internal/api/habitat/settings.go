package habitat

import (
	"net/http"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// settingsRoutes registers the routes of package settings and the list of
// an origin's packages by their settings.
func (h *Handler) settingsRoutes() {
	h.handle("GET /v1/settings/{origin}/{name}", "hab.settings.get", h.getSettings)
	h.handle("POST /v1/settings/{origin}/{name}", "hab.settings.create", h.createSettings)
	h.handle("PUT /v1/settings/{origin}/{name}", "hab.settings.update", h.updateSettings)
	h.handle("DELETE /v1/settings/{origin}/{name}", "hab.settings.delete", h.deleteSettings)
	// /v1/depot/{origin}/pkgs would clash with the routes under
	// /v1/depot/pkgs/, /v1/depot/channels/ and /v1/depot/origins/, which
	// it overlaps without being more or less specific; this pattern is
	// less specific than all of them.
	h.handle("GET /v1/depot/{origin}/{rest...}", "hab.settings.list", h.listSettings)
}

// settingsJSON is package settings as Builder shows them.
type settingsJSON struct {
	ID         string `json:"id"`
	Origin     string `json:"origin"`
	Name       string `json:"name"`
	Visibility string `json:"visibility"`
	OwnerID    string `json:"owner_id"`
	Hidden     bool   `json:"hidden"`
	Created    string `json:"created_at"`
	Updated    string `json:"updated_at"`
}

func newSettingsJSON(s meta.PackageSettings) settingsJSON {
	return settingsJSON{ID: id(s.RepoID), Origin: s.Origin, Name: s.Name, Visibility: s.Visibility,
		OwnerID: id(s.OwnerID), Created: stamp(s.Created), Updated: stamp(s.Updated)}
}

func (h *Handler) getSettings(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	s, err := h.opt.Depot.PackageSettings(r.Context(), p, r.PathValue("origin"), r.PathValue("name"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newSettingsJSON(s))
}

func (h *Handler) createSettings(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	s, err := h.opt.Depot.CreatePackageSettings(r.Context(), p, r.PathValue("origin"), r.PathValue("name"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, newSettingsJSON(s))
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
	return writeJSON(w, http.StatusOK, newSettingsJSON(s))
}

func (h *Handler) deleteSettings(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := h.opt.Depot.DeletePackageSettings(r.Context(), p, r.PathValue("origin"), r.PathValue("name")); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", noCache)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listSettings answers GET /v1/depot/{origin}/pkgs: the settings of the
// origin's packages the caller may see, a page of 50 from range rounded
// down to a multiple of 50.
func (h *Handler) listSettings(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if r.PathValue("rest") != "pkgs" {
		return fail(http.StatusNotFound, "")
	}
	start, err := rangeParam(r)
	if err != nil {
		return err
	}
	start = max(start, 0) / pageSize * pageSize
	page, err := h.opt.Depot.ListPackageSettings(r.Context(), p, r.PathValue("origin"), start, pageSize)
	if err != nil {
		return err
	}
	out := make([]settingsJSON, 0, len(page.Items))
	for _, s := range page.Items {
		out = append(out, newSettingsJSON(s))
	}
	return writePage(w, start, len(out), page.Total, out)
}
