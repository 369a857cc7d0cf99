package fs_test

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"wharf/internal/blob/fs"
	"wharf/internal/errs"
)

func newStore(t *testing.T, root string) *fs.Store {
	t.Helper()
	s, err := fs.New(root, fs.Options{Fsync: true})
	if err != nil {
		t.Fatalf("New(%s): %v", root, err)
	}
	return s
}

func exists(t *testing.T, path string) bool {
	t.Helper()
	_, err := os.Lstat(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return err == nil
}

func TestLayout(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	root := t.TempDir()
	s := newStore(t, root)
	data := []byte("layout check")
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	final := filepath.Join(root, "blobs", "sha256", h[0:2], h[2:4], h)
	staged := filepath.Join(root, "uploads", "lay-1", "data")

	u, err := s.NewUpload(ctx, "lay-1")
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	u.Write(data)
	if _, err := u.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(staged); err != nil || !bytes.Equal(got, data) {
		t.Errorf("staged file = %q, %v; want %q", got, err, data)
	}
	if exists(t, final) {
		t.Errorf("blob path exists before Commit")
	}
	if err := u.Commit(ctx, "sha256:"+h, int64(len(data))); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(final); err != nil || !bytes.Equal(got, data) {
		t.Errorf("blob file = %q, %v; want %q", got, err, data)
	}
	if exists(t, filepath.Dir(staged)) {
		t.Errorf("session directory remains after Commit")
	}

	sum512 := sha512.Sum512(data)
	h512 := hex.EncodeToString(sum512[:])
	u2, err := s.NewUpload(ctx, "lay-2")
	if err != nil {
		t.Fatal(err)
	}
	u2.Write(data)
	if err := u2.Commit(ctx, "sha512:"+h512, -1); err != nil {
		t.Fatal(err)
	}
	if !exists(t, filepath.Join(root, "blobs", "sha512", h512[0:2], h512[2:4], h512)) {
		t.Errorf("sha512 blob is not at its path")
	}
}

// TestLeftovers checks that what a crash leaves in uploads/ never shows as
// a blob, and that an acknowledged upload survives a restart.
func TestLeftovers(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	root := t.TempDir()
	s := newStore(t, root)
	data := []byte("written before the crash")
	digest := sha256Digest(data)

	// A session directory written behind the store's back.
	dir := filepath.Join(root, "uploads", "stray")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data"), data, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stat(ctx, digest); !errs.Is(err, errs.NotFound) {
		t.Errorf("Stat with a stray session = %v, want NotFound", err)
	}

	// An acknowledged upload, then a "crash": the Upload is abandoned.
	u, err := s.NewUpload(ctx, "ack")
	if err != nil {
		t.Fatal(err)
	}
	u.Write(data)
	state, err := u.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u.Write([]byte("unacknowledged tail"))
	// The process ends, and with it its open files and their locks.
	u.Close()

	s2 := newStore(t, root)
	if _, err := s2.Stat(ctx, digest); !errs.Is(err, errs.NotFound) {
		t.Errorf("Stat after restart = %v, want NotFound", err)
	}
	u2, err := s2.ResumeUpload(ctx, "ack", int64(len(data)), state)
	if err != nil {
		t.Fatalf("ResumeUpload after restart: %v", err)
	}
	if err := u2.Commit(ctx, digest, int64(len(data))); err != nil {
		t.Fatalf("Commit after restart: %v", err)
	}
	if n, err := s2.Stat(ctx, digest); err != nil || n != int64(len(data)) {
		t.Errorf("Stat = %d, %v; want %d", n, err, len(data))
	}
}

// TestCommitExistingKeepsFile checks that committing existing content
// leaves the committed file in place and drops the staged copy.
func TestCommitExistingKeepsFile(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	root := t.TempDir()
	s := newStore(t, root)
	data := []byte("committed twice")
	digest := sha256Digest(data)
	var infos []os.FileInfo
	for _, id := range []string{"one", "two"} {
		u, err := s.NewUpload(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		u.Write(data)
		if err := u.Commit(ctx, digest, int64(len(data))); err != nil {
			t.Fatal(err)
		}
		h := digest[len("sha256:"):]
		fi, err := os.Stat(filepath.Join(root, "blobs", "sha256", h[:2], h[2:4], h))
		if err != nil {
			t.Fatal(err)
		}
		infos = append(infos, fi)
		if exists(t, filepath.Join(root, "uploads", id)) {
			t.Errorf("session %s remains after Commit", id)
		}
	}
	if !os.SameFile(infos[0], infos[1]) {
		t.Errorf("second Commit replaced the committed file")
	}
}

func TestResumeLostData(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	root := t.TempDir()
	s := newStore(t, root)
	u, err := s.NewUpload(ctx, "lost")
	if err != nil {
		t.Fatal(err)
	}
	u.Write([]byte("0123456789"))
	state, err := u.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u.Close()
	if err := os.Truncate(filepath.Join(root, "uploads", "lost", "data"), 5); err != nil {
		t.Fatal(err)
	}
	_, err = s.ResumeUpload(ctx, "lost", 10, state)
	if err == nil || errs.Is(err, errs.Invalid) || errs.Is(err, errs.NotFound) {
		t.Errorf("ResumeUpload of a short session = %v, want an internal error", err)
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	if _, err := fs.New("", fs.Options{}); !errs.Is(err, errs.Invalid) {
		t.Errorf("New(\"\") = %v, want Invalid", err)
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.New(file, fs.Options{}); err == nil {
		t.Errorf("New on a regular file succeeded")
	}
	root := filepath.Join(t.TempDir(), "a", "b")
	newStore(t, root)
	for _, dir := range []string{"blobs", "uploads"} {
		if !exists(t, filepath.Join(root, dir)) {
			t.Errorf("New did not create %s", dir)
		}
	}
}

func sha256Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}
