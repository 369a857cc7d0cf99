package auth

import (
	"context"
	"crypto/rand"
	"fmt"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// SetUserPermission gives a user or robot a role on a repository. The
// owner of a personal namespace is always its admin and cannot be given
// another role; a robot may only be given roles in its own namespace.
// Errors: errs.Invalid for a bad role ("Invalid role"), an unknown user
// ("Invalid username: x"), the namespace owner or a foreign robot.
func (s *Service) SetUserPermission(ctx context.Context, repo meta.Repository, ns meta.Namespace, name, role string) (meta.Permission, meta.User, error) {
	if err := checkRole(role); err != nil {
		return meta.Permission{}, meta.User{}, err
	}
	u, err := s.permissionUser(ctx, ns, name)
	if err != nil {
		return meta.Permission{}, meta.User{}, err
	}
	p := meta.Permission{RepoID: repo.ID, UserID: u.ID, Role: role}
	if err := s.store.PutPermission(ctx, p); err != nil {
		return meta.Permission{}, meta.User{}, fmt.Errorf("set permission of %s on %s: %w", name, repo.Name, err)
	}
	return p, u, nil
}

// permissionUser returns the user a repository permission may name.
func (s *Service) permissionUser(ctx context.Context, ns meta.Namespace, name string) (meta.User, error) {
	u, err := s.store.GetUser(ctx, name)
	if errs.Is(err, errs.NotFound) {
		return meta.User{}, errs.E(errs.Invalid, "Invalid username: %s", name)
	}
	if err != nil {
		return meta.User{}, err
	}
	switch {
	case !u.Robot && ns.Kind == meta.KindUser && u.NamespaceID == ns.ID:
		return meta.User{}, errs.E(errs.Invalid, "Namespace owner must always be admin.")
	case u.Robot && u.NamespaceID != ns.ID:
		return meta.User{}, errs.E(errs.Invalid, "Cannot add robot %s under namespace %s", u.Name, ns.Name)
	}
	return u, nil
}

// DeleteUserPermission removes a user's own permission on a repository.
// Errors: errs.Invalid for the namespace owner, an unknown user or one
// without a permission ("User does not have permission for repo.").
func (s *Service) DeleteUserPermission(ctx context.Context, repo meta.Repository, ns meta.Namespace, name string) error {
	u, err := s.permissionUser(ctx, ns, name)
	if err != nil {
		return err
	}
	err = s.store.DeletePermission(ctx, repo.ID, u.ID, 0)
	if errs.Is(err, errs.NotFound) {
		return errs.E(errs.Invalid, "User does not have permission for repo.")
	}
	return err
}

// SetTeamPermission gives a team of the repository's organisation a role
// on it. Errors: errs.Invalid for a bad role or an unknown team ("No team
// x in organization y").
func (s *Service) SetTeamPermission(ctx context.Context, repo meta.Repository, ns meta.Namespace, team, role string) (meta.Team, error) {
	if err := checkRole(role); err != nil {
		return meta.Team{}, err
	}
	t, err := s.permissionTeam(ctx, ns, team)
	if err != nil {
		return meta.Team{}, err
	}
	if err := s.store.PutPermission(ctx, meta.Permission{RepoID: repo.ID, TeamID: t.ID, Role: role}); err != nil {
		return meta.Team{}, fmt.Errorf("set permission of team %s on %s: %w", team, repo.Name, err)
	}
	return t, nil
}

func (s *Service) permissionTeam(ctx context.Context, ns meta.Namespace, team string) (meta.Team, error) {
	if ns.Kind != meta.KindOrg {
		return meta.Team{}, errs.E(errs.Invalid, "No team %s in organization %s", team, ns.Name)
	}
	t, err := s.store.GetTeam(ctx, ns.ID, team)
	if errs.Is(err, errs.NotFound) {
		return meta.Team{}, errs.E(errs.Invalid, "No team %s in organization %s", team, ns.Name)
	}
	return t, err
}

// DeleteTeamPermission removes a team's permission on a repository.
// Errors: errs.Invalid for an unknown team or one without a permission
// ("Team does not have permission for repo.").
func (s *Service) DeleteTeamPermission(ctx context.Context, repo meta.Repository, ns meta.Namespace, team string) error {
	t, err := s.permissionTeam(ctx, ns, team)
	if err != nil {
		return err
	}
	err = s.store.DeletePermission(ctx, repo.ID, 0, t.ID)
	if errs.Is(err, errs.NotFound) {
		return errs.E(errs.Invalid, "Team does not have permission for repo.")
	}
	return err
}

// OnCreateRepo runs in the transaction that creates a repository, for
// the user creatorID (0 when none is known): a creator who is not the
// owner of the personal namespace gets the admin role on it, and every
// default permission of the organisation that applies to the creator is
// granted. It has the signature the core's repository hook takes.
func OnCreateRepo(ctx context.Context, q meta.Queries, repo meta.Repository, creatorID int64) error {
	ns, err := q.GetNamespaceByID(ctx, repo.NamespaceID)
	if err != nil {
		return err
	}
	if creatorID != 0 {
		u, err := q.GetUserByID(ctx, creatorID)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
		if err == nil && (u.Robot || u.NamespaceID != ns.ID) {
			if err := q.PutPermission(ctx, meta.Permission{RepoID: repo.ID, UserID: u.ID, Role: meta.RoleAdmin}); err != nil {
				return err
			}
		}
	}
	if ns.Kind != meta.KindOrg {
		return nil
	}
	protos, err := q.ListPrototypes(ctx, ns.ID)
	if err != nil {
		return err
	}
	for _, p := range protos {
		if p.ActivatingUserID != 0 && p.ActivatingUserID != creatorID {
			continue
		}
		perm := meta.Permission{RepoID: repo.ID, UserID: p.DelegateUserID, TeamID: p.DelegateTeamID, Role: p.Role}
		if perm.UserID != 0 && perm.UserID == creatorID {
			continue // the creator is admin already
		}
		if err := q.PutPermission(ctx, perm); err != nil {
			return err
		}
	}
	return nil
}

// PrototypeRequest describes a default permission.
type PrototypeRequest struct {
	Org            meta.Namespace
	Role           string
	ActivatingUser string // "" for any user
	DelegateUser   string // exactly one of DelegateUser and DelegateTeam
	DelegateTeam   string
}

// CreatePrototype adds a default permission to an organisation. Errors:
// errs.Invalid for a bad role, an unknown activating user ("Unknown
// activating user"), a missing or unknown delegate ("Missing delegate
// user or team").
func (s *Service) CreatePrototype(ctx context.Context, req PrototypeRequest) (meta.Prototype, error) {
	if err := checkRole(req.Role); err != nil {
		return meta.Prototype{}, err
	}
	p := meta.Prototype{NamespaceID: req.Org.ID, Role: req.Role}
	if req.ActivatingUser != "" {
		u, err := s.store.GetUser(ctx, req.ActivatingUser)
		if err != nil || u.Robot {
			return meta.Prototype{}, errs.E(errs.Invalid, "Unknown activating user")
		}
		p.ActivatingUserID = u.ID
	}
	switch {
	case req.DelegateUser != "" && req.DelegateTeam == "":
		u, err := s.store.GetUser(ctx, req.DelegateUser)
		if err != nil || (u.Robot && u.NamespaceID != req.Org.ID) {
			return meta.Prototype{}, errs.E(errs.Invalid, "Missing delegate user or team")
		}
		p.DelegateUserID = u.ID
	case req.DelegateTeam != "" && req.DelegateUser == "":
		t, err := s.store.GetTeam(ctx, req.Org.ID, req.DelegateTeam)
		if err != nil {
			return meta.Prototype{}, errs.E(errs.Invalid, "Missing delegate user or team")
		}
		p.DelegateTeamID = t.ID
	default:
		return meta.Prototype{}, errs.E(errs.Invalid, "Missing delegate user or team")
	}
	p.UUID = newUUID()
	if err := s.store.CreatePrototype(ctx, &p); err != nil {
		return meta.Prototype{}, fmt.Errorf("create default permission in %s: %w", req.Org.Name, err)
	}
	return p, nil
}

// newUUID returns a random (version 4) UUID in its text form.
func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
