package depot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// An origin's members are the people with a role in it: a direct
// membership, or a place in one of its teams. Robots are not members.

// teamMemberRoles is the origin role a team's role gives.
var teamMemberRoles = map[string]Role{
	meta.TeamAdmin:   Administrator,
	meta.TeamCreator: Member,
	meta.TeamMember:  ReadOnlyMember,
}

// memberIDs returns the names of an origin's members by user id.
func memberIDs(ctx context.Context, q meta.Queries, ns meta.Namespace) (map[int64]string, error) {
	out := map[int64]string{}
	ms, err := q.ListMembers(ctx, ns.ID)
	if err != nil {
		return nil, fmt.Errorf("members of origin %s: %w", ns.Name, err)
	}
	for _, m := range ms {
		out[m.UserID] = m.UserName
	}
	teams, err := q.ListTeams(ctx, ns.ID)
	if err != nil {
		return nil, fmt.Errorf("members of origin %s: %w", ns.Name, err)
	}
	for _, t := range teams {
		us, err := q.ListTeamMembers(ctx, t.ID)
		if err != nil {
			return nil, fmt.Errorf("members of origin %s: %w", ns.Name, err)
		}
		for _, u := range us {
			if !u.Robot {
				out[u.ID] = u.Name
			}
		}
	}
	return out, nil
}

// roleOf returns a user's role in an origin, the higher of their direct
// membership's and what their teams give; NoRole when they are not a
// member. Only a direct membership gives Owner. Unlike RoleIn it is about
// the user, not about a credential.
func roleOf(ctx context.Context, q meta.Queries, ns meta.Namespace, userID int64) (Role, error) {
	role := NoRole
	m, err := q.GetMember(ctx, ns.ID, userID)
	switch {
	case err == nil:
		if r, perr := ParseRole(m.Role); perr == nil {
			role = r
		}
	case !errs.Is(err, errs.NotFound):
		return NoRole, fmt.Errorf("role in origin %s: %w", ns.Name, err)
	}
	teams, err := q.TeamRoles(ctx, userID, ns.ID)
	if err != nil {
		return NoRole, fmt.Errorf("role in origin %s: %w", ns.Name, err)
	}
	for _, t := range teams {
		role = max(role, teamMemberRoles[t])
	}
	return role, nil
}

// person returns the account of a person by name. Errors: errs.NotFound,
// also for a robot.
func (s *Service) person(ctx context.Context, name string) (meta.User, error) {
	u, err := s.store.GetUser(ctx, name)
	if err == nil && u.Robot {
		err = errs.E(errs.NotFound, "user not found")
	}
	if err != nil {
		return meta.User{}, errs.Wrap(errs.NotFound, fmt.Sprintf("User '%s' not found", name), err)
	}
	return u, nil
}

// isOwner reports whether a user's direct membership has the owner role.
func isOwner(ctx context.Context, q meta.Queries, ns meta.Namespace, userID int64) (bool, error) {
	m, err := q.GetMember(ctx, ns.ID, userID)
	if errs.Is(err, errs.NotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("owner of origin %s: %w", ns.Name, err)
	}
	return m.Role == meta.MemberOwner, nil
}

// lockOrigin locks an origin for the rest of the transaction q, so that
// the transactions that change its members or their roles run one after
// the other, and checks that p still holds at least role want in it, as
// far as the members decide: an operator's override (see RoleIn) does not
// depend on them and a credential's caps do not change. Callers have
// checked p's role before with Service.need; this is the check again,
// against what the transactions before committed. Errors: errs.NotFound
// for an origin deleted meanwhile; errs.Denied.
func lockOrigin(ctx context.Context, q meta.Queries, ns meta.Namespace, p auth.Principal, want Role) error {
	if _, err := q.LockNamespace(ctx, ns.ID); err != nil {
		return err
	}
	if p.Superuser || want <= NoRole {
		return nil
	}
	r, err := roleOf(ctx, q, ns, p.UserID)
	if err != nil {
		return err
	}
	if r < want {
		return errs.E(errs.Denied, "the %s role in origin %s is required", want, ns.Name)
	}
	return nil
}

// Members returns the names of an origin's members, sorted. Errors:
// errs.NotFound; errs.Unauthenticated; errs.Denied below read-only
// member.
func (s *Service) Members(ctx context.Context, p auth.Principal, origin string) ([]string, error) {
	ns, err := s.originAs(ctx, p, origin, ReadOnlyMember)
	if err != nil {
		return nil, err
	}
	ids, err := memberIDs(ctx, s.store, ns)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(ids))
	for _, n := range ids {
		names = append(names, n)
	}
	slices.Sort(names)
	return names, nil
}

// MemberRole returns a member's role. Errors: errs.NotFound for an
// unknown origin or user and for a user who is not a member;
// errs.Unauthenticated; errs.Denied below member.
func (s *Service) MemberRole(ctx context.Context, p auth.Principal, origin, user string) (Role, error) {
	ns, err := s.originAs(ctx, p, origin, Member)
	if err != nil {
		return NoRole, err
	}
	u, err := s.person(ctx, user)
	if err != nil {
		return NoRole, err
	}
	r, err := roleOf(ctx, s.store, ns, u.ID)
	if err == nil && r == NoRole {
		err = errs.E(errs.NotFound, "User '%s' is not a member of origin '%s'", user, ns.Name)
	}
	return r, err
}

// SetMemberRole gives a member a role, as a direct membership: roles
// their teams give them still count. Errors: errs.Invalid for an unknown
// role ("Invalid member role '<role>'"); errs.Denied below administrator,
// for the owner role, for the caller's own role and for the owner's;
// errs.NotFound for an unknown origin or user and for a user who is not
// a member; errs.Unauthenticated.
func (s *Service) SetMemberRole(ctx context.Context, p auth.Principal, origin, user, role string) error {
	ns, err := s.originAs(ctx, p, origin, Administrator)
	if err != nil {
		return err
	}
	r, err := ParseRole(role)
	if err != nil {
		return err
	}
	if r == Owner {
		return errs.E(errs.Denied, "The owner role cannot be given; transfer the origin instead")
	}
	u, err := s.person(ctx, user)
	if err != nil {
		return err
	}
	if u.ID == p.UserID {
		return errs.E(errs.Denied, "Changing your own role is not allowed")
	}
	err = s.store.Tx(ctx, func(q meta.Queries) error {
		if err := lockOrigin(ctx, q, ns, p, Administrator); err != nil {
			return err
		}
		cur, err := roleOf(ctx, q, ns, u.ID)
		switch {
		case err != nil:
			return err
		case cur == Owner:
			return errs.E(errs.Denied, "Changing the role of the owner is not allowed")
		case cur == NoRole:
			return errs.E(errs.NotFound, "User '%s' is not a member of origin '%s'", user, ns.Name)
		}
		return q.PutMember(ctx, &meta.Member{NamespaceID: ns.ID, UserID: u.ID, Role: r.String()})
	})
	if err != nil {
		return fmt.Errorf("set role of %s in %s: %w", user, ns.Name, err)
	}
	return nil
}

// RemoveMember takes a member out of an origin: their direct membership,
// their places in its teams and their own permissions on its
// repositories. Errors: errs.Invalid for the owner and for the caller
// ("Removing the owner is not allowd", as Builder words it);
// errs.NotFound for an unknown origin or user; errs.Unauthenticated;
// errs.Denied below owner.
func (s *Service) RemoveMember(ctx context.Context, p auth.Principal, origin, user string) error {
	ns, err := s.originAs(ctx, p, origin, Owner)
	if err != nil {
		return err
	}
	u, err := s.person(ctx, user)
	if err != nil {
		return err
	}
	owner, err := isOwner(ctx, s.store, ns, u.ID)
	if err != nil {
		return err
	}
	if owner || u.ID == p.UserID {
		return errs.E(errs.Invalid, "Removing the owner is not allowd")
	}
	_, err = s.acct.RemoveOrgMember(ctx, ns, u.Name)
	return err
}

// TransferOwnership makes a member the owner of an origin and the owner a
// maintainer; the new owner joins the owners team and the old one leaves
// it. Errors: errs.Invalid for the caller ("Cannot transfer origin
// ownership to self"); errs.Denied below owner and for a user who is not
// a member; errs.NotFound for an unknown origin or user;
// errs.Unauthenticated.
func (s *Service) TransferOwnership(ctx context.Context, p auth.Principal, origin, user string) error {
	ns, err := s.originAs(ctx, p, origin, Owner)
	if err != nil {
		return err
	}
	if strings.EqualFold(user, p.Name) {
		return errs.E(errs.Invalid, "Cannot transfer origin ownership to self")
	}
	u, err := s.person(ctx, user)
	if err != nil {
		return err
	}
	err = s.store.Tx(ctx, func(q meta.Queries) error {
		// The caller is still the owner: of two transfers at once, the
		// second finds the origin transferred.
		if err := lockOrigin(ctx, q, ns, p, Owner); err != nil {
			return err
		}
		r, err := roleOf(ctx, q, ns, u.ID)
		if err != nil {
			return err
		}
		if r == NoRole {
			return errs.E(errs.Denied, "User '%s' is not a member of origin '%s'", user, ns.Name)
		}
		team, err := q.GetTeam(ctx, ns.ID, auth.OwnersTeam)
		hasTeam := err == nil
		if err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
		ms, err := q.ListMembers(ctx, ns.ID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.Role != meta.MemberOwner || m.UserID == u.ID {
				continue
			}
			m.Role = meta.MemberMaintainer
			if err := q.PutMember(ctx, &m); err != nil {
				return err
			}
			if hasTeam {
				if err := q.RemoveTeamMember(ctx, team.ID, m.UserID); err != nil && !errs.Is(err, errs.NotFound) {
					return err
				}
			}
		}
		if hasTeam {
			if err := q.AddTeamMember(ctx, team.ID, u.ID); err != nil && !errs.Is(err, errs.Exists) {
				return err
			}
		}
		return q.PutMember(ctx, &meta.Member{NamespaceID: ns.ID, UserID: u.ID, Role: meta.MemberOwner})
	})
	if err != nil {
		return fmt.Errorf("transfer origin %s to %s: %w", ns.Name, user, err)
	}
	return nil
}

// Depart takes the caller out of an origin as RemoveMember does. Errors:
// errs.Denied for the owner ("Departing the owner from the origin is not
// allowed"); errs.Invalid when the caller is not a member or the origin
// does not exist ("Do not have access to the origin '<origin>'");
// errs.Unauthenticated.
func (s *Service) Depart(ctx context.Context, p auth.Principal, origin string) error {
	if p.Anonymous() {
		return errs.E(errs.Unauthenticated, "authentication required")
	}
	noAccess := errs.E(errs.Invalid, "Do not have access to the origin '%s'", origin)
	ns, err := s.Origin(ctx, origin)
	if errs.Is(err, errs.NotFound) {
		return noAccess
	}
	if err != nil {
		return err
	}
	r, err := roleOf(ctx, s.store, ns, p.UserID)
	switch {
	case err != nil:
		return err
	case r == Owner:
		return errs.E(errs.Denied, "Departing the owner from the origin is not allowed")
	case r == NoRole || p.Robot:
		return noAccess
	}
	_, err = s.acct.RemoveOrgMember(ctx, ns, p.Name)
	return err
}
