package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const generatedCols = `source, ref, path, variant, digest, size, created`

func scanGenerated(s pgx.Row) (meta.GeneratedPackage, error) {
	var g meta.GeneratedPackage
	if err := s.Scan(&g.Source, &g.Ref, &g.Path, &g.Variant, &g.Digest, &g.Size, &g.Created); err != nil {
		return meta.GeneratedPackage{}, err
	}
	g.Created = g.Created.UTC()
	return g, nil
}

// PutGenerated implements meta.GeneratedPackages. The blob's row is
// updated first, which orders the insert against a concurrent delete of
// the blob (see DeleteBlob).
func (q *queries) PutGenerated(ctx context.Context, g *meta.GeneratedPackage) error {
	if err := meta.CheckGenerated(g); err != nil {
		return err
	}
	at := now()
	err := q.atomic(ctx, func(c dbtx) error {
		if err := touchBlobs(ctx, c, at, []string{g.Digest}); err != nil {
			return err
		}
		_, err := c.Exec(ctx, `INSERT INTO generated (`+generatedCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (source, ref, path, variant) DO UPDATE SET
				digest = excluded.digest, size = excluded.size, created = excluded.created`,
			g.Source, g.Ref, g.Path, g.Variant, g.Digest, g.Size, at)
		if isForeignKey(err) {
			return errs.E(errs.NotFound, "blob not found")
		}
		return err
	})
	if err != nil {
		return wrap("put generated package", err)
	}
	g.Created = at
	return nil
}

// GetGenerated implements meta.GeneratedPackages.
func (q *queries) GetGenerated(ctx context.Context, k meta.GeneratedKey) (meta.GeneratedPackage, error) {
	g, err := scanGenerated(q.db.QueryRow(ctx, `SELECT `+generatedCols+` FROM generated
		WHERE source = $1 AND ref = $2 AND path = $3 AND variant = $4`, k.Source, k.Ref, k.Path, k.Variant))
	return g, wrap("get generated package", missing(err, "generated package not found"))
}

// DeleteGenerated implements meta.GeneratedPackages.
func (q *queries) DeleteGenerated(ctx context.Context, k meta.GeneratedKey) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM generated
		WHERE source = $1 AND ref = $2 AND path = $3 AND variant = $4`, k.Source, k.Ref, k.Path, k.Variant)
	return wrap("delete generated package", changed(tag, err, "generated package not found"))
}

// DeleteGeneratedBefore implements meta.GeneratedPackages.
func (q *queries) DeleteGeneratedBefore(ctx context.Context, cutoff time.Time) (int64, error) {
	tag, err := q.db.Exec(ctx, `DELETE FROM generated WHERE created < $1`, cutoff)
	if err != nil {
		return 0, wrap("delete generated packages", err)
	}
	return tag.RowsAffected(), nil
}
