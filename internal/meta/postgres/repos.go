package postgres

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const repoCols = `id, namespace_id, type, name, public, created, description, trust_enabled`

func scanRepo(s pgx.Row) (meta.Repository, error) {
	var r meta.Repository
	if err := s.Scan(&r.ID, &r.NamespaceID, &r.Type, &r.Name, &r.Public, &r.Created,
		&r.Description, &r.TrustEnabled); err != nil {
		return meta.Repository{}, err
	}
	r.Created = r.Created.UTC()
	return r, nil
}

// CreateRepo implements meta.Repositories. A missing namespace is
// errs.NotFound.
func (q *queries) CreateRepo(ctx context.Context, r *meta.Repository) error {
	if r.Type == "" || r.Name == "" {
		return errs.E(errs.Invalid, "repository type or name is empty")
	}
	created := now()
	err := q.db.QueryRow(ctx, `INSERT INTO repositories (namespace_id, type, name, lower_name, public, created,
			description, trust_enabled)
		SELECT $1::bigint, $2::text, $3::text, $4::text, $5::boolean, $6::timestamptz, $7::text, $8::boolean
		WHERE EXISTS (SELECT 1 FROM namespaces WHERE id = $1)
		ON CONFLICT DO NOTHING RETURNING id`,
		r.NamespaceID, r.Type, r.Name, strings.ToLower(r.Name), r.Public, created,
		r.Description, r.TrustEnabled).Scan(&r.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		err = parentOrExists(ctx, q.db, "namespace not found", "repository exists",
			`SELECT EXISTS (SELECT 1 FROM namespaces WHERE id = $1)`, r.NamespaceID)
	}
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
	r, err := scanRepo(q.db.QueryRow(ctx,
		`SELECT `+repoCols+` FROM repositories WHERE type = $1 AND lower_name = $2`, typ, strings.ToLower(name)))
	return r, wrap("get repository", missing(err, "repository not found"))
}

// GetRepoByID implements meta.Repositories.
func (q *queries) GetRepoByID(ctx context.Context, id int64) (meta.Repository, error) {
	r, err := scanRepo(q.db.QueryRow(ctx, `SELECT `+repoCols+` FROM repositories WHERE id = $1`, id))
	return r, wrap("get repository", missing(err, "repository not found"))
}

// ListRepos implements meta.Repositories. p.After is compared lower-cased.
func (q *queries) ListRepos(ctx context.Context, typ string, p meta.Page) ([]meta.Repository, error) {
	rs, err := list(ctx, q.db, scanRepo, `SELECT `+repoCols+` FROM repositories
		WHERE type = $1 AND lower_name > $2 ORDER BY lower_name LIMIT $3`,
		typ, strings.ToLower(p.After), limit(p.Limit))
	return rs, wrap("list repositories", err)
}

// ListNamespaceRepos implements meta.Repositories.
func (q *queries) ListNamespaceRepos(ctx context.Context, namespaceID int64, typ string, p meta.Page) ([]meta.Repository, error) {
	rs, err := list(ctx, q.db, scanRepo, `SELECT `+repoCols+` FROM repositories
		WHERE namespace_id = $1 AND type = $2 AND lower_name > $3 ORDER BY lower_name LIMIT $4`,
		namespaceID, typ, strings.ToLower(p.After), limit(p.Limit))
	return rs, wrap("list repositories", err)
}

// SetRepoPublic implements meta.Repositories.
func (q *queries) SetRepoPublic(ctx context.Context, id int64, public bool) error {
	tag, err := q.db.Exec(ctx, `UPDATE repositories SET public = $1 WHERE id = $2`, public, id)
	return wrap("set repository visibility", changed(tag, err, "repository not found"))
}

// UpdateRepo implements meta.Repositories.
func (q *queries) UpdateRepo(ctx context.Context, r meta.Repository) error {
	tag, err := q.db.Exec(ctx, `UPDATE repositories SET description = $1, trust_enabled = $2 WHERE id = $3`,
		r.Description, r.TrustEnabled, r.ID)
	return wrap("update repository", changed(tag, err, "repository not found"))
}

// DeleteRepo implements meta.Repositories. It locks the repository's row
// first: a CreateUpload holding the row's key-share lock is waited for and
// its session listed, and one that comes later waits for this transaction
// and then fails its foreign key. The upload sessions go next, to list
// them; the schema's cascades remove the rest of what the repository owns.
func (q *queries) DeleteRepo(ctx context.Context, id int64) ([]string, error) {
	var ids []string
	err := q.atomic(ctx, func(c dbtx) error {
		var one int
		err := c.QueryRow(ctx, `SELECT 1 FROM repositories WHERE id = $1 FOR UPDATE`, id).Scan(&one)
		if err != nil {
			return missing(err, "repository not found")
		}
		ids, err = list(ctx, c, scanString, `DELETE FROM uploads WHERE repo_id = $1 RETURNING id`, id)
		if err != nil {
			return err
		}
		tag, err := c.Exec(ctx, `DELETE FROM repositories WHERE id = $1`, id)
		return changed(tag, err, "repository not found")
	})
	if err != nil {
		return nil, wrap("delete repository", err)
	}
	return ids, nil
}

// DeleteUnusedRepo implements meta.Repositories. The row is locked
// first and the delete is a statement of its own: at READ COMMITTED a
// single DELETE that had to wait for a racing upload's insert would keep
// the snapshot it took before, miss that upload and take the repository
// from under it.
func (q *queries) DeleteUnusedRepo(ctx context.Context, id int64) (bool, error) {
	var gone bool
	err := q.atomic(ctx, func(c dbtx) error {
		var one int
		err := c.QueryRow(ctx, `SELECT 1 FROM repositories WHERE id = $1 FOR UPDATE`, id).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		tag, err := c.Exec(ctx, `DELETE FROM repositories WHERE id = $1
			AND NOT EXISTS (SELECT 1 FROM versions WHERE repo_id = $1)
			AND NOT EXISTS (SELECT 1 FROM tags WHERE repo_id = $1)
			AND NOT EXISTS (SELECT 1 FROM repo_blobs WHERE repo_id = $1)
			AND NOT EXISTS (SELECT 1 FROM uploads WHERE repo_id = $1)
			AND NOT EXISTS (SELECT 1 FROM stars WHERE repo_id = $1)
			AND NOT EXISTS (SELECT 1 FROM hab_packages WHERE repo_id = $1)`, id)
		gone = err == nil && tag.RowsAffected() == 1
		return err
	})
	return gone, wrap("delete unused repository", err)
}
