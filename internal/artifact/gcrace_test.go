package artifact_test

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"wharf/internal/artifact"
	"wharf/internal/errs"
)

// pushUnreferenced stores data as a blob through p, unlinks it from
// repository repoID and moves gc's clock past the grace period, so that
// a collection by gc finds the blob unreferenced; it returns the digest.
func pushUnreferenced(t *testing.T, p, gc *env, repoID int64, data []byte) string {
	t.Helper()
	d := p.push(t, repoID, data)
	if err := p.svc.UnlinkBlob(t.Context(), repoID, d); err != nil {
		t.Fatal(err)
	}
	gc.clock.Advance(time.Minute)
	return d
}

// TestCollectGarbageRacingRepush collects a blob in one process while
// another pushes it again, holding the collection between deleting the
// blob's record and its content: the push must not be acknowledged
// before the content it relies on is safe.
func TestCollectGarbageRacingRepush(t *testing.T) {
	t.Parallel()
	ps, hooks := processes(t, 2)
	gc, pusher := ps[0], ps[1]
	ctx := t.Context()
	repo := pusher.repo(t, "oci", "alice/racing")
	data := []byte("a layer collected and pushed again")
	d := pushUnreferenced(t, pusher, gc, repo.ID, data)

	deleting, release := make(chan struct{}), make(chan struct{})
	signal := once(deleting)
	hooks[0].beforeDelete = func() { signal(); <-release }
	collected := make(chan error, 1)
	go func() {
		_, err := gc.svc.CollectGarbage(ctx, artifact.GCOptions{})
		collected <- err
	}()
	<-deleting
	pushed := make(chan error, 1)
	go func() {
		_, err := pusher.svc.PutBlob(ctx, repo.ID, d, bytes.NewReader(data))
		pushed <- err
	}()
	// Let the push get as far as it can while the content is being
	// deleted: done, or waiting for the collection.
	var pushErr error
	done := false
	select {
	case pushErr = <-pushed:
		done = true
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	if err := <-collected; err != nil {
		t.Fatalf("CollectGarbage: %v", err)
	}
	if !done {
		pushErr = <-pushed
	}
	if pushErr != nil {
		t.Fatalf("PutBlob racing the collection: %v", pushErr)
	}
	if !pusher.stored(t, d) {
		t.Fatal("the blob's content is gone after its push was acknowledged")
	}
	if got := pusher.readBlob(t, repo.ID, d); !bytes.Equal(got, data) {
		t.Errorf("re-pushed blob = %q, want %q", got, data)
	}
	if st := gc.gc(t, artifact.GCOptions{}); st.BlobsDeleted != 0 {
		t.Errorf("a later collection deleted %d blobs, want the linked one kept", st.BlobsDeleted)
	}
}

// TestCommitSpanningCollection holds a push between writing a blob's
// content and referring to it while another process collects the blob
// (a grace period shorter than a commit) and a third records it again
// without having written it yet: the held push must not be acknowledged
// without content.
func TestCommitSpanningCollection(t *testing.T) {
	t.Parallel()
	ps, hooks := processes(t, 3)
	gc, late, again := ps[0], ps[1], ps[2]
	ctx := t.Context()
	repo := late.repo(t, "oci", "alice/spanning")
	data := []byte("a layer whose commit spans a collection")
	d := pushUnreferenced(t, late, gc, repo.ID, data)

	lateHeld, lateGo := hold(&hooks[1].afterCommit)
	lateDone := async(func() error {
		_, err := late.svc.PutBlob(ctx, repo.ID, d, bytes.NewReader(data))
		return err
	})
	<-lateHeld

	if st := gc.gc(t, artifact.GCOptions{}); st.BlobsDeleted != 1 {
		t.Fatalf("CollectGarbage deleted %d blobs, want 1", st.BlobsDeleted)
	}

	againHeld, againGo := hold(&hooks[2].beforeCommit)
	againDone := async(func() error {
		_, err := again.svc.PutBlob(ctx, repo.ID, d, bytes.NewReader(data))
		return err
	})
	<-againHeld

	close(lateGo)
	if err := <-lateDone; err == nil {
		if !late.stored(t, d) {
			t.Error("PutBlob was acknowledged while the blob has no content")
		}
	} else {
		wantKind(t, "PutBlob whose content was collected", err, errs.Unavailable)
	}
	close(againGo)
	if err := <-againDone; err != nil {
		t.Fatalf("PutBlob of the blob again: %v", err)
	}
	if got := again.readBlob(t, repo.ID, d); !bytes.Equal(got, data) {
		t.Errorf("blob = %q, want %q", got, data)
	}
}

// TestCommitSpanningCollectionAlone is TestCommitSpanningCollection
// without the third process: the held push finds no record left and is
// refused as one to retry.
func TestCommitSpanningCollectionAlone(t *testing.T) {
	t.Parallel()
	ps, hooks := processes(t, 2)
	gc, late := ps[0], ps[1]
	ctx := t.Context()
	repo := late.repo(t, "oci", "alice/spanning")
	data := []byte("a layer whose commit spans a collection")
	d := pushUnreferenced(t, late, gc, repo.ID, data)
	held, resume := hold(&hooks[1].afterCommit)
	done := async(func() error {
		_, err := late.svc.PutBlob(ctx, repo.ID, d, bytes.NewReader(data))
		return err
	})
	<-held
	if st := gc.gc(t, artifact.GCOptions{}); st.BlobsDeleted != 1 {
		t.Fatalf("CollectGarbage deleted %d blobs, want 1", st.BlobsDeleted)
	}
	close(resume)
	wantKind(t, "PutBlob whose blob was collected", <-done, errs.Unavailable)
	late.push(t, repo.ID, data)
	if got := late.readBlob(t, repo.ID, d); !bytes.Equal(got, data) {
		t.Errorf("blob pushed again = %q, want %q", got, data)
	}
}

// TestCommitAfterCollectionLeavesNoOrphan holds a push between recording a
// blob and writing its content while another process collects the record
// (a grace period shorter than a commit). The push is refused, and the
// content it wrote meanwhile must stay known to garbage collection, which
// never lists the blob store: a later run deletes it.
func TestCommitAfterCollectionLeavesNoOrphan(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		what string
		put  func(e *env, repoID int64, d string, data []byte) error
	}{
		{"PutBlob", func(e *env, repoID int64, d string, data []byte) error {
			_, err := e.svc.PutBlob(t.Context(), repoID, d, bytes.NewReader(data))
			return err
		}},
		{"PutContent", func(e *env, repoID int64, d string, data []byte) error {
			_, err := e.svc.PutContent(t.Context(), artifact.PutContentRequest{RepoID: repoID, Digest: d,
				Content: data, MediaType: "application/vnd.oci.image.manifest.v1+json"})
			return err
		}},
	} {
		t.Run(c.what, func(t *testing.T) {
			ps, hooks := processes(t, 2)
			gc, late := ps[0], ps[1]
			repo := late.repo(t, "oci", "alice/orphan")
			data := []byte(`{"schemaVersion":2,"what":"` + c.what + `"}`)
			d := sha256Digest(data)
			gc.clock.Advance(time.Minute)

			held, resume := hold(&hooks[1].beforeCommit)
			done := async(func() error { return c.put(late, repo.ID, d, data) })
			<-held
			if st := gc.gc(t, artifact.GCOptions{}); st.BlobsDeleted != 1 {
				t.Fatalf("CollectGarbage deleted %d blobs, want the fresh record", st.BlobsDeleted)
			}
			close(resume)
			wantKind(t, c.what+" whose record was collected", <-done, errs.Unavailable)

			gc.clock.Advance(time.Minute)
			gc.gc(t, artifact.GCOptions{})
			if gc.stored(t, d) {
				t.Errorf("content written by the refused %s outlives garbage collection: nothing records it", c.what)
			}
		})
	}
}

// TestStagedContentIsRecorded checks, at the moment a push's content is
// staged in the blob store and about to become a blob, that a session row
// names the staged data: were the process killed there, that row is all
// garbage collection, which never lists the blob store, would find.
func TestStagedContentIsRecorded(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		what string
		put  func(e *env, repoID int64, d string, data []byte) error
	}{
		{"PutBlob", func(e *env, repoID int64, d string, data []byte) error {
			_, err := e.svc.PutBlob(t.Context(), repoID, d, bytes.NewReader(data))
			return err
		}},
		{"PutContent", func(e *env, repoID int64, d string, data []byte) error {
			_, err := e.svc.PutContent(t.Context(), artifact.PutContentRequest{RepoID: repoID, Digest: d,
				Content: data, MediaType: "application/vnd.oci.image.manifest.v1+json"})
			return err
		}},
	} {
		t.Run(c.what, func(t *testing.T) {
			ps, hooks := processes(t, 1)
			e := ps[0]
			repo := e.repo(t, "oci", "alice/staged")
			data := []byte(`{"schemaVersion":2,"staged":"` + c.what + `"}`)
			var staged string
			var recorded []string
			hooks[0].beforeCommitOf = func(id string) {
				staged, recorded = id, e.sessions(t)
			}
			if err := c.put(e, repo.ID, sha256Digest(data), data); err != nil {
				t.Fatal(err)
			}
			if staged == "" {
				t.Fatal("no content was staged")
			}
			if !slices.Contains(recorded, staged) {
				t.Errorf("content staged as %s with no session row naming it (rows: %v)", staged, recorded)
			}
			if got := e.sessions(t); len(got) != 0 {
				t.Errorf("sessions left after the push: %v", got)
			}
		})
	}
}
