package auth

import (
	"context"
	"fmt"
	"strings"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// RemoveOrgMember takes a person out of an organisation in one
// transaction: out of its teams and its direct membership, with their own
// permissions on its repositories and their invitations to its teams. It returns the teams
// they left. Errors: errs.NotFound for an unknown user or a robot;
// errs.Invalid when they own the organisation as a Habitat origin (the
// owner cannot leave it; the origin must be transferred first) or are its
// only admin.
func (s *Service) RemoveOrgMember(ctx context.Context, org meta.Namespace, name string) ([]meta.Team, error) {
	var left []meta.Team
	err := s.store.Tx(ctx, func(q meta.Queries) error {
		left = nil
		// Held until the end, so that the owner check below sees a
		// transfer of the origin that commits meanwhile.
		if _, err := q.LockNamespace(ctx, org.ID); err != nil {
			return err
		}
		u, err := q.GetUser(ctx, name)
		if err != nil {
			return err
		}
		if u.Robot {
			return errs.E(errs.NotFound, "user not found")
		}
		if err := notOwnerOf(ctx, q, org, u); err != nil {
			return err
		}
		if err := soleAdmin(ctx, q, org, u); err != nil {
			return err
		}
		ps, err := q.ListUserPermissions(ctx, u.ID)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if strings.EqualFold(meta.NamespaceOf(p.RepoName), org.Name) {
				if err := q.DeletePermission(ctx, p.RepoID, u.ID, 0); err != nil && !errs.Is(err, errs.NotFound) {
					return err
				}
			}
		}
		teams, err := q.ListUserTeams(ctx, u.ID, org.ID)
		if err != nil {
			return err
		}
		for _, t := range teams {
			if err := q.RemoveTeamMember(ctx, t.ID, u.ID); err != nil {
				return err
			}
		}
		left = teams
		if err := q.DeleteMember(ctx, org.ID, u.ID); err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
		invites, err := q.ListUserInvites(ctx, u.ID, "")
		if err != nil {
			return err
		}
		for _, i := range invites {
			t, err := q.GetTeamByID(ctx, i.TeamID)
			if err != nil {
				return err
			}
			if t.NamespaceID == org.ID {
				if err := q.DeleteInvite(ctx, i.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("remove %s from %s: %w", name, org.Name, err)
	}
	return left, nil
}

// soleAdmin refuses to remove u when u is the only person in the
// organisation's admin teams.
func soleAdmin(ctx context.Context, q meta.Queries, org meta.Namespace, u meta.User) error {
	teams, err := q.ListTeams(ctx, org.ID)
	if err != nil {
		return err
	}
	isAdmin, others := false, false
	for _, t := range teams {
		if t.Role != meta.TeamAdmin {
			continue
		}
		us, err := q.ListTeamMembers(ctx, t.ID)
		if err != nil {
			return err
		}
		for _, m := range us {
			switch {
			case m.ID == u.ID:
				isAdmin = true
			case !m.Robot:
				others = true
			}
		}
	}
	if isAdmin && !others {
		return errs.E(errs.Invalid, "Cannot remove user as they are the only organization admin")
	}
	return nil
}

// DeleteEmailInvite withdraws a team's invitation of an e-mail address.
// Errors: errs.NotFound when the team has none.
func (s *Service) DeleteEmailInvite(ctx context.Context, t meta.Team, email string) error {
	err := s.store.Tx(ctx, func(q meta.Queries) error {
		is, err := q.ListTeamInvites(ctx, t.ID)
		if err != nil {
			return err
		}
		for _, i := range is {
			if i.Email != "" && strings.EqualFold(i.Email, email) {
				return q.DeleteInvite(ctx, i.ID)
			}
		}
		return errs.E(errs.NotFound, "invitation not found")
	})
	if err != nil {
		return fmt.Errorf("withdraw invitation of %s to %s: %w", email, t.Name, err)
	}
	return nil
}

// Invitation is a pending invitation with what it invites to.
type Invitation struct {
	meta.Invite
	Team    meta.Team
	Org     meta.Namespace
	Inviter meta.User // the zero User when the inviter is gone
}

// UserInvitations returns the pending invitations of a person, oldest
// first: those naming them and, when byEmail is set, those to their
// e-mail address. Set byEmail only when the address is trusted (it was
// not chosen by whoever signed up) or the caller already holds the
// invitation's code.
func (s *Service) UserInvitations(ctx context.Context, u meta.User, byEmail bool) ([]Invitation, error) {
	email := u.Email
	if !byEmail {
		email = ""
	}
	is, err := s.store.ListUserInvites(ctx, u.ID, email)
	if err != nil {
		return nil, fmt.Errorf("invitations of %s: %w", u.Name, err)
	}
	out := make([]Invitation, 0, len(is))
	for _, i := range is {
		inv := Invitation{Invite: i}
		if inv.Team, err = s.store.GetTeamByID(ctx, i.TeamID); err != nil {
			return nil, fmt.Errorf("invitations of %s: %w", u.Name, err)
		}
		if inv.Org, err = s.store.GetNamespaceByID(ctx, inv.Team.NamespaceID); err != nil {
			return nil, fmt.Errorf("invitations of %s: %w", u.Name, err)
		}
		if i.InviterID != 0 {
			if inv.Inviter, err = s.store.GetUserByID(ctx, i.InviterID); err != nil && !errs.Is(err, errs.NotFound) {
				return nil, fmt.Errorf("invitations of %s: %w", u.Name, err)
			}
		}
		out = append(out, inv)
	}
	return out, nil
}
