package auth

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// OrgMember is an account in an organisation's teams, or one with its own
// permissions on the organisation's repositories, with what it holds there.
type OrgMember struct {
	User  meta.User
	Teams []meta.Team // the organisation's teams it is in, oldest first
	Repos []string    // full names of the organisation's repositories it has its own permission on
}

// ListTeams returns an organisation's teams, oldest first, with their
// member and repository counts.
func (s *Service) ListTeams(ctx context.Context, org meta.Namespace) ([]meta.Team, error) {
	ts, err := s.store.ListTeams(ctx, org.ID)
	if err != nil {
		return nil, fmt.Errorf("teams of %s: %w", org.Name, err)
	}
	return ts, nil
}

// UserTeams returns the teams a user is in within a namespace, or within
// every namespace when namespaceID is 0, oldest first.
func (s *Service) UserTeams(ctx context.Context, userID, namespaceID int64) ([]meta.Team, error) {
	ts, err := s.store.ListUserTeams(ctx, userID, namespaceID)
	if err != nil {
		return nil, fmt.Errorf("teams of user %d: %w", userID, err)
	}
	return ts, nil
}

// TeamMembers returns a team's members in name order.
func (s *Service) TeamMembers(ctx context.Context, t meta.Team) ([]meta.User, error) {
	us, err := s.store.ListTeamMembers(ctx, t.ID)
	if err != nil {
		return nil, fmt.Errorf("members of team %s: %w", t.Name, err)
	}
	return us, nil
}

// TeamInvites returns a team's pending invitations, oldest first.
func (s *Service) TeamInvites(ctx context.Context, t meta.Team) ([]meta.Invite, error) {
	is, err := s.store.ListTeamInvites(ctx, t.ID)
	if err != nil {
		return nil, fmt.Errorf("invitations of team %s: %w", t.Name, err)
	}
	return is, nil
}

// TeamPermissions returns a team's repository permissions in repository
// name order.
func (s *Service) TeamPermissions(ctx context.Context, t meta.Team) ([]meta.Permission, error) {
	ps, err := s.store.ListTeamPermissions(ctx, t.ID)
	if err != nil {
		return nil, fmt.Errorf("permissions of team %s: %w", t.Name, err)
	}
	return ps, nil
}

// OrgMembers returns the accounts in an organisation's teams, people and
// robots, in name order.
func (s *Service) OrgMembers(ctx context.Context, org meta.Namespace) ([]OrgMember, error) {
	teams, err := s.ListTeams(ctx, org)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*OrgMember{}
	for _, t := range teams {
		us, err := s.TeamMembers(ctx, t)
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			m := byID[u.ID]
			if m == nil {
				m = &OrgMember{User: u}
				byID[u.ID] = m
			}
			m.Teams = append(m.Teams, t)
		}
	}
	out := make([]OrgMember, 0, len(byID))
	for _, m := range byID {
		if m.Repos, err = s.ownRepos(ctx, org, m.User.ID); err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b OrgMember) int {
		return strings.Compare(strings.ToLower(a.User.Name), strings.ToLower(b.User.Name))
	})
	return out, nil
}

// ownRepos returns the names of an organisation's repositories a user has
// their own permission on, each once.
func (s *Service) ownRepos(ctx context.Context, org meta.Namespace, userID int64) ([]string, error) {
	ps, err := s.store.ListUserPermissions(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("permissions of user %d: %w", userID, err)
	}
	names := []string{}
	for _, p := range ps {
		if strings.EqualFold(meta.NamespaceOf(p.RepoName), org.Name) && !slices.Contains(names, p.RepoName) {
			names = append(names, p.RepoName)
		}
	}
	return names, nil
}

// FindOrgMember returns one member of an organisation: an account in one
// of its teams, or one of its robots. Errors: errs.NotFound for anyone
// else.
func (s *Service) FindOrgMember(ctx context.Context, org meta.Namespace, name string) (OrgMember, error) {
	u, err := s.store.GetUser(ctx, name)
	if err != nil {
		return OrgMember{}, errs.Wrap(errs.NotFound, "not a member", err)
	}
	teams, err := s.UserTeams(ctx, u.ID, org.ID)
	if err != nil {
		return OrgMember{}, err
	}
	if len(teams) == 0 && !(u.Robot && u.NamespaceID == org.ID) {
		return OrgMember{}, errs.E(errs.NotFound, "not a member")
	}
	repos, err := s.ownRepos(ctx, org, u.ID)
	if err != nil {
		return OrgMember{}, err
	}
	return OrgMember{User: u, Teams: teams, Repos: repos}, nil
}

// Collaborators returns the people outside an organisation's teams who
// have their own permissions on its repositories repos, in name order.
func (s *Service) Collaborators(ctx context.Context, org meta.Namespace, repos []meta.Repository) ([]OrgMember, error) {
	byName := map[string]*OrgMember{}
	inTeams := map[int64]bool{} // people found to be in a team of org
	for _, r := range repos {
		ps, err := s.store.ListRepoPermissions(ctx, r.ID)
		if err != nil {
			return nil, fmt.Errorf("permissions of %s: %w", r.Name, err)
		}
		for _, p := range ps {
			if p.UserID == 0 || p.Robot || inTeams[p.UserID] {
				continue
			}
			m := byName[p.UserName]
			if m == nil {
				teams, err := s.UserTeams(ctx, p.UserID, org.ID)
				if err != nil {
					return nil, err
				}
				if len(teams) > 0 {
					inTeams[p.UserID] = true
					continue
				}
				u, err := s.store.GetUserByID(ctx, p.UserID)
				if err != nil {
					return nil, fmt.Errorf("collaborator %s: %w", p.UserName, err)
				}
				m = &OrgMember{User: u}
				byName[p.UserName] = m
			}
			if !slices.Contains(m.Repos, r.Name) {
				m.Repos = append(m.Repos, r.Name)
			}
		}
	}
	out := make([]OrgMember, 0, len(byName))
	for _, m := range byName {
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b OrgMember) int {
		return strings.Compare(strings.ToLower(a.User.Name), strings.ToLower(b.User.Name))
	})
	return out, nil
}
