package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// ownerVersionsFrom is the FROM and WHERE clause of ListOwnerVersions; its
// parameters are the namespace id, the type, the name filter twice and the
// public-only flag.
const ownerVersionsFrom = ` FROM versions v
	JOIN repositories r ON r.id = v.repo_id
	LEFT JOIN users u ON u.id = v.creator_id
	WHERE r.namespace_id = ? AND r.type = ?
		AND (? = '' OR instr(substr(r.lower_name, instr(r.lower_name, '/') + 1), ?) > 0)
		AND (? = 0 OR r.public = 1)`

// ListOwnerVersions implements meta.Versions in one query; the total comes
// from a window count, or from a count query when the page is past the
// end. Errors: errs.Invalid for an empty type or a negative offset.
func (q *queries) ListOwnerVersions(ctx context.Context, namespaceID int64, f meta.VersionFilter) ([]meta.OwnerVersion, int, error) {
	if f.Type == "" || f.Offset < 0 {
		return nil, 0, errs.E(errs.Invalid, "version filter needs a type and a non-negative offset")
	}
	name := strings.ToLower(f.NameContains)
	args := []any{namespaceID, f.Type, name, name, f.PublicOnly}
	rows, err := q.rd.QueryContext(ctx, `SELECT `+taggedVersionCols+`,
		`+prefixed("r", repoCols)+`,
		u.id, u.name, u.email, u.created, count(*) OVER ()`+ownerVersionsFrom+`
		ORDER BY v.created DESC, v.id DESC LIMIT ? OFFSET ?`,
		append(args, limit(f.Limit), f.Offset)...)
	if err != nil {
		return nil, 0, wrap("list owner versions", err)
	}
	defer rows.Close()
	var (
		out   []meta.OwnerVersion
		total int
	)
	for rows.Next() {
		ov, n, err := scanOwnerVersion(rows)
		if err != nil {
			return nil, 0, wrap("list owner versions", err)
		}
		out, total = append(out, ov), n
	}
	if err := rows.Err(); err != nil {
		return nil, 0, wrap("list owner versions", err)
	}
	if len(out) == 0 && f.Offset > 0 {
		err := q.rd.QueryRowContext(ctx, `SELECT count(*)`+ownerVersionsFrom, args...).Scan(&total)
		if err != nil {
			return nil, 0, wrap("count owner versions", err)
		}
	}
	return out, total, nil
}

// scanOwnerVersion reads a row of ListOwnerVersions and its window count.
func scanOwnerVersion(s scanner) (meta.OwnerVersion, int, error) {
	var (
		ov                           meta.OwnerVersion
		v                            = &ov.Version
		blob                         sql.NullString
		creator, userID, userCreated sql.NullInt64
		userName, userEmail          sql.NullString
		created, repoCreated         int64
		total                        int
	)
	if err := s.Scan(&v.ID, &v.RepoID, &v.Version, &v.MediaType, &v.ArtifactType, &v.Subject, &blob,
		&v.Size, &v.Metadata, &v.Annotations, &v.Downloads, &creator, &created,
		&ov.Repo.ID, &ov.Repo.NamespaceID, &ov.Repo.Type, &ov.Repo.Name, &ov.Repo.Public, &repoCreated,
		&ov.Repo.Description, &ov.Repo.TrustEnabled,
		&userID, &userName, &userEmail, &userCreated, &total); err != nil {
		return meta.OwnerVersion{}, 0, err
	}
	v.BlobDigest, v.CreatorID, v.Created = blob.String, creator.Int64, unstamp(created)
	ov.Repo.Created = unstamp(repoCreated)
	if userID.Valid {
		ov.Creator = meta.User{ID: userID.Int64, Name: userName.String, Email: userEmail.String,
			Created: unstamp(userCreated.Int64)}
	}
	return ov, total, nil
}
