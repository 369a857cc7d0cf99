package postgres

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const tagCols = `t.repo_id, t.name, t.version_id, v.version, t.updated`

func scanTag(s pgx.Row) (meta.Tag, error) {
	var t meta.Tag
	if err := s.Scan(&t.RepoID, &t.Name, &t.VersionID, &t.Digest, &t.Updated); err != nil {
		return meta.Tag{}, err
	}
	t.Updated = t.Updated.UTC()
	return t, nil
}

// PutTag implements meta.Tags. Errors: errs.NotFound when the version is
// not one of the repository's; errs.Invalid for an empty name.
func (q *queries) PutTag(ctx context.Context, repoID int64, name string, versionID int64) error {
	if name == "" {
		return errs.E(errs.Invalid, "tag name is empty")
	}
	tag, err := q.db.Exec(ctx, `INSERT INTO tags (repo_id, name, version_id, updated)
		SELECT $1::bigint, $2::text, $3::bigint, $4::timestamptz
		WHERE EXISTS (SELECT 1 FROM versions WHERE id = $3 AND repo_id = $1)
		ON CONFLICT (repo_id, name) DO UPDATE SET version_id = excluded.version_id, updated = excluded.updated`,
		repoID, name, versionID, now())
	if isForeignKey(err) {
		return errs.E(errs.NotFound, "version not found")
	}
	return wrap("put tag", changed(tag, err, "version not found"))
}

// GetTag implements meta.Tags. Tag names are case-sensitive.
func (q *queries) GetTag(ctx context.Context, repoID int64, name string) (meta.Tag, error) {
	t, err := scanTag(q.db.QueryRow(ctx, `SELECT `+tagCols+` FROM tags t
		JOIN versions v ON v.id = t.version_id
		WHERE t.repo_id = $1 AND t.name = $2`, repoID, name))
	return t, wrap("get tag", missing(err, "tag not found"))
}

// GetTaggedVersion implements meta.Tags.
func (q *queries) GetTaggedVersion(ctx context.Context, repoID int64, name string) (meta.Version, error) {
	v, err := scanVersion(q.db.QueryRow(ctx, `SELECT `+taggedVersionCols+` FROM tags t
		JOIN versions v ON v.id = t.version_id
		WHERE t.repo_id = $1 AND t.name = $2`, repoID, name))
	return v, wrap("get tagged version", missing(err, "tag not found"))
}

// FindTaggedVersion implements meta.Tags.
func (q *queries) FindTaggedVersion(ctx context.Context, typ, repoName, tag string) (meta.Version, error) {
	v, err := scanVersion(q.db.QueryRow(ctx, `SELECT `+taggedVersionCols+` FROM repositories r
		JOIN tags t ON t.repo_id = r.id
		JOIN versions v ON v.id = t.version_id
		WHERE r.type = $1 AND r.lower_name = $2 AND t.name = $3`, typ, strings.ToLower(repoName), tag))
	return v, wrap("find tagged version", missing(err, "tag not found"))
}

// taggedVersionCols are versionCols of the versions table aliased v.
var taggedVersionCols = prefixed("v", versionCols)

// ListTags implements meta.Tags.
func (q *queries) ListTags(ctx context.Context, repoID int64, p meta.Page) ([]meta.Tag, error) {
	ts, err := list(ctx, q.db, scanTag, `SELECT `+tagCols+` FROM tags t
		JOIN versions v ON v.id = t.version_id
		WHERE t.repo_id = $1 AND (lower(t.name), t.name) > (lower($2), $2)
		ORDER BY lower(t.name), t.name LIMIT $3`,
		repoID, p.After, limit(p.Limit))
	return ts, wrap("list tags", err)
}

// ListVersionTags implements meta.Tags. The names are in lexical order.
func (q *queries) ListVersionTags(ctx context.Context, versionID int64) ([]string, error) {
	names, err := list(ctx, q.db, func(s pgx.Row) (string, error) {
		var n string
		err := s.Scan(&n)
		return n, err
	}, `SELECT t.name FROM versions v
		JOIN tags t ON t.repo_id = v.repo_id AND t.version_id = v.id
		WHERE v.id = $1 ORDER BY t.name`, versionID)
	return names, wrap("list version tags", err)
}

// DeleteTag implements meta.Tags.
func (q *queries) DeleteTag(ctx context.Context, repoID int64, name string) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM tags WHERE repo_id = $1 AND name = $2`, repoID, name)
	return wrap("delete tag", changed(tag, err, "tag not found"))
}
