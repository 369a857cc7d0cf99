package fs

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"wharf/internal/blob"
	"wharf/internal/errs"
)

const (
	dirMode  = 0o750
	fileMode = 0o640
	bufSize  = 1 << 20 // copy buffer of Upload.ReadFrom
)

// Options configures a Store.
type Options struct {
	// Fsync makes Upload.Sync and Upload.Commit flush data and directory
	// entries to stable storage before they return. Turn it off only
	// where losing acknowledged data on a power failure is acceptable,
	// such as tests.
	Fsync bool
}

// Store is a blob.Store on a local filesystem. It is safe for concurrent
// use, also by several Stores, in one or more processes, on the same root.
type Store struct {
	root    string
	blobs   string // root/blobs
	uploads string // root/uploads
	opt     Options
	bufs    sync.Pool // *[]byte of bufSize
}

var _ blob.Store = (*Store)(nil)

// New returns a Store rooted at root, creating root and its blobs and
// uploads directories as needed. Upload sessions found there from an
// earlier run stay resumable.
func New(root string, opt Options) (*Store, error) {
	if root == "" {
		return nil, errs.E(errs.Invalid, "blob store root is empty")
	}
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, "blob store root", err)
	}
	s := &Store{
		root:    root,
		blobs:   filepath.Join(root, "blobs"),
		uploads: filepath.Join(root, "uploads"),
		opt:     opt,
	}
	s.bufs.New = func() any {
		b := make([]byte, bufSize)
		return &b
	}
	for _, dir := range []string{s.blobs, s.uploads} {
		if err := os.MkdirAll(dir, dirMode); err != nil {
			return nil, errs.Wrap(errs.Other, "create blob store", err)
		}
	}
	if opt.Fsync {
		for _, dir := range []string{filepath.Dir(root), root} {
			if err := syncDir(dir); err != nil {
				return nil, errs.Wrap(errs.Other, "create blob store", err)
			}
		}
	}
	return s, nil
}

// blobPath returns where the blob alg:hex lives.
func (s *Store) blobPath(alg, hex string) string {
	return filepath.Join(s.blobs, alg, hex[0:2], hex[2:4], hex)
}

// sessionDir returns the directory of upload session id.
func (s *Store) sessionDir(id string) string { return filepath.Join(s.uploads, id) }

// Stat returns the size of a committed blob.
// Errors: errs.NotFound, errs.Invalid for a malformed digest.
func (s *Store) Stat(ctx context.Context, digest string) (int64, error) {
	alg, hex, err := blob.ParseDigest(digest)
	if err != nil {
		return 0, err
	}
	fi, err := os.Stat(s.blobPath(alg, hex))
	if err != nil {
		return 0, blobError(digest, err)
	}
	return fi.Size(), nil
}

// Open opens a committed blob. The Reader is backed by an *os.File, which
// its method File() *os.File returns (see the package doc). The caller
// closes it.
// Errors: errs.NotFound, errs.Invalid for a malformed digest.
func (s *Store) Open(ctx context.Context, digest string) (blob.Reader, error) {
	alg, hex, err := blob.ParseDigest(digest)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(s.blobPath(alg, hex))
	if err != nil {
		return nil, blobError(digest, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, blobError(digest, err)
	}
	return &reader{f: f, size: fi.Size()}, nil
}

// Delete removes a committed blob; a missing blob is not an error. Readers
// already open keep reading the removed content.
// Errors: errs.Invalid for a malformed digest.
func (s *Store) Delete(ctx context.Context, digest string) error {
	alg, hex, err := blob.ParseDigest(digest)
	if err != nil {
		return err
	}
	if err := os.Remove(s.blobPath(alg, hex)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return errs.Wrap(errs.Other, "delete blob "+digest, err)
	}
	return nil
}

func blobError(digest string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return errs.E(errs.NotFound, "blob %s unknown", digest)
	}
	return errs.Wrap(errs.Other, "blob "+digest, err)
}

// ensureDir creates dir and any missing parents below s.root. With Fsync,
// each directory it creates is made durable in its parent.
func (s *Store) ensureDir(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	parent := filepath.Dir(dir)
	if parent != s.root && len(parent) > len(s.root) {
		if err := s.ensureDir(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, dirMode); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil
		}
		return err
	}
	if s.opt.Fsync {
		return syncDir(parent)
	}
	return nil
}

// syncDir fsyncs a directory, making its entries durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
