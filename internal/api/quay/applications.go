package quay

import (
	"context"
	"net/http"

	"wharf/internal/audit"
	"wharf/internal/auth"
	"wharf/internal/meta"
)

// applicationRoutes serves the OAuth applications of organisations.
func (h *Handler) applicationRoutes() []route {
	const app = "organization/{orgname}/applications/{client_id}"
	return []route{
		{http.MethodGet, "organization/{orgname}/applications", h.listApps},
		{http.MethodPost, "organization/{orgname}/applications", h.createApp},
		{http.MethodGet, app, h.getApp},
		{http.MethodPut, app, h.updateApp},
		{http.MethodDelete, app, h.deleteApp},
		{http.MethodPost, app + "/resetclientsecret", h.resetAppSecret},
		{http.MethodGet, app + "/tokens", h.listAppTokens},
		{http.MethodPost, app + "/tokens", h.createAppToken},
		{http.MethodDelete, app + "/tokens/{token_uuid}", h.revokeAppToken},
		{http.MethodGet, "app/{client_id}", h.publicApp},
	}
}

// orgApp returns the organisation and one of its applications for an
// admin of the organisation.
func (h *Handler) orgApp(ctx context.Context, c *call) (meta.Namespace, meta.App, error) {
	org, err := h.orgAdmin(ctx, c, c.vars["orgname"])
	if err != nil {
		return meta.Namespace{}, meta.App{}, err
	}
	a, err := h.opt.Accounts.OrgApp(ctx, org, c.vars["client_id"])
	return org, a, err
}

// appView is Quay's view of an application for its organisation's
// admins, secret included.
func (h *Handler) appView(a meta.App) (map[string]any, error) {
	secret, err := h.opt.Accounts.AppSecret(a)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"name":            a.Name,
		"description":     a.Description,
		"application_uri": a.ApplicationURI,
		"client_id":       a.ClientID,
		"client_secret":   secret,
		"redirect_uri":    a.RedirectURI,
		"avatar_email":    a.AvatarEmail,
	}, nil
}

// appBody is the JSON body of application creates and updates.
type appBody struct {
	Name           *string `json:"name"`
	Description    *string `json:"description"`
	ApplicationURI *string `json:"application_uri"`
	RedirectURI    *string `json:"redirect_uri"`
	AvatarEmail    *string `json:"avatar_email"`
}

// request turns the body into the service's request, starting from old;
// required names the properties that must be present.
func (b appBody) request(old auth.AppRequest, required ...string) (auth.AppRequest, error) {
	fields := map[string]**string{"name": &b.Name, "description": &b.Description,
		"application_uri": &b.ApplicationURI, "redirect_uri": &b.RedirectURI, "avatar_email": &b.AvatarEmail}
	for _, k := range required {
		if *fields[k] == nil {
			return auth.AppRequest{}, requestError("'" + k + "' is a required property")
		}
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	req := old
	set(&req.Name, b.Name)
	set(&req.Description, b.Description)
	set(&req.ApplicationURI, b.ApplicationURI)
	set(&req.RedirectURI, b.RedirectURI)
	set(&req.AvatarEmail, b.AvatarEmail)
	return req, nil
}

// appLog is the usage-log entry of an action on an application.
func appLog(kind string, org meta.Namespace, a meta.App) audit.Entry {
	return audit.Entry{Kind: kind, NamespaceID: org.ID,
		Metadata: map[string]any{"application_name": a.Name, "client_id": a.ClientID}}
}

// listApps answers GET /organization/{orgname}/applications.
func (h *Handler) listApps(w http.ResponseWriter, r *http.Request, c *call) error {
	org, err := h.orgAdmin(r.Context(), c, c.vars["orgname"])
	if err != nil {
		return err
	}
	apps, err := h.opt.Accounts.ListApps(r.Context(), org)
	if err != nil {
		return err
	}
	views := make([]map[string]any, 0, len(apps))
	for _, a := range apps {
		v, err := h.appView(a)
		if err != nil {
			return err
		}
		views = append(views, v)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"applications": views})
}

// createApp answers POST /organization/{orgname}/applications: 200 with
// the application, as Quay does.
func (h *Handler) createApp(w http.ResponseWriter, r *http.Request, c *call) error {
	org, err := h.orgAdmin(r.Context(), c, c.vars["orgname"])
	if err != nil {
		return err
	}
	var body appBody
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	req, err := body.request(auth.AppRequest{}, "name")
	if err != nil {
		return err
	}
	a, err := h.opt.Accounts.CreateApp(r.Context(), org, req)
	if err != nil {
		return err
	}
	h.record(r, c, appLog("create_application", org, a))
	return h.writeApp(w, a)
}

func (h *Handler) writeApp(w http.ResponseWriter, a meta.App) error {
	v, err := h.appView(a)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

// getApp answers GET /organization/{orgname}/applications/{client_id}.
func (h *Handler) getApp(w http.ResponseWriter, r *http.Request, c *call) error {
	_, a, err := h.orgApp(r.Context(), c)
	if err != nil {
		return err
	}
	return h.writeApp(w, a)
}

// updateApp answers PUT /organization/{orgname}/applications/{client_id}.
func (h *Handler) updateApp(w http.ResponseWriter, r *http.Request, c *call) error {
	org, a, err := h.orgApp(r.Context(), c)
	if err != nil {
		return err
	}
	var body appBody
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	old := auth.AppRequest{Name: a.Name, Description: a.Description, ApplicationURI: a.ApplicationURI,
		RedirectURI: a.RedirectURI, AvatarEmail: a.AvatarEmail}
	req, err := body.request(old, "name", "redirect_uri", "application_uri")
	if err != nil {
		return err
	}
	if a, err = h.opt.Accounts.UpdateApp(r.Context(), a, req); err != nil {
		return err
	}
	h.record(r, c, appLog("update_application", org, a))
	return h.writeApp(w, a)
}

// deleteApp answers DELETE /organization/{orgname}/applications/{client_id}.
func (h *Handler) deleteApp(w http.ResponseWriter, r *http.Request, c *call) error {
	org, a, err := h.orgApp(r.Context(), c)
	if err != nil {
		return err
	}
	if err := h.opt.Accounts.DeleteApp(r.Context(), a); err != nil {
		return err
	}
	h.record(r, c, appLog("delete_application", org, a))
	return writeJSON(w, http.StatusNoContent, nil)
}

// resetAppSecret answers POST …/applications/{client_id}/resetclientsecret.
func (h *Handler) resetAppSecret(w http.ResponseWriter, r *http.Request, c *call) error {
	org, a, err := h.orgApp(r.Context(), c)
	if err != nil {
		return err
	}
	if a, err = h.opt.Accounts.ResetAppSecret(r.Context(), a); err != nil {
		return err
	}
	h.record(r, c, appLog("reset_application_client_secret", org, a))
	return h.writeApp(w, a)
}

// publicApp answers GET /app/{client_id}: what anyone may know of an
// application, shown on the consent page.
func (h *Handler) publicApp(w http.ResponseWriter, r *http.Request, c *call) error {
	a, err := h.opt.Accounts.App(r.Context(), c.vars["client_id"])
	if err != nil {
		return err
	}
	org, err := h.opt.Accounts.AppOrg(r.Context(), a)
	if err != nil {
		return err
	}
	role, err := h.opt.Authorizer.RoleIn(r.Context(), c.p, org)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"name":         a.Name,
		"description":  a.Description,
		"uri":          a.ApplicationURI,
		"avatar":       avatar(a.Name, "app", a.AvatarEmail),
		"organization": appOrgView(org, role),
	})
}

// appOrgView is the short organisation view of GET /app/{client_id}:
// the e-mail address only for its admins.
func appOrgView(org meta.Namespace, role auth.NamespaceRole) map[string]any {
	email := ""
	if role == auth.AdminRole {
		email = org.Email
	}
	return map[string]any{
		"name":      org.Name,
		"email":     email,
		"avatar":    avatar(org.Name, "org", org.Email),
		"is_admin":  role == auth.AdminRole,
		"is_member": role != auth.NoRole,
	}
}
