package memblob

import (
	"context"
	"encoding/hex"
	"hash"
	"io"

	"wharf/internal/blob"
	"wharf/internal/errs"
)

// upload writes to a session. It is not safe for concurrent use.
type upload struct {
	s    *Store
	id   string
	ss   *session
	h    hash.Hash // sha256 of the bytes written
	size int64
	done bool // after Commit or Close
}

var _ blob.Upload = (*upload)(nil)

func (u *upload) ID() string     { return u.id }
func (u *upload) Size() int64    { return u.size }
func (u *upload) Digest() string { return "sha256:" + hex.EncodeToString(u.h.Sum(nil)) }

func (u *upload) ended() error {
	return errs.E(errs.Conflict, "upload %s has ended", u.id)
}

// Write appends p, dropping first any bytes past Size an earlier writer
// left. Errors: errs.Conflict after Commit or Close.
func (u *upload) Write(p []byte) (int, error) {
	if u.done {
		return 0, u.ended()
	}
	u.s.mu.Lock()
	defer u.s.mu.Unlock()
	u.ss.data = append(u.ss.data[:u.size], p...)
	u.h.Write(p)
	u.size += int64(len(p))
	return len(p), nil
}

// ReadFrom appends everything r yields.
func (u *upload) ReadFrom(r io.Reader) (int64, error) {
	if u.done {
		return 0, u.ended()
	}
	buf := make([]byte, 32<<10)
	var total int64
	for {
		nr, rerr := r.Read(buf)
		if nr > 0 {
			nw, werr := u.Write(buf[:nr])
			total += int64(nw)
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

// Sync returns the state to resume from at Size. Memory needs no flush.
// Errors: errs.Conflict after Commit or Close.
func (u *upload) Sync(ctx context.Context) ([]byte, error) {
	if u.done {
		return nil, u.ended()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return blob.MarshalState(u.h, u.size)
}

// Close releases the upload and the session's lock; the session stays
// resumable.
func (u *upload) Close() error {
	if u.done {
		return nil
	}
	u.done = true
	u.s.mu.Lock()
	u.ss.locked = false
	u.s.mu.Unlock()
	return nil
}

// Commit verifies the content against digest and, when size is not
// negative, size, and stores it as that blob unless the blob exists. The
// session ends whatever the outcome. Errors: errs.Invalid for a malformed
// or unsupported digest and for a digest or size mismatch, errs.Conflict
// after Commit or Close.
func (u *upload) Commit(ctx context.Context, digest string, size int64) error {
	if u.done {
		return u.ended()
	}
	u.done = true
	u.s.mu.Lock()
	defer u.s.mu.Unlock()
	delete(u.s.uploads, u.id)
	data := u.ss.data[:u.size:u.size]
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
	h := u.h
	if alg != "sha256" {
		h = blob.NewHash(alg)
		h.Write(data)
	}
	got := hex.EncodeToString(h.Sum(nil))
	if got != want {
		return errs.E(errs.Invalid, "digest mismatch: the content does not match %s", digest)
	}
	if _, ok := u.s.blobs[digest]; !ok {
		u.s.blobs[digest] = data
	}
	return nil
}
