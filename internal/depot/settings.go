package depot

import (
	"context"
	"fmt"
	"strings"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/format/hab"
	"wharf/internal/meta"
)

// ValidVisibility checks a package visibility. Errors: errs.Invalid,
// with Builder's message when it is empty.
func ValidVisibility(v string) error {
	switch v {
	case meta.VisibilityPublic, meta.VisibilityPrivate, meta.VisibilityHidden:
		return nil
	case "":
		return errs.E(errs.Invalid, "Missing required package visibility")
	}
	return errs.E(errs.Invalid, "Invalid package visibility '%s'", v)
}

// packageRepo returns the repository of a package of the origin ns.
// Errors: errs.NotFound.
func (s *Service) packageRepo(ctx context.Context, ns meta.Namespace, name string) (meta.Repository, error) {
	if hab.ValidName(name) != nil {
		return meta.Repository{}, errs.E(errs.NotFound, "package not found")
	}
	r, err := s.core.Repo(ctx, RepoType, repoName(ns.Name, name))
	if err == nil && r.Name != repoName(ns.Name, name) {
		// The core finds names regardless of case; Habitat's differ.
		err = errs.E(errs.NotFound, "package not found")
	}
	if err != nil {
		return meta.Repository{}, notFound(err, "package not found")
	}
	return r, nil
}

// packageSettings reads the settings of a package repository, naming them
// after the repository. Errors: errs.NotFound when it has none.
func (s *Service) packageSettings(ctx context.Context, ns meta.Namespace, r meta.Repository) (meta.PackageSettings, error) {
	ps, err := s.store.GetPackageSettings(ctx, r.ID)
	if err != nil {
		return meta.PackageSettings{}, notFound(err, "package settings not found")
	}
	ps.Origin = ns.Name
	_, ps.Name, _ = strings.Cut(r.Name, "/")
	return ps, nil
}

// PackageSettings returns the settings of a package. Errors: errs.NotFound
// for them and for the origin; errs.Unauthenticated; errs.Denied below
// read-only member.
func (s *Service) PackageSettings(ctx context.Context, p auth.Principal, origin, name string) (meta.PackageSettings, error) {
	ns, err := s.originAs(ctx, p, origin, ReadOnlyMember)
	if err != nil {
		return meta.PackageSettings{}, err
	}
	r, err := s.packageRepo(ctx, ns, name)
	if err != nil {
		return meta.PackageSettings{}, err
	}
	return s.packageSettings(ctx, ns, r)
}

// CreatePackageSettings creates the settings of a package name, with the
// origin's default visibility, and its repository when it has none.
// Errors: errs.Invalid for a bad package name; errs.Exists when the
// package has settings; errs.NotFound for the origin;
// errs.Unauthenticated; errs.Denied below maintainer.
func (s *Service) CreatePackageSettings(ctx context.Context, p auth.Principal, origin, name string) (meta.PackageSettings, error) {
	ns, err := s.originAs(ctx, p, origin, Maintainer)
	if err != nil {
		return meta.PackageSettings{}, err
	}
	if err := hab.ValidName(name); err != nil {
		return meta.PackageSettings{}, err
	}
	if err := s.sameCase(ctx, ns, name); err != nil {
		return meta.PackageSettings{}, err
	}
	o, err := settingsOf(ctx, s.store, ns)
	if err != nil {
		return meta.PackageSettings{}, err
	}
	r, err := s.core.EnsureRepo(ctx, RepoType, repoName(ns.Name, name), p.UserID)
	if err != nil {
		return meta.PackageSettings{}, fmt.Errorf("package repository: %w", err)
	}
	ps := meta.PackageSettings{RepoID: r.ID, NamespaceID: ns.ID, Origin: ns.Name, Visibility: o.DefaultVisibility, OwnerID: p.UserID}
	_, ps.Name, _ = strings.Cut(r.Name, "/")
	if err := s.store.CreatePackageSettings(ctx, &ps); err != nil {
		if errs.Is(err, errs.Exists) {
			return meta.PackageSettings{}, errs.E(errs.Exists, "Package settings for %s/%s already exist", ns.Name, ps.Name)
		}
		return meta.PackageSettings{}, fmt.Errorf("create package settings: %w", err)
	}
	return ps, nil
}

// UpdatePackageSettings sets the visibility a package's future releases
// get; its releases keep theirs. Errors: errs.Invalid for a bad
// visibility (see ValidVisibility); errs.NotFound for the settings and
// the origin; errs.Unauthenticated; errs.Denied below maintainer.
func (s *Service) UpdatePackageSettings(ctx context.Context, p auth.Principal, origin, name, visibility string) (meta.PackageSettings, error) {
	ns, err := s.originAs(ctx, p, origin, Maintainer)
	if err != nil {
		return meta.PackageSettings{}, err
	}
	if err := ValidVisibility(visibility); err != nil {
		return meta.PackageSettings{}, err
	}
	r, err := s.packageRepo(ctx, ns, name)
	if err != nil {
		return meta.PackageSettings{}, err
	}
	ps, err := s.packageSettings(ctx, ns, r)
	if err != nil {
		return meta.PackageSettings{}, err
	}
	ps.Visibility = visibility
	if err := s.store.UpdatePackageSettings(ctx, ps); err != nil {
		return meta.PackageSettings{}, notFound(err, "package settings not found")
	}
	return s.packageSettings(ctx, ns, r)
}

// DeletePackageSettings removes a package's settings with its repository,
// once it has no release. Errors: errs.Conflict while a release of the
// package exists; errs.NotFound for the settings and the origin;
// errs.Unauthenticated; errs.Denied below maintainer.
func (s *Service) DeletePackageSettings(ctx context.Context, p auth.Principal, origin, name string) error {
	ns, err := s.originAs(ctx, p, origin, Maintainer)
	if err != nil {
		return err
	}
	r, err := s.packageRepo(ctx, ns, name)
	if err != nil {
		return err
	}
	ps, err := s.packageSettings(ctx, ns, r)
	if err != nil {
		return err
	}
	keys, err := s.store.ListReleaseKeys(ctx, meta.ReleaseFilter{NamespaceID: ns.ID, Name: ps.Name})
	if err != nil {
		return fmt.Errorf("list releases: %w", err)
	}
	if n := len(keys); n > 0 {
		return errs.E(errs.Conflict, "There are %d releases of %s/%s remaining. Must be zero.", n, ns.Name, ps.Name)
	}
	// Only the settings go, in one statement that checks again for
	// releases: the repository stays, so an upload racing with this is
	// never lost; its next upload makes settings anew.
	err = s.store.DeletePackageSettings(ctx, r.ID)
	if errs.Is(err, errs.Conflict) {
		return errs.E(errs.Conflict, "There are releases of %s/%s remaining. Must be zero.", ns.Name, ps.Name)
	}
	return notFound(err, "package settings not found")
}

// OriginPackages lists the settings of an origin's packages by name
// (Builder's /depot/{origin}/pkgs): every one for its members, the public
// ones for anyone else. An unknown origin gives an empty page.
func (s *Service) OriginPackages(ctx context.Context, p auth.Principal, origin string, offset, limit int) (Page[meta.PackageSettings], error) {
	ns, err := s.Origin(ctx, origin)
	if errs.Is(err, errs.NotFound) {
		return Page[meta.PackageSettings]{Items: []meta.PackageSettings{}}, nil
	}
	if err != nil {
		return Page[meta.PackageSettings]{}, err
	}
	role, err := s.RoleIn(ctx, p, ns)
	if err != nil {
		return Page[meta.PackageSettings]{}, err
	}
	var vis []string
	if role == NoRole {
		vis = []string{meta.VisibilityPublic}
	}
	items, total, err := s.store.ListPackageSettings(ctx, ns.ID, vis, offset, limit)
	if err != nil {
		return Page[meta.PackageSettings]{}, fmt.Errorf("list package settings: %w", err)
	}
	for i := range items {
		items[i].Origin = ns.Name
	}
	if items == nil {
		items = []meta.PackageSettings{}
	}
	return Page[meta.PackageSettings]{Items: items, Total: total}, nil
}
