package sqlite

import (
	"context"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// unreferenced holds for a blobs row nothing refers to: no repository
// link, no version's own content, no file, no version's blob ref and no
// generated package.
const unreferenced = `NOT EXISTS (SELECT 1 FROM repo_blobs WHERE repo_blobs.digest = blobs.digest)
	AND NOT EXISTS (SELECT 1 FROM versions WHERE versions.blob_digest = blobs.digest)
	AND NOT EXISTS (SELECT 1 FROM files WHERE files.digest = blobs.digest)
	AND NOT EXISTS (SELECT 1 FROM version_refs WHERE version_refs.kind = 'blob' AND version_refs.digest = blobs.digest)
	AND NOT EXISTS (SELECT 1 FROM generated WHERE generated.digest = blobs.digest)`

const blobCols = `blobs.digest, blobs.size, blobs.created`

func scanBlob(s scanner) (meta.Blob, error) {
	var b meta.Blob
	var created int64
	if err := s.Scan(&b.Digest, &b.Size, &created); err != nil {
		return meta.Blob{}, err
	}
	b.Created = unstamp(created)
	return b, nil
}

// PutBlob implements meta.Blobs. Errors: errs.Conflict when the blob is
// recorded with another size; errs.Invalid for an empty digest or a
// negative size.
func (q *queries) PutBlob(ctx context.Context, b meta.Blob) error {
	if b.Digest == "" || b.Size < 0 {
		return errs.E(errs.Invalid, "blob digest is empty or size negative")
	}
	at := stamp(now())
	res, err := q.wr.ExecContext(ctx, `INSERT INTO blobs (digest, size, created, last_used) VALUES (?, ?, ?, ?)
		ON CONFLICT (digest) DO UPDATE SET last_used = max(blobs.last_used, excluded.last_used)
		WHERE blobs.size = excluded.size`, b.Digest, b.Size, at, at)
	if err := changed(res, err, ""); errs.Is(err, errs.NotFound) {
		return errs.E(errs.Conflict, "blob is recorded with another size")
	} else if err != nil {
		return wrap("put blob", err)
	}
	return nil
}

// GetBlob implements meta.Blobs.
func (q *queries) GetBlob(ctx context.Context, digest string) (meta.Blob, error) {
	b, err := scanBlob(q.rd.QueryRowContext(ctx, `SELECT `+blobCols+` FROM blobs WHERE digest = ?`, digest))
	return b, wrap("get blob", missing(err, "blob not found"))
}

// LinkBlob implements meta.Blobs. The blob is marked as just used. A
// missing repository is errs.NotFound too.
func (q *queries) LinkBlob(ctx context.Context, repoID int64, digest string) error {
	at := now()
	err := q.atomic(ctx, func(c dbtx) error {
		if err := touchBlobs(ctx, c, at, []string{digest}); err != nil {
			return err
		}
		_, err := c.ExecContext(ctx, `INSERT INTO repo_blobs (repo_id, digest, created) VALUES (?, ?, ?)
			ON CONFLICT (repo_id, digest) DO NOTHING`, repoID, digest, stamp(at))
		if isForeignKey(err) {
			return errs.E(errs.NotFound, "repository not found")
		}
		return err
	})
	return wrap("link blob", err)
}

// GetRepoBlob implements meta.Blobs. Errors: errs.NotFound when the blob
// is not linked to the repository.
func (q *queries) GetRepoBlob(ctx context.Context, repoID int64, digest string) (meta.Blob, error) {
	b, err := scanBlob(q.rd.QueryRowContext(ctx, `SELECT `+blobCols+` FROM repo_blobs
		JOIN blobs ON blobs.digest = repo_blobs.digest
		WHERE repo_blobs.repo_id = ? AND repo_blobs.digest = ?`, repoID, digest))
	return b, wrap("get repository blob", missing(err, "blob not found"))
}

// UnlinkBlob implements meta.Blobs.
func (q *queries) UnlinkBlob(ctx context.Context, repoID int64, digest string) error {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM repo_blobs WHERE repo_id = ? AND digest = ?`, repoID, digest)
	return wrap("unlink blob", changed(res, err, "blob not linked"))
}

// UnreferencedBlobs implements meta.Blobs. The oldest used come first;
// limit <= 0 means no limit.
func (q *queries) UnreferencedBlobs(ctx context.Context, cutoff time.Time, limitN int) ([]meta.Blob, error) {
	bs, err := list(ctx, q.rd, scanBlob, `SELECT `+blobCols+` FROM blobs
		WHERE blobs.last_used < ? AND `+unreferenced+`
		ORDER BY blobs.last_used, blobs.digest LIMIT ?`, stamp(cutoff), limit(limitN))
	return bs, wrap("list unreferenced blobs", err)
}

// DeleteBlob implements meta.Blobs. The check and the delete are one
// statement, and every operation that references a blob first marks it as
// used, so a blob referenced meanwhile is spared.
func (q *queries) DeleteBlob(ctx context.Context, digest string, cutoff time.Time) (bool, error) {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM blobs
		WHERE digest = ? AND last_used < ? AND `+unreferenced, digest, stamp(cutoff))
	if isForeignKey(err) {
		return false, nil
	}
	if err != nil {
		return false, wrap("delete blob", err)
	}
	n, err := res.RowsAffected()
	return n > 0, wrap("delete blob", err)
}

// CollectBlob implements meta.Blobs. Its transaction holds SQLite's write
// lock, which every process's writers wait for, while remove runs.
func (q *queries) CollectBlob(ctx context.Context, digest string, cutoff time.Time, remove func(ctx context.Context) error) (bool, error) {
	var deleted bool
	err := q.atomic(ctx, func(c dbtx) error {
		deleted = false
		res, err := c.ExecContext(ctx, `DELETE FROM blobs
			WHERE digest = ? AND last_used < ? AND `+unreferenced, digest, stamp(cutoff))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		if err := remove(ctx); err != nil {
			return err
		}
		deleted = true
		return nil
	})
	if isForeignKey(err) {
		return false, nil
	}
	return deleted, wrap("collect blob", err)
}
