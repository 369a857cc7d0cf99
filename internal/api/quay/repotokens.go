package quay

import (
	"net/http"

	"wharf/internal/auth"
)

// repoTokenRoutes are Quay's retired repository access tokens. The
// routes remain, as in Quay: a repository admin learns that the feature is
// gone (410); others are refused as on any admin endpoint.
func (h *Handler) repoTokenRoutes() []route {
	const base = "repository/{repository...}/tokens/"
	return []route{
		{http.MethodGet, base, h.retiredRepoToken},
		{http.MethodPost, base, h.createRetiredRepoToken},
		{http.MethodGet, base + "{code}", h.retiredRepoToken},
		{http.MethodPut, base + "{code}", h.updateRetiredRepoToken},
		{http.MethodDelete, base + "{code}", h.retiredRepoToken},
	}
}

const (
	msgTokensGone   = "Handling of access tokens is no longer supported"
	msgTokensNoMore = "Creation of access tokens is no longer supported"
)

// retiredRepoToken answers the reads and the delete.
func (h *Handler) retiredRepoToken(_ http.ResponseWriter, r *http.Request, c *call) error {
	if _, err := h.repoFor(r, c, auth.Admin); err != nil {
		return err
	}
	return messageError(http.StatusGone, msgTokensGone)
}

// createRetiredRepoToken answers POST after checking the body as Quay
// still does: {"friendlyName": string}.
func (h *Handler) createRetiredRepoToken(_ http.ResponseWriter, r *http.Request, c *call) error {
	if _, err := h.repoFor(r, c, auth.Admin); err != nil {
		return err
	}
	var b struct {
		FriendlyName *string `json:"friendlyName"`
	}
	if err := decodeBody(r, &b); err != nil {
		return err
	}
	if b.FriendlyName == nil {
		return requestError("'friendlyName' is a required property")
	}
	return messageError(http.StatusGone, msgTokensNoMore)
}

// updateRetiredRepoToken answers PUT after checking {"role"}.
func (h *Handler) updateRetiredRepoToken(_ http.ResponseWriter, r *http.Request, c *call) error {
	if _, err := h.repoFor(r, c, auth.Admin); err != nil {
		return err
	}
	if _, err := roleBody(r); err != nil {
		return err
	}
	return messageError(http.StatusGone, msgTokensGone)
}
