package blobtest

import (
	"bytes"
	"fmt"
	"sync"
	"testing"

	"wharf/internal/blob"
	"wharf/internal/errs"
)

// syncedUpload starts upload id, writes data and syncs; it returns the
// open upload and its state.
func syncedUpload(t *testing.T, s blob.Store, id string, data []byte) (blob.Upload, []byte) {
	t.Helper()
	u, err := s.NewUpload(t.Context(), id)
	if err != nil {
		t.Fatalf("NewUpload(%q): %v", id, err)
	}
	t.Cleanup(func() { u.Close() })
	if _, err := u.Write(data); err != nil {
		t.Fatalf("Write: %v", err)
	}
	state, err := u.Sync(t.Context())
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	return u, state
}

func testDigestMismatch(t *testing.T, s blob.Store) {
	ctx := t.Context()
	data := []byte("the real content")
	u, state := syncedUpload(t, s, "m", data)
	wrong := sha256Of([]byte("other content"))
	err := u.Commit(ctx, wrong, int64(len(data)))
	mustKind(t, "Commit with a wrong digest", err, errs.Invalid)
	absent(t, ctx, s, wrong)
	absent(t, ctx, s, sha256Of(data))
	if _, err := s.ResumeUpload(ctx, "m", int64(len(data)), state); !errs.Is(err, errs.NotFound) {
		t.Errorf("ResumeUpload after a mismatch: %v, want NotFound (data discarded)", err)
	}
}

func testSizeMismatch(t *testing.T, s blob.Store) {
	ctx := t.Context()
	data := []byte("twelve bytes")
	u, state := syncedUpload(t, s, "m", data)
	d := sha256Of(data)
	mustKind(t, "Commit with a wrong size", u.Commit(ctx, d, 13), errs.Invalid)
	absent(t, ctx, s, d)
	if _, err := s.ResumeUpload(ctx, "m", int64(len(data)), state); !errs.Is(err, errs.NotFound) {
		t.Errorf("ResumeUpload after a mismatch: %v, want NotFound (data discarded)", err)
	}
}

func testSizeUnchecked(t *testing.T, s blob.Store) {
	ctx := t.Context()
	data := []byte("size not given")
	u, _ := syncedUpload(t, s, "n", data)
	d := sha256Of(data)
	if err := u.Commit(ctx, d, -1); err != nil {
		t.Fatalf("Commit with size -1: %v", err)
	}
	if n, err := s.Stat(ctx, d); err != nil || n != int64(len(data)) {
		t.Errorf("Stat = %d, %v; want %d, nil", n, err, len(data))
	}
}

func testCommitExisting(t *testing.T, s blob.Store) {
	ctx := t.Context()
	data := randomBytes(5000, 4)
	d := put(t, s, "first", data)
	u, state := syncedUpload(t, s, "second", data)
	if err := u.Commit(ctx, d, int64(len(data))); err != nil {
		t.Fatalf("Commit of existing content: %v", err)
	}
	if got := readAll(t, s, d); !bytes.Equal(got, data) {
		t.Errorf("blob changed after second commit")
	}
	if _, err := s.ResumeUpload(ctx, "second", int64(len(data)), state); !errs.Is(err, errs.NotFound) {
		t.Errorf("ResumeUpload after commit: %v, want NotFound", err)
	}
}

func testSHA512(t *testing.T, s blob.Store) {
	ctx := t.Context()
	data := randomBytes(3<<20+7, 5)
	u, _ := syncedUpload(t, s, "s", data)
	d := sha512Of(data)
	if err := u.Commit(ctx, d, int64(len(data))); err != nil {
		t.Fatalf("Commit(sha512): %v", err)
	}
	if got := readAll(t, s, d); !bytes.Equal(got, data) {
		t.Errorf("sha512 blob reads back different content")
	}
	absent(t, ctx, s, sha256Of(data))

	u2, _ := syncedUpload(t, s, "s2", []byte("not it"))
	mustKind(t, "Commit with a wrong sha512", u2.Commit(ctx, sha512Of([]byte("it")), -1), errs.Invalid)
	absent(t, ctx, s, sha512Of([]byte("it")))
	absent(t, ctx, s, sha512Of([]byte("not it")))
}

func testResume(t *testing.T, s blob.Store) {
	ctx := t.Context()
	a, lost, c := randomBytes(3000, 6), randomBytes(5000, 9), randomBytes(2000, 7)
	u, state := syncedUpload(t, s, "res", a)
	if _, err := u.Write(lost); err != nil {
		t.Fatal(err)
	}
	if err := u.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	u2, err := s.ResumeUpload(ctx, "res", int64(len(a)), state)
	if err != nil {
		t.Fatalf("ResumeUpload: %v", err)
	}
	defer u2.Close()
	if u2.ID() != "res" || u2.Size() != int64(len(a)) || u2.Digest() != sha256Of(a) {
		t.Errorf("resumed upload: ID %q, Size %d, Digest %s; want res, %d, %s",
			u2.ID(), u2.Size(), u2.Digest(), len(a), sha256Of(a))
	}
	if _, err := u2.ReadFrom(bytes.NewReader(c)); err != nil {
		t.Fatal(err)
	}
	whole := append(append([]byte{}, a...), c...)
	d := sha256Of(whole)
	if u2.Digest() != d {
		t.Errorf("Digest() after resume = %s, want %s", u2.Digest(), d)
	}
	if err := u2.Commit(ctx, d, int64(len(whole))); err != nil {
		t.Fatalf("Commit after resume: %v", err)
	}
	if got := readAll(t, s, d); !bytes.Equal(got, whole) {
		t.Errorf("resumed blob has %d bytes that differ from the %d acknowledged", len(got), len(whole))
	}
}

// testResumeEarlierState resumes from a state older than the last Sync:
// bytes synced later but not recorded are discarded too.
func testResumeEarlierState(t *testing.T, s blob.Store) {
	ctx := t.Context()
	u, state := syncedUpload(t, s, "early", []byte("abc"))
	u.Write([]byte("def"))
	if _, err := u.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	u.Close()
	u2, err := s.ResumeUpload(ctx, "early", 3, state)
	if err != nil {
		t.Fatalf("ResumeUpload at the first state: %v", err)
	}
	u2.Write([]byte("xyz"))
	if err := u2.Commit(ctx, sha256Of([]byte("abcxyz")), 6); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if got := readAll(t, s, sha256Of([]byte("abcxyz"))); string(got) != "abcxyz" {
		t.Errorf("blob = %q, want abcxyz", got)
	}
	// An empty state resumes at the start.
	u3, _ := syncedUpload(t, s, "zero", []byte("dropped"))
	u3.Close()
	u4, err := s.ResumeUpload(ctx, "zero", 0, nil)
	if err != nil {
		t.Fatalf("ResumeUpload at 0 with no state: %v", err)
	}
	if err := u4.Commit(ctx, sha256Of(nil), 0); err != nil {
		t.Errorf("Commit of the emptied upload: %v", err)
	}
}

func testResumeBadState(t *testing.T, s blob.Store) {
	ctx := t.Context()
	u, state := syncedUpload(t, s, "bad", []byte("hello"))
	u.Close()
	tests := []struct {
		name  string
		size  int64
		state []byte
	}{
		{"garbage", 5, []byte("not a state at all")},
		{"truncated", 5, state[:len(state)/2]},
		{"other offset", 3, state},
		{"missing", 5, nil},
		{"negative size", -1, state},
	}
	for _, tt := range tests {
		_, err := s.ResumeUpload(ctx, "bad", tt.size, tt.state)
		mustKind(t, "ResumeUpload with "+tt.name+" state", err, errs.Invalid)
	}
	// The session is still intact.
	u2, err := s.ResumeUpload(ctx, "bad", 5, state)
	if err != nil {
		t.Fatalf("ResumeUpload with the right state: %v", err)
	}
	if err := u2.Commit(ctx, sha256Of([]byte("hello")), 5); err != nil {
		t.Errorf("Commit: %v", err)
	}
}

// testSessionEnds checks that Commit and Close end an Upload.
func testSessionEnds(t *testing.T, s blob.Store) {
	ctx := t.Context()
	u, _ := syncedUpload(t, s, "c1", []byte("x"))
	if err := u.Commit(ctx, sha256Of([]byte("x")), 1); err != nil {
		t.Fatal(err)
	}
	checkEnded(t, "after Commit", u)
	if err := u.Close(); err != nil {
		t.Errorf("Close after Commit: %v", err)
	}

	u2, _ := syncedUpload(t, s, "c2", []byte("y"))
	if err := u2.Close(); err != nil {
		t.Fatal(err)
	}
	checkEnded(t, "after Close", u2)
	if err := u2.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func checkEnded(t *testing.T, when string, u blob.Upload) {
	t.Helper()
	ctx := t.Context()
	if _, err := u.Write([]byte("more")); err == nil {
		t.Errorf("Write %s succeeded", when)
	}
	if _, err := u.ReadFrom(bytes.NewReader([]byte("more"))); err == nil {
		t.Errorf("ReadFrom %s succeeded", when)
	}
	if _, err := u.Sync(ctx); err == nil {
		t.Errorf("Sync %s succeeded", when)
	}
	if err := u.Commit(ctx, sha256Of([]byte("x")), -1); err == nil {
		t.Errorf("Commit %s succeeded", when)
	}
}

func testDeletedUpload(t *testing.T, s blob.Store) {
	ctx := t.Context()
	data := []byte("about to be cancelled")
	u, state := syncedUpload(t, s, "del", data)
	// A session being written is not deleted.
	mustKind(t, "DeleteUpload of an open session", s.DeleteUpload(ctx, "del", nil), errs.Conflict)
	u.Close()
	if err := s.DeleteUpload(ctx, "del", nil); err != nil {
		t.Fatalf("DeleteUpload: %v", err)
	}
	if _, err := s.ResumeUpload(ctx, "del", int64(len(data)), state); !errs.Is(err, errs.NotFound) {
		t.Errorf("ResumeUpload after DeleteUpload: %v, want NotFound", err)
	}
	absent(t, ctx, s, sha256Of(data))
	// The id is free again.
	u2, err := s.NewUpload(ctx, "del")
	if err != nil {
		t.Fatalf("NewUpload after DeleteUpload: %v", err)
	}
	u2.Close()
}

func testDuplicateUpload(t *testing.T, s blob.Store) {
	ctx := t.Context()
	u, _ := syncedUpload(t, s, "dup", []byte("a"))
	_, err := s.NewUpload(ctx, "dup")
	mustKind(t, "NewUpload of an open id", err, errs.Exists)
	u.Close()
	_, err = s.NewUpload(ctx, "dup")
	mustKind(t, "NewUpload of a closed, resumable id", err, errs.Exists)
}

func testConcurrentSameContent(t *testing.T, s blob.Store) {
	ctx := t.Context()
	data := randomBytes(256<<10, 8)
	d := sha256Of(data)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			id := fmt.Sprintf("conc-%d", i)
			u, err := s.NewUpload(ctx, id)
			if err != nil {
				t.Errorf("NewUpload(%s): %v", id, err)
				return
			}
			defer u.Close()
			for off := 0; off < len(data); off += 10_000 {
				if _, err := u.Write(data[off:min(off+10_000, len(data))]); err != nil {
					t.Errorf("Write(%s): %v", id, err)
					return
				}
			}
			if err := u.Commit(ctx, d, int64(len(data))); err != nil {
				t.Errorf("Commit(%s): %v", id, err)
			}
		})
	}
	wg.Wait()
	if got := readAll(t, s, d); !bytes.Equal(got, data) {
		t.Errorf("blob committed concurrently has %d bytes that differ from the %d written", len(got), len(data))
	}
}
