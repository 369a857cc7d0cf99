package sqlite

import (
	"context"
	"strings"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const tagCols = `t.repo_id, t.name, t.version_id, v.version, t.updated`

func scanTag(s scanner) (meta.Tag, error) {
	var t meta.Tag
	var updated int64
	if err := s.Scan(&t.RepoID, &t.Name, &t.VersionID, &t.Digest, &updated); err != nil {
		return meta.Tag{}, err
	}
	t.Updated = unstamp(updated)
	return t, nil
}

// PutTag implements meta.Tags. Errors: errs.NotFound when the version is
// not one of the repository's; errs.Invalid for an empty name.
func (q *queries) PutTag(ctx context.Context, repoID int64, name string, versionID int64) error {
	if name == "" {
		return errs.E(errs.Invalid, "tag name is empty")
	}
	_, err := q.wr.ExecContext(ctx, `INSERT INTO tags (repo_id, name, version_id, updated) VALUES (?, ?, ?, ?)
		ON CONFLICT (repo_id, name) DO UPDATE SET version_id = excluded.version_id, updated = excluded.updated`,
		repoID, name, versionID, stamp(now()))
	if isForeignKey(err) {
		return errs.E(errs.NotFound, "version not found")
	}
	return wrap("put tag", err)
}

// GetTag implements meta.Tags. Tag names are case-sensitive.
func (q *queries) GetTag(ctx context.Context, repoID int64, name string) (meta.Tag, error) {
	t, err := scanTag(q.rd.QueryRowContext(ctx, `SELECT `+tagCols+` FROM tags t
		JOIN versions v ON v.id = t.version_id
		WHERE t.repo_id = ? AND t.name = ?`, repoID, name))
	return t, wrap("get tag", missing(err, "tag not found"))
}

// GetTaggedVersion implements meta.Tags.
func (q *queries) GetTaggedVersion(ctx context.Context, repoID int64, name string) (meta.Version, error) {
	v, err := scanVersion(q.rd.QueryRowContext(ctx, `SELECT `+taggedVersionCols+` FROM tags t
		JOIN versions v ON v.id = t.version_id
		WHERE t.repo_id = ? AND t.name = ?`, repoID, name))
	return v, wrap("get tagged version", missing(err, "tag not found"))
}

// FindTaggedVersion implements meta.Tags.
func (q *queries) FindTaggedVersion(ctx context.Context, typ, repoName, tag string) (meta.Version, error) {
	v, err := scanVersion(q.rd.QueryRowContext(ctx, `SELECT `+taggedVersionCols+` FROM repositories r
		JOIN tags t ON t.repo_id = r.id
		JOIN versions v ON v.id = t.version_id
		WHERE r.type = ? AND r.lower_name = ? AND t.name = ?`, typ, strings.ToLower(repoName), tag))
	return v, wrap("find tagged version", missing(err, "tag not found"))
}

// taggedVersionCols are versionCols of the versions table aliased v.
var taggedVersionCols = prefixed("v", versionCols)

// ListTags implements meta.Tags.
func (q *queries) ListTags(ctx context.Context, repoID int64, p meta.Page) ([]meta.Tag, error) {
	ts, err := list(ctx, q.rd, scanTag, `SELECT `+tagCols+` FROM tags t
		JOIN versions v ON v.id = t.version_id
		WHERE t.repo_id = ? AND (lower(t.name), t.name) > (lower(?), ?)
		ORDER BY lower(t.name), t.name LIMIT ?`,
		repoID, p.After, p.After, limit(p.Limit))
	return ts, wrap("list tags", err)
}

// ListVersionTags implements meta.Tags. The names are in lexical order.
func (q *queries) ListVersionTags(ctx context.Context, versionID int64) ([]string, error) {
	names, err := list(ctx, q.rd, func(s scanner) (string, error) {
		var n string
		err := s.Scan(&n)
		return n, err
	}, `SELECT t.name FROM versions v
		JOIN tags t ON t.repo_id = v.repo_id AND t.version_id = v.id
		WHERE v.id = ? ORDER BY t.name`, versionID)
	return names, wrap("list version tags", err)
}

// DeleteTag implements meta.Tags.
func (q *queries) DeleteTag(ctx context.Context, repoID int64, name string) error {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM tags WHERE repo_id = ? AND name = ?`, repoID, name)
	return wrap("delete tag", changed(res, err, "tag not found"))
}
