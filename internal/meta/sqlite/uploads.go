package sqlite

import (
	"context"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const uploadCols = `id, repo_id, size, hash_state, created, updated`

func scanUpload(s scanner) (meta.Upload, error) {
	var u meta.Upload
	var created, updated int64
	if err := s.Scan(&u.ID, &u.RepoID, &u.Size, &u.HashState, &created, &updated); err != nil {
		return meta.Upload{}, err
	}
	u.Created, u.Updated = unstamp(created), unstamp(updated)
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
	_, err := q.wr.ExecContext(ctx, `INSERT INTO uploads (id, repo_id, size, hash_state, created, updated)
		VALUES (?, ?, ?, ?, ?, ?)`, u.ID, u.RepoID, u.Size, nullBytes(u.HashState), stamp(at), stamp(at))
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
	u, err := scanUpload(q.rd.QueryRowContext(ctx, `SELECT `+uploadCols+` FROM uploads WHERE id = ?`, id))
	return u, wrap("get upload", missing(err, "upload not found"))
}

// UpdateUpload implements meta.Uploads. Errors beyond the interface's:
// errs.Invalid when size is below from.
func (q *queries) UpdateUpload(ctx context.Context, id string, from, size int64, state []byte) error {
	if from < 0 || size < from {
		return errs.E(errs.Invalid, "upload cannot shrink")
	}
	res, err := q.wr.ExecContext(ctx, `UPDATE uploads SET size = ?, hash_state = ?, updated = ?
		WHERE id = ? AND size = ?`, size, nullBytes(state), stamp(now()), id, from)
	err = changed(res, err, "")
	if !errs.Is(err, errs.NotFound) {
		return wrap("update upload", err)
	}
	var n int
	if err := q.wr.QueryRowContext(ctx, `SELECT count(*) FROM uploads WHERE id = ?`, id).Scan(&n); err != nil {
		return wrap("update upload", err)
	}
	if n == 0 {
		return errs.E(errs.NotFound, "upload not found")
	}
	return errs.E(errs.Conflict, "upload offset moved")
}

// DeleteUpload implements meta.Uploads.
func (q *queries) DeleteUpload(ctx context.Context, id string) error {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM uploads WHERE id = ?`, id)
	return wrap("delete upload", changed(res, err, "upload not found"))
}

// CountUploads implements meta.Uploads.
func (q *queries) CountUploads(ctx context.Context) (int64, error) {
	var n int64
	err := q.rd.QueryRowContext(ctx, `SELECT count(*) FROM uploads`).Scan(&n)
	return n, wrap("count uploads", err)
}

// StaleUploads implements meta.Uploads. The least recently updated come
// first; limit <= 0 means no limit.
func (q *queries) StaleUploads(ctx context.Context, cutoff time.Time, limitN int) ([]meta.Upload, error) {
	us, err := list(ctx, q.rd, scanUpload, `SELECT `+uploadCols+` FROM uploads
		WHERE updated < ? ORDER BY updated, id LIMIT ?`, stamp(cutoff), limit(limitN))
	return us, wrap("list stale uploads", err)
}
