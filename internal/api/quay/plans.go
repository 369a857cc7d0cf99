package quay

import (
	"math"
	"net/http"
)

// planRoutes serves the plans of the install.
func (h *Handler) planRoutes() []route {
	return []route{{http.MethodGet, "plans/", h.listPlans}}
}

// listPlans answers GET /plans/ for anyone. A self-hosted install has one
// free plan without limits; Quay answers 404 when billing is off, but
// clients that list plans then find one that allows everything.
func (h *Handler) listPlans(w http.ResponseWriter, _ *http.Request, _ *call) error {
	return writeJSON(w, http.StatusOK, map[string]any{"plans": []map[string]any{{
		"title":             "Self-hosted",
		"price":             0,
		"privateRepos":      math.MaxInt32,
		"stripeId":          "self-hosted",
		"audience":          "Everyone on this install",
		"bus_features":      true,
		"deprecated":        false,
		"free_trial_days":   0,
		"superseded_by":     nil,
		"plans_page_hidden": false,
	}}})
}
