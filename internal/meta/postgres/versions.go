package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const versionCols = `id, repo_id, version, media_type, artifact_type, subject, blob_digest,
	size, metadata, annotations, downloads, creator_id, created`

func scanVersion(s pgx.Row) (meta.Version, error) {
	var v meta.Version
	var blob *string
	var creator *int64
	if err := s.Scan(&v.ID, &v.RepoID, &v.Version, &v.MediaType, &v.ArtifactType, &v.Subject, &blob,
		&v.Size, &v.Metadata, &v.Annotations, &v.Downloads, &creator, &v.Created); err != nil {
		return meta.Version{}, err
	}
	if creator != nil {
		v.CreatorID = *creator
	}
	if blob != nil {
		v.BlobDigest = *blob
	}
	v.Metadata, v.Annotations = nullBytes(v.Metadata), nullBytes(v.Annotations)
	v.Created = v.Created.UTC()
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
		err := c.QueryRow(ctx, `INSERT INTO versions (repo_id, version, lower_version, media_type,
			artifact_type, subject, blob_digest, size, metadata, annotations, creator_id, created)
			SELECT $1::bigint, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::bigint,
				$9::bytea, $10::bytea, $12::bigint, $11::timestamptz
			WHERE EXISTS (SELECT 1 FROM repositories WHERE id = $1)
			ON CONFLICT DO NOTHING RETURNING id`,
			v.RepoID, v.Version, strings.ToLower(v.Version), v.MediaType, v.ArtifactType, v.Subject,
			nullText(v.BlobDigest), v.Size, nullBytes(v.Metadata), nullBytes(v.Annotations), created,
			nullID(v.CreatorID)).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return parentOrExists(ctx, c, "repository not found", "version exists",
				`SELECT EXISTS (SELECT 1 FROM repositories WHERE id = $1)`, v.RepoID)
		}
		switch {
		case isUnique(err):
			return errs.E(errs.Exists, "version exists")
		case isForeignKey(err):
			return errs.E(errs.NotFound, "repository or creator not found")
		case err != nil:
			return err
		}
		if len(refs) == 0 {
			return nil
		}
		kinds := make([]string, len(refs))
		digests := make([]string, len(refs))
		for i, r := range refs {
			kinds[i], digests[i] = string(r.Kind), r.Digest
		}
		_, err = c.Exec(ctx, `INSERT INTO version_refs (version_id, kind, digest)
			SELECT $1, k, d FROM unnest($2::text[], $3::text[]) AS r (k, d)`, id, kinds, digests)
		return err
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
// spares them. The row locks it takes, in digest order, hold a concurrent
// DeleteBlob or CollectBlob off until the caller's transaction ends, which
// then see the new time and the references it committed; one that holds a
// row already is waited for, and
// the row is then gone. Errors: errs.NotFound when one is not recorded.
func touchBlobs(ctx context.Context, c dbtx, at time.Time, digests []string) error {
	if len(digests) == 0 {
		return nil
	}
	tag, err := c.Exec(ctx, `WITH locked AS (
			SELECT digest FROM blobs WHERE digest = ANY ($2::text[]) ORDER BY digest FOR UPDATE
		)
		UPDATE blobs SET last_used = GREATEST(blobs.last_used, $1)
		FROM locked WHERE blobs.digest = locked.digest`, at, digests)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != int64(len(digests)) {
		return errs.E(errs.NotFound, "blob not found")
	}
	return nil
}

// GetVersion implements meta.Versions.
func (q *queries) GetVersion(ctx context.Context, repoID int64, version string) (meta.Version, error) {
	v, err := scanVersion(q.db.QueryRow(ctx,
		`SELECT `+versionCols+` FROM versions WHERE repo_id = $1 AND lower_version = $2`,
		repoID, strings.ToLower(version)))
	return v, wrap("get version", missing(err, "version not found"))
}

// LockVersion implements meta.Versions with a row lock (FOR UPDATE), which
// a concurrent delete and the foreign-key check of a new file wait for.
func (q *queries) LockVersion(ctx context.Context, repoID int64, version string) (meta.Version, error) {
	v, err := scanVersion(q.db.QueryRow(ctx,
		`SELECT `+versionCols+` FROM versions WHERE repo_id = $1 AND lower_version = $2 FOR UPDATE`,
		repoID, strings.ToLower(version)))
	return v, wrap("lock version", missing(err, "version not found"))
}

// GetVersionByID implements meta.Versions.
func (q *queries) GetVersionByID(ctx context.Context, id int64) (meta.Version, error) {
	v, err := scanVersion(q.db.QueryRow(ctx, `SELECT `+versionCols+` FROM versions WHERE id = $1`, id))
	return v, wrap("get version", missing(err, "version not found"))
}

// ListVersions implements meta.Versions.
func (q *queries) ListVersions(ctx context.Context, repoID int64) ([]meta.Version, error) {
	vs, err := list(ctx, q.db, scanVersion,
		`SELECT `+versionCols+` FROM versions WHERE repo_id = $1 ORDER BY id DESC`, repoID)
	return vs, wrap("list versions", err)
}

// ListReferrers implements meta.Versions. An empty subject has no
// referrers.
func (q *queries) ListReferrers(ctx context.Context, repoID int64, subject, artifactType string) ([]meta.Version, error) {
	if subject == "" {
		return nil, nil
	}
	vs, err := list(ctx, q.db, scanVersion, `SELECT `+versionCols+` FROM versions
		WHERE repo_id = $1 AND subject = $2 AND ($3 = '' OR artifact_type = $3) ORDER BY id`,
		repoID, subject, artifactType)
	return vs, wrap("list referrers", err)
}

// CountVersionParents implements meta.Versions.
func (q *queries) CountVersionParents(ctx context.Context, repoID int64, digest string) (int, error) {
	var n int
	err := q.db.QueryRow(ctx, `SELECT count(*) FROM version_refs r
		JOIN versions v ON v.id = r.version_id
		WHERE r.kind = 'version' AND r.digest = $1 AND v.repo_id = $2`, digest, repoID).Scan(&n)
	return n, wrap("count version parents", err)
}

// AddDownload implements meta.Versions. Errors: errs.NotFound.
func (q *queries) AddDownload(ctx context.Context, id int64) error {
	tag, err := q.db.Exec(ctx, `UPDATE versions SET downloads = downloads + 1 WHERE id = $1`, id)
	return wrap("add download", changed(tag, err, "version not found"))
}

// DeleteVersion implements meta.Versions. The schema's cascades remove its
// refs, files and tags.
func (q *queries) DeleteVersion(ctx context.Context, id int64) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM versions WHERE id = $1`, id)
	return wrap("delete version", changed(tag, err, "version not found"))
}
