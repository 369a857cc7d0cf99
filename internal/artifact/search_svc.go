package artifact

import (
	"context"
	"fmt"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// SearchRepos returns the repositories f selects, by ID: those the user
// f.UserID may see (see meta.RepoFilter) whose names match. Errors:
// errs.Invalid for an unknown repository type.
func (s *Service) SearchRepos(ctx context.Context, f meta.RepoFilter) ([]meta.Repository, error) {
	if _, err := s.format(f.Type); err != nil {
		return nil, errs.E(errs.Invalid, "unknown repository type %q", f.Type)
	}
	rs, err := s.meta.ListVisibleRepos(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("search repositories: %w", err)
	}
	return rs, nil
}

// RepoUsage is what search results tell of a repository's use.
type RepoUsage struct {
	Stars        int
	LastModified time.Time // when a tag last moved; zero without tags
}

// SearchRepoUsage returns a repository's stars and last change.
func (s *Service) SearchRepoUsage(ctx context.Context, repoID int64) (RepoUsage, error) {
	var u RepoUsage
	n, err := s.meta.CountStars(ctx, repoID)
	if err != nil {
		return u, fmt.Errorf("stars of repository %d: %w", repoID, err)
	}
	u.Stars = n
	ts, err := s.meta.ListTags(ctx, repoID, meta.Page{})
	if err != nil {
		return u, fmt.Errorf("tags of repository %d: %w", repoID, err)
	}
	for _, t := range ts {
		if t.Updated.After(u.LastModified) {
			u.LastModified = t.Updated
		}
	}
	return u, nil
}
