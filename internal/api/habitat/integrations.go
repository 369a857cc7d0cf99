package habitat

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"wharf/internal/auth"
	"wharf/internal/depot"
	"wharf/internal/errs"
)

// integrationRoutes registers the routes of origin integrations.
func (h *Handler) integrationRoutes() {
	h.handle("GET /v1/depot/origins/{origin}/integrations", "hab.integrations.list", h.listIntegrations)
	h.handle("GET /v1/depot/origins/{origin}/integrations/{integration}/names", "hab.integrations.names", h.integrationNames)
	h.handle("GET /v1/depot/origins/{origin}/integrations/{integration}/{name}", "hab.integrations.get", h.getIntegration)
	h.handle("PUT /v1/depot/origins/{origin}/integrations/{integration}/{name}", "hab.integrations.put", h.putIntegration)
	h.handle("DELETE /v1/depot/origins/{origin}/integrations/{integration}/{name}", "hab.integrations.delete", h.deleteIntegration)
	h.handle("POST /v1/ext/integrations/{registry_type}/credentials/validate", "hab.integrations.validate", signedIn(h.validateCredentials))
}

func (h *Handler) listIntegrations(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	all, err := h.opt.Depot.Integrations(r.Context(), p, r.PathValue("origin"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, all)
}

func (h *Handler) integrationNames(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	names, err := h.opt.Depot.IntegrationNames(r.Context(), p, r.PathValue("origin"), r.PathValue("integration"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		Names []string `json:"names"`
	}{names})
}

func (h *Handler) getIntegration(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	origin, kind, name := r.PathValue("origin"), r.PathValue("integration"), r.PathValue("name")
	body, err := h.opt.Depot.Integration(r.Context(), p, origin, kind, name)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		Origin      string                     `json:"origin"`
		Integration string                     `json:"integration"`
		Name        string                     `json:"name"`
		Body        map[string]json.RawMessage `json:"body"`
	}{origin, kind, name, body})
}

// maxIntegrationBody bounds the body of an integration.
const maxIntegrationBody = 64 << 10

func (h *Handler) putIntegration(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxIntegrationBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return fail(http.StatusRequestEntityTooLarge, "integration too large")
	case err != nil || !json.Valid(body):
		return fail(http.StatusBadRequest, "malformed JSON body")
	}
	origin, kind, name := r.PathValue("origin"), r.PathValue("integration"), r.PathValue("name")
	if err := h.opt.Depot.PutIntegration(r.Context(), p, origin, kind, name, body); err != nil {
		return err
	}
	return uncached(w, http.StatusCreated)
}

func (h *Handler) deleteIntegration(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	origin, kind, name := r.PathValue("origin"), r.PathValue("integration"), r.PathValue("name")
	if err := h.opt.Depot.DeleteIntegration(r.Context(), p, origin, kind, name); err != nil {
		return err
	}
	return uncached(w, http.StatusNoContent)
}

// sameHost reports whether two URLs name the same scheme, host and port.
func sameHost(a, b string) bool {
	ua, err := url.Parse(a)
	if err != nil {
		return false
	}
	ub, err := url.Parse(b)
	return err == nil && ua.Scheme == ub.Scheme && strings.EqualFold(ua.Host, ub.Host)
}

// defaultRegistryURL is where "docker" credentials are checked when the
// front names no registry of its own.
const defaultRegistryURL = "https://registry-1.docker.io/v2/"

// validateCredentials checks registry credentials: 200 when the registry
// takes them, 400 when they are missing or refused, 403 when the
// registry cannot be reached. A request without "url" checks "docker"
// credentials against Options.RegistryURL.
func (h *Handler) validateCredentials(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var body struct {
		Username string `json:"username"`
		Password string `json:"password"`
		URL      string `json:"url"`
	}
	if err := readJSON(r, &body); err != nil {
		return err
	}
	if body.Username == "" || body.Password == "" {
		return fail(http.StatusBadRequest, "Missing username or password")
	}
	configured := h.opt.RegistryURL
	if configured == "" {
		configured = defaultRegistryURL
	}
	if body.URL == "" {
		if r.PathValue("registry_type") != "docker" {
			return fail(http.StatusBadRequest, "Missing registry url")
		}
		body.URL = configured
	}
	err := h.opt.Depot.ValidateRegistryCredentials(r.Context(), p, depot.RegistryCredentials{
		URL: body.URL, Username: body.Username, Password: body.Password,
		// The configured registry may be on the server's own network;
		// one the caller names may not.
		Internal: sameHost(body.URL, configured),
	})
	if err != nil {
		return remap(remap(err, errs.Invalid, http.StatusBadRequest), errs.Unavailable, http.StatusForbidden)
	}
	return uncached(w, http.StatusOK)
}
