package fs

import (
	"context"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"wharf/internal/blob"
	"wharf/internal/errs"
)

// upload is an upload session writing to uploads/<id>/data.
type upload struct {
	s    *Store
	id   string
	f    *os.File // the data file, open for reading and writing
	h    hash.Hash
	size int64
	// dirsSynced is set once the session's directory entries are durable.
	dirsSynced bool
	done       bool // after Commit or Close
}

var _ blob.Upload = (*upload)(nil)

// NewUpload starts the upload session id.
// Errors: errs.Invalid for a bad id, errs.Exists.
func (s *Store) NewUpload(ctx context.Context, id string) (blob.Upload, error) {
	if err := blob.CheckUploadID(id); err != nil {
		return nil, err
	}
	dir := s.sessionDir(id)
	if err := os.Mkdir(dir, dirMode); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, errs.E(errs.Exists, "upload %s exists", id)
		}
		return nil, errs.Wrap(errs.Other, "create upload "+id, err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "data"), os.O_RDWR|os.O_CREATE|os.O_EXCL, fileMode)
	if err != nil {
		os.RemoveAll(dir)
		return nil, errs.Wrap(errs.Other, "create upload "+id, err)
	}
	return &upload{s: s, id: id, f: f, h: blob.NewHash("sha256")}, nil
}

// ResumeUpload reopens session id at size with the state Sync returned
// there, discarding any bytes past size. An empty state fits size 0.
// Errors: errs.Invalid for a bad id, a negative size or a state that does
// not fit size, errs.NotFound. An error of no kind means the session holds
// fewer than size bytes: acknowledged data was lost.
func (s *Store) ResumeUpload(ctx context.Context, id string, size int64, state []byte) (blob.Upload, error) {
	if err := blob.CheckUploadID(id); err != nil {
		return nil, err
	}
	if size < 0 {
		return nil, errs.E(errs.Invalid, "negative upload size %d", size)
	}
	h, err := blob.UnmarshalState(state, size)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(s.sessionDir(id), "data"), os.O_RDWR, 0)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errs.E(errs.NotFound, "upload %s unknown", id)
		}
		return nil, errs.Wrap(errs.Other, "resume upload "+id, err)
	}
	fi, err := f.Stat()
	if err == nil && fi.Size() < size {
		err = errs.E(errs.Other, "upload %s holds %d bytes, fewer than the %d acknowledged", id, fi.Size(), size)
	}
	if err == nil && fi.Size() > size {
		err = f.Truncate(size)
	}
	if err == nil {
		_, err = f.Seek(size, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, errs.Wrap(errs.Other, "resume upload "+id, err)
	}
	return &upload{s: s, id: id, f: f, h: h, size: size, dirsSynced: true}, nil
}

// DeleteUpload discards session id; a missing session is not an error.
// Errors: errs.Invalid for a bad id.
func (s *Store) DeleteUpload(ctx context.Context, id string) error {
	if err := blob.CheckUploadID(id); err != nil {
		return err
	}
	if err := os.RemoveAll(s.sessionDir(id)); err != nil {
		return errs.Wrap(errs.Other, "delete upload "+id, err)
	}
	return nil
}

func (u *upload) ID() string     { return u.id }
func (u *upload) Size() int64    { return u.size }
func (u *upload) Digest() string { return "sha256:" + hex.EncodeToString(u.h.Sum(nil)) }

func (u *upload) ended() error {
	return errs.E(errs.Conflict, "upload %s has ended", u.id)
}

// Write appends p to the session. Errors: errs.Conflict after Commit or
// Close.
func (u *upload) Write(p []byte) (int, error) {
	if u.done {
		return 0, u.ended()
	}
	n, err := u.f.Write(p)
	u.h.Write(p[:n])
	u.size += int64(n)
	return n, err
}

// ReadFrom appends everything r yields, through one pooled buffer. On an
// error the bytes written before it stay in the session (and count in
// Size) until a resume discards what was not acknowledged.
func (u *upload) ReadFrom(r io.Reader) (int64, error) {
	if u.done {
		return 0, u.ended()
	}
	bp := u.s.bufs.Get().(*[]byte)
	defer u.s.bufs.Put(bp)
	buf := *bp
	var total int64
	for {
		nr, rerr := r.Read(buf)
		if nr > 0 {
			nw, werr := u.Write(buf[:nr])
			total += int64(nw)
			if werr == nil && nw < nr {
				werr = io.ErrShortWrite
			}
			if werr != nil {
				return total, werr
			}
		}
		if rerr == io.EOF {
			return total, nil
		}
		if rerr != nil {
			return total, rerr
		}
	}
}

// Sync makes the session's bytes durable (with Options.Fsync) and returns
// the state to resume from at Size. Errors: errs.Conflict after Commit or
// Close.
func (u *upload) Sync(ctx context.Context) ([]byte, error) {
	if u.done {
		return nil, u.ended()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if u.s.opt.Fsync {
		if err := u.f.Sync(); err != nil {
			return nil, errs.Wrap(errs.Other, "sync upload "+u.id, err)
		}
		if !u.dirsSynced {
			for _, dir := range []string{u.s.sessionDir(u.id), u.s.uploads} {
				if err := syncDir(dir); err != nil {
					return nil, errs.Wrap(errs.Other, "sync upload "+u.id, err)
				}
			}
		}
	}
	u.dirsSynced = true
	return blob.MarshalState(u.h, u.size)
}

// Close releases the session's file; the session stays resumable. Closing
// an ended session does nothing.
func (u *upload) Close() error {
	if u.done {
		return nil
	}
	u.done = true
	if err := u.f.Close(); err != nil {
		return errs.Wrap(errs.Other, "close upload "+u.id, err)
	}
	return nil
}
