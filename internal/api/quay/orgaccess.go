package quay

import (
	"context"
	"net/http"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// orgRole returns the organisation named name and the caller's role in
// it. Permission comes before existence: when the caller lacks want, the
// answer is 401 or 403 whether or not the organisation exists; only a
// caller who would have the role (a superuser for a missing name, the
// owner of a person's namespace) learns that it is missing.
func (h *Handler) orgRole(ctx context.Context, c *call, name string, want auth.NamespaceRole) (meta.Namespace, auth.NamespaceRole, error) {
	ns, err := h.opt.Accounts.Namespace(ctx, name)
	if errs.Is(err, errs.NotFound) {
		super, err := h.opt.Authorizer.Superuser(ctx, c.p)
		if err != nil {
			return meta.Namespace{}, auth.NoRole, err
		}
		if super {
			return meta.Namespace{}, auth.NoRole, notFound()
		}
		return meta.Namespace{}, auth.NoRole, c.denied()
	}
	if err != nil {
		return meta.Namespace{}, auth.NoRole, err
	}
	role, err := h.opt.Authorizer.RoleIn(ctx, c.p, ns)
	if err != nil {
		return meta.Namespace{}, auth.NoRole, err
	}
	if role < want {
		return meta.Namespace{}, role, c.denied()
	}
	if ns.Kind != meta.KindOrg {
		return meta.Namespace{}, role, notFound()
	}
	return ns, role, nil
}

// orgAdmin returns the organisation named name when the caller
// administers it; see orgRole.
func (h *Handler) orgAdmin(ctx context.Context, c *call, name string) (meta.Namespace, error) {
	ns, _, err := h.orgRole(ctx, c, name, auth.AdminRole)
	return ns, err
}

// accountAdmin refuses callers who may not act for their own account as a
// whole (auth.Principal.AdministersAccount), as Quay's user:admin
// endpoints do: 401 for the anonymous caller, 403 for the others.
func (c *call) accountAdmin() error {
	if !c.p.AdministersAccount() {
		return c.denied()
	}
	return nil
}

// caller returns the signed-in person's account as stored now. A
// password check is cached for a minute; the account is not, so a
// disabled or deleted account is refused here with 401.
func (h *Handler) caller(ctx context.Context, c *call) (meta.User, error) {
	u, err := h.opt.Accounts.UserWithID(ctx, c.p.UserID)
	if errs.Is(err, errs.NotFound) || err == nil && u.Disabled {
		return meta.User{}, unauthorized()
	}
	return u, err
}

// superuser refuses callers who may not use superuser powers: 401 for the
// anonymous caller, 403 for everyone else.
func (h *Handler) superuser(ctx context.Context, c *call) error {
	ok, err := h.opt.Authorizer.Superuser(ctx, c.p)
	if err != nil {
		return err
	}
	if !ok {
		return c.denied()
	}
	return nil
}

// asMessage answers a refusal of the service, such as a conflict with
// the state of a team, in Quay's {"message": …} shape with status 400.
// Other errors pass.
func asMessage(err error) error {
	switch errs.KindOf(err) {
	case errs.Invalid, errs.Exists, errs.Conflict:
		return messageError(http.StatusBadRequest, errs.Message(err))
	}
	return err
}
