package artifact_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/artifact"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// gc runs a collection and fails the test on an error.
func (e *env) gc(t testing.TB, opt artifact.GCOptions) artifact.GCStats {
	t.Helper()
	st, err := e.svc.CollectGarbage(t.Context(), opt)
	if err != nil {
		t.Fatalf("CollectGarbage(%+v): %v", opt, err)
	}
	return st
}

func TestCollectGarbageReferences(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	repo := e.repo(t, "oci", "alice/gc")

	// Referenced, each in its own way.
	linked := e.push(t, repo.ID, []byte("linked layer"))
	refOnly := e.push(t, repo.ID, []byte("layer only a manifest refers to"))
	m := e.put(t, repo.ID, manifest("kept", blobRef(linked), blobRef(refOnly)), "kept", blobRef(linked), blobRef(refOnly))
	if err := e.svc.UnlinkBlob(ctx, repo.ID, refOnly); err != nil {
		t.Fatal(err)
	}
	file := e.putFile(t, "alice/gcfiles", "1", "kept.bin", []byte("kept file"))

	// Unreferenced, each in its own way.
	garbage := map[string]int{}
	unlinked := e.push(t, repo.ID, []byte("unlinked layer"))
	if err := e.svc.UnlinkBlob(ctx, repo.ID, unlinked); err != nil {
		t.Fatal(err)
	}
	garbage[unlinked] = len("unlinked layer")
	gone := manifest("deleted")
	if err := e.svc.DeleteVersion(ctx, repo.ID, e.put(t, repo.ID, gone, "").Version); err != nil {
		t.Fatal(err)
	}
	garbage[sha256Digest(gone)] = len(gone)
	e.putFile(t, "alice/gcfiles", "1", "deleted.bin", []byte("deleted file"))
	if err := e.svc.DeleteFile(ctx, artifact.FileRef{Type: "generic", RepoName: "alice/gcfiles", Version: "1", FileName: "deleted.bin"}); err != nil {
		t.Fatal(err)
	}
	garbage[sha256Digest([]byte("deleted file"))] = len("deleted file")
	doomed := e.repo(t, "oci", "alice/doomed")
	garbage[e.push(t, doomed.ID, []byte("in a deleted repository"))] = len("in a deleted repository")
	if err := e.svc.DeleteRepo(ctx, doomed.ID); err != nil {
		t.Fatal(err)
	}
	refused := manifest("refused")
	_, err := e.svc.PutContent(ctx, artifact.PutContentRequest{
		RepoID: repo.ID, Digest: sha256Digest(refused), Content: refused, Refs: []meta.Ref{blobRef(unlinked)},
	})
	if _, ok := artifact.IsMissingRef(err); !ok {
		t.Fatalf("PutContent with a missing ref: %v", err)
	}
	garbage[sha256Digest(refused)] = len(refused)

	// An upload in progress.
	up, err := e.svc.StartUpload(ctx, repo.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AppendUpload(ctx, repo.ID, up.ID, 0, strings.NewReader("in progress")); err != nil {
		t.Fatal(err)
	}

	e.clock.Advance(time.Minute)
	var want artifact.GCStats
	for _, n := range garbage {
		want.BlobsDeleted++
		want.BytesFreed += int64(n)
	}
	if got := e.gc(t, artifact.GCOptions{Grace: 0, UploadTTL: time.Hour}); got != want {
		t.Errorf("CollectGarbage = %+v, want %+v", got, want)
	}
	for d := range garbage {
		if e.stored(t, d) {
			t.Errorf("unreferenced blob %s is still stored", d)
		}
		if _, err := e.meta.GetBlob(ctx, d); !errs.Is(err, errs.NotFound) {
			t.Errorf("unreferenced blob %s is still recorded: %v", d, err)
		}
	}

	// Everything referenced is still served.
	if got := e.readBlob(t, repo.ID, linked); string(got) != "linked layer" {
		t.Errorf("linked blob = %q", got)
	}
	if !e.stored(t, refOnly) {
		t.Errorf("a blob a manifest refers to was deleted")
	}
	c, err := e.svc.GetTaggedContent(ctx, repo.ID, "kept")
	if err != nil || c.ID != m.ID {
		t.Errorf("GetTaggedContent after gc: %+v, %v", c.Version, err)
	}
	if got := e.readFile(t, "alice/gcfiles", "1", "kept.bin"); string(got) != "kept file" {
		t.Errorf("file after gc = %q", got)
	}
	if !e.stored(t, file.Digest) {
		t.Errorf("a file's blob was deleted")
	}
	if got, err := e.svc.Upload(ctx, repo.ID, up.ID); err != nil || got.Size != int64(len("in progress")) {
		t.Errorf("upload within its TTL after gc: %+v, %v", got, err)
	}

	// Nothing is left to do, then the upload's time is up.
	if got := e.gc(t, artifact.GCOptions{UploadTTL: time.Hour}); got != (artifact.GCStats{}) {
		t.Errorf("second CollectGarbage = %+v, want nothing done", got)
	}
	if got := e.gc(t, artifact.GCOptions{UploadTTL: 0}); got != (artifact.GCStats{UploadsDeleted: 1}) {
		t.Errorf("CollectGarbage with UploadTTL 0 = %+v, want one upload deleted", got)
	}
	_, err = e.svc.Upload(ctx, repo.ID, up.ID)
	wantKind(t, "Upload after gc", err, errs.NotFound)
	if _, err := e.blobs.ResumeUpload(ctx, up.ID, 0, nil); !errs.Is(err, errs.NotFound) {
		t.Errorf("blob store session after gc: %v, want not found", err)
	}
}

func TestCollectGarbageGrace(t *testing.T) {
	t.Parallel()
	tests := []struct {
		advance, grace time.Duration
		deleted        bool
	}{
		{advance: 0, grace: time.Hour},
		{advance: 59 * time.Minute, grace: time.Hour},
		{advance: 61 * time.Minute, grace: time.Hour, deleted: true},
		{advance: 48 * time.Hour, grace: 24 * time.Hour, deleted: true},
		{advance: time.Minute, grace: 0, deleted: true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%v after, grace %v", tt.advance, tt.grace), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, artifact.Options{})
			ctx := t.Context()
			repo := e.repo(t, "oci", "alice/grace")
			d := e.push(t, repo.ID, []byte("young"))
			if err := e.svc.UnlinkBlob(ctx, repo.ID, d); err != nil {
				t.Fatal(err)
			}
			up, err := e.svc.StartUpload(ctx, repo.ID)
			if err != nil {
				t.Fatal(err)
			}
			e.clock.Advance(tt.advance)
			got := e.gc(t, artifact.GCOptions{Grace: tt.grace, UploadTTL: tt.grace})
			var want artifact.GCStats
			if tt.deleted {
				want = artifact.GCStats{UploadsDeleted: 1, BlobsDeleted: 1, BytesFreed: int64(len("young"))}
			}
			if got != want {
				t.Errorf("CollectGarbage = %+v, want %+v", got, want)
			}
			if e.stored(t, d) == tt.deleted {
				t.Errorf("blob stored = %v after gc, want %v", !tt.deleted, !tt.deleted)
			}
			_, err = e.svc.Upload(ctx, repo.ID, up.ID)
			if tt.deleted {
				wantKind(t, "Upload after gc", err, errs.NotFound)
			} else if err != nil {
				t.Errorf("Upload within its TTL after gc: %v", err)
			}
		})
	}
}

func TestCollectGarbageBatches(t *testing.T) {
	t.Parallel()
	for _, batch := range []int{1, 2, 3, 0} {
		t.Run(fmt.Sprint(batch), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, artifact.Options{})
			ctx := t.Context()
			repo := e.repo(t, "oci", "alice/batches")
			var want artifact.GCStats
			var kept []string
			for i := range 10 {
				data := randBytes(100+i, uint64(i))
				d := e.push(t, repo.ID, data)
				if i%3 == 0 {
					kept = append(kept, d)
					continue
				}
				if err := e.svc.UnlinkBlob(ctx, repo.ID, d); err != nil {
					t.Fatal(err)
				}
				want.BlobsDeleted++
				want.BytesFreed += int64(len(data))
			}
			for range 5 {
				if _, err := e.svc.StartUpload(ctx, repo.ID); err != nil {
					t.Fatal(err)
				}
				want.UploadsDeleted++
			}
			e.clock.Advance(time.Minute)
			if got := e.gc(t, artifact.GCOptions{Batch: batch}); got != want {
				t.Errorf("CollectGarbage with batch %d = %+v, want %+v", batch, got, want)
			}
			if got := e.unreferenced(t); len(got) != 0 {
				t.Errorf("unreferenced blobs left: %v", got)
			}
			if got := e.sessions(t); len(got) != 0 {
				t.Errorf("sessions left: %v", got)
			}
			for _, d := range kept {
				if !e.stored(t, d) {
					t.Errorf("linked blob %s deleted", d)
				}
			}
		})
	}
}

func TestRepushAfterCollectGarbage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	repo := e.repo(t, "oci", "alice/repush")
	layer := randBytes(10_000, 9)
	doc := manifest("manifest", blobRef(sha256Digest(layer)))

	// Push, serve (warming the cache), delete, collect.
	d := e.push(t, repo.ID, layer)
	v := e.put(t, repo.ID, doc, "latest", blobRef(d))
	if _, err := e.svc.GetContent(ctx, repo.ID, v.Version); err != nil {
		t.Fatal(err)
	}
	e.putFile(t, "alice/repushed", "1", "f.bin", layer)
	if err := e.svc.DeleteVersion(ctx, repo.ID, v.Version); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.UnlinkBlob(ctx, repo.ID, d); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DeleteNamedVersion(ctx, "generic", "alice/repushed", "1"); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	want := artifact.GCStats{BlobsDeleted: 2, BytesFreed: int64(len(layer) + len(doc))}
	if got := e.gc(t, artifact.GCOptions{}); got != want {
		t.Fatalf("CollectGarbage = %+v, want %+v", got, want)
	}
	if e.stored(t, d) || e.stored(t, v.Version) {
		t.Fatal("gc left content behind")
	}
	_, err := e.svc.GetContent(ctx, repo.ID, v.Version)
	wantKind(t, "GetContent after gc", err, errs.NotFound)

	// Push it all again: it is served again, from a warm and a cold cache.
	e.push(t, repo.ID, layer)
	v2 := e.put(t, repo.ID, doc, "latest", blobRef(d))
	e.putFile(t, "alice/repushed", "1", "f.bin", layer)
	if got := e.readBlob(t, repo.ID, d); !bytes.Equal(got, layer) {
		t.Errorf("re-pushed blob differs")
	}
	if got := e.readFile(t, "alice/repushed", "1", "f.bin"); !bytes.Equal(got, layer) {
		t.Errorf("re-pushed file differs")
	}
	cold := newEnvOn(t, e.meta, e.blobs, artifact.Options{})
	for _, svc := range []*artifact.Service{e.svc, cold.svc} {
		c, err := svc.GetTaggedContent(ctx, repo.ID, "latest")
		if err != nil {
			t.Fatalf("GetTaggedContent after the re-push: %v", err)
		}
		if diff := cmp.Diff(artifact.Content{Version: v2, Data: doc}, c); diff != "" {
			t.Errorf("GetTaggedContent after the re-push (-want +got):\n%s", diff)
		}
	}
	// And a later run keeps it.
	if got := e.gc(t, artifact.GCOptions{}); got != (artifact.GCStats{}) {
		t.Errorf("CollectGarbage after the re-push = %+v, want nothing done", got)
	}
}

// TestCollectGarbageAfterMalformedDigest: an upload finished under a
// malformed digest is refused, and leaves nothing that breaks a later
// collection.
func TestCollectGarbageAfterMalformedDigest(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	repo := e.repo(t, "oci", "alice/malformed")
	for _, d := range []string{"sha256:abc", "md5:0123", "nonsense"} {
		_, err := e.svc.PutBlob(ctx, repo.ID, d, strings.NewReader("content"))
		wantKind(t, "PutBlob under "+d, err, errs.Invalid)
	}
	d := e.push(t, repo.ID, []byte("unlinked"))
	if err := e.svc.UnlinkBlob(ctx, repo.ID, d); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	st, err := e.svc.CollectGarbage(ctx, artifact.GCOptions{})
	if err != nil {
		t.Errorf("CollectGarbage: %v", err)
	}
	if e.stored(t, d) {
		t.Errorf("CollectGarbage = %+v: the unreferenced blob is still stored", st)
	}
}

// TestCollectGarbageConcurrentPush runs collections while blobs are
// pushed, read and unlinked again: a pushed blob is always served until
// its repository lets go of it.
func TestCollectGarbageConcurrentPush(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	e.clock.Advance(time.Minute) // grace 0 then covers every blob
	contents := [][]byte{[]byte("shared one"), []byte("shared two"), []byte("shared three")}
	const pushers, rounds = 3, 15
	repos := make([]meta.Repository, pushers)
	for p := range pushers {
		repos[p] = e.repo(t, "oci", fmt.Sprintf("alice/pusher%d", p))
	}
	done := make(chan struct{})
	var gcWG, wg sync.WaitGroup
	gcWG.Go(func() {
		for {
			select {
			case <-done:
				return
			default:
			}
			// Sessions stay: they are in use.
			if _, err := e.svc.CollectGarbage(ctx, artifact.GCOptions{UploadTTL: time.Hour}); err != nil {
				t.Errorf("CollectGarbage: %v", err)
				return
			}
		}
	})
	for p := range pushers {
		wg.Go(func() {
			for i := range rounds {
				data := contents[(p+i)%len(contents)]
				d := sha256Digest(data)
				if _, err := e.svc.PutBlob(ctx, repos[p].ID, d, bytes.NewReader(data)); err != nil {
					t.Errorf("pusher %d: PutBlob: %v", p, err)
					return
				}
				_, r, err := e.svc.OpenBlob(ctx, repos[p].ID, d)
				if err != nil {
					t.Errorf("pusher %d: OpenBlob right after PutBlob: %v", p, err)
					return
				}
				got, err := readAllErr(r)
				if err != nil || !bytes.Equal(got, data) {
					t.Errorf("pusher %d: read %q, %v; want %q", p, got, err, data)
				}
				if err := e.svc.UnlinkBlob(ctx, repos[p].ID, d); err != nil {
					t.Errorf("pusher %d: UnlinkBlob: %v", p, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(done)
	gcWG.Wait()
	e.gc(t, artifact.GCOptions{})
	for _, c := range contents {
		if e.stored(t, sha256Digest(c)) {
			t.Errorf("blob %q survived the last collection", c)
		}
	}
}
