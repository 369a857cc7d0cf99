package quay

import (
	"crypto/rand"
	"net/http"

	"wharf/internal/audit"
	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// superuserRoutes serves the superuser's management of accounts and
// organisations.
func (h *Handler) superuserRoutes() []route {
	return []route{
		{http.MethodGet, "superuser/users/", h.superListUsers},
		{http.MethodPost, "superuser/users/", h.superCreateUser},
		{http.MethodGet, "superuser/users/{username}", h.superGetUser},
		{http.MethodPut, "superuser/users/{username}", h.superUpdateUser},
		{http.MethodDelete, "superuser/users/{username}", h.superDeleteUser},
		{http.MethodGet, "superuser/organizations/", h.superListOrgs},
	}
}

// superUserView is a person's account as the superuser sees it.
func superUserView(u meta.User) map[string]any {
	return map[string]any{
		"kind": "user", "name": u.Name, "username": u.Name, "email": u.Email, "verified": true,
		"avatar": userAvatar(u), "super_user": u.Superuser, "enabled": !u.Disabled,
	}
}

// superListUsers answers GET /superuser/users/: every person's account;
// disabled=false leaves disabled ones out.
func (h *Handler) superListUsers(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := h.superuser(r.Context(), c); err != nil {
		return err
	}
	withDisabled := truthy(r, "disabled", true)
	out := []map[string]any{}
	for after := ""; ; {
		us, err := h.opt.Accounts.People(r.Context(), after, 500)
		if err != nil {
			return err
		}
		for _, u := range us {
			if withDisabled || !u.Disabled {
				out = append(out, superUserView(u))
			}
		}
		if len(us) < 500 {
			break
		}
		after = us[len(us)-1].Name
	}
	return writeJSON(w, http.StatusOK, map[string]any{"users": out})
}

// superListOrgs answers GET /superuser/organizations/.
func (h *Handler) superListOrgs(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := h.superuser(r.Context(), c); err != nil {
		return err
	}
	out := []map[string]any{}
	for after := ""; ; {
		ns, err := h.opt.Accounts.Orgs(r.Context(), after, 500)
		if err != nil {
			return err
		}
		for _, o := range ns {
			out = append(out, map[string]any{"name": o.Name, "email": o.Email, "avatar": avatar(o.Name, "org", o.Email)})
		}
		if len(ns) < 500 {
			break
		}
		after = ns[len(ns)-1].Name
	}
	return writeJSON(w, http.StatusOK, map[string]any{"organizations": out})
}

// superCreateUser answers POST /superuser/users/: a new account with a
// generated password, shown once.
func (h *Handler) superCreateUser(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := h.superuser(r.Context(), c); err != nil {
		return err
	}
	var body struct {
		Username *string `json:"username"`
		Email    *string `json:"email"`
	}
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	switch {
	case body.Username == nil:
		return requestError("'username' is a required property")
	case body.Email == nil || *body.Email == "":
		return requestError("Email address is required")
	}
	pw := rand.Text() // 26 characters of base32, 130 bits
	u, err := h.opt.Accounts.CreateUser(r.Context(), auth.CreateUserRequest{Name: *body.Username, Email: *body.Email, Password: pw})
	if err != nil {
		return err
	}
	h.record(r, c, audit.Entry{Kind: "user_create", NamespaceID: u.NamespaceID,
		Metadata: map[string]any{"username": u.Name, "email": u.Email}})
	return writeJSON(w, http.StatusOK, map[string]any{"username": u.Name, "email": u.Email, "password": pw})
}

// superTarget returns the person named in the path; robots and unknown
// names are 404.
func (h *Handler) superTarget(r *http.Request, c *call) (meta.User, error) {
	if err := h.superuser(r.Context(), c); err != nil {
		return meta.User{}, err
	}
	u, err := h.opt.Accounts.UserNamed(r.Context(), c.vars["username"])
	if errs.Is(err, errs.NotFound) || err == nil && u.Robot {
		return meta.User{}, notFound()
	}
	return u, err
}

// superGetUser answers GET /superuser/users/{username}.
func (h *Handler) superGetUser(w http.ResponseWriter, r *http.Request, c *call) error {
	u, err := h.superTarget(r, c)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, superUserView(u))
}

// superUpdateUser answers PUT /superuser/users/{username}: password,
// e-mail address, enabled and superuser flags. Superusers cannot be
// changed this way.
func (h *Handler) superUpdateUser(w http.ResponseWriter, r *http.Request, c *call) error {
	u, err := h.superTarget(r, c)
	if err != nil {
		return err
	}
	var body struct {
		Password  *string `json:"password"`
		Email     *string `json:"email"`
		Enabled   *bool   `json:"enabled"`
		Superuser *bool   `json:"superuser"`
	}
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	if u.Superuser {
		return requestError("Cannot update a superuser")
	}
	nu, err := h.opt.Accounts.UpdateAccount(r.Context(), u.Name, auth.AccountChanges{
		Password: body.Password, Email: body.Email, Enabled: body.Enabled, Superuser: body.Superuser,
	})
	if err != nil {
		return err
	}
	log := func(kind string, md map[string]any) {
		md["username"] = u.Name
		h.record(r, c, audit.Entry{Kind: kind, NamespaceID: u.NamespaceID, Metadata: md})
	}
	if body.Password != nil {
		log("user_change_password", map[string]any{})
	}
	if body.Email != nil && nu.Email != u.Email {
		log("user_change_email", map[string]any{"email": nu.Email, "old_email": u.Email})
	}
	if body.Enabled != nil && nu.Disabled != u.Disabled {
		if nu.Disabled {
			log("user_disable", map[string]any{})
		} else {
			log("user_enable", map[string]any{})
		}
	}
	if body.Superuser != nil && nu.Superuser != u.Superuser {
		log("user_change_metadata", map[string]any{"super_user": nu.Superuser})
	}
	return writeJSON(w, http.StatusOK, superUserView(nu))
}

// superDeleteUser answers DELETE /superuser/users/{username}: the
// person's repositories go first, then their account and namespace.
// Superusers cannot be deleted this way, nor, with 400 naming the
// origins, the owner of Habitat origins, checked before anything goes.
func (h *Handler) superDeleteUser(w http.ResponseWriter, r *http.Request, c *call) error {
	u, err := h.superTarget(r, c)
	if err != nil {
		return err
	}
	if u.Superuser {
		return requestError("Cannot delete a superuser")
	}
	if err := h.opt.Accounts.CheckAccountDelete(r.Context(), u.Name); err != nil {
		return asMessage(err)
	}
	for attempt := 0; ; attempt++ {
		if err := h.opt.Artifacts.DeleteNamespaceRepos(r.Context(), u.NamespaceID); err != nil {
			return err
		}
		err = h.opt.Accounts.DeleteAccount(r.Context(), u.Name)
		if !errs.Is(err, errs.Conflict) || attempt == 1 {
			break
		}
	}
	if err != nil {
		return asMessage(err)
	}
	h.record(r, c, audit.Entry{Kind: "user_delete", NamespaceID: u.NamespaceID, Metadata: map[string]any{"username": u.Name}})
	return writeJSON(w, http.StatusNoContent, nil)
}
