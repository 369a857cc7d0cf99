package quay

import (
	"context"
	"net/http"

	"wharf/internal/audit"
	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// userRoutes serves the signed-in user, other users' public views and
// sign-up.
func (h *Handler) userRoutes() []route {
	return []route{
		{http.MethodGet, "user/", h.getSelf},
		{http.MethodPost, "user/", h.signUp},
		{http.MethodGet, "users/{username}", h.getUser},
	}
}

// getSelf answers GET /user/: the caller's own view. The anonymous caller
// gets Quay's 401 with session_required false.
func (h *Handler) getSelf(w http.ResponseWriter, r *http.Request, c *call) error {
	switch {
	case c.p.Anonymous():
		return &apiError{status: http.StatusUnauthorized, typ: typeInvalidToken, detail: "Requires authentication",
			extra: map[string]any{"session_required": false}}
	case !c.p.ReadsAccount():
		return forbidden()
	}
	u, err := h.caller(r.Context(), c)
	if err != nil {
		return err
	}
	view, err := h.userView(r.Context(), c, u)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, view)
}

// getUser answers GET /users/{username}: a person's view, full for
// themselves; robots and unknown names are 404.
func (h *Handler) getUser(w http.ResponseWriter, r *http.Request, c *call) error {
	u, err := h.opt.Accounts.UserNamed(r.Context(), c.vars["username"])
	if errs.Is(err, errs.NotFound) || err == nil && u.Robot {
		return messageError(http.StatusNotFound, "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.")
	}
	if err != nil {
		return err
	}
	view, err := h.userView(r.Context(), c, u)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, view)
}

// userView is Quay's view of the person u for the caller: everyone sees
// the name and avatar; the person themselves (with user:read) their
// organisations and (with user:admin) their account settings; a
// superuser learns whether u is the caller.
func (h *Handler) userView(ctx context.Context, c *call, u meta.User) (map[string]any, error) {
	self := !c.p.Anonymous() && c.p.UserID == u.ID
	admin := self && c.accountAdmin() == nil
	view := map[string]any{"anonymous": false, "username": u.Name, "avatar": userAvatar(u)}
	if admin {
		ns, err := h.opt.Accounts.Namespace(ctx, u.Name)
		if err != nil {
			return nil, err
		}
		for k, v := range map[string]any{
			"can_create_repo": true, "is_me": true, "verified": true, "email": u.Email,
			"logins": []any{}, "invoice_email": false, "invoice_email_address": nil,
			"preferred_namespace": false, "tag_expiration_s": ns.TagExpirationSecs, "prompts": []any{},
			"company": "", "family_name": nil, "given_name": nil, "location": "",
			"is_free_account": true, "has_password_set": u.PasswordHash != "",
		} {
			view[k] = v
		}
	}
	if self && c.p.ReadsAccount() {
		orgs, err := h.userOrgsView(ctx, c, u, admin)
		if err != nil {
			return nil, err
		}
		view["organizations"] = orgs
	}
	super, err := h.opt.Authorizer.Superuser(ctx, c.p)
	if err != nil {
		return nil, err
	}
	if super {
		view["super_user"] = self
	}
	return view, nil
}

// userOrgsView lists the organisations u is a member of, with what the
// caller (u) may do in each.
func (h *Handler) userOrgsView(ctx context.Context, c *call, u meta.User, admin bool) ([]map[string]any, error) {
	orgs, err := h.opt.Accounts.UserOrgs(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(orgs))
	for _, o := range orgs {
		role, err := h.opt.Authorizer.RoleIn(ctx, c.p, o)
		if err != nil {
			return nil, err
		}
		v := map[string]any{"name": o.Name, "avatar": avatar(o.Name, "org", o.Email),
			"can_create_repo": role >= auth.CreatorRole, "public": false}
		if admin {
			v["is_org_admin"] = role >= auth.AdminRole
			v["preferred_namespace"] = false
		}
		out = append(out, v)
	}
	return out, nil
}

// signUp answers POST /user/ when sign-up is on: a new account, answered
// with its own view. With sign-up off the endpoint does not exist.
func (h *Handler) signUp(w http.ResponseWriter, r *http.Request, c *call) error {
	if !h.opt.SignUp {
		return notFound()
	}
	var body struct {
		Username *string `json:"username"`
		Password *string `json:"password"`
		Email    *string `json:"email"`
	}
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	switch {
	case body.Username == nil:
		return requestError("'username' is a required property")
	case body.Password == nil:
		return requestError("'password' is a required property")
	case body.Email == nil || *body.Email == "":
		return requestError("Email address is required")
	}
	if err := auth.ValidNewPassword(*body.Password); err != nil {
		return err
	}
	if _, err := h.opt.Accounts.UserNamed(r.Context(), *body.Username); err == nil {
		return requestError("The username already exists")
	} else if !errs.Is(err, errs.NotFound) {
		return err
	}
	u, err := h.opt.Accounts.CreateUser(r.Context(), auth.CreateUserRequest{
		Name: *body.Username, Email: *body.Email, Password: *body.Password,
	})
	if err != nil {
		return err
	}
	// The new account is who signed up: it performs its own creation.
	self := &call{p: auth.Principal{UserID: u.ID, Name: u.Name}, vars: c.vars, ip: c.ip}
	h.record(r, self, audit.Entry{Kind: "user_create", NamespaceID: u.NamespaceID,
		Metadata: map[string]any{"username": u.Name, "email": u.Email}})
	view, err := h.userView(r.Context(), self, u)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, view)
}
