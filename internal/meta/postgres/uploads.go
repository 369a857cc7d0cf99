package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const uploadCols = `id, repo_id, size, hash_state, created, updated`

func scanUpload(s pgx.Row) (meta.Upload, error) {
	var u meta.Upload
	if err := s.Scan(&u.ID, &u.RepoID, &u.Size, &u.HashState, &u.Created, &u.Updated); err != nil {
		return meta.Upload{}, err
	}
	u.HashState = nullBytes(u.HashState)
	u.Created, u.Updated = u.Created.UTC(), u.Updated.UTC()
	return u, nil
}

// CreateUpload implements meta.Uploads. Errors: errs.Exists when the id is
// taken, errs.NotFound for a missing repository, errs.Invalid for an empty
// id or a negative size.
func (q *queries) CreateUpload(ctx context.Context, u *meta.Upload) error {
	if u.ID == "" || u.Size < 0 {
		return errs.E(errs.Invalid, "upload id is empty or size negative")
	}
	at := now()
	var id string
	err := q.db.QueryRow(ctx, `INSERT INTO uploads (id, repo_id, size, hash_state, created, updated)
		SELECT $1::text, $2::bigint, $3::bigint, $4::bytea, $5::timestamptz, $5::timestamptz
		WHERE EXISTS (SELECT 1 FROM repositories WHERE id = $2)
		ON CONFLICT DO NOTHING RETURNING id`, u.ID, u.RepoID, u.Size, nullBytes(u.HashState), at).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		err = parentOrExists(ctx, q.db, "repository not found", "upload exists",
			`SELECT EXISTS (SELECT 1 FROM repositories WHERE id = $1)`, u.RepoID)
	}
	switch {
	case isUnique(err):
		return errs.E(errs.Exists, "upload exists")
	case isForeignKey(err):
		return errs.E(errs.NotFound, "repository not found")
	case err != nil:
		return wrap("create upload", err)
	}
	u.Created, u.Updated = at, at
	return nil
}

// GetUpload implements meta.Uploads.
func (q *queries) GetUpload(ctx context.Context, id string) (meta.Upload, error) {
	u, err := scanUpload(q.db.QueryRow(ctx, `SELECT `+uploadCols+` FROM uploads WHERE id = $1`, id))
	return u, wrap("get upload", missing(err, "upload not found"))
}

// UpdateUpload implements meta.Uploads. Errors beyond the interface's:
// errs.Invalid when size is below from.
func (q *queries) UpdateUpload(ctx context.Context, id string, from, size int64, state []byte) error {
	if from < 0 || size < from {
		return errs.E(errs.Invalid, "upload cannot shrink")
	}
	tag, err := q.db.Exec(ctx, `UPDATE uploads SET size = $1, hash_state = $2, updated = $3
		WHERE id = $4 AND size = $5`, size, nullBytes(state), now(), id, from)
	err = changed(tag, err, "")
	if !errs.Is(err, errs.NotFound) {
		return wrap("update upload", err)
	}
	var exists bool
	if err := q.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM uploads WHERE id = $1)`, id).Scan(&exists); err != nil {
		return wrap("update upload", err)
	}
	if !exists {
		return errs.E(errs.NotFound, "upload not found")
	}
	return errs.E(errs.Conflict, "upload offset moved")
}

// DeleteUpload implements meta.Uploads.
func (q *queries) DeleteUpload(ctx context.Context, id string) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM uploads WHERE id = $1`, id)
	return wrap("delete upload", changed(tag, err, "upload not found"))
}

// CountUploads implements meta.Uploads.
func (q *queries) CountUploads(ctx context.Context) (int64, error) {
	var n int64
	err := q.db.QueryRow(ctx, `SELECT count(*) FROM uploads`).Scan(&n)
	return n, wrap("count uploads", err)
}

// StaleUploads implements meta.Uploads. The least recently updated come
// first; limit <= 0 means no limit.
func (q *queries) StaleUploads(ctx context.Context, cutoff time.Time, limitN int) ([]meta.Upload, error) {
	us, err := list(ctx, q.db, scanUpload, `SELECT `+uploadCols+` FROM uploads
		WHERE updated < $1 ORDER BY updated, id LIMIT $2`, cutoff, limit(limitN))
	return us, wrap("list stale uploads", err)
}
