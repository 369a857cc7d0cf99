package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

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

func scanBlob(s pgx.Row) (meta.Blob, error) {
	var b meta.Blob
	if err := s.Scan(&b.Digest, &b.Size, &b.Created); err != nil {
		return meta.Blob{}, err
	}
	b.Created = b.Created.UTC()
	return b, nil
}

// PutBlob implements meta.Blobs. Errors: errs.Conflict when the blob is
// recorded with another size; errs.Invalid for an empty digest or a
// negative size.
func (q *queries) PutBlob(ctx context.Context, b meta.Blob) error {
	if b.Digest == "" || b.Size < 0 {
		return errs.E(errs.Invalid, "blob digest is empty or size negative")
	}
	tag, err := q.db.Exec(ctx, `INSERT INTO blobs (digest, size, created, last_used) VALUES ($1, $2, $3, $3)
		ON CONFLICT (digest) DO UPDATE SET last_used = GREATEST(blobs.last_used, excluded.last_used)
		WHERE blobs.size = excluded.size`, b.Digest, b.Size, now())
	if err := changed(tag, err, ""); errs.Is(err, errs.NotFound) {
		return errs.E(errs.Conflict, "blob is recorded with another size")
	} else if err != nil {
		return wrap("put blob", err)
	}
	return nil
}

// GetBlob implements meta.Blobs.
func (q *queries) GetBlob(ctx context.Context, digest string) (meta.Blob, error) {
	b, err := scanBlob(q.db.QueryRow(ctx, `SELECT `+blobCols+` FROM blobs WHERE digest = $1`, digest))
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
		tag, err := c.Exec(ctx, `INSERT INTO repo_blobs (repo_id, digest, created)
			SELECT $1::bigint, $2::text, $3::timestamptz
			WHERE EXISTS (SELECT 1 FROM repositories WHERE id = $1)
			ON CONFLICT (repo_id, digest) DO NOTHING`, repoID, digest, at)
		switch {
		case isForeignKey(err):
			return errs.E(errs.NotFound, "repository not found")
		case err != nil:
			return err
		case tag.RowsAffected() == 1:
			return nil
		}
		var linked bool
		if err := c.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM repo_blobs WHERE repo_id = $1 AND digest = $2)`,
			repoID, digest).Scan(&linked); err != nil {
			return err
		}
		if !linked {
			return errs.E(errs.NotFound, "repository not found")
		}
		return nil
	})
	return wrap("link blob", err)
}

// GetRepoBlob implements meta.Blobs. Errors: errs.NotFound when the blob
// is not linked to the repository.
func (q *queries) GetRepoBlob(ctx context.Context, repoID int64, digest string) (meta.Blob, error) {
	b, err := scanBlob(q.db.QueryRow(ctx, `SELECT `+blobCols+` FROM repo_blobs
		JOIN blobs ON blobs.digest = repo_blobs.digest
		WHERE repo_blobs.repo_id = $1 AND repo_blobs.digest = $2`, repoID, digest))
	return b, wrap("get repository blob", missing(err, "blob not found"))
}

// UnlinkBlob implements meta.Blobs.
func (q *queries) UnlinkBlob(ctx context.Context, repoID int64, digest string) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM repo_blobs WHERE repo_id = $1 AND digest = $2`, repoID, digest)
	return wrap("unlink blob", changed(tag, err, "blob not linked"))
}

// UnreferencedBlobs implements meta.Blobs. The oldest used come first;
// limit <= 0 means no limit.
func (q *queries) UnreferencedBlobs(ctx context.Context, cutoff time.Time, limitN int) ([]meta.Blob, error) {
	bs, err := list(ctx, q.db, scanBlob, `SELECT `+blobCols+` FROM blobs
		WHERE blobs.last_used < $1 AND `+unreferenced+`
		ORDER BY blobs.last_used, blobs.digest LIMIT $2`, cutoff, limit(limitN))
	return bs, wrap("list unreferenced blobs", err)
}

// DeleteBlob implements meta.Blobs, as CollectBlob with nothing to remove.
func (q *queries) DeleteBlob(ctx context.Context, digest string, cutoff time.Time) (bool, error) {
	deleted, err := q.collect(ctx, digest, cutoff, nil)
	return deleted, wrap("delete blob", err)
}

// CollectBlob implements meta.Blobs. It locks the row before it checks it:
// every write that refers to a blob locks its row first (PutBlob's INSERT,
// touchBlobs's FOR UPDATE), so the lock waits for those in flight, and the
// DELETE, a statement of its own, then sees what they committed. A single
// DELETE would not: meeting a row locked by a writer, it waits and then
// re-checks only that row, not the references the writer added in other
// tables (version_refs has no foreign key to trip). The lock is held while
// remove runs, so writers that come later wait and then find no row.
func (q *queries) CollectBlob(ctx context.Context, digest string, cutoff time.Time, remove func(ctx context.Context) error) (bool, error) {
	deleted, err := q.collect(ctx, digest, cutoff, remove)
	return deleted, wrap("collect blob", err)
}

// collect deletes the blob's row if it is unreferenced and unused since
// cutoff, runs remove (when not nil) while it holds the row, and reports
// whether it deleted it.
func (q *queries) collect(ctx context.Context, digest string, cutoff time.Time, remove func(ctx context.Context) error) (bool, error) {
	var deleted bool
	err := q.atomic(ctx, func(c dbtx) error {
		deleted = false
		var one int
		err := c.QueryRow(ctx, `SELECT 1 FROM blobs WHERE digest = $1 AND last_used < $2 FOR UPDATE`,
			digest, cutoff).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		tag, err := c.Exec(ctx, `DELETE FROM blobs
			WHERE digest = $1 AND last_used < $2 AND `+unreferenced, digest, cutoff)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		if remove != nil {
			if err := remove(ctx); err != nil {
				return err
			}
		}
		deleted = true
		return nil
	})
	if isForeignKey(err) {
		return false, nil
	}
	return deleted, err
}
