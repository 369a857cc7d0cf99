package memblob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"sync"
	"sync/atomic"

	"wharf/internal/blob"
	"wharf/internal/errs"
)

// Store is an in-memory blob.Store. The zero value is not usable; call New.
// It is safe for concurrent use.
type Store struct {
	mu      sync.Mutex
	blobs   map[string][]byte   // digest → content, never modified
	uploads map[string]*session // upload id → session
}

// session is an upload's data, shared by the Uploads opened on it.
type session struct {
	data []byte
	// locked is set while an Upload or DeleteUpload holds the session's
	// write lock.
	locked bool
}

// errLocked is the error for a session whose lock is taken.
func errLocked(id string) error {
	return errs.E(errs.Conflict, "upload %s is being written by another request", id)
}

var _ blob.Store = (*Store)(nil)

// New returns an empty Store.
func New() *Store {
	return &Store{blobs: map[string][]byte{}, uploads: map[string]*session{}}
}

// Stat returns the size of a committed blob.
// Errors: errs.NotFound, errs.Invalid for a malformed digest.
func (s *Store) Stat(ctx context.Context, digest string) (int64, error) {
	data, err := s.get(digest)
	if err != nil {
		return 0, err
	}
	return int64(len(data)), nil
}

// Open opens a committed blob. The caller closes it.
// Errors: errs.NotFound, errs.Invalid for a malformed digest.
func (s *Store) Open(ctx context.Context, digest string) (blob.Reader, error) {
	data, err := s.get(digest)
	if err != nil {
		return nil, err
	}
	return &reader{r: bytes.NewReader(data), size: int64(len(data))}, nil
}

func (s *Store) get(digest string) ([]byte, error) {
	if _, _, err := blob.ParseDigest(digest); err != nil {
		return nil, err
	}
	s.mu.Lock()
	data, ok := s.blobs[digest]
	s.mu.Unlock()
	if !ok {
		return nil, errs.E(errs.NotFound, "blob %s unknown", digest)
	}
	return data, nil
}

// Delete removes a committed blob; a missing blob is not an error. Open
// readers keep reading it. Errors: errs.Invalid for a malformed digest.
func (s *Store) Delete(ctx context.Context, digest string) error {
	if _, _, err := blob.ParseDigest(digest); err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.blobs, digest)
	s.mu.Unlock()
	return nil
}

// NewUpload starts the upload session id.
// Errors: errs.Invalid for a bad id, errs.Exists.
func (s *Store) NewUpload(ctx context.Context, id string) (blob.Upload, error) {
	if err := blob.CheckUploadID(id); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.uploads[id]; ok {
		return nil, errs.E(errs.Exists, "upload %s exists", id)
	}
	ss := &session{locked: true}
	s.uploads[id] = ss
	return &upload{s: s, id: id, ss: ss, h: sha256.New()}, nil
}

// ResumeUpload reopens session id at size with the state Sync returned
// there and takes its lock; bytes past size are dropped when the Upload
// first writes or commits. An empty state fits size 0.
// Errors: errs.Invalid for a bad id, a negative size or a state that does
// not fit size, errs.NotFound, errs.Conflict when another Upload holds the
// session.
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
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.uploads[id]
	if !ok {
		return nil, errs.E(errs.NotFound, "upload %s unknown", id)
	}
	if ss.locked {
		return nil, errLocked(id)
	}
	if int64(len(ss.data)) < size {
		return nil, errs.E(errs.Other, "upload %s holds %d bytes, fewer than the %d acknowledged", id, len(ss.data), size)
	}
	ss.locked = true
	return &upload{s: s, id: id, ss: ss, h: h, size: size}, nil
}

// DeleteUpload discards session id under its lock, after confirm (when not
// nil) agreed; a missing session is not an error.
// Errors: errs.Invalid for a bad id, errs.Conflict when an Upload holds the
// session, confirm's error.
func (s *Store) DeleteUpload(ctx context.Context, id string, confirm func(ctx context.Context) (bool, error)) error {
	if err := blob.CheckUploadID(id); err != nil {
		return err
	}
	s.mu.Lock()
	ss := s.uploads[id]
	if ss != nil && ss.locked {
		s.mu.Unlock()
		return errLocked(id)
	}
	if ss != nil {
		ss.locked = true
	}
	s.mu.Unlock()
	ok, err := true, error(nil)
	if confirm != nil {
		ok, err = confirm(ctx)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ss != nil {
		ss.locked = false
	}
	if ok && err == nil && s.uploads[id] == ss {
		delete(s.uploads, id)
	}
	return err
}

// reader reads a blob from memory. ReadAt may be called concurrently;
// the other methods may not.
type reader struct {
	r      *bytes.Reader
	size   int64
	closed atomic.Bool
}

var _ blob.Reader = (*reader)(nil)

func (r *reader) Read(p []byte) (int, error) {
	if r.closed.Load() {
		return 0, os.ErrClosed
	}
	return r.r.Read(p)
}

func (r *reader) ReadAt(p []byte, off int64) (int, error) {
	if r.closed.Load() {
		return 0, os.ErrClosed
	}
	return r.r.ReadAt(p, off)
}

func (r *reader) Seek(off int64, whence int) (int64, error) {
	if r.closed.Load() {
		return 0, os.ErrClosed
	}
	return r.r.Seek(off, whence)
}

// Close ends the reader; later calls fail. Closing twice fails as an
// *os.File does.
func (r *reader) Close() error {
	if r.closed.Swap(true) {
		return os.ErrClosed
	}
	return nil
}

func (r *reader) Size() int64 { return r.size }
