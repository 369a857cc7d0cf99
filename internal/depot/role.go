package depot

import (
	"context"
	"fmt"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// Role is a caller's role in an origin. Roles are ordered: each includes
// the rights of those before it.
type Role int

// Origin roles, as Habitat names them.
const (
	NoRole Role = iota
	ReadOnlyMember
	Member
	Maintainer
	Administrator
	Owner
)

var roleNames = [...]string{
	ReadOnlyMember: meta.MemberReadOnly,
	Member:         meta.MemberMember,
	Maintainer:     meta.MemberMaintainer,
	Administrator:  meta.MemberAdministrator,
	Owner:          meta.MemberOwner,
}

// String returns the role's Habitat name, "" for NoRole.
func (r Role) String() string {
	if r <= NoRole || int(r) >= len(roleNames) {
		return ""
	}
	return roleNames[r]
}

// ParseRole returns the role a Habitat name stands for. Errors:
// errs.Invalid.
func ParseRole(name string) (Role, error) {
	for r, n := range roleNames {
		if n != "" && n == name {
			return Role(r), nil
		}
	}
	return NoRole, errs.E(errs.Invalid, "Invalid member role '%s'", name)
}

// RoleIn returns p's role in the origin ns: the role of a direct
// membership, or what the caller's teams give (admin team: administrator;
// creator team: member; member team: read-only member), whichever is
// higher, within what the authorizer grants p in the namespace (so an
// OAuth token's scopes, a restricted credential and robots are capped as
// everywhere else). A superuser is the owner everywhere.
func (s *Service) RoleIn(ctx context.Context, p auth.Principal, ns meta.Namespace) (Role, error) {
	if p.Anonymous() {
		return NoRole, nil
	}
	granted, err := s.authz.RoleIn(ctx, p, ns)
	if err != nil || granted == auth.NoRole {
		return NoRole, err
	}
	var role, ceiling Role
	switch granted {
	case auth.AdminRole:
		if p.Superuser && p.Caps == nil && !p.Restricted {
			// An operator owns every origin, whoever its members are.
			return Owner, nil
		}
		role, ceiling = Administrator, Owner
	case auth.CreatorRole:
		role, ceiling = Member, Maintainer
	default:
		role, ceiling = ReadOnlyMember, ReadOnlyMember
	}
	direct, err := s.directRole(ctx, p, ns, granted == auth.AdminRole)
	if err != nil {
		return NoRole, err
	}
	return min(max(role, direct), ceiling, capsCeiling(p.Caps)), nil
}

// directRole returns the role of p's direct membership of ns, NoRole when
// it has none. For an administrator (admin) it is the owner's role too
// when the origin shows p as its owner: an organisation made before
// organisations were origins has no owner membership, and the first
// person of its owners team owns it (see ownerOf).
func (s *Service) directRole(ctx context.Context, p auth.Principal, ns meta.Namespace, admin bool) (Role, error) {
	if !admin {
		m, err := s.store.GetMember(ctx, ns.ID, p.UserID)
		if errs.Is(err, errs.NotFound) {
			return NoRole, nil
		}
		if err != nil {
			return NoRole, err
		}
		r, _ := ParseRole(m.Role)
		return r, nil
	}
	// One read gives both the caller's membership and the owner's.
	ms, err := s.store.ListMembers(ctx, ns.ID)
	if err != nil {
		return NoRole, fmt.Errorf("role in origin %s: %w", ns.Name, err)
	}
	owner, err := ownerAmong(ctx, s.store, ns, ms)
	if err != nil {
		return NoRole, err
	}
	if owner.ID == p.UserID {
		return Owner, nil
	}
	for _, m := range ms {
		if m.UserID == p.UserID {
			r, _ := ParseRole(m.Role)
			return r, nil
		}
	}
	return NoRole, nil
}

// capsCeiling is the highest origin role an OAuth token's scopes allow:
// repo:read reads what members read, repo:write adds what members do,
// repo:admin what maintainers do; org:admin lifts the cap. Without a
// repository scope a token reads only what anyone may. The authorizer's
// own cap applies first: in an organisation, anything beyond reading
// also needs repo:create (see auth.Authorizer.RoleIn), so repo:write
// uploads only together with repo:create.
func capsCeiling(c *auth.Caps) Role {
	switch {
	case c == nil || c.OrgAdmin:
		return Owner
	case c.Repo == meta.RoleAdmin:
		return Maintainer
	case c.Repo == meta.RoleWrite:
		return Member
	case c.Repo == meta.RoleRead:
		return ReadOnlyMember
	}
	return NoRole
}

// need returns p's role in ns when it is at least want. Errors:
// errs.Unauthenticated for the anonymous caller, errs.Denied for a lower
// role.
func (s *Service) need(ctx context.Context, p auth.Principal, ns meta.Namespace, want Role) (Role, error) {
	if p.Anonymous() {
		return NoRole, errs.E(errs.Unauthenticated, "authentication required")
	}
	r, err := s.RoleIn(ctx, p, ns)
	if err != nil {
		return NoRole, err
	}
	if r < want {
		return r, errs.E(errs.Denied, "the %s role in origin %s is required", want, ns.Name)
	}
	return r, nil
}

// originAs returns the named origin when p has at least role want in it.
// Errors: errs.NotFound for an unknown origin, then as need.
func (s *Service) originAs(ctx context.Context, p auth.Principal, name string, want Role) (meta.Namespace, error) {
	ns, err := s.Origin(ctx, name)
	if err != nil {
		return meta.Namespace{}, err
	}
	if _, err := s.need(ctx, p, ns, want); err != nil {
		return meta.Namespace{}, err
	}
	return ns, nil
}
