package auth

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// UserNamed returns the account named name, a person's or a robot's.
// Errors: errs.NotFound.
func (s *Service) UserNamed(ctx context.Context, name string) (meta.User, error) {
	u, err := s.store.GetUser(ctx, name)
	if err != nil {
		return meta.User{}, fmt.Errorf("user %s: %w", name, err)
	}
	return u, nil
}

// UserWithID returns the account with id. Errors: errs.NotFound.
func (s *Service) UserWithID(ctx context.Context, id int64) (meta.User, error) {
	u, err := s.store.GetUserByID(ctx, id)
	if err != nil {
		return meta.User{}, fmt.Errorf("user %d: %w", id, err)
	}
	return u, nil
}

// TeamWithID returns the team with id. Errors: errs.NotFound.
func (s *Service) TeamWithID(ctx context.Context, id int64) (meta.Team, error) {
	t, err := s.store.GetTeamByID(ctx, id)
	if err != nil {
		return meta.Team{}, fmt.Errorf("team %d: %w", id, err)
	}
	return t, nil
}

// NamespaceWithID returns the namespace with id. Errors:
// errs.NotFound.
func (s *Service) NamespaceWithID(ctx context.Context, id int64) (meta.Namespace, error) {
	ns, err := s.store.GetNamespaceByID(ctx, id)
	if err != nil {
		return meta.Namespace{}, fmt.Errorf("namespace %d: %w", id, err)
	}
	return ns, nil
}

// People returns the people's accounts (no robots) in name order after
// after, at most limit (<= 0: all).
func (s *Service) People(ctx context.Context, after string, limit int) ([]meta.User, error) {
	us, err := s.store.ListUsers(ctx, meta.UserFilter{After: after, Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return us, nil
}

// Orgs returns the organisations in name order after after, at most limit
// (<= 0: all).
func (s *Service) Orgs(ctx context.Context, after string, limit int) ([]meta.Namespace, error) {
	ns, err := s.store.ListNamespaces(ctx, meta.NamespaceFilter{Kind: meta.KindOrg, After: after, Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("list organizations: %w", err)
	}
	return ns, nil
}

// UserOrgs returns the organisations whose teams hold the user, in name
// order.
func (s *Service) UserOrgs(ctx context.Context, userID int64) ([]meta.Namespace, error) {
	teams, err := s.UserTeams(ctx, userID, 0)
	if err != nil {
		return nil, err
	}
	var out []meta.Namespace
	for _, t := range teams {
		if slices.ContainsFunc(out, func(n meta.Namespace) bool { return n.ID == t.NamespaceID }) {
			continue
		}
		ns, err := s.store.GetNamespaceByID(ctx, t.NamespaceID)
		if err != nil {
			return nil, fmt.Errorf("organizations of user %d: %w", userID, err)
		}
		out = append(out, ns)
	}
	slices.SortFunc(out, func(a, b meta.Namespace) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// ValidNewPassword checks a password chosen through the API: at least 8
// characters and no white space. Errors: errs.Invalid.
func ValidNewPassword(pw string) error {
	if len([]rune(pw)) < 8 || strings.ContainsFunc(pw, unicode.IsSpace) {
		return errs.E(errs.Invalid, "Password must be at least 8 characters and contain no whitespace.")
	}
	return checkPasswordInput(pw)
}

// AccountChanges are changes to a person's account; nil fields stay.
type AccountChanges struct {
	Password  *string
	Email     *string
	Enabled   *bool
	Superuser *bool
}

// UpdateAccount changes a person's account and returns it as stored. A
// changed password may still be accepted for the minute a successful
// check is cached. Errors: errs.NotFound for an unknown user or a robot;
// errs.Invalid for a bad password or e-mail address.
func (s *Service) UpdateAccount(ctx context.Context, name string, c AccountChanges) (meta.User, error) {
	var hash string
	if c.Password != nil {
		if err := ValidNewPassword(*c.Password); err != nil {
			return meta.User{}, err
		}
		var err error
		if hash, err = HashPassword(*c.Password); err != nil {
			return meta.User{}, err
		}
	}
	if c.Email != nil {
		if err := validEmail(*c.Email); err != nil {
			return meta.User{}, err
		}
	}
	var u meta.User
	err := s.store.Tx(ctx, func(q meta.Queries) error {
		var err error
		if u, err = q.GetUser(ctx, name); err != nil {
			return err
		}
		if u.Robot {
			return errs.E(errs.NotFound, "user not found")
		}
		if c.Password != nil {
			u.PasswordHash = hash
		}
		if c.Email != nil {
			u.Email = *c.Email
		}
		if c.Enabled != nil {
			u.Disabled = !*c.Enabled
		}
		if c.Superuser != nil {
			u.Superuser = *c.Superuser
		}
		return q.UpdateUser(ctx, u)
	})
	if err != nil {
		return meta.User{}, fmt.Errorf("update user %s: %w", name, err)
	}
	return u, nil
}

// DeleteAccount removes a person's account and their namespace, with its
// robots, in one transaction. The namespace's repositories must be
// deleted first. A person who owns Habitat origins cannot go: an origin
// keeps exactly one owner (CheckAccountDelete). Errors: errs.NotFound for
// an unknown user or a robot; errs.Invalid while they own origins;
// errs.Conflict while the namespace owns repositories.
func (s *Service) DeleteAccount(ctx context.Context, name string) error {
	err := s.store.Tx(ctx, func(q meta.Queries) error {
		u, err := q.GetUser(ctx, name)
		if err != nil {
			return err
		}
		if err := accountDeletable(ctx, q, u); err != nil {
			return err
		}
		if err := q.DeleteUser(ctx, u.ID); err != nil {
			return err
		}
		return q.DeleteNamespace(ctx, u.NamespaceID)
	})
	if err != nil {
		return fmt.Errorf("delete user %s: %w", name, err)
	}
	return nil
}
