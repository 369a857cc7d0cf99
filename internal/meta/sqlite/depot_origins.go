package sqlite

import (
	"context"
	"encoding/json"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// PutOrigin implements meta.Origins. Errors: errs.Invalid for what
// meta.CheckOrigin refuses; errs.NotFound for a missing namespace.
func (q *queries) PutOrigin(ctx context.Context, o *meta.Origin) error {
	if err := meta.CheckOrigin(o); err != nil {
		return err
	}
	at := now()
	var created int64
	err := q.wr.QueryRowContext(ctx, `INSERT INTO hab_origins (namespace_id, default_visibility, created, updated)
		VALUES (?1, ?2, ?3, ?3)
		ON CONFLICT (namespace_id) DO UPDATE SET default_visibility = excluded.default_visibility,
			updated = excluded.updated
		RETURNING created`, o.NamespaceID, o.DefaultVisibility, stamp(at)).Scan(&created)
	if isForeignKey(err) {
		return errs.E(errs.NotFound, "namespace not found")
	}
	if err != nil {
		return wrap("put origin", err)
	}
	o.Created, o.Updated = unstamp(created), at
	return nil
}

// GetOrigin implements meta.Origins.
func (q *queries) GetOrigin(ctx context.Context, namespaceID int64) (meta.Origin, error) {
	o := meta.Origin{NamespaceID: namespaceID}
	var created, updated int64
	err := q.rd.QueryRowContext(ctx, `SELECT default_visibility, created, updated FROM hab_origins
		WHERE namespace_id = ?`, namespaceID).Scan(&o.DefaultVisibility, &created, &updated)
	if err != nil {
		return meta.Origin{}, wrap("get origin", missing(err, "origin settings not found"))
	}
	o.Created, o.Updated = unstamp(created), unstamp(updated)
	return o, nil
}

const packageSettingsCols = `repo_id, namespace_id, origin, name, visibility, owner_id, created, updated`

func scanPackageSettings(s scanner) (meta.PackageSettings, error) {
	var p meta.PackageSettings
	var created, updated int64
	if err := s.Scan(&p.RepoID, &p.NamespaceID, &p.Origin, &p.Name, &p.Visibility, &p.OwnerID,
		&created, &updated); err != nil {
		return meta.PackageSettings{}, err
	}
	p.Created, p.Updated = unstamp(created), unstamp(updated)
	return p, nil
}

// CreatePackageSettings implements meta.Origins. The settings belong to
// the repository's namespace: CreatePackageSettings sets s.NamespaceID
// from the repository. Errors beyond the interface's: errs.Invalid for
// what meta.CheckPackageSettings refuses, or for a NamespaceID that is
// set and not the repository's.
func (q *queries) CreatePackageSettings(ctx context.Context, s *meta.PackageSettings) error {
	if err := meta.CheckPackageSettings(s); err != nil {
		return err
	}
	at := now()
	var namespaceID int64
	err := q.atomic(ctx, func(c dbtx) error {
		err := c.QueryRowContext(ctx, `SELECT namespace_id FROM repositories WHERE id = ?`, s.RepoID).Scan(&namespaceID)
		if err != nil {
			return missing(err, "repository not found")
		}
		if err := meta.CheckPackageSettingsParent(s, namespaceID); err != nil {
			return err
		}
		_, err = c.ExecContext(ctx, `INSERT INTO hab_packages (`+packageSettingsCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			s.RepoID, namespaceID, s.Origin, s.Name, s.Visibility, s.OwnerID, stamp(at), stamp(at))
		switch {
		case isUnique(err):
			return errs.E(errs.Exists, "package settings exist")
		case isForeignKey(err):
			return errs.E(errs.NotFound, "repository not found")
		}
		return err
	})
	if err != nil {
		return wrap("create package settings", err)
	}
	s.NamespaceID, s.Created, s.Updated = namespaceID, at, at
	return nil
}

// GetPackageSettings implements meta.Origins.
func (q *queries) GetPackageSettings(ctx context.Context, repoID int64) (meta.PackageSettings, error) {
	p, err := scanPackageSettings(q.rd.QueryRowContext(ctx, `SELECT `+packageSettingsCols+` FROM hab_packages
		WHERE repo_id = ?`, repoID))
	return p, wrap("get package settings", missing(err, "package settings not found"))
}

// UpdatePackageSettings implements meta.Origins. Errors beyond the
// interface's: errs.Invalid for an unknown visibility.
func (q *queries) UpdatePackageSettings(ctx context.Context, s meta.PackageSettings) error {
	if err := meta.CheckVisibility(s.Visibility); err != nil {
		return err
	}
	res, err := q.wr.ExecContext(ctx, `UPDATE hab_packages SET visibility = ?, updated = ? WHERE repo_id = ?`,
		s.Visibility, stamp(now()), s.RepoID)
	return wrap("update package settings", changed(res, err, "package settings not found"))
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
		vis, err := json.Marshal(visibilities)
		if err != nil {
			return nil, 0, wrap("list package settings", err)
		}
		w.and(`visibility IN (SELECT value FROM json_each(` + w.arg(string(vis)) + `))`)
	}
	args := len(w.args) // the filter's, before the page's
	query := `SELECT ` + packageSettingsCols + `, count(*) OVER () FROM hab_packages` + w.String() +
		` ORDER BY name, repo_id LIMIT ` + w.arg(limit(n)) + ` OFFSET ` + w.arg(offset)
	ps, total, err := listPage(ctx, q.rd, scanPackageSettings, query, w.args,
		offset, `SELECT count(*) FROM hab_packages`+w.String(), w.args[:args])
	return ps, total, wrap("list package settings", err)
}

// DeletePackageSettings implements meta.Origins.
func (q *queries) DeletePackageSettings(ctx context.Context, repoID int64) error {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM hab_packages WHERE repo_id = ?
		AND NOT EXISTS (SELECT 1 FROM hab_releases WHERE repo_id = ?)`, repoID, repoID)
	if err != nil {
		return wrap("delete package settings", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return wrap("delete package settings", err)
	}
	// Kept: either there are no settings, or the repository has releases.
	var settings bool
	err = q.rd.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM hab_packages WHERE repo_id = ?)`,
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
	err := q.rd.QueryRowContext(ctx, `SELECT count(*) FROM hab_packages WHERE namespace_id = ?`, namespaceID).Scan(&n)
	return n, wrap("count package settings", err)
}
