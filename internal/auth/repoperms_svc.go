package auth

import (
	"context"
	"fmt"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// This file reads repository permissions for the management APIs: who
// holds which role on a repository, and what a robot holds.

// RepoPermissions returns the permissions on a repository, users' then
// teams', each in name order. The owner of a personal namespace, who is
// always the admin of its repositories without a stored permission, comes
// first as a user permission with the admin role.
func (s *Service) RepoPermissions(ctx context.Context, repo meta.Repository, ns meta.Namespace) ([]meta.Permission, error) {
	ps, err := s.store.ListRepoPermissions(ctx, repo.ID)
	if err != nil {
		return nil, fmt.Errorf("permissions of %s: %w", repo.Name, err)
	}
	owner, ok, err := s.namespaceOwner(ctx, ns)
	if err != nil || !ok {
		return ps, err
	}
	out := []meta.Permission{{RepoID: repo.ID, UserID: owner.ID, Role: meta.RoleAdmin, UserName: owner.Name}}
	for _, p := range ps {
		if p.UserID != owner.ID {
			out = append(out, p)
		}
	}
	return out, nil
}

// namespaceOwner returns the person owning a personal namespace; ok is
// false for an organisation.
func (s *Service) namespaceOwner(ctx context.Context, ns meta.Namespace) (meta.User, bool, error) {
	if ns.Kind != meta.KindUser {
		return meta.User{}, false, nil
	}
	u, err := s.store.GetUser(ctx, ns.Name)
	switch {
	case errs.Is(err, errs.NotFound):
		return meta.User{}, false, nil
	case err != nil:
		return meta.User{}, false, fmt.Errorf("owner of %s: %w", ns.Name, err)
	}
	return u, !u.Robot && u.NamespaceID == ns.ID, nil
}

// RepoUserPermission returns the user named name with their own
// permission on a repository (the admin role for the owner of a personal
// namespace). Errors: errs.Invalid "User does not have permission for
// repo." when the user is unknown or has none.
func (s *Service) RepoUserPermission(ctx context.Context, repo meta.Repository, ns meta.Namespace, name string) (meta.Permission, meta.User, error) {
	none := errs.E(errs.Invalid, "User does not have permission for repo.")
	u, err := s.store.GetUser(ctx, name)
	if errs.Is(err, errs.NotFound) {
		return meta.Permission{}, meta.User{}, none
	}
	if err != nil {
		return meta.Permission{}, meta.User{}, fmt.Errorf("user %s: %w", name, err)
	}
	ps, err := s.RepoPermissions(ctx, repo, ns)
	if err != nil {
		return meta.Permission{}, meta.User{}, err
	}
	for _, p := range ps {
		if p.UserID == u.ID {
			return p, u, nil
		}
	}
	return meta.Permission{}, meta.User{}, none
}

// RepoUserRoles returns every role the user named name holds on a
// repository: their own, their teams' and, for the owner of a personal
// namespace, admin. Errors: errs.NotFound when the user is unknown or
// holds no role.
func (s *Service) RepoUserRoles(ctx context.Context, repo meta.Repository, ns meta.Namespace, name string) ([]string, error) {
	u, err := s.store.GetUser(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("user %s: %w", name, err)
	}
	roles, err := s.store.RepoRoles(ctx, u.ID, repo.ID)
	if err != nil {
		return nil, fmt.Errorf("roles of %s on %s: %w", name, repo.Name, err)
	}
	if owner, ok, err := s.namespaceOwner(ctx, ns); err != nil {
		return nil, err
	} else if ok && owner.ID == u.ID {
		roles = append([]string{meta.RoleAdmin}, roles...)
	}
	if len(roles) == 0 {
		return nil, errs.E(errs.NotFound, "%s holds no role on %s", name, repo.Name)
	}
	return roles, nil
}

// RepoTeamPermission returns a team of the repository's organisation with
// its permission on the repository. Errors: errs.Invalid "No team x in
// organization y" for an unknown team, "Team does not have permission for
// repo." for one without a permission.
func (s *Service) RepoTeamPermission(ctx context.Context, repo meta.Repository, ns meta.Namespace, team string) (meta.Permission, meta.Team, error) {
	t, err := s.permissionTeam(ctx, ns, team)
	if err != nil {
		return meta.Permission{}, meta.Team{}, err
	}
	ps, err := s.store.ListRepoPermissions(ctx, repo.ID)
	if err != nil {
		return meta.Permission{}, meta.Team{}, fmt.Errorf("permissions of %s: %w", repo.Name, err)
	}
	for _, p := range ps {
		if p.TeamID == t.ID {
			return p, t, nil
		}
	}
	return meta.Permission{}, meta.Team{}, errs.E(errs.Invalid, "Team does not have permission for repo.")
}

// OrgMemberIDs returns the IDs of the users and robots in at least one
// team of an organisation; it is empty for a personal namespace.
func (s *Service) OrgMemberIDs(ctx context.Context, ns meta.Namespace) (map[int64]bool, error) {
	out := map[int64]bool{}
	if ns.Kind != meta.KindOrg {
		return out, nil
	}
	teams, err := s.store.ListTeams(ctx, ns.ID)
	if err != nil {
		return nil, fmt.Errorf("teams of %s: %w", ns.Name, err)
	}
	for _, t := range teams {
		us, err := s.store.ListTeamMembers(ctx, t.ID)
		if err != nil {
			return nil, fmt.Errorf("members of %s/%s: %w", ns.Name, t.Name, err)
		}
		for _, u := range us {
			out[u.ID] = true
		}
	}
	return out, nil
}

// RobotTeams returns the teams of its namespace a robot is in.
func (s *Service) RobotTeams(ctx context.Context, r Robot) ([]meta.Team, error) {
	ts, err := s.store.ListUserTeams(ctx, r.ID, r.NamespaceID)
	if err != nil {
		return nil, fmt.Errorf("teams of %s: %w", r.Name, err)
	}
	return ts, nil
}

// RobotPermissions returns a robot's own repository permissions, in
// repository name order, with RepoName and Public filled.
func (s *Service) RobotPermissions(ctx context.Context, r Robot) ([]meta.Permission, error) {
	ps, err := s.store.ListUserPermissions(ctx, r.ID)
	if err != nil {
		return nil, fmt.Errorf("permissions of %s: %w", r.Name, err)
	}
	return ps, nil
}
