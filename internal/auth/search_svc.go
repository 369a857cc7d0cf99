package auth

import (
	"context"
	"fmt"
	"strings"

	"wharf/internal/meta"
)

// SearchUsers returns up to limit enabled people whose lower-cased name
// starts with prefix, in name order.
func (s *Service) SearchUsers(ctx context.Context, prefix string, limit int) ([]meta.User, error) {
	return s.searchUsers(ctx, meta.UserFilter{Prefix: strings.ToLower(prefix)}, limit)
}

// SearchRobots returns up to limit enabled robots of a namespace whose
// short name starts with prefix, in name order.
func (s *Service) SearchRobots(ctx context.Context, ns meta.Namespace, prefix string, limit int) ([]meta.User, error) {
	f := meta.UserFilter{Robots: true, NamespaceID: ns.ID, Prefix: RobotName(ns.Name, strings.ToLower(prefix))}
	return s.searchUsers(ctx, f, limit)
}

// searchUsers pages through the users f selects, skipping disabled ones,
// until it has limit of them.
func (s *Service) searchUsers(ctx context.Context, f meta.UserFilter, limit int) ([]meta.User, error) {
	var out []meta.User
	f.Limit = limit
	for len(out) < limit {
		us, err := s.store.ListUsers(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("search users: %w", err)
		}
		for _, u := range us {
			if !u.Disabled && len(out) < limit {
				out = append(out, u)
			}
		}
		if len(us) < f.Limit {
			break
		}
		f.After = strings.ToLower(us[len(us)-1].Name)
	}
	return out, nil
}

// SearchNamespaces returns up to limit namespaces of a kind ("" for
// both) whose lower-cased name starts with prefix, in name order.
func (s *Service) SearchNamespaces(ctx context.Context, kind meta.NamespaceKind, prefix string, limit int) ([]meta.Namespace, error) {
	ns, err := s.store.ListNamespaces(ctx, meta.NamespaceFilter{Kind: kind, Prefix: strings.ToLower(prefix), Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("search namespaces: %w", err)
	}
	return ns, nil
}

// SearchTeams returns up to limit teams of an organisation whose
// lower-cased name starts with prefix, oldest first.
func (s *Service) SearchTeams(ctx context.Context, org meta.Namespace, prefix string, limit int) ([]meta.Team, error) {
	ts, err := s.store.ListTeams(ctx, org.ID)
	if err != nil {
		return nil, fmt.Errorf("search teams of %s: %w", org.Name, err)
	}
	var out []meta.Team
	for _, t := range ts {
		if strings.HasPrefix(strings.ToLower(t.Name), strings.ToLower(prefix)) && len(out) < limit {
			out = append(out, t)
		}
	}
	return out, nil
}
