package artifact_test

import (
	"bytes"
	"io"
	"sync"
	"testing"

	"wharf/internal/errs"
)

// TestAppendUploadAcrossProcesses has two processes append to one session
// at once, as two replicas do when a client retries a chunk elsewhere:
// each append either lands whole or is refused, and the blob is the
// landed chunks in the order of the sizes they reported.
func TestAppendUploadAcrossProcesses(t *testing.T) {
	t.Parallel()
	d := newDataDir(t)
	a, _ := d.start(t)
	b, _ := d.start(t)
	procs := []*env{a, b}
	ctx := t.Context()
	repo := a.repo(t, "oci", "alice/replicas")
	up, err := a.svc.StartUpload(ctx, repo.ID)
	if err != nil {
		t.Fatal(err)
	}
	const writers, chunk = 8, 64 << 10
	chunks := make([][]byte, writers)
	sizes := make([]int64, writers)
	failed := make([]error, writers)
	var wg sync.WaitGroup
	for w := range writers {
		chunks[w] = bytes.Repeat([]byte{byte('a' + w)}, chunk)
		// Small reads keep each append in flight for a while.
		body := io.MultiReader(bytes.NewReader(chunks[w][:chunk/2]), bytes.NewReader(chunks[w][chunk/2:]))
		p := procs[w%2]
		wg.Go(func() { sizes[w], failed[w] = p.svc.AppendUpload(ctx, repo.ID, up.ID, -1, body) })
	}
	wg.Wait()

	ends := map[int64]int{}
	for w := range writers {
		if err := failed[w]; err != nil {
			if !errs.Is(err, errs.Conflict) {
				t.Errorf("writer %d: %v, want success or a conflict", w, err)
			}
			continue
		}
		if prev, dup := ends[sizes[w]]; dup {
			t.Fatalf("writers %d and %d both ended at %d", prev, w, sizes[w])
		}
		ends[sizes[w]] = w
	}
	var want []byte
	for n := 1; n <= len(ends); n++ {
		w, ok := ends[int64(n*chunk)]
		if !ok {
			t.Fatalf("no append ended at %d: sizes %v, errors %v", n*chunk, sizes, failed)
		}
		want = append(want, chunks[w]...)
	}
	if len(ends) == 0 {
		t.Fatal("every append was refused")
	}
	digest := sha256Digest(want)
	if _, err := b.svc.FinishUpload(ctx, repo.ID, up.ID, digest, int64(len(want)), nil); err != nil {
		t.Fatalf("FinishUpload: %v (the session does not hold the %d landed chunks)", err, len(ends))
	}
	if got := a.readBlob(t, repo.ID, digest); !bytes.Equal(got, want) {
		t.Errorf("blob differs from the chunks laid out by their reported ends")
	}
	t.Logf("%d of %d appends landed", len(ends), writers)
}
