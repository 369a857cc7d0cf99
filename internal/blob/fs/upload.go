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

// upload is an upload session writing to uploads/<id>/data. While it is
// open it holds the session's lock on f (see lockSession).
type upload struct {
	s    *Store
	id   string
	f    *os.File // the data file, open for reading and writing
	h    hash.Hash
	size int64
	// tail is set while the data file may hold bytes past size, written but
	// never acknowledged; they are cut off before the first write, sync or
	// commit.
	tail bool
	// dirsSynced is set once the session's directory entries are durable.
	dirsSynced bool
	done       bool // after Commit or Close
}

var _ blob.Upload = (*upload)(nil)

// dataPath returns the path of session id's data file.
func (s *Store) dataPath(id string) string { return filepath.Join(s.sessionDir(id), "data") }

// NewUpload starts the upload session id. The session's directory entries
// become durable with its first Sync (with Options.Fsync).
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
	path := s.dataPath(id)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, fileMode)
	if err != nil {
		os.RemoveAll(dir)
		return nil, errs.Wrap(errs.Other, "create upload "+id, err)
	}
	if err := lockSession(f, path, id); err != nil {
		f.Close()
		return nil, err
	}
	return &upload{s: s, id: id, f: f, h: blob.NewHash("sha256")}, nil
}

// ResumeUpload reopens session id at size with the state Sync returned
// there and takes its lock. Bytes past size are cut off when the Upload
// first writes, syncs or commits. An empty state fits size 0.
// Errors: errs.Invalid for a bad id, a negative size or a state that does
// not fit size, errs.NotFound, errs.Conflict when another Upload holds the
// session. An error of no kind means the session holds fewer than size
// bytes: acknowledged data was lost.
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
	path := s.dataPath(id)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errs.E(errs.NotFound, "upload %s unknown", id)
		}
		return nil, errs.Wrap(errs.Other, "resume upload "+id, err)
	}
	if err := lockSession(f, path, id); err != nil {
		f.Close()
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && fi.Size() < size {
		err = errs.E(errs.Other, "upload %s holds %d bytes, fewer than the %d acknowledged", id, fi.Size(), size)
	}
	if err == nil {
		_, err = f.Seek(size, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, errs.Wrap(errs.Other, "resume upload "+id, err)
	}
	// At size 0 nothing was acknowledged, so nothing has made the
	// session's directory entries durable yet.
	return &upload{s: s, id: id, f: f, h: h, size: size, tail: fi.Size() > size, dirsSynced: size > 0}, nil
}

// DeleteUpload discards session id under its lock, after confirm (when not
// nil) agreed; a missing session is not an error.
// Errors: errs.Invalid for a bad id, errs.Conflict when an Upload holds the
// session, confirm's error.
func (s *Store) DeleteUpload(ctx context.Context, id string, confirm func(ctx context.Context) (bool, error)) error {
	if err := blob.CheckUploadID(id); err != nil {
		return err
	}
	path := s.dataPath(id)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	switch {
	case err == nil:
		// The lock is held until the directory is gone.
		defer f.Close()
		if err := lockSession(f, path, id); err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
	case !errors.Is(err, fs.ErrNotExist):
		return errs.Wrap(errs.Other, "delete upload "+id, err)
	}
	if confirm != nil {
		ok, err := confirm(ctx)
		if err != nil || !ok {
			return err
		}
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

// dropTail cuts off bytes past Size left by an earlier writer.
func (u *upload) dropTail() error {
	if !u.tail {
		return nil
	}
	if err := u.f.Truncate(u.size); err != nil {
		return errs.Wrap(errs.Other, "resume upload "+u.id, err)
	}
	u.tail = false
	return nil
}

// Write appends p to the session. Errors: errs.Conflict after Commit or
// Close.
func (u *upload) Write(p []byte) (int, error) {
	if u.done {
		return 0, u.ended()
	}
	if err := u.dropTail(); err != nil {
		return 0, err
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
	if err := u.dropTail(); err != nil {
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

// Close releases the session's file and lock; the session stays
// resumable. Closing an ended session does nothing.
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
