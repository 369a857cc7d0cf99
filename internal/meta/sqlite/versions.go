package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const versionCols = `id, repo_id, version, media_type, artifact_type, subject, blob_digest,
	size, metadata, annotations, downloads, creator_id, created`

func scanVersion(s scanner) (meta.Version, error) {
	var v meta.Version
	var blob sql.NullString
	var creator sql.NullInt64
	var created int64
	if err := s.Scan(&v.ID, &v.RepoID, &v.Version, &v.MediaType, &v.ArtifactType, &v.Subject, &blob,
		&v.Size, &v.Metadata, &v.Annotations, &v.Downloads, &creator, &created); err != nil {
		return meta.Version{}, err
	}
	v.BlobDigest, v.CreatorID = blob.String, creator.Int64
	v.Created = unstamp(created)
	return v, nil
}

// CreateVersion implements meta.Versions. Every blob the version refers to,
// its BlobDigest and its RefBlob refs, must be recorded; they are marked as
// just used. Errors beyond the interface's: errs.NotFound for a missing
// repository, creator or blob, errs.Invalid for an empty version string or a ref of
// unknown kind.
func (q *queries) CreateVersion(ctx context.Context, v *meta.Version, refs []meta.Ref) error {
	if v.Version == "" {
		return errs.E(errs.Invalid, "version is empty")
	}
	if v.Size < 0 {
		return errs.E(errs.Invalid, "version size is negative")
	}
	refs, err := cleanRefs(refs)
	if err != nil {
		return err
	}
	created := now()
	var id int64
	err = q.atomic(ctx, func(c dbtx) error {
		if err := touchBlobs(ctx, c, created, usedBlobs(v.BlobDigest, refs)); err != nil {
			return err
		}
		err := c.QueryRowContext(ctx, `INSERT INTO versions (repo_id, version, lower_version, media_type,
			artifact_type, subject, blob_digest, size, metadata, annotations, creator_id, created)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			v.RepoID, v.Version, strings.ToLower(v.Version), v.MediaType, v.ArtifactType, v.Subject,
			nullText(v.BlobDigest), v.Size, nullBytes(v.Metadata), nullBytes(v.Annotations),
			nullID(v.CreatorID), stamp(created)).Scan(&id)
		switch {
		case isUnique(err):
			return errs.E(errs.Exists, "version exists")
		case isForeignKey(err):
			return errs.E(errs.NotFound, "repository or creator not found")
		case err != nil:
			return err
		}
		for _, r := range refs {
			if _, err := c.ExecContext(ctx, `INSERT INTO version_refs (version_id, kind, digest)
				VALUES (?, ?, ?)`, id, string(r.Kind), r.Digest); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return wrap("create version", err)
	}
	v.ID, v.Created, v.Downloads = id, created, 0
	return nil
}

// cleanRefs checks refs and drops duplicates.
func cleanRefs(refs []meta.Ref) ([]meta.Ref, error) {
	seen := make(map[meta.Ref]bool, len(refs))
	out := make([]meta.Ref, 0, len(refs))
	for _, r := range refs {
		if r.Kind != meta.RefBlob && r.Kind != meta.RefVersion {
			return nil, errs.E(errs.Invalid, "unknown reference kind %q", r.Kind)
		}
		if r.Digest == "" {
			return nil, errs.E(errs.Invalid, "reference digest is empty")
		}
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out, nil
}

// usedBlobs returns the distinct blob digests a version refers to.
func usedBlobs(own string, refs []meta.Ref) []string {
	var ds []string
	seen := map[string]bool{"": true}
	add := func(d string) {
		if !seen[d] {
			seen[d] = true
			ds = append(ds, d)
		}
	}
	add(own)
	for _, r := range refs {
		if r.Kind == meta.RefBlob {
			add(r.Digest)
		}
	}
	return ds
}

// touchBlobs marks recorded blobs as used at at, so garbage collection
// spares them. Errors: errs.NotFound when one is not recorded.
func touchBlobs(ctx context.Context, c dbtx, at time.Time, digests []string) error {
	for _, d := range digests {
		res, err := c.ExecContext(ctx, `UPDATE blobs SET last_used = max(last_used, ?) WHERE digest = ?`, stamp(at), d)
		if err := changed(res, err, "blob not found"); err != nil {
			return err
		}
	}
	return nil
}

// GetVersion implements meta.Versions.
func (q *queries) GetVersion(ctx context.Context, repoID int64, version string) (meta.Version, error) {
	v, err := scanVersion(q.rd.QueryRowContext(ctx,
		`SELECT `+versionCols+` FROM versions WHERE repo_id = ? AND lower_version = ?`,
		repoID, strings.ToLower(version)))
	return v, wrap("get version", missing(err, "version not found"))
}

// LockVersion implements meta.Versions. A transaction holds the database's
// write lock from its start (it begins IMMEDIATE), which is lock enough;
// the read goes through the transaction like every other.
func (q *queries) LockVersion(ctx context.Context, repoID int64, version string) (meta.Version, error) {
	return q.GetVersion(ctx, repoID, version)
}

// GetVersionByID implements meta.Versions.
func (q *queries) GetVersionByID(ctx context.Context, id int64) (meta.Version, error) {
	v, err := scanVersion(q.rd.QueryRowContext(ctx,
		`SELECT `+versionCols+` FROM versions WHERE id = ?`, id))
	return v, wrap("get version", missing(err, "version not found"))
}

// ListVersions implements meta.Versions.
func (q *queries) ListVersions(ctx context.Context, repoID int64) ([]meta.Version, error) {
	vs, err := list(ctx, q.rd, scanVersion,
		`SELECT `+versionCols+` FROM versions WHERE repo_id = ? ORDER BY id DESC`, repoID)
	return vs, wrap("list versions", err)
}

// ListReferrers implements meta.Versions. An empty subject has no
// referrers.
func (q *queries) ListReferrers(ctx context.Context, repoID int64, subject, artifactType string) ([]meta.Version, error) {
	if subject == "" {
		return nil, nil
	}
	vs, err := list(ctx, q.rd, scanVersion, `SELECT `+versionCols+` FROM versions
		WHERE repo_id = ? AND subject = ? AND (? = '' OR artifact_type = ?) ORDER BY id`,
		repoID, subject, artifactType, artifactType)
	return vs, wrap("list referrers", err)
}

// CountVersionParents implements meta.Versions.
func (q *queries) CountVersionParents(ctx context.Context, repoID int64, digest string) (int, error) {
	var n int
	err := q.rd.QueryRowContext(ctx, `SELECT count(*) FROM version_refs r
		JOIN versions v ON v.id = r.version_id
		WHERE r.kind = 'version' AND r.digest = ? AND v.repo_id = ?`, digest, repoID).Scan(&n)
	return n, wrap("count version parents", err)
}

// AddDownload implements meta.Versions. Errors: errs.NotFound.
func (q *queries) AddDownload(ctx context.Context, id int64) error {
	res, err := q.wr.ExecContext(ctx, `UPDATE versions SET downloads = downloads + 1 WHERE id = ?`, id)
	return wrap("add download", changed(res, err, "version not found"))
}

// DeleteVersion implements meta.Versions. The schema's cascades remove its
// refs, files and tags.
func (q *queries) DeleteVersion(ctx context.Context, id int64) error {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM versions WHERE id = ?`, id)
	return wrap("delete version", changed(res, err, "version not found"))
}
