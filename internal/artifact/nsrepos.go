package artifact

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// NamespaceRepos returns every repository of a namespace, of every
// registered format, by type and then name.
func (s *Service) NamespaceRepos(ctx context.Context, namespaceID int64) ([]meta.Repository, error) {
	types := make([]string, 0, len(s.formats))
	for t := range s.formats {
		types = append(types, t)
	}
	slices.Sort(types)
	var out []meta.Repository
	for _, typ := range types {
		p := meta.Page{Limit: 500}
		for {
			rs, err := s.meta.ListNamespaceRepos(ctx, namespaceID, typ, p)
			if err != nil {
				return nil, fmt.Errorf("repositories of namespace %d: %w", namespaceID, err)
			}
			out = append(out, rs...)
			if len(rs) < p.Limit {
				break
			}
			p.After = strings.ToLower(rs[len(rs)-1].Name)
		}
	}
	return out, nil
}

// DeleteNamespaceRepos deletes every repository of a namespace, of every
// registered format; one deleted meanwhile by another caller is not an
// error. Blobs stay until garbage collection finds them unreferenced.
func (s *Service) DeleteNamespaceRepos(ctx context.Context, namespaceID int64) error {
	rs, err := s.NamespaceRepos(ctx, namespaceID)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if err := s.DeleteRepo(ctx, r.ID); err != nil && !errs.Is(err, errs.NotFound) {
			return fmt.Errorf("delete repository %s: %w", r.Name, err)
		}
	}
	return nil
}
