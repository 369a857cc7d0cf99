package blobtest

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"testing"

	"wharf/internal/blob"
	"wharf/internal/errs"
)

// Run runs the conformance suite. newStore returns a new, empty store; it
// is called once per subtest and may use t for cleanup.
func Run(t *testing.T, newStore func(t *testing.T) blob.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, blob.Store)
	}{
		{"CommitStatOpen", testCommitStatOpen},
		{"ReadRanges", testReadRanges},
		{"ReaderClose", testReaderClose},
		{"Delete", testDelete},
		{"DigestMismatch", testDigestMismatch},
		{"SizeMismatch", testSizeMismatch},
		{"SizeUnchecked", testSizeUnchecked},
		{"CommitExisting", testCommitExisting},
		{"SHA512", testSHA512},
		{"Resume", testResume},
		{"ResumeEarlierState", testResumeEarlierState},
		{"ResumeBadState", testResumeBadState},
		{"SessionEnds", testSessionEnds},
		{"DeletedUpload", testDeletedUpload},
		{"DuplicateUpload", testDuplicateUpload},
		{"InvalidDigests", testInvalidDigests},
		{"InvalidCommitDigests", testInvalidCommitDigests},
		{"UploadIDs", testUploadIDs},
		{"Missing", testMissing},
		{"Empty", testEmpty},
		{"Large", testLarge},
		{"ConcurrentSameContent", testConcurrentSameContent},
		{"WriteLock", testWriteLock},
		{"ResumeKeepsTailUntilWrite", testResumeKeepsTailUntilWrite},
		{"DeleteUploadConfirm", testDeleteUploadConfirm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, newStore(t))
		})
	}
}

// newStream returns an endless stream of pseudo-random bytes, the same
// for the same seed.
func newStream(seed uint64) io.Reader { return rand.NewChaCha8(seedOf(seed)) }

// randomBytes returns n bytes of newStream(seed).
func randomBytes(n int, seed uint64) []byte {
	b := make([]byte, n)
	io.ReadFull(newStream(seed), b)
	return b
}

func seedOf(n uint64) [32]byte {
	var s [32]byte
	for i := range 8 {
		s[i] = byte(n >> (8 * i))
	}
	return s
}

func sha256Of(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func sha512Of(b []byte) string {
	sum := sha512.Sum512(b)
	return "sha512:" + hex.EncodeToString(sum[:])
}

// put stores data as a blob through upload id and returns its digest.
func put(t *testing.T, s blob.Store, id string, data []byte) string {
	t.Helper()
	ctx := t.Context()
	u, err := s.NewUpload(ctx, id)
	if err != nil {
		t.Fatalf("NewUpload(%q): %v", id, err)
	}
	defer u.Close()
	if _, err := u.Write(data); err != nil {
		t.Fatalf("Write: %v", err)
	}
	d := sha256Of(data)
	if err := u.Commit(ctx, d, int64(len(data))); err != nil {
		t.Fatalf("Commit(%s): %v", d, err)
	}
	return d
}

// mustKind fails t unless err is of kind k.
func mustKind(t *testing.T, what string, err error, k errs.Kind) {
	t.Helper()
	if !errs.Is(err, k) {
		t.Errorf("%s: got error %v (kind %v), want kind %v", what, err, errs.KindOf(err), k)
	}
}

// absent fails t unless the blob digest does not exist.
func absent(t *testing.T, ctx context.Context, s blob.Store, digest string) {
	t.Helper()
	if n, err := s.Stat(ctx, digest); !errs.Is(err, errs.NotFound) {
		t.Errorf("Stat(%s) = %d, %v; want a NotFound error", digest, n, err)
	}
}
