package sqlite

import (
	"context"
	"strings"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// ListVisibleRepos implements meta.Permissions in one query. The
// repositories a signed-in user reaches, those of their own namespace and
// of the organisations their admin teams administer and those they or
// their teams have a permission on, are one set that does not depend on
// the row, so SQLite computes it once, from the user's rows outwards; the
// public test is a lookup of the row's namespace. Limit <= 0 means no
// limit. Errors: errs.Invalid for an empty type.
func (q *queries) ListVisibleRepos(ctx context.Context, f meta.RepoFilter) ([]meta.Repository, error) {
	if f.Type == "" {
		return nil, errs.E(errs.Invalid, "repository filter needs a type")
	}
	if f.UserID == 0 && (!f.Public || f.Starred) {
		return nil, nil // the anonymous caller sees only public repositories and stars none
	}
	query, args := visibleQuery(f)
	rs, err := list(ctx, q.rd, scanRepo, query, args...)
	return rs, wrap("list visible repositories", err)
}

// visibleQuery returns the query of ListVisibleRepos for f and its
// arguments.
func visibleQuery(f meta.RepoFilter) (string, []any) {
	var w where
	// The unary plus keeps SQLite off the type index, which would make it
	// sort every repository of the type: it reads the rowid range in
	// order, the namespace index, or the rows the user's stars or
	// reachable namespaces and repositories name.
	typ := w.arg(f.Type)
	w.and(`+r.type = ` + typ)
	if f.NamespaceID != 0 {
		w.and(`r.namespace_id = ` + w.arg(f.NamespaceID))
	}
	if f.AfterID != 0 {
		w.and(`r.id > ` + w.arg(f.AfterID))
	}
	if f.ByName && f.AfterName != "" {
		w.and(`r.lower_name > ` + w.arg(strings.ToLower(f.AfterName)))
	}
	if f.NamePrefix != "" {
		w.and(`r.lower_name LIKE ` + w.arg(prefixPattern(strings.ToLower(f.NamePrefix))) + ` ESCAPE '\'`)
	}
	if f.NameContains != "" {
		w.and(`r.lower_name LIKE ` + w.arg(containsPattern(strings.ToLower(f.NameContains))) + ` ESCAPE '\'`)
	}
	public := `r.public = 1 AND EXISTS (SELECT 1 FROM namespaces n WHERE n.id = r.namespace_id AND n.public = 1)`
	if f.UserID == 0 {
		w.and(public)
	} else {
		u := w.arg(f.UserID)
		if f.Starred {
			w.and(`r.id IN (SELECT s.repo_id FROM stars s WHERE s.user_id = ` + u + `)`)
		}
		reach := `r.id IN (
				SELECT v.id FROM repositories v WHERE v.type = ` + typ + ` AND v.namespace_id IN (
					SELECT namespace_id FROM users WHERE id = ` + u + ` AND robot = 0
					UNION ALL
					SELECT t.namespace_id FROM team_members m JOIN teams t ON t.id = m.team_id
					WHERE m.user_id = ` + u + ` AND t.role = 'admin'
					UNION ALL
					SELECT namespace_id FROM members WHERE user_id = ` + u + `)
				UNION
				SELECT repo_id FROM permissions WHERE user_id = ` + u + `
				UNION
				SELECT p.repo_id FROM team_members m JOIN permissions p ON p.team_id = m.team_id
				WHERE m.user_id = ` + u + `)`
		if f.Public {
			reach = `(` + reach + ` OR (` + public + `))`
		}
		w.and(reach)
	}
	order := `r.id`
	if f.ByName {
		order = `r.lower_name`
	}
	query := `SELECT ` + prefixed("r", repoCols) + ` FROM repositories r` + w.String() +
		` ORDER BY ` + order + ` LIMIT ` + w.arg(limit(f.Limit))
	return query, w.args
}
