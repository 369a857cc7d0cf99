package auth

import (
	"context"
	"fmt"
	"slices"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// OwnersTeam is the team every organisation is created with: its creator,
// with the admin role.
const OwnersTeam = "owners"

// ValidNamespaceName checks the name of a new user or organisation; both
// share one space of names. Errors: errs.Invalid.
func ValidNamespaceName(name string) error { return ValidUserName(name) }

// CreateOrgRequest describes a new organisation.
type CreateOrgRequest struct {
	Name    string
	Email   string // optional contact address
	Creator Principal
	// Also, when set, runs in the creating transaction after the
	// organisation and its owners team exist, to create what a front keeps
	// with an organisation; its error rolls everything back and is
	// returned.
	Also func(ctx context.Context, q meta.Queries, ns meta.Namespace) error
}

// CreateOrg creates an organisation, public like a user's namespace, with
// the team OwnersTeam (role admin) holding its creator, in one
// transaction, with what the OnCreateOrg hook and req.Also add. Errors: errs.Invalid for a bad
// name or e-mail; errs.Exists when a user or organisation has the name;
// errs.Unauthenticated for an anonymous creator; errs.Denied for a robot;
// those of req.Also.
func (s *Service) CreateOrg(ctx context.Context, req CreateOrgRequest) (meta.Namespace, error) {
	switch {
	case req.Creator.Anonymous():
		return meta.Namespace{}, errs.E(errs.Unauthenticated, "sign in to create an organization")
	case req.Creator.Robot:
		return meta.Namespace{}, errs.E(errs.Denied, "robots cannot create organizations")
	}
	if err := ValidNamespaceName(req.Name); err != nil {
		return meta.Namespace{}, err
	}
	if req.Email != "" {
		if err := validEmail(req.Email); err != nil {
			return meta.Namespace{}, err
		}
	}
	ns := meta.Namespace{Name: req.Name, Kind: meta.KindOrg, Public: true, Email: req.Email,
		TagExpirationSecs: meta.DefaultTagExpirationSecs}
	err := s.store.Tx(ctx, func(q meta.Queries) error {
		if err := q.CreateNamespace(ctx, &ns); err != nil {
			return err
		}
		if ns.Email != "" {
			if err := q.UpdateNamespace(ctx, ns); err != nil {
				return err
			}
		}
		t := meta.Team{NamespaceID: ns.ID, Name: OwnersTeam, Role: meta.TeamAdmin}
		if err := q.CreateTeam(ctx, &t); err != nil {
			return err
		}
		if err := q.AddTeamMember(ctx, t.ID, req.Creator.UserID); err != nil {
			return err
		}
		if s.onCreateOrg != nil {
			if err := s.onCreateOrg(ctx, q, ns, req.Creator); err != nil {
				return err
			}
		}
		if req.Also != nil {
			return req.Also(ctx, q, ns)
		}
		return nil
	})
	if errs.Is(err, errs.Exists) {
		return meta.Namespace{}, errs.Wrap(errs.Exists, "A user or organization with this name already exists", err)
	}
	if err != nil {
		return meta.Namespace{}, fmt.Errorf("create organization %s: %w", req.Name, err)
	}
	return ns, nil
}

// Org returns the organisation named name. Errors: errs.NotFound, also
// when name is a user's namespace.
func (s *Service) Org(ctx context.Context, name string) (meta.Namespace, error) {
	ns, err := s.store.GetNamespace(ctx, name)
	if err == nil && ns.Kind != meta.KindOrg {
		err = errs.E(errs.NotFound, "not an organization")
	}
	if err != nil {
		return meta.Namespace{}, errs.Wrap(errs.NotFound, "organization not found", err)
	}
	return ns, nil
}

// UpdateOrg stores an organisation's settings. Errors: errs.Invalid for a
// bad e-mail address or tag expiration.
func (s *Service) UpdateOrg(ctx context.Context, ns meta.Namespace) error {
	for _, e := range []string{ns.Email, ns.InvoiceEmailAddress} {
		if e != "" {
			if err := validEmail(e); err != nil {
				return err
			}
		}
	}
	if !slices.Contains(TagExpirationOptions, ns.TagExpirationSecs) {
		return errs.E(errs.Invalid, "Invalid tag expiration option")
	}
	if err := s.store.UpdateNamespace(ctx, ns); err != nil {
		return fmt.Errorf("update organization %s: %w", ns.Name, err)
	}
	return nil
}

// TagExpirationOptions are the accepted tag expiration windows, in
// seconds: none, a day, a week, two weeks, four weeks.
var TagExpirationOptions = []int64{0, 86400, 604800, 1209600, 2419200}

// Namespace returns the namespace named name, a user's or an
// organisation's. Errors: errs.NotFound.
func (s *Service) Namespace(ctx context.Context, name string) (meta.Namespace, error) {
	ns, err := s.store.GetNamespace(ctx, name)
	if err != nil {
		return meta.Namespace{}, fmt.Errorf("namespace %s: %w", name, err)
	}
	return ns, nil
}
