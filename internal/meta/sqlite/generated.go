package sqlite

import (
	"context"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const generatedCols = `source, ref, path, variant, digest, size, created`

func scanGenerated(s scanner) (meta.GeneratedPackage, error) {
	var g meta.GeneratedPackage
	var created int64
	if err := s.Scan(&g.Source, &g.Ref, &g.Path, &g.Variant, &g.Digest, &g.Size, &created); err != nil {
		return meta.GeneratedPackage{}, err
	}
	g.Created = unstamp(created)
	return g, nil
}

// PutGenerated implements meta.GeneratedPackages.
func (q *queries) PutGenerated(ctx context.Context, g *meta.GeneratedPackage) error {
	if err := meta.CheckGenerated(g); err != nil {
		return err
	}
	at := now()
	err := q.atomic(ctx, func(c dbtx) error {
		if err := touchBlobs(ctx, c, at, []string{g.Digest}); err != nil {
			return err
		}
		_, err := c.ExecContext(ctx, `INSERT INTO generated (`+generatedCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (source, ref, path, variant) DO UPDATE SET
				digest = excluded.digest, size = excluded.size, created = excluded.created`,
			g.Source, g.Ref, g.Path, g.Variant, g.Digest, g.Size, stamp(at))
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
	g, err := scanGenerated(q.rd.QueryRowContext(ctx, `SELECT `+generatedCols+` FROM generated
		WHERE source = ? AND ref = ? AND path = ? AND variant = ?`, k.Source, k.Ref, k.Path, k.Variant))
	return g, wrap("get generated package", missing(err, "generated package not found"))
}

// DeleteGenerated implements meta.GeneratedPackages.
func (q *queries) DeleteGenerated(ctx context.Context, k meta.GeneratedKey) error {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM generated
		WHERE source = ? AND ref = ? AND path = ? AND variant = ?`, k.Source, k.Ref, k.Path, k.Variant)
	return wrap("delete generated package", changed(res, err, "generated package not found"))
}

// DeleteGeneratedBefore implements meta.GeneratedPackages.
func (q *queries) DeleteGeneratedBefore(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM generated WHERE created < ?`, stamp(cutoff))
	if err != nil {
		return 0, wrap("delete generated packages", err)
	}
	n, err := res.RowsAffected()
	return n, wrap("delete generated packages", err)
}
