package artifact_test

import (
	"bytes"
	"testing"
	"time"

	"wharf/internal/artifact"
	"wharf/internal/errs"
)

// reapWhileWriting starts an append with a body that stalls half way,
// runs a collection with no upload TTL in gc meanwhile (giving it up to
// 300 ms, as a collection that waits for the writer would need longer),
// then lets the body finish. It returns what the collection did.
func reapWhileWriting(t *testing.T, writer, gc *env, repoID int64, id string, first, rest []byte) artifact.GCStats {
	t.Helper()
	ctx := t.Context()
	body, reached, release := heldBody(first, rest)
	appended := make(chan error, 1)
	go func() {
		_, err := writer.svc.AppendUpload(ctx, repoID, id, 0, body)
		appended <- err
	}()
	<-reached
	type result struct {
		st  artifact.GCStats
		err error
	}
	collected := make(chan result, 1)
	go func() {
		st, err := gc.svc.CollectGarbage(ctx, artifact.GCOptions{UploadTTL: 0})
		collected <- result{st, err}
	}()
	var r result
	done := false
	select {
	case r = <-collected:
		done = true
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	if err := <-appended; err != nil {
		t.Errorf("AppendUpload while a collection ran: %v", err)
	}
	if !done {
		r = <-collected
	}
	if r.err != nil {
		t.Fatalf("CollectGarbage: %v", r.err)
	}
	return r.st
}

// TestCollectGarbageSparesUploadBeingWritten checks that a session whose
// last append is older than the upload TTL is not reaped while a long
// append streams into it, in this process or from another, and that once
// it is idle and reaped, further appends find it unknown.
func TestCollectGarbageSparesUploadBeingWritten(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		procs func(t *testing.T) (writer, gc *env)
	}{
		{"same process", func(t *testing.T) (*env, *env) {
			e := newEnv(t, artifact.Options{})
			return e, e
		}},
		{"other process", func(t *testing.T) (*env, *env) {
			d := newDataDir(t)
			w, _ := d.start(t)
			g, _ := d.start(t)
			return w, g
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			writer, gc := tc.procs(t)
			ctx := t.Context()
			repo := writer.repo(t, "oci", "alice/streaming")
			data := randBytes(64<<10, 31)
			up, err := writer.svc.StartUpload(ctx, repo.ID)
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(5 * time.Millisecond) // the session is now older than a TTL of 0

			st := reapWhileWriting(t, writer, gc, repo.ID, up.ID, data[:20_000], data[20_000:])
			if st.UploadsDeleted != 0 {
				t.Errorf("CollectGarbage reaped %d sessions, want the one being written spared", st.UploadsDeleted)
			}
			got, err := writer.svc.Upload(ctx, repo.ID, up.ID)
			if err != nil || got.Size != int64(len(data)) {
				t.Fatalf("Upload after the append = %+v, %v; want size %d", got, err, len(data))
			}

			// Idle now: a collection later than the append reaps it.
			gc.clock.Advance(time.Minute)
			if st := gc.gc(t, artifact.GCOptions{UploadTTL: 30 * time.Second}); st.UploadsDeleted != 1 {
				t.Errorf("CollectGarbage of the idle session reaped %d, want 1", st.UploadsDeleted)
			}
			_, err = writer.svc.AppendUpload(ctx, repo.ID, up.ID, int64(len(data)), bytes.NewReader([]byte("more")))
			wantKind(t, "AppendUpload after the session was reaped", err, errs.NotFound)
			_, err = writer.svc.FinishUpload(ctx, repo.ID, up.ID, sha256Digest(data), int64(len(data)), nil)
			wantKind(t, "FinishUpload after the session was reaped", err, errs.NotFound)
			if got := writer.sessions(t); len(got) != 0 {
				t.Errorf("sessions left: %v", got)
			}
		})
	}
}

// TestDeleteRepoDiscardsUploads checks that deleting a repository
// discards the data of its upload sessions: an idle one at once, one
// being written (in this process or another) when its writer finds the
// session gone.
func TestDeleteRepoDiscardsUploads(t *testing.T) {
	t.Parallel()
	d := newDataDir(t)
	e, _ := d.start(t)
	other, _ := d.start(t)
	ctx := t.Context()
	repo := e.repo(t, "oci", "alice/doomed")
	kept := e.repo(t, "oci", "alice/kept")
	start := func(repoID int64) string {
		up, err := e.svc.StartUpload(ctx, repoID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.AppendUpload(ctx, repoID, up.ID, 0, bytes.NewReader([]byte("some data"))); err != nil {
			t.Fatal(err)
		}
		return up.ID
	}
	idle, keep := start(repo.ID), start(kept.ID)
	writing := map[*env]string{e: start(repo.ID), other: start(repo.ID)}
	errsOf := map[*env]chan error{}
	var releases []chan struct{}
	for w, id := range writing {
		body, reached, release := heldBody([]byte("more "), []byte("data"))
		done := make(chan error, 1)
		go func() {
			_, err := w.svc.AppendUpload(ctx, repo.ID, id, -1, body)
			done <- err
		}()
		<-reached
		errsOf[w] = done
		releases = append(releases, release)
	}

	if err := e.svc.DeleteRepo(ctx, repo.ID); err != nil {
		t.Fatal(err)
	}
	for _, r := range releases {
		close(r)
	}
	for _, done := range errsOf {
		wantKind(t, "AppendUpload to a session whose repository was deleted", <-done, errs.NotFound)
	}
	for _, id := range []string{idle, writing[e], writing[other]} {
		if _, err := e.blobs.ResumeUpload(ctx, id, 0, nil); !errs.Is(err, errs.NotFound) {
			t.Errorf("session %s of the deleted repository still has data: %v", id, err)
		}
	}
	up, err := e.svc.Upload(ctx, kept.ID, keep)
	if err != nil {
		t.Fatal(err)
	}
	w, err := e.blobs.ResumeUpload(ctx, keep, up.Size, up.HashState)
	if err != nil {
		t.Fatalf("the other repository's session: %v", err)
	}
	w.Close()
}

// TestDeleteRepoBeforeWriterCloses deletes a repository in one process
// while a writer in another has recorded its session's row (a new session,
// or an acknowledged append) but still holds the session: the deletion
// cannot discard data it finds in use, so the writer, once it lets go,
// must find the session gone and discard the data itself; nothing else
// ever would.
func TestDeleteRepoBeforeWriterCloses(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		what  string
		write func(w *env, repoID int64) error
	}{
		{"StartUpload", func(w *env, repoID int64) error {
			_, err := w.svc.StartUpload(t.Context(), repoID)
			return err
		}},
		{"AppendUpload", func(w *env, repoID int64) error {
			up, err := w.svc.StartUpload(t.Context(), repoID)
			if err != nil {
				t.Fatal(err)
			}
			_, err = w.svc.AppendUpload(t.Context(), repoID, up.ID, 0, bytes.NewReader([]byte("a chunk")))
			return err
		}},
	} {
		t.Run(c.what, func(t *testing.T) {
			ps, hooks := processes(t, 2)
			writer, admin := ps[0], ps[1]
			ctx := t.Context()
			repo := writer.repo(t, "oci", "alice/doomed")
			closes := 0
			var id string
			hooks[0].beforeClose = func(upload string) {
				// StartUpload closes once; AppendUpload after it closes again.
				if closes++; closes == 1 && c.what == "AppendUpload" {
					return
				}
				id = upload
				if err := admin.svc.DeleteRepo(ctx, repo.ID); err != nil && !errs.Is(err, errs.NotFound) {
					t.Errorf("DeleteRepo: %v", err)
				}
			}
			err := c.write(writer, repo.ID)
			hooks[0].beforeClose = nil
			if err != nil {
				wantKind(t, c.what+" to a session whose repository was deleted", err, errs.NotFound)
			}
			if id == "" {
				t.Fatalf("%s closed no session", c.what)
			}
			if w, err := writer.blobs.ResumeUpload(ctx, id, 0, nil); !errs.Is(err, errs.NotFound) {
				if err == nil {
					w.Close()
				}
				t.Errorf("session %s of the deleted repository still has data: %v", id, err)
			}
		})
	}
}

// TestDeleteRepoDiscardsPastAFailure deletes a repository whose first
// session's data cannot be discarded: the repository is gone by then, and
// with it every row naming its sessions, so the data of the others must
// still go, and the failure be reported.
func TestDeleteRepoDiscardsPastAFailure(t *testing.T) {
	t.Parallel()
	ps, hooks := processes(t, 1)
	e := ps[0]
	ctx := t.Context()
	repo := e.repo(t, "oci", "alice/doomed")
	var ids []string
	for range 3 {
		up, err := e.svc.StartUpload(ctx, repo.ID)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, up.ID)
	}
	failed := ""
	hooks[0].failDeleteUpload = func(id string) error {
		if failed == "" || failed == id {
			failed = id
			return errs.E(errs.Other, "disk trouble")
		}
		return nil
	}
	if err := e.svc.DeleteRepo(ctx, repo.ID); err == nil {
		t.Error("DeleteRepo reported no error although a session's data could not be discarded")
	}
	hooks[0].failDeleteUpload = nil
	if _, err := e.svc.Repo(ctx, "oci", "alice/doomed"); !errs.Is(err, errs.NotFound) {
		t.Errorf("Repo after DeleteRepo: %v, want not found", err)
	}
	for _, id := range ids {
		if id == failed {
			continue
		}
		if w, err := e.blobs.ResumeUpload(ctx, id, 0, nil); !errs.Is(err, errs.NotFound) {
			if err == nil {
				w.Close()
			}
			t.Errorf("session %s of the deleted repository still has data: %v", id, err)
		}
	}
}
