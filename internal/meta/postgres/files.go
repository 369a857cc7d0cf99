package postgres

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const fileCols = `id, version_id, name, digest, size, lead, md5, sha1, sha512, created`

func scanFile(s pgx.Row) (meta.File, error) {
	var f meta.File
	if err := s.Scan(&f.ID, &f.VersionID, &f.Name, &f.Digest, &f.Size, &f.Lead, &f.MD5, &f.SHA1, &f.SHA512, &f.Created); err != nil {
		return meta.File{}, err
	}
	f.Created = f.Created.UTC()
	return f, nil
}

// CreateFile implements meta.Files. The file's blob must be recorded and
// is marked as just used. Errors beyond the interface's: errs.NotFound for
// a missing version or blob, errs.Invalid for an empty name or digest.
func (q *queries) CreateFile(ctx context.Context, f *meta.File) error {
	if f.Name == "" || f.Digest == "" {
		return errs.E(errs.Invalid, "file name or digest is empty")
	}
	if f.Size < 0 {
		return errs.E(errs.Invalid, "file size is negative")
	}
	created := now()
	var id int64
	err := q.atomic(ctx, func(c dbtx) error {
		if err := touchBlobs(ctx, c, created, []string{f.Digest}); err != nil {
			return err
		}
		err := c.QueryRow(ctx, `INSERT INTO files (version_id, name, lower_name, digest, size, lead,
				md5, sha1, sha512, created)
			SELECT $1::bigint, $2::text, $3::text, $4::text, $5::bigint, $6::boolean,
				$8::text, $9::text, $10::text, $7::timestamptz
			WHERE EXISTS (SELECT 1 FROM versions WHERE id = $1)
			ON CONFLICT DO NOTHING RETURNING id`,
			f.VersionID, f.Name, strings.ToLower(f.Name), f.Digest, f.Size, f.Lead, created,
			f.MD5, f.SHA1, f.SHA512).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return parentOrExists(ctx, c, "version not found", "file exists",
				`SELECT EXISTS (SELECT 1 FROM versions WHERE id = $1)`, f.VersionID)
		}
		switch {
		case isUnique(err):
			return errs.E(errs.Exists, "file exists")
		case isForeignKey(err):
			return errs.E(errs.NotFound, "version not found")
		}
		return err
	})
	if err != nil {
		return wrap("create file", err)
	}
	f.ID, f.Created = id, created
	return nil
}

// GetFile implements meta.Files.
func (q *queries) GetFile(ctx context.Context, versionID int64, name string) (meta.File, error) {
	f, err := scanFile(q.db.QueryRow(ctx,
		`SELECT `+fileCols+` FROM files WHERE version_id = $1 AND lower_name = $2`,
		versionID, strings.ToLower(name)))
	return f, wrap("get file", missing(err, "file not found"))
}

// ListFiles implements meta.Files.
func (q *queries) ListFiles(ctx context.Context, versionID int64) ([]meta.File, error) {
	fs, err := list(ctx, q.db, scanFile,
		`SELECT `+fileCols+` FROM files WHERE version_id = $1 ORDER BY name, id`, versionID)
	return fs, wrap("list files", err)
}

// DeleteFile implements meta.Files.
func (q *queries) DeleteFile(ctx context.Context, id int64) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM files WHERE id = $1`, id)
	return wrap("delete file", changed(tag, err, "file not found"))
}
