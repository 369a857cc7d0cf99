package artifact

import (
	"context"
	"fmt"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// OwnerVersions returns the versions of a namespace's repositories that f
// selects, newest first, and how many it selects in all; see
// meta.Versions.ListOwnerVersions. Errors: errs.Invalid for a filter
// without a type or with a negative offset.
func (s *Service) OwnerVersions(ctx context.Context, namespaceID int64, f meta.VersionFilter) ([]meta.OwnerVersion, int, error) {
	vs, total, err := s.meta.ListOwnerVersions(ctx, namespaceID, f)
	if err != nil {
		return nil, 0, fmt.Errorf("list owner versions: %w", err)
	}
	return vs, total, nil
}

// OwnerVersion returns a version of a repository named by type and name
// with the repository and the version's creator, shaped as a row of
// OwnerVersions. Errors: errs.NotFound when the repository or the version
// does not exist.
func (s *Service) OwnerVersion(ctx context.Context, typ, repoName, version string) (meta.OwnerVersion, error) {
	repo, err := s.Repo(ctx, typ, repoName)
	if err != nil {
		return meta.OwnerVersion{}, err
	}
	v, err := s.meta.GetVersion(ctx, repo.ID, version)
	if err != nil {
		return meta.OwnerVersion{}, fmt.Errorf("version %s: %w", version, err)
	}
	ov := meta.OwnerVersion{Version: v, Repo: repo}
	if v.CreatorID == 0 {
		return ov, nil
	}
	u, err := s.meta.GetUserByID(ctx, v.CreatorID)
	switch {
	case errs.Is(err, errs.NotFound):
	case err != nil:
		return meta.OwnerVersion{}, fmt.Errorf("creator of version %s: %w", version, err)
	default:
		ov.Creator = meta.User{ID: u.ID, Name: u.Name, Email: u.Email, Created: u.Created}
	}
	return ov, nil
}

// VersionFiles returns a version's files ordered by name.
func (s *Service) VersionFiles(ctx context.Context, versionID int64) ([]meta.File, error) {
	fs, err := s.meta.ListFiles(ctx, versionID)
	if err != nil {
		return nil, fmt.Errorf("list files: %w", err)
	}
	return fs, nil
}

// NamespaceUser returns the user owning a namespace, with ID, Name, Email
// and Created set. Errors: errs.NotFound when no user owns it, as for an
// organization.
func (s *Service) NamespaceUser(ctx context.Context, ns meta.Namespace) (meta.User, error) {
	if ns.Kind != meta.KindUser {
		return meta.User{}, errs.E(errs.NotFound, "namespace %s is not a user's", ns.Name)
	}
	u, err := s.meta.GetUser(ctx, ns.Name)
	if err == nil && u.NamespaceID != ns.ID {
		err = errs.E(errs.NotFound, "no user owns namespace %s", ns.Name)
	}
	if err != nil {
		return meta.User{}, fmt.Errorf("owner of %s: %w", ns.Name, err)
	}
	return meta.User{ID: u.ID, Name: u.Name, Email: u.Email, Created: u.Created}, nil
}
