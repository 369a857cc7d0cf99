package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// ownerVersionsFrom is the FROM and WHERE clause of ListOwnerVersions; its
// parameters are $1 the namespace id, $2 the type, $3 the name filter and
// $4 the public-only flag.
const ownerVersionsFrom = ` FROM versions v
	JOIN repositories r ON r.id = v.repo_id
	LEFT JOIN users u ON u.id = v.creator_id
	WHERE r.namespace_id = $1 AND r.type = $2
		AND ($3::text = '' OR strpos(substr(r.lower_name, strpos(r.lower_name, '/') + 1), $3::text) > 0)
		AND (NOT $4::boolean OR r.public)`

// ownerVersionRow is a row of ListOwnerVersions with its window count.
type ownerVersionRow struct {
	ov    meta.OwnerVersion
	total int
}

// ListOwnerVersions implements meta.Versions in one query; the total comes
// from a window count, or from a count query when the page is past the
// end. Errors: errs.Invalid for an empty type or a negative offset.
func (q *queries) ListOwnerVersions(ctx context.Context, namespaceID int64, f meta.VersionFilter) ([]meta.OwnerVersion, int, error) {
	if f.Type == "" || f.Offset < 0 {
		return nil, 0, errs.E(errs.Invalid, "version filter needs a type and a non-negative offset")
	}
	name := strings.ToLower(f.NameContains)
	rows, err := list(ctx, q.db, scanOwnerVersion, `SELECT `+taggedVersionCols+`,
		`+prefixed("r", repoCols)+`,
		u.id, u.name, u.email, u.created, count(*) OVER ()`+ownerVersionsFrom+`
		ORDER BY v.created DESC, v.id DESC LIMIT $5 OFFSET $6`,
		namespaceID, f.Type, name, f.PublicOnly, limit(f.Limit), f.Offset)
	if err != nil {
		return nil, 0, wrap("list owner versions", err)
	}
	out := make([]meta.OwnerVersion, len(rows))
	total := 0
	for i, r := range rows {
		out[i], total = r.ov, r.total
	}
	if len(out) == 0 && f.Offset > 0 {
		err := q.db.QueryRow(ctx, `SELECT count(*)`+ownerVersionsFrom, namespaceID, f.Type, name, f.PublicOnly).Scan(&total)
		if err != nil {
			return nil, 0, wrap("count owner versions", err)
		}
	}
	if len(out) == 0 {
		out = nil
	}
	return out, total, nil
}

func scanOwnerVersion(s pgx.Row) (ownerVersionRow, error) {
	var (
		row                 ownerVersionRow
		v                   = &row.ov.Version
		blob, uName, uEmail *string
		creator, userID     *int64
		userCreated         *time.Time
	)
	if err := s.Scan(&v.ID, &v.RepoID, &v.Version, &v.MediaType, &v.ArtifactType, &v.Subject, &blob,
		&v.Size, &v.Metadata, &v.Annotations, &v.Downloads, &creator, &v.Created,
		&row.ov.Repo.ID, &row.ov.Repo.NamespaceID, &row.ov.Repo.Type, &row.ov.Repo.Name, &row.ov.Repo.Public,
		&row.ov.Repo.Created, &row.ov.Repo.Description, &row.ov.Repo.TrustEnabled, &userID, &uName, &uEmail, &userCreated, &row.total); err != nil {
		return ownerVersionRow{}, err
	}
	if blob != nil {
		v.BlobDigest = *blob
	}
	if creator != nil {
		v.CreatorID = *creator
	}
	v.Metadata, v.Annotations = nullBytes(v.Metadata), nullBytes(v.Annotations)
	v.Created, row.ov.Repo.Created = v.Created.UTC(), row.ov.Repo.Created.UTC()
	if userID != nil {
		row.ov.Creator = meta.User{ID: *userID, Name: *uName, Email: *uEmail, Created: userCreated.UTC()}
	}
	return row, nil
}
