package auth

import (
	"context"
	"fmt"
	"strings"

	"wharf/internal/meta"
)

// NamespaceRole is what a principal may do in a namespace by who they
// are. Roles are ordered: each includes the rights of those before it.
type NamespaceRole int

// Namespace roles.
const (
	NoRole      NamespaceRole = iota
	MemberRole                // in a team of the organisation, or a read-only member
	CreatorRole               // may create repositories
	AdminRole                 // administers the namespace and all it holds
)

// NamespaceRole returns p's role in the namespace named name: a person is
// the admin of their own namespace; in an organisation the highest of the
// roles of the teams the user (or robot) is in and of their direct
// membership counts (administrator and owner: admin; member and
// maintainer: creator; read-only member: member), a robot's capped at
// CreatorRole; a superuser is admin everywhere. An OAuth token caps it:
// admin needs org:admin (or user:admin for one's own namespace), creating
// needs repo:create, super:user lets a superuser's power through. Errors: errs.NotFound when the namespace does
// not exist; store failures. A disabled caller has NoRole.
func (a *Authorizer) NamespaceRole(ctx context.Context, p Principal, name string) (NamespaceRole, error) {
	ns, err := a.q.GetNamespace(ctx, name)
	if err != nil {
		return NoRole, err
	}
	return a.RoleIn(ctx, p, ns)
}

// RoleIn is NamespaceRole for a namespace already read.
func (a *Authorizer) RoleIn(ctx context.Context, p Principal, ns meta.Namespace) (NamespaceRole, error) {
	role, _, err := a.roleIn(ctx, p, ns)
	return role, err
}

// roleIn is RoleIn that also returns the user's direct member role in an
// organisation ("" when none, or when it was not needed), read once for
// both.
func (a *Authorizer) roleIn(ctx context.Context, p Principal, ns meta.Namespace) (_ NamespaceRole, member string, _ error) {
	u, ok, err := a.user(ctx, p)
	if err != nil || !ok || u == nil {
		return NoRole, "", err
	}
	if u.Superuser && (p.Caps == nil || p.Caps.Super) && p.PermitsResource(GrantNamespace, ns.Name, Admin) {
		return AdminRole, "", nil
	}
	role := NoRole
	switch {
	case ns.Kind == meta.KindUser && !u.Robot && strings.EqualFold(u.Name, ns.Name):
		role = AdminRole
	case ns.Kind == meta.KindOrg:
		teams, err := a.q.TeamRoles(ctx, u.ID, ns.ID)
		if err != nil {
			return NoRole, "", fmt.Errorf("authorize %s: %w", ns.Name, err)
		}
		for _, t := range teams {
			role = max(role, NamespaceRole(teamRank(t)))
		}
		if member, err = a.member(ctx, u, ns); err != nil {
			return NoRole, "", err
		}
		role = max(role, memberNamespaceRoles[member])
		if u.Robot {
			// A robot in an admin team administers the organisation's
			// repositories (RepoRole), never the organisation itself:
			// its robots' tokens, teams and settings are for people.
			role = min(role, CreatorRole)
		}
	}
	if p.Restricted {
		// A credential restricted by grants administers a namespace only
		// with a global grant of every action.
		switch {
		case p.PermitsResource(GrantNamespace, ns.Name, Admin):
		case p.PermitsResource(GrantNamespace, ns.Name, Push):
			role = min(role, CreatorRole)
		case p.PermitsResource(GrantNamespace, ns.Name, Pull):
			role = min(role, MemberRole)
		default:
			return NoRole, "", nil
		}
	}
	if p.Caps == nil || role == NoRole {
		return role, member, nil
	}
	limit := MemberRole
	switch {
	case p.Caps.OrgAdmin || (ns.Kind == meta.KindUser && p.Caps.UserAdmin):
		limit = AdminRole
	case p.Caps.Create:
		limit = CreatorRole
	}
	return min(role, limit), member, nil
}
