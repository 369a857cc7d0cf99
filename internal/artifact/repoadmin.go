package artifact

import (
	"context"
	"fmt"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// This file holds what management APIs do to repositories beyond pushing
// and pulling: creating one on request, changing its description, trust
// flag and visibility, listing what a user may see, and stars.

// CreateRepoRequest asks for a new repository.
type CreateRepoRequest struct {
	Type        string
	Name        string // the full name, namespace included
	CreatorID   int64  // the user asking, 0 when none
	Public      bool
	Description string
}

// CreateRepo creates a repository with its visibility and description in
// one transaction, running the repository hook (permissions of the
// creator, default permissions) in it. Unlike EnsureRepo it refuses a
// name that is taken. Errors: errs.Invalid for a name the format rejects;
// errs.Exists when the repository exists; errs.NotFound when the
// namespace does not exist.
func (s *Service) CreateRepo(ctx context.Context, req CreateRepoRequest) (meta.Repository, error) {
	f, err := s.format(req.Type)
	if err != nil {
		return meta.Repository{}, err
	}
	if err := f.ValidName(req.Name); err != nil {
		return meta.Repository{}, err
	}
	var r meta.Repository
	err = s.meta.Tx(ctx, func(q meta.Queries) error {
		ns, err := q.GetNamespace(ctx, meta.NamespaceOf(req.Name))
		if err != nil {
			return fmt.Errorf("namespace of %s: %w", req.Name, err)
		}
		r = meta.Repository{NamespaceID: ns.ID, Type: req.Type, Name: req.Name, Public: req.Public,
			Description: req.Description}
		if err := q.CreateRepo(ctx, &r); err != nil {
			return err
		}
		if s.onCreate != nil {
			return s.onCreate(ctx, q, r, req.CreatorID)
		}
		return nil
	})
	if err != nil {
		return meta.Repository{}, fmt.Errorf("create repository %s: %w", req.Name, err)
	}
	return r, nil
}

// UpdateRepo changes a repository's description and trust flag: change
// is applied to the stored record inside one transaction, so concurrent
// updates of different fields do not undo each other. Errors:
// errs.NotFound.
func (s *Service) UpdateRepo(ctx context.Context, id int64, change func(r *meta.Repository)) (meta.Repository, error) {
	var r meta.Repository
	err := s.meta.Tx(ctx, func(q meta.Queries) error {
		var err error
		if r, err = q.GetRepoByID(ctx, id); err != nil {
			return err
		}
		change(&r)
		return q.UpdateRepo(ctx, r)
	})
	if err != nil {
		return meta.Repository{}, fmt.Errorf("update repository %d: %w", id, err)
	}
	return r, nil
}

// VisibleRepos returns the repositories f selects, by ID; see
// meta.RepoFilter for what a user sees. Errors: errs.Invalid for a filter
// without a type.
func (s *Service) VisibleRepos(ctx context.Context, f meta.RepoFilter) ([]meta.Repository, error) {
	if _, err := s.format(f.Type); err != nil {
		return nil, errs.E(errs.Invalid, "unknown repository type %q", f.Type)
	}
	rs, err := s.meta.ListVisibleRepos(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list visible repositories: %w", err)
	}
	return rs, nil
}

// Star records that a user starred a repository; starring twice is not
// an error. Errors: errs.NotFound when either does not exist.
func (s *Service) Star(ctx context.Context, userID, repoID int64) error {
	if err := s.meta.Star(ctx, userID, repoID); err != nil {
		return fmt.Errorf("star repository %d: %w", repoID, err)
	}
	return nil
}

// Unstar removes a user's star; removing a missing one is not an error.
func (s *Service) Unstar(ctx context.Context, userID, repoID int64) error {
	if err := s.meta.Unstar(ctx, userID, repoID); err != nil {
		return fmt.Errorf("unstar repository %d: %w", repoID, err)
	}
	return nil
}

// Starred reports whether a user starred a repository.
func (s *Service) Starred(ctx context.Context, userID, repoID int64) (bool, error) {
	ok, err := s.meta.Starred(ctx, userID, repoID)
	if err != nil {
		return false, fmt.Errorf("starred %d: %w", repoID, err)
	}
	return ok, nil
}

// TagSummary is a tag with the size of the version it points at.
type TagSummary struct {
	meta.Tag
	Size int64
}

// TagSummaries returns up to limit tags of a repository in name order,
// each with its version's size, reading the versions in one query.
func (s *Service) TagSummaries(ctx context.Context, repoID int64, limit int) ([]TagSummary, error) {
	ts, err := s.meta.ListTags(ctx, repoID, meta.Page{Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	if len(ts) == 0 {
		return nil, nil
	}
	vs, err := s.meta.ListVersions(ctx, repoID)
	if err != nil {
		return nil, fmt.Errorf("list versions: %w", err)
	}
	size := make(map[int64]int64, len(vs))
	for _, v := range vs {
		size[v.ID] = v.Size
	}
	out := make([]TagSummary, len(ts))
	for i, t := range ts {
		out[i] = TagSummary{Tag: t, Size: size[t.VersionID]}
	}
	return out, nil
}

// LastModified returns when a tag of the repository last moved, or the
// zero time when it has none.
func (s *Service) LastModified(ctx context.Context, repoID int64) (time.Time, error) {
	ts, err := s.meta.ListTags(ctx, repoID, meta.Page{})
	if err != nil {
		return time.Time{}, fmt.Errorf("list tags: %w", err)
	}
	var last time.Time
	for _, t := range ts {
		if t.Updated.After(last) {
			last = t.Updated
		}
	}
	return last, nil
}
