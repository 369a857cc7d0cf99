package fs

import (
	"context"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"wharf/internal/blob"
	"wharf/internal/errs"
)

// Commit verifies the session's content against digest and, when size is
// not negative, size, and renames it into place as that blob. sha256 is
// checked against the running hash; sha512 by reading the data once more.
// If the blob exists already the session's copy is dropped. The session
// ends whatever the outcome; on any error its data is discarded.
// Errors: errs.Invalid for a malformed or unsupported digest and for a
// digest or size mismatch, errs.Conflict after Commit or Close.
func (u *upload) Commit(ctx context.Context, digest string, size int64) error {
	if u.done {
		return u.ended()
	}
	u.done = true
	err := u.commit(ctx, digest, size)
	// The session's directory goes while its lock is still held, so no
	// other writer can open the data file in between, or, after the
	// rename, the blob it has become.
	if rerr := os.RemoveAll(u.s.sessionDir(u.id)); rerr != nil && err == nil {
		err = errs.Wrap(errs.Other, "remove upload "+u.id, rerr)
	}
	if cerr := u.f.Close(); cerr != nil && err == nil {
		err = errs.Wrap(errs.Other, "commit blob", cerr)
	}
	return err
}

func (u *upload) commit(ctx context.Context, digest string, size int64) error {
	alg, want, err := blob.ParseDigest(digest)
	if err != nil {
		return err
	}
	if size >= 0 && size != u.size {
		return errs.E(errs.Invalid, "size mismatch: upload has %d bytes, not %d", u.size, size)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	got, err := u.sum(ctx, alg)
	if err != nil {
		return err
	}
	if got != want {
		return errs.E(errs.Invalid, "digest mismatch: the content does not match %s", digest)
	}
	if err := u.dropTail(); err != nil {
		return err
	}
	return u.place(alg, want)
}

// sum returns the hex digest of the session's content by algorithm alg.
func (u *upload) sum(ctx context.Context, alg string) (string, error) {
	if alg == "sha256" {
		return hex.EncodeToString(u.h.Sum(nil)), nil
	}
	h := blob.NewHash(alg)
	bp := u.s.bufs.Get().(*[]byte)
	defer u.s.bufs.Put(bp)
	r := io.NewSectionReader(u.f, 0, u.size)
	for {
		n, err := r.Read(*bp)
		h.Write((*bp)[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", errs.Wrap(errs.Other, "read upload "+u.id, err)
		}
		if err := ctx.Err(); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// place moves the verified data file to the blob's path. The file is
// durable before the rename and the rename durable after it (with
// Options.Fsync); an existing blob is left as it is. The file stays open,
// and so locked, until Commit closes it.
func (u *upload) place(alg, hexDigest string) error {
	s := u.s
	target := s.blobPath(alg, hexDigest)
	if _, err := os.Lstat(target); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return errs.Wrap(errs.Other, "commit blob", err)
	}
	if s.opt.Fsync {
		if err := u.f.Sync(); err != nil {
			return errs.Wrap(errs.Other, "commit blob", err)
		}
	}
	dir := filepath.Dir(target)
	if err := s.ensureDir(dir); err != nil {
		return errs.Wrap(errs.Other, "commit blob", err)
	}
	if err := os.Rename(s.dataPath(u.id), target); err != nil {
		return errs.Wrap(errs.Other, "commit blob", err)
	}
	if s.opt.Fsync {
		if err := syncDir(dir); err != nil {
			return errs.Wrap(errs.Other, "commit blob", err)
		}
	}
	return nil
}
