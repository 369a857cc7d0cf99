package auth

import "wharf/internal/meta"

// Principal is who a request acts as. The zero value is the anonymous
// caller.
//
// UserID and Name identify the user; Superuser is the user's flag as known
// when the credential was checked (Authorizer.Can rereads it). When
// Restricted is set the credential limits the user to Grants: an action is
// allowed only when a grant covers it and the user's own rights allow it.
// When Restricted is false the user's own rights apply alone and Grants is
// ignored.
//
// Caps, when set, caps the user's roles as the scopes of an OAuth access
// token do: it applies on top of everything else.
type Principal struct {
	UserID     int64
	Name       string
	Superuser  bool
	Grants     []Grant
	Restricted bool

	Robot  bool   // the account is a robot
	Method Method // how the credentials were checked
	Caps   *Caps
}

// Method says how a principal proved who it is.
type Method string

// Authentication methods.
const (
	ByPassword Method = "password" // a user's password
	ByToken    Method = "token"    // an API token
	ByAppToken Method = "app"      // an application-specific token
	ByOAuth    Method = "oauth"    // an OAuth access token
	ByRobot    Method = "robot"    // a robot's secret
	ByJWT      Method = "jwt"      // a registry token the server signed
)

// Anonymous reports whether p is the anonymous caller.
func (p Principal) Anonymous() bool { return p.UserID == 0 }

// Permits reports whether p's grants let it do act to the repository
// named repo. It is only the credential's half of a decision: the
// Authorizer also checks the user's own rights.
func (p Principal) Permits(act Action, repo string) bool {
	return p.PermitsResource(GrantRepository, repo, act)
}

// PermitsResource is Permits for a resource of any grant type, such as
// the registry's "catalog".
func (p Principal) PermitsResource(typ, name string, act Action) bool {
	if !p.Restricted {
		return true
	}
	for _, g := range p.Grants {
		if g.Allows(typ, name, act) {
			return true
		}
	}
	return false
}

// AdministersAccount reports whether p may act for its own user's account
// as a whole: its robots, stars, tokens, invitations and new
// organisations. Robots have no such account; a credential restricted
// to some repositories may not; an OAuth token needs user:admin.
func (p Principal) AdministersAccount() bool {
	return !p.Anonymous() && !p.Robot && p.PermitsResource(GrantNamespace, "", Admin) &&
		(p.Caps == nil || p.Caps.UserAdmin)
}

// ReadsAccount reports whether p may read its own user's account: any
// person, with an OAuth token only one carrying user:read.
func (p Principal) ReadsAccount() bool {
	return !p.Anonymous() && !p.Robot && (p.Caps == nil || p.Caps.UserRead)
}

// HoldsAllRepoRights reports whether no OAuth scope keeps p below its
// user's rights on repositories: reading, writing, administering and
// creating them. A credential handing out another that carries all of
// the user's registry rights (an application-specific token) needs it.
func (p Principal) HoldsAllRepoRights() bool {
	return p.Caps == nil || (p.Caps.Repo == meta.RoleAdmin && p.Caps.Create)
}
