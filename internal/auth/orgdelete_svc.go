package auth

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// An organisation is also a Habitat origin, and Habitat gives an origin
// exactly one owner: the direct member with the role meta.MemberOwner.
// Only that owner may delete the origin, and only once its packages are
// gone; the owner cannot leave it, and their account cannot go while they
// own it. The checks here keep those rules for the routes of other
// protocols that delete organisations, remove members and delete
// accounts.

// CheckOrgDelete reports whether by may delete the organisation ns, for a
// front to ask before it deletes what the organisation holds; DeleteOrg
// asks again. The caller must already administer ns (NamespaceRole). When
// ns has an owner, only the owner or a superuser may delete it; nobody may
// while it holds Habitat packages. Errors: errs.Denied for anyone else
// when there is an owner; errs.Conflict while packages remain.
func (s *Service) CheckOrgDelete(ctx context.Context, ns meta.Namespace, by Principal) error {
	if err := orgDeletable(ctx, s.store, ns, by); err != nil {
		return fmt.Errorf("delete organization %s: %w", ns.Name, err)
	}
	return nil
}

// DeleteOrg removes an organisation with its teams, robots, default
// permissions, applications, memberships and what it keeps as a Habitat
// origin (channels, keys, secrets, invitations, settings), after the
// checks of CheckOrgDelete, in one transaction. Its repositories must be
// deleted first. Errors: errs.NotFound; errs.Denied and errs.Conflict as
// CheckOrgDelete; errs.Conflict while repositories remain.
func (s *Service) DeleteOrg(ctx context.Context, ns meta.Namespace, by Principal) error {
	if ns.Kind != meta.KindOrg {
		return errs.E(errs.NotFound, "organization not found")
	}
	err := s.store.Tx(ctx, func(q meta.Queries) error {
		if err := orgDeletable(ctx, q, ns, by); err != nil {
			return err
		}
		return q.DeleteNamespace(ctx, ns.ID)
	})
	if err != nil {
		return fmt.Errorf("delete organization %s: %w", ns.Name, err)
	}
	return nil
}

// orgDeletable refuses to delete an origin by anyone but its owner or a
// superuser, and while it holds Habitat packages.
func orgDeletable(ctx context.Context, q meta.Queries, ns meta.Namespace, by Principal) error {
	owner, ok, err := originOwner(ctx, q, ns)
	if err != nil {
		return err
	}
	if ok && owner.UserID != by.UserID {
		super := false
		if !by.Anonymous() {
			u, err := q.GetUserByID(ctx, by.UserID)
			if err != nil && !errs.Is(err, errs.NotFound) {
				return err
			}
			super = err == nil && superuserAs(by, u)
		}
		if !super {
			return errs.E(errs.Denied,
				"%s is a Habitat origin owned by %s: only its owner (or a superuser) may delete it", ns.Name, owner.UserName)
		}
	}
	rels, err := q.ListReleaseKeys(ctx, meta.ReleaseFilter{NamespaceID: ns.ID})
	if err != nil {
		return err
	}
	if n := len(rels); n > 0 {
		return errs.E(errs.Conflict,
			"%s is a Habitat origin still holding packages (%d releases): delete them, then the origin with DELETE /v1/depot/origins/%s",
			ns.Name, n, ns.Name)
	}
	return nil
}

// originOwner returns the direct member of ns with the owner role, and
// whether there is one.
func originOwner(ctx context.Context, q meta.Queries, ns meta.Namespace) (meta.Member, bool, error) {
	ms, err := q.ListMembers(ctx, ns.ID)
	if err != nil {
		return meta.Member{}, false, err
	}
	for _, m := range ms {
		if m.Role == meta.MemberOwner {
			return m, true, nil
		}
	}
	return meta.Member{}, false, nil
}

// notOwnerOf refuses when u is the owner of the origin org.
func notOwnerOf(ctx context.Context, q meta.Queries, org meta.Namespace, u meta.User) error {
	m, err := q.GetMember(ctx, org.ID, u.ID)
	switch {
	case errs.Is(err, errs.NotFound):
		return nil
	case err != nil:
		return err
	case m.Role == meta.MemberOwner:
		return errs.E(errs.Invalid,
			"Cannot remove %s as they own the Habitat origin %s: transfer the origin to another member first", u.Name, org.Name)
	}
	return nil
}

// CheckAccountDelete reports whether the account named name may be
// deleted, for a front to ask before it deletes what the account's
// namespace holds; DeleteAccount asks again. Errors: errs.NotFound for an
// unknown user or a robot; errs.Invalid while the person owns Habitat
// origins, naming them.
func (s *Service) CheckAccountDelete(ctx context.Context, name string) error {
	u, err := s.store.GetUser(ctx, name)
	if err == nil {
		err = accountDeletable(ctx, s.store, u)
	}
	if err != nil {
		return fmt.Errorf("delete user %s: %w", name, err)
	}
	return nil
}

// accountDeletable refuses to delete a robot through the people's routes
// and a person who owns origins.
func accountDeletable(ctx context.Context, q meta.Queries, u meta.User) error {
	if u.Robot {
		return errs.E(errs.NotFound, "user not found")
	}
	ms, err := q.ListUserMembers(ctx, u.ID)
	if err != nil {
		return err
	}
	var owned []string
	for _, m := range ms {
		if m.Role != meta.MemberOwner {
			continue
		}
		ns, err := q.GetNamespaceByID(ctx, m.NamespaceID)
		if err != nil {
			return err
		}
		owned = append(owned, ns.Name)
	}
	if len(owned) == 0 {
		return nil
	}
	slices.Sort(owned)
	if len(owned) == 1 {
		return errs.E(errs.Invalid,
			"Cannot delete user %s as they own the Habitat origin %s: transfer the origin to another member first",
			u.Name, owned[0])
	}
	return errs.E(errs.Invalid,
		"Cannot delete user %s as they own the Habitat origins %s: transfer each origin to another member first",
		u.Name, strings.Join(owned, ", "))
}
