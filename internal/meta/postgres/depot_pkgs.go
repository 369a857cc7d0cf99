package postgres

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const releaseCols = `version_id, repo_id, namespace_id, origin, name, version, release, target, checksum,
	visibility, package_type, owner_id, created, updated`

func scanRelease(s pgx.Row) (meta.Release, error) {
	var r meta.Release
	if err := s.Scan(&r.VersionID, &r.RepoID, &r.NamespaceID, &r.Origin, &r.Name, &r.Version, &r.Release,
		&r.Target, &r.Checksum, &r.Visibility, &r.PackageType, &r.OwnerID, &r.Created, &r.Updated); err != nil {
		return meta.Release{}, err
	}
	r.Created, r.Updated = r.Created.UTC(), r.Updated.UTC()
	return r, nil
}

// CreateRelease implements meta.Releases. The release belongs to the
// version's repository and namespace: CreateRelease sets r.RepoID and
// r.NamespaceID from the version, which it holds against deletion until
// the release is written. Errors beyond the interface's: errs.Invalid for
// what meta.CheckRelease refuses, or for a RepoID or NamespaceID that is
// set and not the version's.
func (q *queries) CreateRelease(ctx context.Context, r *meta.Release) error {
	deps, err := meta.CheckRelease(r)
	if err != nil {
		return err
	}
	at := now()
	var repoID, namespaceID int64
	err = q.atomic(ctx, func(c dbtx) error {
		err := c.QueryRow(ctx, `SELECT v.repo_id, r.namespace_id FROM versions v
			JOIN repositories r ON r.id = v.repo_id WHERE v.id = $1 FOR KEY SHARE OF v`, r.VersionID).Scan(&repoID, &namespaceID)
		if err != nil {
			return missing(err, "version not found")
		}
		if err := meta.CheckReleaseParent(r, repoID, namespaceID); err != nil {
			return err
		}
		_, err = c.Exec(ctx, `INSERT INTO hab_releases (`+releaseCols+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)`,
			r.VersionID, repoID, namespaceID, r.Origin, r.Name, r.Version, r.Release, r.Target, r.Checksum,
			r.Visibility, r.PackageType, r.OwnerID, at)
		switch {
		case isUnique(err):
			return errs.E(errs.Exists, "release exists")
		case isForeignKey(err):
			return errs.E(errs.NotFound, "version not found")
		case err != nil:
			return err
		}
		if len(deps) == 0 {
			return nil
		}
		var origins, names, versions, releases []string
		for _, d := range deps {
			origins, names = append(origins, d.Origin), append(names, d.Name)
			versions, releases = append(versions, d.Version), append(releases, d.Release)
		}
		_, err = c.Exec(ctx, `INSERT INTO hab_tdeps (version_id, position, dep_origin, dep_name, dep_version, dep_release)
			SELECT $1, d.n - 1, d.o, d.na, d.v, d.r
			FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS d (o, na, v, r, n)`,
			r.VersionID, origins, names, versions, releases)
		return err
	})
	if err != nil {
		return wrap("create release", err)
	}
	r.RepoID, r.NamespaceID, r.Created, r.Updated = repoID, namespaceID, at, at
	return nil
}

// GetRelease implements meta.Releases.
func (q *queries) GetRelease(ctx context.Context, namespaceID int64, name, version, release, target string) (meta.Release, error) {
	r, err := scanRelease(q.db.QueryRow(ctx, `SELECT `+releaseCols+` FROM hab_releases
		WHERE namespace_id = $1 AND name = $2 AND version = $3 AND release = $4 AND ($5 = '' OR target = $5)
		ORDER BY target LIMIT 1`, namespaceID, name, version, release, target))
	if err != nil {
		return meta.Release{}, wrap("get release", missing(err, "release not found"))
	}
	r.TDeps, err = q.tdeps(ctx, r.VersionID)
	return r, wrap("get release", err)
}

// GetReleaseByVersion implements meta.Releases.
func (q *queries) GetReleaseByVersion(ctx context.Context, versionID int64) (meta.Release, error) {
	r, err := scanRelease(q.db.QueryRow(ctx, `SELECT `+releaseCols+` FROM hab_releases
		WHERE version_id = $1`, versionID))
	if err != nil {
		return meta.Release{}, wrap("get release", missing(err, "release not found"))
	}
	r.TDeps, err = q.tdeps(ctx, r.VersionID)
	return r, wrap("get release", err)
}

// tdeps returns the TDeps of a release in their order.
func (q *queries) tdeps(ctx context.Context, versionID int64) ([]string, error) {
	return list(ctx, q.db, scanString, `SELECT dep_origin || '/' || dep_name || '/' || dep_version || '/' || dep_release
		FROM hab_tdeps WHERE version_id = $1 ORDER BY position`, versionID)
}

// releaseWhere is the condition on hab_releases hr of the releases f
// selects. Errors: errs.Invalid for an unknown visibility.
func releaseWhere(f meta.ReleaseFilter) (where, error) {
	var w where
	if err := meta.CheckReleaseFilter(f); err != nil {
		return w, err
	}
	if f.NamespaceID != 0 {
		w.and(`hr.namespace_id = ` + w.arg(f.NamespaceID))
	}
	for _, c := range [...]struct{ col, v string }{
		{"name", f.Name}, {"version", f.Version}, {"release", f.Release}, {"target", f.Target},
	} {
		if c.v != "" {
			w.and(`hr.` + c.col + ` = ` + w.arg(c.v))
		}
	}
	if f.ChannelID != 0 {
		w.and(`hr.version_id IN (SELECT version_id FROM channel_versions WHERE channel_id = ` + w.arg(f.ChannelID) + `)`)
	}
	if len(f.Visibilities) > 0 {
		cond := `hr.visibility = ANY (` + w.arg(f.Visibilities) + `::text[])`
		if len(f.AllIn) > 0 {
			cond = `(` + cond + ` OR hr.namespace_id = ANY (` + w.arg(f.AllIn) + `::bigint[]))`
		}
		w.and(cond)
	}
	for _, t := range f.Terms {
		if t == "" {
			continue
		}
		p := w.arg(prefixPattern(strings.ToLower(t)))
		var or []string
		for _, col := range []string{"origin", "name", "version", "release"} {
			or = append(or, `lower(hr.`+col+`) LIKE `+p+` ESCAPE '\'`)
		}
		// A term with a separator is no prefix of a word.
		if !strings.ContainsAny(t, "-_.") {
			for _, sep := range []string{`-`, `\_`, `.`} {
				or = append(or, `lower(hr.name) LIKE '%`+sep+`' || `+p+` ESCAPE '\'`)
			}
		}
		w.and(`(` + strings.Join(or, ` OR `) + `)`)
	}
	return w, nil
}

// ListReleaseKeys implements meta.Releases.
func (q *queries) ListReleaseKeys(ctx context.Context, f meta.ReleaseFilter) ([]meta.ReleaseKey, error) {
	w, err := releaseWhere(f)
	if err != nil {
		return nil, wrap("list release keys", err)
	}
	ks, err := list(ctx, q.db, func(s pgx.Row) (meta.ReleaseKey, error) {
		var k meta.ReleaseKey
		err := s.Scan(&k.VersionID, &k.Name, &k.Version, &k.Release, &k.Target, &k.Visibility)
		return k, err
	}, `SELECT hr.version_id, hr.name, hr.version, hr.release, hr.target, hr.visibility FROM hab_releases hr`+w.String(), w.args...)
	return ks, wrap("list release keys", err)
}

// identOrder is the key ListIdents orders by, bytewise.
const identOrder = `(origin || '/' || name || '/' || version || '/' || release) COLLATE "C"`

// ListIdents implements meta.Releases in one query, which pages the
// distinct idents and joins each to its selected releases; the total
// comes from a window count, or from a count query when the page is past
// the end. Errors: errs.Invalid for an unknown visibility or a negative
// offset.
func (q *queries) ListIdents(ctx context.Context, f meta.ReleaseFilter, desc bool, offset, n int) ([]meta.IdentRow, int, error) {
	if err := meta.CheckPage(offset); err != nil {
		return nil, 0, err
	}
	w, err := releaseWhere(f)
	if err != nil {
		return nil, 0, wrap("list idents", err)
	}
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	args := len(w.args) // the filter's, before the page's
	sel := `SELECT hr.version_id, hr.origin, hr.name, hr.version, hr.release, hr.target FROM hab_releases hr` + w.String()
	query := `WITH sel AS (` + sel + `),
		page AS (SELECT origin, name, version, release, ident, count(*) OVER () AS total
			FROM (SELECT DISTINCT origin, name, version, release, ` + identOrder + ` AS ident FROM sel) AS idents
			ORDER BY ident ` + dir + `, origin, name, version, release
			LIMIT ` + w.arg(limit(n)) + ` OFFSET ` + w.arg(offset) + `)
		SELECT p.origin, p.name, p.version, p.release, s.target, s.version_id, p.total
		FROM page p JOIN sel s USING (origin, name, version, release)
		ORDER BY p.ident ` + dir + `, p.origin, p.name, p.version, p.release, s.target`
	count := `SELECT count(*) FROM (SELECT DISTINCT hr.origin, hr.name, hr.version, hr.release
		FROM hab_releases hr` + w.String() + `) AS idents`
	rows, total, err := listPage(ctx, q.db, scanIdentTarget, query, w.args, offset, count, w.args[:args])
	if err != nil {
		return nil, 0, wrap("list idents", err)
	}
	return meta.MergeIdentRows(rows), total, nil
}

// scanIdentTarget reads a release of ListIdents as an IdentRow of its one
// target.
func scanIdentTarget(s pgx.Row) (meta.IdentRow, error) {
	var (
		id        meta.IdentRow
		target    string
		versionID int64
	)
	err := s.Scan(&id.Origin, &id.Name, &id.Version, &id.Release, &target, &versionID)
	id.Targets, id.VersionIDs = []string{target}, []int64{versionID}
	return id, err
}

// ListNames implements meta.Releases as ListIdents does. Errors:
// errs.Invalid for an unknown visibility or a negative offset.
func (q *queries) ListNames(ctx context.Context, f meta.ReleaseFilter, offset, n int) ([]meta.NameRow, int, error) {
	if err := meta.CheckPage(offset); err != nil {
		return nil, 0, err
	}
	w, err := releaseWhere(f)
	if err != nil {
		return nil, 0, wrap("list names", err)
	}
	from := ` FROM (SELECT DISTINCT hr.origin, hr.name FROM hab_releases hr` + w.String() + `) AS names`
	args := len(w.args) // the filter's, before the page's
	query := `SELECT origin, name, count(*) OVER ()` + from + `
		ORDER BY name, origin LIMIT ` + w.arg(limit(n)) + ` OFFSET ` + w.arg(offset)
	rs, total, err := listPage(ctx, q.db, scanNameRow, query, w.args, offset, `SELECT count(*)`+from, w.args[:args])
	return rs, total, wrap("list names", err)
}

// SetReleaseVisibility implements meta.Releases. Errors beyond the
// interface's: errs.Invalid for an unknown visibility.
func (q *queries) SetReleaseVisibility(ctx context.Context, namespaceID int64, name, version, release, visibility string) error {
	if err := meta.CheckVisibility(visibility); err != nil {
		return err
	}
	tag, err := q.db.Exec(ctx, `UPDATE hab_releases SET visibility = $1, updated = $2
		WHERE namespace_id = $3 AND name = $4 AND version = $5 AND release = $6`,
		visibility, now(), namespaceID, name, version, release)
	return wrap("set release visibility", changed(tag, err, "release not found"))
}

// ListRDeps implements meta.Releases; an empty target stands for every
// target.
func (q *queries) ListRDeps(ctx context.Context, origin, name, target string) ([]meta.NameRow, error) {
	rs, err := list(ctx, q.db, scanNameRow, `SELECT DISTINCT hr.origin, hr.name FROM hab_tdeps d
		JOIN hab_releases hr ON hr.version_id = d.version_id
		WHERE d.dep_origin = $1 AND d.dep_name = $2 AND ($3 = '' OR hr.target = $3)
		ORDER BY hr.origin, hr.name`, origin, name, target)
	return rs, wrap("list reverse dependencies", err)
}

// CountRDeps implements meta.Releases.
func (q *queries) CountRDeps(ctx context.Context, origin, name string) (int, error) {
	var n int
	err := q.db.QueryRow(ctx, `SELECT count(DISTINCT hr.version_id) FROM hab_tdeps d
		JOIN hab_releases hr ON hr.version_id = d.version_id
		WHERE d.dep_origin = $1 AND d.dep_name = $2 AND NOT (hr.origin = $1 AND hr.name = $2)`,
		origin, name).Scan(&n)
	return n, wrap("count reverse dependencies", err)
}

func scanNameRow(s pgx.Row) (meta.NameRow, error) {
	var r meta.NameRow
	err := s.Scan(&r.Origin, &r.Name)
	return r, err
}
