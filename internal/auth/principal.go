package auth

// Principal is who a request acts as. The zero value is the anonymous
// caller.
//
// UserID and Name identify the user; Superuser is the user's flag as known
// when the credential was checked (Authorizer.Can rereads it). When
// Restricted is set the credential limits the user to Grants: an action is
// allowed only when a grant covers it and the user's own rights allow it.
// When Restricted is false the user's own rights apply alone and Grants is
// ignored.
type Principal struct {
	UserID     int64
	Name       string
	Superuser  bool
	Grants     []Grant
	Restricted bool
}

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
