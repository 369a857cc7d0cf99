package postgres

import (
	"context"
	"strings"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// ListVisibleRepos implements meta.Permissions in one query. The sets of
// namespaces and repositories a signed-in user reaches do not depend on
// the row, so PostgreSQL computes each once; the public test is a lookup
// of the row's namespace. Limit <= 0 means no limit. Errors: errs.Invalid
// for an empty type.
func (q *queries) ListVisibleRepos(ctx context.Context, f meta.RepoFilter) ([]meta.Repository, error) {
	if f.Type == "" {
		return nil, errs.E(errs.Invalid, "repository filter needs a type")
	}
	if f.UserID == 0 && (!f.Public || f.Starred) {
		return nil, nil // the anonymous caller sees only public repositories and stars none
	}
	var w where
	w.and(`r.type = ` + w.arg(f.Type))
	if f.NamespaceID != 0 {
		w.and(`r.namespace_id = ` + w.arg(f.NamespaceID))
	}
	if f.AfterID != 0 {
		w.and(`r.id > ` + w.arg(f.AfterID))
	}
	if f.NamePrefix != "" {
		w.and(`r.lower_name LIKE ` + w.arg(prefixPattern(strings.ToLower(f.NamePrefix))) + ` ESCAPE '\'`)
	}
	if f.NameContains != "" {
		w.and(`r.lower_name LIKE ` + w.arg(containsPattern(strings.ToLower(f.NameContains))) + ` ESCAPE '\'`)
	}
	public := `r.public AND EXISTS (SELECT 1 FROM namespaces n WHERE n.id = r.namespace_id AND n.public)`
	if f.UserID == 0 {
		w.and(public)
	} else {
		u := w.arg(f.UserID)
		if f.Starred {
			w.and(`r.id IN (SELECT s.repo_id FROM stars s WHERE s.user_id = ` + u + `)`)
		}
		reach := `(r.namespace_id IN (
				SELECT namespace_id FROM users WHERE id = ` + u + ` AND NOT robot
				UNION
				SELECT t.namespace_id FROM team_members m JOIN teams t ON t.id = m.team_id
				WHERE m.user_id = ` + u + ` AND t.role = 'admin')
			OR r.id IN (
				SELECT repo_id FROM permissions WHERE user_id = ` + u + `
				UNION
				SELECT p.repo_id FROM team_members m JOIN permissions p ON p.team_id = m.team_id
				WHERE m.user_id = ` + u + `)`
		if f.Public {
			reach += ` OR (` + public + `)`
		}
		w.and(reach + `)`)
	}
	query := `SELECT ` + prefixed("r", repoCols) + ` FROM repositories r` + w.String() +
		` ORDER BY r.id LIMIT ` + w.arg(limit(f.Limit))
	rs, err := list(ctx, q.db, scanRepo, query, w.args...)
	return rs, wrap("list visible repositories", err)
}
