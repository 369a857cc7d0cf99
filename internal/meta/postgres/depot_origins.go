package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// PutOrigin implements meta.Origins. Errors: errs.Invalid for what
// meta.CheckOrigin refuses; errs.NotFound for a missing namespace, found
// without a failing statement, which would abort a transaction.
func (q *queries) PutOrigin(ctx context.Context, o *meta.Origin) error {
	if err := meta.CheckOrigin(o); err != nil {
		return err
	}
	at := now()
	var created time.Time
	err := q.db.QueryRow(ctx, `INSERT INTO hab_origins (namespace_id, default_visibility, created, updated)
		SELECT $1::bigint, $2::text, $3::timestamptz, $3::timestamptz
		WHERE EXISTS (SELECT 1 FROM namespaces WHERE id = $1)
		ON CONFLICT (namespace_id) DO UPDATE SET default_visibility = excluded.default_visibility,
			updated = excluded.updated
		RETURNING created`, o.NamespaceID, o.DefaultVisibility, at).Scan(&created)
	switch {
	case errors.Is(err, pgx.ErrNoRows), isForeignKey(err):
		return errs.E(errs.NotFound, "namespace not found")
	case err != nil:
		return wrap("put origin", err)
	}
	o.Created, o.Updated = created.UTC(), at
	return nil
}

// GetOrigin implements meta.Origins.
func (q *queries) GetOrigin(ctx context.Context, namespaceID int64) (meta.Origin, error) {
	o := meta.Origin{NamespaceID: namespaceID}
	err := q.db.QueryRow(ctx, `SELECT default_visibility, created, updated FROM hab_origins
		WHERE namespace_id = $1`, namespaceID).Scan(&o.DefaultVisibility, &o.Created, &o.Updated)
	if err != nil {
		return meta.Origin{}, wrap("get origin", missing(err, "origin settings not found"))
	}
	o.Created, o.Updated = o.Created.UTC(), o.Updated.UTC()
	return o, nil
}

const packageSettingsCols = `repo_id, namespace_id, origin, name, visibility, owner_id, created, updated`

func scanPackageSettings(s pgx.Row) (meta.PackageSettings, error) {
	var p meta.PackageSettings
	if err := s.Scan(&p.RepoID, &p.NamespaceID, &p.Origin, &p.Name, &p.Visibility, &p.OwnerID,
		&p.Created, &p.Updated); err != nil {
		return meta.PackageSettings{}, err
	}
	p.Created, p.Updated = p.Created.UTC(), p.Updated.UTC()
	return p, nil
}

// CreatePackageSettings implements meta.Origins. The settings belong to
// the repository's namespace: CreatePackageSettings sets s.NamespaceID
// from the repository, which it holds against deletion until the
// settings are written. Errors beyond the interface's: errs.Invalid for
// what meta.CheckPackageSettings refuses, or for a NamespaceID that is set
// and not the repository's.
func (q *queries) CreatePackageSettings(ctx context.Context, s *meta.PackageSettings) error {
	if err := meta.CheckPackageSettings(s); err != nil {
		return err
	}
	at := now()
	var namespaceID int64
	err := q.atomic(ctx, func(c dbtx) error {
		err := c.QueryRow(ctx, `SELECT namespace_id FROM repositories WHERE id = $1 FOR KEY SHARE`,
			s.RepoID).Scan(&namespaceID)
		if err != nil {
			return missing(err, "repository not found")
		}
		if err := meta.CheckPackageSettingsParent(s, namespaceID); err != nil {
			return err
		}
		tag, err := c.Exec(ctx, `INSERT INTO hab_packages (`+packageSettingsCols+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT DO NOTHING`,
			s.RepoID, namespaceID, s.Origin, s.Name, s.Visibility, s.OwnerID, at)
		switch {
		case isForeignKey(err):
			return errs.E(errs.NotFound, "repository not found")
		case err != nil:
			return err
		case tag.RowsAffected() == 0:
			return errs.E(errs.Exists, "package settings exist")
		}
		return nil
	})
	if err != nil {
		return wrap("create package settings", err)
	}
	s.NamespaceID, s.Created, s.Updated = namespaceID, at, at
	return nil
}

// GetPackageSettings implements meta.Origins.
func (q *queries) GetPackageSettings(ctx context.Context, repoID int64) (meta.PackageSettings, error) {
	p, err := scanPackageSettings(q.db.QueryRow(ctx, `SELECT `+packageSettingsCols+` FROM hab_packages
		WHERE repo_id = $1`, repoID))
	return p, wrap("get package settings", missing(err, "package settings not found"))
}

// UpdatePackageSettings implements meta.Origins. Errors beyond the
// interface's: errs.Invalid for an unknown visibility.
func (q *queries) UpdatePackageSettings(ctx context.Context, s meta.PackageSettings) error {
	if err := meta.CheckVisibility(s.Visibility); err != nil {
		return err
	}
	tag, err := q.db.Exec(ctx, `UPDATE hab_packages SET visibility = $1, updated = $2 WHERE repo_id = $3`,
		s.Visibility, now(), s.RepoID)
	return wrap("update package settings", changed(tag, err, "package settings not found"))
}

// ListPackageSettings implements meta.Origins. The total comes from a
// window count, or from a count query when the page is past the end.
// Errors: errs.Invalid for an unknown visibility or a negative offset.
func (q *queries) ListPackageSettings(ctx context.Context, namespaceID int64, visibilities []string, offset, n int) ([]meta.PackageSettings, int, error) {
	if err := meta.CheckVisibilities(visibilities); err != nil {
		return nil, 0, err
	}
	if err := meta.CheckPage(offset); err != nil {
		return nil, 0, err
	}
	var w where
	w.and(`namespace_id = ` + w.arg(namespaceID))
	if len(visibilities) > 0 {
		w.and(`visibility = ANY (` + w.arg(visibilities) + `::text[])`)
	}
	args := len(w.args) // the filter's, before the page's
	query := `SELECT ` + packageSettingsCols + `, count(*) OVER () FROM hab_packages` + w.String() +
		` ORDER BY name, repo_id LIMIT ` + w.arg(limit(n)) + ` OFFSET ` + w.arg(offset)
	ps, total, err := listPage(ctx, q.db, scanPackageSettings, query, w.args,
		offset, `SELECT count(*) FROM hab_packages`+w.String(), w.args[:args])
	return ps, total, wrap("list package settings", err)
}

// DeletePackageSettings implements meta.Origins.
func (q *queries) DeletePackageSettings(ctx context.Context, repoID int64) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM hab_packages WHERE repo_id = $1
		AND NOT EXISTS (SELECT 1 FROM hab_releases WHERE repo_id = $1)`, repoID)
	if err != nil {
		return wrap("delete package settings", err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	// Kept: either there are no settings, or the repository has releases.
	var settings bool
	err = q.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM hab_packages WHERE repo_id = $1)`,
		repoID).Scan(&settings)
	switch {
	case err != nil:
		return wrap("delete package settings", err)
	case !settings:
		return errs.E(errs.NotFound, "package settings not found")
	}
	return errs.E(errs.Conflict, "the package has releases")
}

// CountPackageSettings implements meta.Origins.
func (q *queries) CountPackageSettings(ctx context.Context, namespaceID int64) (int, error) {
	var n int
	err := q.db.QueryRow(ctx, `SELECT count(*) FROM hab_packages WHERE namespace_id = $1`, namespaceID).Scan(&n)
	return n, wrap("count package settings", err)
}
