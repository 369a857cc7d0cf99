package auth

import (
	"context"

	"wharf/internal/meta"
)

// GrantNamespace is the grant type that stands for a namespace's
// administration. Only global grants cover it: a credential restricted to
// repositories administers no namespace.
const GrantNamespace = "namespace"

// Superuser reports whether p may use superuser powers now: the user is a
// superuser as stored (not as when the credential was checked), is
// enabled, an OAuth token carries super:user, and a restricted credential
// has a global grant of every action. It returns an error only when the
// store fails.
func (a *Authorizer) Superuser(ctx context.Context, p Principal) (bool, error) {
	if p.Anonymous() || !p.PermitsResource(GrantNamespace, "", Admin) {
		return false, nil
	}
	u, ok, err := a.user(ctx, p)
	if err != nil || !ok || u == nil {
		return false, err
	}
	return superuserAs(p, *u), nil
}

// superuserAs reports whether p may use superuser powers given u, its
// user's record as stored now: see Authorizer.Superuser.
func superuserAs(p Principal, u meta.User) bool {
	return !p.Anonymous() && p.PermitsResource(GrantNamespace, "", Admin) && u.ID == p.UserID &&
		u.Superuser && !u.Disabled && !u.Robot && (p.Caps == nil || p.Caps.Super)
}
