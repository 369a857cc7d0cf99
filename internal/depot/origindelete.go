package depot

import (
	"context"
	"fmt"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// DeleteOrigin deletes an origin that holds nothing but its owner and its
// channels "unstable" and "stable": the organisation goes with its teams,
// memberships, channels, invitations, keys and settings. Errors:
// errs.Conflict, worded as Builder words it, while other members,
// secrets, integrations, other channels, releases, package settings or
// repositories of other formats remain; errs.NotFound;
// errs.Unauthenticated; errs.Denied below owner.
func (s *Service) DeleteOrigin(ctx context.Context, p auth.Principal, name string) error {
	ns, err := s.originAs(ctx, p, name, Owner)
	if err != nil {
		return err
	}
	if err := deletable(ctx, s.store, ns); err != nil {
		return err
	}
	repos, err := s.core.NamespaceRepos(ctx, ns.ID)
	if err != nil {
		return err
	}
	var habRepos []meta.Repository
	for _, r := range repos {
		if r.Type == RepoType {
			habRepos = append(habRepos, r)
		}
	}
	if n := len(repos) - len(habRepos); n > 0 {
		return errs.E(errs.Conflict, "There are %d repositories remaining in origin %s. Must be zero.", n, ns.Name)
	}
	// What is left of packages is empty: no release and no settings.
	for _, r := range habRepos {
		if err := s.core.DeleteRepo(ctx, r.ID); err != nil && !errs.Is(err, errs.NotFound) {
			return fmt.Errorf("delete origin %s: %w", ns.Name, err)
		}
	}
	err = s.store.Tx(ctx, func(q meta.Queries) error {
		if err := lockOrigin(ctx, q, ns, p, Owner); err != nil {
			return err
		}
		if err := deletable(ctx, q, ns); err != nil {
			return err
		}
		ms, err := q.ListMembers(ctx, ns.ID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if err := q.DeleteMember(ctx, ns.ID, m.UserID); err != nil {
				return err
			}
		}
		is, err := q.ListOriginInvitations(ctx, ns.ID)
		if err != nil {
			return err
		}
		for _, i := range is {
			if err := q.DeleteOriginInvitation(ctx, i.ID); err != nil {
				return err
			}
		}
		cs, err := q.ListChannels(ctx, ns.ID)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if err := q.DeleteChannel(ctx, c.ID); err != nil {
				return err
			}
		}
		err = q.DeleteNamespace(ctx, ns.ID)
		if errs.Is(err, errs.Conflict) {
			// A repository was created meanwhile.
			return errs.Wrap(errs.Conflict, fmt.Sprintf("There are repositories remaining in origin %s. Must be zero.", ns.Name), err)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("delete origin %s: %w", ns.Name, err)
	}
	return nil
}

// deletable refuses, as Builder does, to delete an origin that holds more
// than its owner and its two first channels.
func deletable(ctx context.Context, q meta.Queries, ns meta.Namespace) error {
	refuse := func(n int, what, rule string) error {
		return errs.E(errs.Conflict, "There are %d %s remaining in origin %s. %s", n, what, ns.Name, rule)
	}
	people, err := memberIDs(ctx, q, ns)
	if err != nil {
		return err
	}
	if len(people) > 1 {
		return refuse(len(people), "members", "Only one is allowed.")
	}
	secrets, err := q.ListOriginSecrets(ctx, ns.ID)
	if err != nil {
		return err
	}
	if len(secrets) > 0 {
		return refuse(len(secrets), "secrets", "Must be zero.")
	}
	ints, err := q.ListIntegrations(ctx, ns.ID)
	if err != nil {
		return err
	}
	if len(ints) > 0 {
		return refuse(len(ints), "integrations", "Must be zero.")
	}
	cs, err := q.ListChannels(ctx, ns.ID)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.Name != Stable && c.Name != Unstable {
			return refuse(len(cs), "channels", "Only two are allowed [unstable, stable].")
		}
	}
	rels, err := q.ListReleaseKeys(ctx, meta.ReleaseFilter{NamespaceID: ns.ID})
	if err != nil {
		return err
	}
	if len(rels) > 0 {
		return refuse(len(rels), "packages", "Must be zero.")
	}
	n, err := q.CountPackageSettings(ctx, ns.ID)
	if err != nil {
		return err
	}
	if n > 0 {
		return refuse(n, "package settings entries", "Must be zero.")
	}
	return nil
}
