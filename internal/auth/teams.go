package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// PutTeamRequest creates or updates a team.
type PutTeamRequest struct {
	Org         meta.Namespace
	Name        string
	Role        string  // meta.TeamMember, TeamCreator or TeamAdmin
	Description *string // nil keeps the description
	Caller      Principal
}

// PutTeam creates the team or updates its role and description, and
// reports whether it created it. A caller may not take the admin role
// from the last admin team they are in. Errors: errs.Invalid for a bad
// name or role, or for that demotion.
func (s *Service) PutTeam(ctx context.Context, req PutTeamRequest) (meta.Team, bool, error) {
	if !ValidTeamRole(req.Role) {
		return meta.Team{}, false, errs.E(errs.Invalid, "Invalid team role %q: want member, creator or admin", req.Role)
	}
	if err := ValidUserName(req.Name); err != nil {
		return meta.Team{}, false, errs.E(errs.Invalid, "Invalid team name %q", req.Name)
	}
	var (
		t       meta.Team
		created bool
	)
	err := s.store.Tx(ctx, func(q meta.Queries) error {
		var err error
		t, err = q.GetTeam(ctx, req.Org.ID, req.Name)
		switch {
		case errs.Is(err, errs.NotFound):
			t = meta.Team{NamespaceID: req.Org.ID, Name: req.Name, Role: req.Role}
			if req.Description != nil {
				t.Description = *req.Description
			}
			created = true
			return q.CreateTeam(ctx, &t)
		case err != nil:
			return err
		}
		if t.Role == meta.TeamAdmin && req.Role != meta.TeamAdmin {
			if err := lastAdminTeam(ctx, q, req.Caller, t); err != nil {
				return err
			}
		}
		t.Role = req.Role
		if req.Description != nil {
			t.Description = *req.Description
		}
		return q.UpdateTeam(ctx, t)
	})
	if err != nil {
		return meta.Team{}, false, fmt.Errorf("team %s/%s: %w", req.Org.Name, req.Name, err)
	}
	return t, created, nil
}

// lastAdminTeam refuses to take t's admin role away when it is the last
// admin team the caller is in, which would lock them out.
func lastAdminTeam(ctx context.Context, q meta.Queries, caller Principal, t meta.Team) error {
	if caller.Anonymous() {
		return nil
	}
	teams, err := q.ListUserTeams(ctx, caller.UserID, t.NamespaceID)
	if err != nil {
		return err
	}
	member := false
	for _, o := range teams {
		if o.ID == t.ID {
			member = true
		} else if o.Role == meta.TeamAdmin {
			return nil
		}
	}
	if !member {
		return nil
	}
	return errs.E(errs.Invalid, "Cannot remove admin role from the last admin team you belong to")
}

// Team returns an organisation's team. Errors: errs.NotFound.
func (s *Service) Team(ctx context.Context, org meta.Namespace, name string) (meta.Team, error) {
	t, err := s.store.GetTeam(ctx, org.ID, name)
	if err != nil {
		return meta.Team{}, fmt.Errorf("team %s/%s: %w", org.Name, name, err)
	}
	return t, nil
}

// DeleteTeam removes a team. A caller may not delete the last admin team
// they are in. Errors: errs.NotFound; errs.Invalid for that deletion.
func (s *Service) DeleteTeam(ctx context.Context, org meta.Namespace, name string, caller Principal) error {
	return s.store.Tx(ctx, func(q meta.Queries) error {
		t, err := q.GetTeam(ctx, org.ID, name)
		if err != nil {
			return err
		}
		if t.Role == meta.TeamAdmin {
			if err := lastAdminTeam(ctx, q, caller, t); err != nil {
				return errs.E(errs.Invalid, "Cannot delete the last admin team you belong to")
			}
		}
		return q.DeleteTeam(ctx, t.ID)
	})
}

// AddMemberResult says what AddTeamMember did.
type AddMemberResult struct {
	User    meta.User
	Invited bool        // an invitation was made instead of a membership
	Invite  meta.Invite // when Invited
}

// AddTeamMember adds a user or a robot of the organisation to a team. A
// user who is not yet in any team of the organisation is invited instead
// when invite is set, and joins when they accept. Errors: errs.Invalid
// for an unknown user ("Unknown user"), a robot of another namespace, or
// a member already in the team.
func (s *Service) AddTeamMember(ctx context.Context, t meta.Team, org meta.Namespace, name string, inviter Principal, invite bool) (AddMemberResult, error) {
	var res AddMemberResult
	err := s.store.Tx(ctx, func(q meta.Queries) error {
		u, err := q.GetUser(ctx, name)
		if errs.Is(err, errs.NotFound) {
			return errs.E(errs.Invalid, "Unknown user %q", name)
		}
		if err != nil {
			return err
		}
		res.User = u
		if u.Robot && u.NamespaceID != org.ID {
			return errs.E(errs.Invalid, "Cannot add robot %s to a team of %s", u.Name, org.Name)
		}
		if !u.Robot && invite {
			teams, err := q.ListUserTeams(ctx, u.ID, org.ID)
			if err != nil {
				return err
			}
			if len(teams) == 0 {
				res.Invited = true
				res.Invite = meta.Invite{TeamID: t.ID, UserID: u.ID, InviterID: inviter.UserID}
				return createInvite(ctx, q, &res.Invite)
			}
		}
		err = q.AddTeamMember(ctx, t.ID, u.ID)
		if errs.Is(err, errs.Exists) {
			return errs.E(errs.Invalid, "User %s is already a member of team %s", u.Name, t.Name)
		}
		return err
	})
	if err != nil {
		return AddMemberResult{}, fmt.Errorf("add %s to team %s: %w", name, t.Name, err)
	}
	return res, nil
}

// InviteEmail invites an e-mail address to a team; whoever signs in with
// that address may accept. Errors: errs.Invalid for a bad address;
// errs.Exists when the address is already invited.
func (s *Service) InviteEmail(ctx context.Context, t meta.Team, email string, inviter Principal) (meta.Invite, error) {
	if err := validEmail(email); err != nil {
		return meta.Invite{}, err
	}
	i := meta.Invite{TeamID: t.ID, Email: email, InviterID: inviter.UserID}
	if err := createInvite(ctx, s.store, &i); err != nil {
		return meta.Invite{}, fmt.Errorf("invite %s to team %s: %w", email, t.Name, err)
	}
	return i, nil
}

func createInvite(ctx context.Context, q meta.Queries, i *meta.Invite) error {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	i.Code = hex.EncodeToString(b)
	return q.CreateInvite(ctx, i)
}

// RemoveTeamMember removes a pending invitation of the user if there is
// one, else the membership. A caller may not leave the last admin team
// they are in. It reports whether an invitation was removed. Errors:
// errs.NotFound when the user is neither invited nor a member;
// errs.Invalid for leaving the last admin team.
func (s *Service) RemoveTeamMember(ctx context.Context, t meta.Team, name string, caller Principal) (bool, error) {
	invited := false
	err := s.store.Tx(ctx, func(q meta.Queries) error {
		u, err := q.GetUser(ctx, name)
		if err != nil {
			return err
		}
		invites, err := q.ListTeamInvites(ctx, t.ID)
		if err != nil {
			return err
		}
		for _, i := range invites {
			if i.UserID == u.ID {
				invited = true
				return q.DeleteInvite(ctx, i.ID)
			}
		}
		if t.Role == meta.TeamAdmin && u.ID == caller.UserID {
			if err := lastAdminTeam(ctx, q, caller, t); err != nil {
				return errs.E(errs.Invalid, "Cannot remove yourself from the last admin team you belong to")
			}
		}
		return q.RemoveTeamMember(ctx, t.ID, u.ID)
	})
	if err != nil {
		return false, fmt.Errorf("remove %s from team %s: %w", name, t.Name, err)
	}
	return invited, nil
}

// AcceptInvite lets the invitee join the team of the invitation with
// code: the invited user, or a user whose e-mail address is the invited
// one. Errors: errs.NotFound for an unknown code or another caller.
func (s *Service) AcceptInvite(ctx context.Context, code string, caller Principal) (meta.Team, error) {
	var t meta.Team
	err := s.store.Tx(ctx, func(q meta.Queries) error {
		i, u, err := inviteFor(ctx, q, code, caller)
		if err != nil {
			return err
		}
		if t, err = q.GetTeamByID(ctx, i.TeamID); err != nil {
			return err
		}
		if err := q.DeleteInvite(ctx, i.ID); err != nil {
			return err
		}
		if err := q.AddTeamMember(ctx, t.ID, u.ID); err != nil && !errs.Is(err, errs.Exists) {
			return err
		}
		return nil
	})
	return t, err
}

// DeclineInvite removes an invitation at its invitee's request. Errors:
// errs.NotFound as AcceptInvite.
func (s *Service) DeclineInvite(ctx context.Context, code string, caller Principal) error {
	return s.store.Tx(ctx, func(q meta.Queries) error {
		i, _, err := inviteFor(ctx, q, code, caller)
		if err != nil {
			return err
		}
		return q.DeleteInvite(ctx, i.ID)
	})
}

func inviteFor(ctx context.Context, q meta.Queries, code string, caller Principal) (meta.Invite, meta.User, error) {
	notFound := errs.E(errs.NotFound, "Invalid confirmation code")
	if caller.Anonymous() || caller.Robot {
		return meta.Invite{}, meta.User{}, notFound
	}
	i, err := q.GetInvite(ctx, code)
	if err != nil {
		return meta.Invite{}, meta.User{}, errs.Wrap(errs.NotFound, "Invalid confirmation code", err)
	}
	u, err := q.GetUserByID(ctx, caller.UserID)
	if err != nil {
		return meta.Invite{}, meta.User{}, err
	}
	if i.UserID != u.ID && (i.Email == "" || !strings.EqualFold(i.Email, u.Email)) {
		return meta.Invite{}, meta.User{}, notFound
	}
	return i, u, nil
}
