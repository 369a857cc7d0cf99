package sqlite

import (
	"context"
	"strings"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const fileCols = `id, version_id, name, digest, size, lead, md5, sha1, sha512, created`

func scanFile(s scanner) (meta.File, error) {
	var f meta.File
	var created int64
	if err := s.Scan(&f.ID, &f.VersionID, &f.Name, &f.Digest, &f.Size, &f.Lead, &f.MD5, &f.SHA1, &f.SHA512, &created); err != nil {
		return meta.File{}, err
	}
	f.Created = unstamp(created)
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
		err := c.QueryRowContext(ctx, `INSERT INTO files (version_id, name, lower_name, digest, size, lead,
			md5, sha1, sha512, created)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			f.VersionID, f.Name, strings.ToLower(f.Name), f.Digest, f.Size, f.Lead,
			f.MD5, f.SHA1, f.SHA512, stamp(created)).Scan(&id)
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
	f, err := scanFile(q.rd.QueryRowContext(ctx,
		`SELECT `+fileCols+` FROM files WHERE version_id = ? AND lower_name = ?`,
		versionID, strings.ToLower(name)))
	return f, wrap("get file", missing(err, "file not found"))
}

// ListFiles implements meta.Files.
func (q *queries) ListFiles(ctx context.Context, versionID int64) ([]meta.File, error) {
	fs, err := list(ctx, q.rd, scanFile,
		`SELECT `+fileCols+` FROM files WHERE version_id = ? ORDER BY name, id`, versionID)
	return fs, wrap("list files", err)
}

// DeleteFile implements meta.Files.
func (q *queries) DeleteFile(ctx context.Context, id int64) error {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM files WHERE id = ?`, id)
	return wrap("delete file", changed(res, err, "file not found"))
}
