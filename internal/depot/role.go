package depot

import (
	"context"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// Role is a caller's role in an origin: the authorizer's OriginRole.
type Role = auth.OriginRole

// Origin roles, as Habitat names them.
const (
	NoRole         = auth.NoOriginRole
	ReadOnlyMember = auth.OriginReadOnly
	Member         = auth.OriginMember
	Maintainer     = auth.OriginMaintainer
	Administrator  = auth.OriginAdministrator
	Owner          = auth.OriginOwner
)

// ParseRole returns the role a Habitat name stands for. Errors:
// errs.Invalid.
func ParseRole(name string) (Role, error) { return auth.ParseOriginRole(name) }

// RoleIn returns p's role in the origin ns, as the one authorizer decides
// it (auth.Authorizer.OriginRole).
func (s *Service) RoleIn(ctx context.Context, p auth.Principal, ns meta.Namespace) (Role, error) {
	return s.authz.OriginRole(ctx, p, ns)
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
