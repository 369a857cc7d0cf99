package sqlite

import (
	"context"
	"strings"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const repoCols = `id, namespace_id, type, name, public, created, description, trust_enabled`

func scanRepo(s scanner) (meta.Repository, error) {
	var r meta.Repository
	var created int64
	if err := s.Scan(&r.ID, &r.NamespaceID, &r.Type, &r.Name, &r.Public, &created,
		&r.Description, &r.TrustEnabled); err != nil {
		return meta.Repository{}, err
	}
	r.Created = unstamp(created)
	return r, nil
}

// CreateRepo implements meta.Repositories. A missing namespace is
// errs.NotFound.
func (q *queries) CreateRepo(ctx context.Context, r *meta.Repository) error {
	if r.Type == "" || r.Name == "" {
		return errs.E(errs.Invalid, "repository type or name is empty")
	}
	created := now()
	err := q.wr.QueryRowContext(ctx, `INSERT INTO repositories (namespace_id, type, name, lower_name, public, created,
			description, trust_enabled)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.NamespaceID, r.Type, r.Name, strings.ToLower(r.Name), r.Public, stamp(created),
		r.Description, r.TrustEnabled).Scan(&r.ID)
	switch {
	case isUnique(err):
		return errs.E(errs.Exists, "repository exists")
	case isForeignKey(err):
		return errs.E(errs.NotFound, "namespace not found")
	case err != nil:
		return wrap("create repository", err)
	}
	r.Created = created
	return nil
}

// GetRepo implements meta.Repositories.
func (q *queries) GetRepo(ctx context.Context, typ, name string) (meta.Repository, error) {
	r, err := scanRepo(q.rd.QueryRowContext(ctx,
		`SELECT `+repoCols+` FROM repositories WHERE type = ? AND lower_name = ?`, typ, strings.ToLower(name)))
	return r, wrap("get repository", missing(err, "repository not found"))
}

// GetRepoByID implements meta.Repositories.
func (q *queries) GetRepoByID(ctx context.Context, id int64) (meta.Repository, error) {
	r, err := scanRepo(q.rd.QueryRowContext(ctx,
		`SELECT `+repoCols+` FROM repositories WHERE id = ?`, id))
	return r, wrap("get repository", missing(err, "repository not found"))
}

// ListRepos implements meta.Repositories. p.After is compared lower-cased.
func (q *queries) ListRepos(ctx context.Context, typ string, p meta.Page) ([]meta.Repository, error) {
	rs, err := list(ctx, q.rd, scanRepo, `SELECT `+repoCols+` FROM repositories
		WHERE type = ? AND lower_name > ? ORDER BY lower_name LIMIT ?`,
		typ, strings.ToLower(p.After), limit(p.Limit))
	return rs, wrap("list repositories", err)
}

// ListNamespaceRepos implements meta.Repositories.
func (q *queries) ListNamespaceRepos(ctx context.Context, namespaceID int64, typ string, p meta.Page) ([]meta.Repository, error) {
	rs, err := list(ctx, q.rd, scanRepo, `SELECT `+repoCols+` FROM repositories
		WHERE namespace_id = ? AND type = ? AND lower_name > ? ORDER BY lower_name LIMIT ?`,
		namespaceID, typ, strings.ToLower(p.After), limit(p.Limit))
	return rs, wrap("list repositories", err)
}

// SetRepoPublic implements meta.Repositories.
func (q *queries) SetRepoPublic(ctx context.Context, id int64, public bool) error {
	res, err := q.wr.ExecContext(ctx, `UPDATE repositories SET public = ? WHERE id = ?`, public, id)
	return wrap("set repository visibility", changed(res, err, "repository not found"))
}

// UpdateRepo implements meta.Repositories.
func (q *queries) UpdateRepo(ctx context.Context, r meta.Repository) error {
	res, err := q.wr.ExecContext(ctx, `UPDATE repositories SET description = ?, trust_enabled = ? WHERE id = ?`,
		r.Description, r.TrustEnabled, r.ID)
	return wrap("update repository", changed(res, err, "repository not found"))
}

// DeleteRepo implements meta.Repositories. The upload sessions go first,
// to list them; the schema's cascades remove the rest of what the
// repository owns. SQLite's one writer keeps sessions from being created
// meanwhile.
func (q *queries) DeleteRepo(ctx context.Context, id int64) ([]string, error) {
	var ids []string
	err := q.atomic(ctx, func(c dbtx) error {
		var err error
		ids, err = list(ctx, c, scanString, `DELETE FROM uploads WHERE repo_id = ? RETURNING id`, id)
		if err != nil {
			return err
		}
		res, err := c.ExecContext(ctx, `DELETE FROM repositories WHERE id = ?`, id)
		return changed(res, err, "repository not found")
	})
	if err != nil {
		return nil, wrap("delete repository", err)
	}
	return ids, nil
}

// DeleteUnusedRepo implements meta.Repositories.
func (q *queries) DeleteUnusedRepo(ctx context.Context, id int64) (bool, error) {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM repositories WHERE id = ?1
		AND NOT EXISTS (SELECT 1 FROM versions WHERE repo_id = ?1)
			AND NOT EXISTS (SELECT 1 FROM tags WHERE repo_id = ?1)
			AND NOT EXISTS (SELECT 1 FROM repo_blobs WHERE repo_id = ?1)
			AND NOT EXISTS (SELECT 1 FROM uploads WHERE repo_id = ?1)
			AND NOT EXISTS (SELECT 1 FROM stars WHERE repo_id = ?1)
			AND NOT EXISTS (SELECT 1 FROM hab_packages WHERE repo_id = ?1)`, id)
	if err != nil {
		return false, wrap("delete unused repository", err)
	}
	n, err := res.RowsAffected()
	return n == 1, wrap("delete unused repository", err)
}
