package blob

import (
	"context"
	"io"
)

// Store is a content-addressed blob store. It is safe for concurrent use.
type Store interface {
	// Stat returns the size of a committed blob.
	// Errors: errs.NotFound, errs.Invalid for a malformed digest.
	Stat(ctx context.Context, digest string) (int64, error)

	// Open opens a committed blob for reading. The caller closes it.
	// Errors: as Stat.
	Open(ctx context.Context, digest string) (Reader, error)

	// Delete removes a committed blob. Deleting a missing blob is not an
	// error. Callers make sure nothing refers to it any more.
	Delete(ctx context.Context, digest string) error

	// NewUpload starts an upload session with the given id (chosen by the
	// caller, unique, [A-Za-z0-9-] only). The Upload holds the session's
	// write lock until Commit or Close. Errors: errs.Exists.
	NewUpload(ctx context.Context, id string) (Upload, error)

	// ResumeUpload reopens an upload whose first size bytes were
	// acknowledged with hash state state (from Upload.Sync), taking the
	// session's write lock without waiting for it. Bytes past size, written
	// but never acknowledged, are discarded when the Upload first writes,
	// syncs or commits, not before: a caller that finds, once it holds the
	// lock, that the session has moved on closes the Upload and has
	// changed nothing.
	// Errors: errs.NotFound, errs.Invalid for a state that does not fit,
	// errs.Conflict when an Upload of the session is open, in this or any
	// other process sharing the storage.
	ResumeUpload(ctx context.Context, id string, size int64, state []byte) (Upload, error)

	// DeleteUpload discards an upload session's data. It first takes the
	// session's write lock without waiting, so it never discards a session
	// being written, and when confirm is not nil it calls confirm under
	// that lock and discards the data only if confirm reports true. A
	// missing session is not an error; confirm is called for it too.
	// Errors: errs.Conflict when an Upload of the session is open, in this
	// or any other process sharing the storage; confirm's error.
	DeleteUpload(ctx context.Context, id string, confirm func(ctx context.Context) (bool, error)) error
}

// Reader reads a committed blob. Seek and ReadAt serve ranges; Size is the
// blob's length. An fs implementation returns an *os.File underneath so
// the HTTP server can send it without copying.
type Reader interface {
	io.ReadSeekCloser
	io.ReaderAt
	Size() int64
}

// Upload is an upload session being written. It is not safe for concurrent
// use. While it is open it holds the session's write lock, which keeps
// every other Upload of the session, in this or another process, from
// being opened, so the bytes of two writers never interleave.
type Upload interface {
	// Write appends p, hashing it.
	io.Writer

	// ReadFrom appends everything r yields, hashing it; implementations
	// use it to avoid extra copies.
	io.ReaderFrom

	// ID is the session's id.
	ID() string

	// Size is how many bytes the session holds.
	Size() int64

	// Digest is the sha256 digest of the bytes written so far, in the form
	// "sha256:<hex>"; callers that learn the digest only at the end commit
	// with it.
	Digest() string

	// Sync makes everything written so far durable and returns the hash
	// state to persist with Size for ResumeUpload. Bytes are acknowledged
	// to a client only after Sync returned.
	Sync(ctx context.Context) (state []byte, err error)

	// Commit verifies that the content has the given digest and, when size
	// is not negative, that size, and makes it the blob of that digest,
	// atomically and durably. Committing content that already exists as a
	// blob succeeds. The session ends either way; on a mismatch its data is
	// discarded and the error wraps errs.Invalid.
	Commit(ctx context.Context, digest string, size int64) error

	// Close releases the session and its write lock without ending it; it
	// can be resumed.
	Close() error
}
