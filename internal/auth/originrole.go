package auth

import (
	"context"
	"fmt"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// OriginRole is a principal's role in an organisation as a Habitat origin.
// Roles are ordered: each includes the rights of those before it.
type OriginRole int

// Origin roles, as Habitat names them.
const (
	NoOriginRole OriginRole = iota
	OriginReadOnly
	OriginMember
	OriginMaintainer
	OriginAdministrator
	OriginOwner
)

var originRoleNames = [...]string{
	OriginReadOnly:      meta.MemberReadOnly,
	OriginMember:        meta.MemberMember,
	OriginMaintainer:    meta.MemberMaintainer,
	OriginAdministrator: meta.MemberAdministrator,
	OriginOwner:         meta.MemberOwner,
}

// String returns the role's Habitat name, "" for NoOriginRole.
func (r OriginRole) String() string {
	if r <= NoOriginRole || int(r) >= len(originRoleNames) {
		return ""
	}
	return originRoleNames[r]
}

// ParseOriginRole returns the role a Habitat name stands for. Errors:
// errs.Invalid.
func ParseOriginRole(name string) (OriginRole, error) {
	for r, n := range originRoleNames {
		if n != "" && n == name {
			return OriginRole(r), nil
		}
	}
	return NoOriginRole, errs.E(errs.Invalid, "Invalid member role '%s'", name)
}

// OriginRole returns p's role in the organisation ns as an origin: the
// role of a direct membership or what the caller's teams give (admin
// team: administrator; creator team: member; member team: read-only
// member), whichever is higher, within what RoleIn grants p in the
// namespace, so that tokens, scopes and robots are capped as everywhere
// else. An OAuth token's repository scope caps it further (capsCeiling).
// A superuser is the owner everywhere. An organisation without an owner
// membership (made before organisations were origins) is owned by the
// person OwnerOfOrigin names.
func (a *Authorizer) OriginRole(ctx context.Context, p Principal, ns meta.Namespace) (OriginRole, error) {
	if p.Anonymous() {
		return NoOriginRole, nil
	}
	granted, member, err := a.roleIn(ctx, p, ns)
	if err != nil || granted == NoRole {
		return NoOriginRole, err
	}
	var role, ceiling OriginRole
	switch granted {
	case AdminRole:
		if p.Superuser && p.Caps == nil && !p.Restricted {
			return OriginOwner, nil
		}
		role, ceiling = OriginAdministrator, OriginOwner
	case CreatorRole:
		role, ceiling = OriginMember, OriginMaintainer
	default:
		role, ceiling = OriginReadOnly, OriginReadOnly
	}
	direct, _ := ParseOriginRole(member)
	if granted == AdminRole && direct < OriginOwner {
		owner, err := OwnerOfOrigin(ctx, a.q, ns)
		if err != nil {
			return NoOriginRole, err
		}
		if owner.ID == p.UserID {
			direct = OriginOwner
		}
	}
	return min(max(role, direct), ceiling, capsCeiling(p.Caps)), nil
}

// capsCeiling is the highest origin role an OAuth token's scopes allow:
// repo:read reads what members read, repo:write adds what members do,
// repo:admin what maintainers do; org:admin lifts the cap. Without a
// repository scope a token reads only what anyone may. RoleIn's own cap
// applies first: in an organisation, anything beyond reading also needs
// repo:create, so repo:write uploads only together with repo:create.
func capsCeiling(c *Caps) OriginRole {
	switch {
	case c == nil || c.OrgAdmin:
		return OriginOwner
	case c.Repo == meta.RoleAdmin:
		return OriginMaintainer
	case c.Repo == meta.RoleWrite:
		return OriginMember
	case c.Repo == meta.RoleRead:
		return OriginReadOnly
	}
	return NoOriginRole
}

// OwnerOfOrigin returns the member of ns with the owner role or, when none
// has it, the first person of its owners team; the zero User when there
// is neither.
func OwnerOfOrigin(ctx context.Context, q meta.Queries, ns meta.Namespace) (meta.User, error) {
	ms, err := q.ListMembers(ctx, ns.ID)
	if err != nil {
		return meta.User{}, fmt.Errorf("owner of origin %s: %w", ns.Name, err)
	}
	for _, m := range ms {
		if m.Role == meta.MemberOwner {
			return meta.User{ID: m.UserID, Name: m.UserName}, nil
		}
	}
	t, err := q.GetTeam(ctx, ns.ID, OwnersTeam)
	if errs.Is(err, errs.NotFound) {
		return meta.User{}, nil
	}
	if err != nil {
		return meta.User{}, fmt.Errorf("owner of origin %s: %w", ns.Name, err)
	}
	us, err := q.ListTeamMembers(ctx, t.ID)
	if err != nil {
		return meta.User{}, fmt.Errorf("owner of origin %s: %w", ns.Name, err)
	}
	for _, u := range us {
		if !u.Robot {
			return u, nil
		}
	}
	return meta.User{}, nil
}
