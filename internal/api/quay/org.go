package quay

import (
	"encoding/json"
	"net/http"

	"wharf/internal/audit"
	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// orgRoutes serves organisations, their members and collaborators.
func (h *Handler) orgRoutes() []route {
	return []route{
		{http.MethodPost, "organization/", h.createOrg},
		{http.MethodGet, "organization/{orgname}", h.getOrg},
		{http.MethodPut, "organization/{orgname}", h.updateOrg},
		{http.MethodDelete, "organization/{orgname}", h.deleteOrg},
		{http.MethodGet, "organization/{orgname}/members", h.listOrgMembers},
		{http.MethodGet, "organization/{orgname}/members/{membername}", h.getOrgMember},
		{http.MethodDelete, "organization/{orgname}/members/{membername}", h.removeOrgMember},
		{http.MethodGet, "organization/{orgname}/collaborators", h.listCollaborators},
	}
}

// createOrg answers POST /organization/: 201 with the JSON string
// "Created"; the creator is put in the team owners.
func (h *Handler) createOrg(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := c.accountAdmin(); err != nil {
		return err
	}
	if _, err := h.caller(r.Context(), c); err != nil {
		return err
	}
	var body struct {
		Name  *string `json:"name"`
		Email *string `json:"email"`
	}
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	if body.Name == nil {
		return requestError("'name' is a required property")
	}
	req := auth.CreateOrgRequest{Name: *body.Name, Creator: c.p}
	if body.Email != nil {
		req.Email = *body.Email
	}
	ns, err := h.opt.Accounts.CreateOrg(r.Context(), req)
	if err != nil {
		return err
	}
	h.record(r, c, audit.Entry{Kind: "org_create", NamespaceID: ns.ID,
		Metadata: map[string]any{"email": nullable(ns.Email), "namespace": ns.Name}})
	return writeJSON(w, http.StatusCreated, "Created")
}

// getOrg answers GET /organization/{orgname} for anyone, with as much as
// the caller's role shows.
func (h *Handler) getOrg(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, err := h.opt.Accounts.Org(r.Context(), c.vars["orgname"])
	if err != nil {
		return err
	}
	role, err := h.opt.Authorizer.RoleIn(r.Context(), c.p, ns)
	if err != nil {
		return err
	}
	view, err := h.orgView(r.Context(), c, ns, role)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, view)
}

// updateOrg answers PUT /organization/{orgname}: e-mail, invoicing and
// tag expiration settings, each logged when given.
func (h *Handler) updateOrg(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, err := h.orgAdmin(r.Context(), c, c.vars["orgname"])
	if err != nil {
		return err
	}
	var body map[string]json.RawMessage
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	was := ns
	var logs []audit.Entry
	add := func(kind string, md map[string]any) {
		md["namespace"] = ns.Name
		logs = append(logs, audit.Entry{Kind: kind, NamespaceID: ns.ID, Metadata: md})
	}
	if raw, ok := body["invoice_email"]; ok {
		if err := decodeField(raw, "invoice_email", &ns.InvoiceEmail); err != nil {
			return err
		}
		add("org_change_invoicing", map[string]any{"invoice_email": ns.InvoiceEmail})
	}
	if raw, ok := body["invoice_email_address"]; ok {
		if err := decodeNullString(raw, "invoice_email_address", &ns.InvoiceEmailAddress); err != nil {
			return err
		}
		if ns.InvoiceEmailAddress != was.InvoiceEmailAddress {
			add("org_change_invoicing", map[string]any{"invoice_email_address": nullable(ns.InvoiceEmailAddress)})
		}
	}
	if raw, ok := body["email"]; ok {
		if err := decodeNullString(raw, "email", &ns.Email); err != nil {
			return err
		}
		if ns.Email != was.Email {
			add("org_change_email", map[string]any{"email": ns.Email, "old_email": was.Email})
		}
	}
	if raw, ok := body["tag_expiration_s"]; ok {
		if err := decodeField(raw, "tag_expiration_s", &ns.TagExpirationSecs); err != nil {
			return err
		}
		if ns.TagExpirationSecs < 0 {
			return requestError("tag_expiration_s must be at least 0")
		}
		add("org_change_tag_expiration", map[string]any{"tag_expiration": ns.TagExpirationSecs})
	}
	if err := h.opt.Accounts.UpdateOrg(r.Context(), ns); err != nil {
		return err
	}
	for _, e := range logs {
		h.record(r, c, e)
	}
	view, err := h.orgView(r.Context(), c, ns, auth.AdminRole)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, view)
}

// decodeField decodes one field of a JSON object; a wrong type is 400.
func decodeField(raw json.RawMessage, name string, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return requestError(name + " has the wrong type")
	}
	return nil
}

// decodeNullString decodes a string field that may be null (stored as "").
func decodeNullString(raw json.RawMessage, name string, s *string) error {
	var v *string
	if err := decodeField(raw, name, &v); err != nil {
		return err
	}
	*s = ""
	if v != nil {
		*s = *v
	}
	return nil
}

// deleteOrg answers DELETE /organization/{orgname}: its repositories go
// first, then the organisation with its teams, robots, default
// permissions and applications. An organisation that is a Habitat origin
// with an owner is deleted only by that owner or a superuser (403 for
// other admins), and not while it holds Habitat packages (400); both are
// checked before anything goes.
func (h *Handler) deleteOrg(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, err := h.orgAdmin(r.Context(), c, c.vars["orgname"])
	if err != nil {
		return err
	}
	if err := h.opt.Accounts.CheckOrgDelete(r.Context(), ns, c.p); err != nil {
		return asMessage(err)
	}
	// A repository created while the first pass runs makes the namespace
	// busy; a second pass deletes it too.
	for attempt := 0; ; attempt++ {
		if err := h.opt.Artifacts.DeleteNamespaceRepos(r.Context(), ns.ID); err != nil {
			return err
		}
		err = h.opt.Accounts.DeleteOrg(r.Context(), ns, c.p)
		if !errs.Is(err, errs.Conflict) || attempt == 1 {
			break
		}
	}
	if err != nil {
		return asMessage(err)
	}
	h.record(r, c, audit.Entry{Kind: "org_delete", NamespaceID: ns.ID, Metadata: map[string]any{"namespace": ns.Name}})
	return writeJSON(w, http.StatusNoContent, nil)
}

// orgRepos returns every repository of an organisation.
func (h *Handler) orgRepos(r *http.Request, ns meta.Namespace) ([]meta.Repository, error) {
	return h.opt.Artifacts.NamespaceRepos(r.Context(), ns.ID)
}
