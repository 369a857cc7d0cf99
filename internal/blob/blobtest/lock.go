package blobtest

import (
	"context"
	"errors"
	"testing"

	"wharf/internal/blob"
	"wharf/internal/errs"
)

// testWriteLock checks that one Upload at a time holds a session: while
// one is open, resuming or deleting the session is refused at once.
func testWriteLock(t *testing.T, s blob.Store) {
	ctx := t.Context()
	u, state := syncedUpload(t, s, "lock", []byte("first"))
	_, err := s.ResumeUpload(ctx, "lock", 5, state)
	mustKind(t, "ResumeUpload while NewUpload's Upload is open", err, errs.Conflict)
	u.Close()

	u2, err := s.ResumeUpload(ctx, "lock", 5, state)
	if err != nil {
		t.Fatalf("ResumeUpload after Close: %v", err)
	}
	_, err = s.ResumeUpload(ctx, "lock", 5, state)
	mustKind(t, "ResumeUpload while a resumed Upload is open", err, errs.Conflict)
	mustKind(t, "DeleteUpload while a resumed Upload is open", s.DeleteUpload(ctx, "lock", nil), errs.Conflict)
	// The refused calls changed nothing.
	u2.Write([]byte(" second"))
	d := sha256Of([]byte("first second"))
	if err := u2.Commit(ctx, d, 12); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if got := readAll(t, s, d); string(got) != "first second" {
		t.Errorf("blob = %q, want %q", got, "first second")
	}
	_, err = s.ResumeUpload(ctx, "lock", 5, state)
	mustKind(t, "ResumeUpload after Commit", err, errs.NotFound)
}

// testResumeKeepsTailUntilWrite checks that resuming at an earlier size
// cuts nothing off until the Upload writes: a writer that learns, once it
// holds the lock, that the session moved on can back out harmlessly.
func testResumeKeepsTailUntilWrite(t *testing.T, s blob.Store) {
	ctx := t.Context()
	u, early := syncedUpload(t, s, "tail", []byte("abc"))
	u.Write([]byte("def"))
	late, err := u.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u.Close()
	stale, err := s.ResumeUpload(ctx, "tail", 3, early)
	if err != nil {
		t.Fatalf("ResumeUpload at the earlier size: %v", err)
	}
	stale.Close()
	u2, err := s.ResumeUpload(ctx, "tail", 6, late)
	if err != nil {
		t.Fatalf("ResumeUpload at the later size after a stale resume: %v", err)
	}
	u2.Write([]byte("g"))
	d := sha256Of([]byte("abcdefg"))
	if err := u2.Commit(ctx, d, 7); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if got := readAll(t, s, d); string(got) != "abcdefg" {
		t.Errorf("blob = %q, want abcdefg", got)
	}
}

// testDeleteUploadConfirm checks that DeleteUpload asks confirm under the
// session's lock and deletes only what it confirms.
func testDeleteUploadConfirm(t *testing.T, s blob.Store) {
	ctx := t.Context()
	data := []byte("kept unless confirmed")
	u, state := syncedUpload(t, s, "conf", data)
	u.Close()
	errNo := errors.New("confirm failed")
	for _, c := range []struct {
		name string
		ok   bool
		err  error
	}{{"refused", false, nil}, {"failed", false, errNo}} {
		err := s.DeleteUpload(ctx, "conf", func(context.Context) (bool, error) { return c.ok, c.err })
		if !errors.Is(err, c.err) {
			t.Errorf("DeleteUpload with a %s confirm: %v, want %v", c.name, err, c.err)
		}
		w, err := s.ResumeUpload(ctx, "conf", int64(len(data)), state)
		if err != nil {
			t.Fatalf("ResumeUpload after a %s confirm: %v", c.name, err)
		}
		w.Close()
	}
	called := false
	err := s.DeleteUpload(ctx, "conf", func(ctx context.Context) (bool, error) {
		called = true
		_, err := s.ResumeUpload(ctx, "conf", int64(len(data)), state)
		mustKind(t, "ResumeUpload while DeleteUpload confirms", err, errs.Conflict)
		return true, nil
	})
	if err != nil || !called {
		t.Fatalf("DeleteUpload with a confirm that agrees: %v (confirm called: %v)", err, called)
	}
	_, err = s.ResumeUpload(ctx, "conf", int64(len(data)), state)
	mustKind(t, "ResumeUpload after a confirmed DeleteUpload", err, errs.NotFound)
	called = false
	err = s.DeleteUpload(ctx, "conf", func(context.Context) (bool, error) { called = true; return true, nil })
	if err != nil || !called {
		t.Errorf("DeleteUpload of a missing session: %v (confirm called: %v), want nil and called", err, called)
	}
}
