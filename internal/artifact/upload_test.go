package artifact_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/artifact"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

func TestUploadInChunks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	tests := []struct {
		name    string
		size    int
		appends []int // sizes sent with AppendUpload; the rest goes with FinishUpload
		offsets bool  // send offsets (else -1, unchecked)
		sha512  bool
	}{
		{name: "monolithic", size: 64 << 10, offsets: true},
		{name: "chunks, empty finish", size: 100_000, appends: []int{1, 999, 0, 99_000}, offsets: true},
		{name: "chunks, last with finish", size: 3<<20 + 7, appends: []int{1 << 20, 1 << 20}, offsets: true},
		{name: "unchecked offsets", size: 50_000, appends: []int{10_000, 20_000}},
		{name: "sha512", size: 10_000, appends: []int{4096}, offsets: true, sha512: true},
		{name: "empty blob", size: 0, offsets: true},
		{name: "empty blob, empty append", size: 0, appends: []int{0}, offsets: true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			repo := e.repo(t, "oci", fmt.Sprintf("alice/chunks%d", i))
			data := randBytes(tt.size, uint64(i))
			digest := sha256Digest(data)
			if tt.sha512 {
				digest = sha512Digest(data)
			}

			up, err := e.svc.StartUpload(ctx, repo.ID)
			if err != nil {
				t.Fatalf("StartUpload: %v", err)
			}
			if up.RepoID != repo.ID || up.Size != 0 || up.ID == "" {
				t.Fatalf("StartUpload returned %+v", up)
			}
			offset := func(at int) int64 {
				if tt.offsets {
					return int64(at)
				}
				return -1
			}
			at := 0
			for _, n := range tt.appends {
				size, err := e.svc.AppendUpload(ctx, repo.ID, up.ID, offset(at), bytes.NewReader(data[at:at+n]))
				if err != nil {
					t.Fatalf("AppendUpload at %d: %v", at, err)
				}
				at += n
				if size != int64(at) {
					t.Errorf("AppendUpload returned size %d, want %d", size, at)
				}
				got, err := e.svc.Upload(ctx, repo.ID, up.ID)
				if err != nil {
					t.Fatalf("Upload: %v", err)
				}
				if got.Size != int64(at) {
					t.Errorf("Upload.Size after an append = %d, want %d", got.Size, at)
				}
			}
			var rest io.Reader
			if at < len(data) {
				rest = bytes.NewReader(data[at:])
			}
			b, err := e.svc.FinishUpload(ctx, repo.ID, up.ID, digest, offset(at), rest)
			if err != nil {
				t.Fatalf("FinishUpload: %v", err)
			}
			want := meta.Blob{Digest: digest, Size: int64(len(data))}
			if diff := cmp.Diff(want, b, ignoreCreated); diff != "" {
				t.Errorf("FinishUpload (-want +got):\n%s", diff)
			}
			st, err := e.svc.StatBlob(ctx, repo.ID, digest)
			if err != nil {
				t.Fatalf("StatBlob: %v", err)
			}
			if diff := cmp.Diff(want, st, ignoreCreated); diff != "" {
				t.Errorf("StatBlob (-want +got):\n%s", diff)
			}
			if got := e.readBlob(t, repo.ID, digest); !bytes.Equal(got, data) {
				t.Errorf("OpenBlob returned %d bytes that differ from the %d uploaded", len(got), len(data))
			}
			_, err = e.svc.Upload(ctx, repo.ID, up.ID)
			wantKind(t, "Upload after FinishUpload", err, errs.NotFound)
		})
	}
}

func TestAppendUploadWrongOffset(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	repo := e.repo(t, "oci", "alice/offsets")
	data := randBytes(30, 1)
	up, err := e.svc.StartUpload(ctx, repo.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AppendUpload(ctx, repo.ID, up.ID, 0, bytes.NewReader(data[:10])); err != nil {
		t.Fatal(err)
	}
	for _, off := range []int64{0, 5, 9, 11, 1 << 40} {
		_, err := e.svc.AppendUpload(ctx, repo.ID, up.ID, off, bytes.NewReader(data[10:20]))
		wantKind(t, fmt.Sprintf("AppendUpload at offset %d", off), err, errs.RangeInvalid)
		_, err = e.svc.FinishUpload(ctx, repo.ID, up.ID, sha256Digest(data), off, bytes.NewReader(data[10:]))
		wantKind(t, fmt.Sprintf("FinishUpload at offset %d", off), err, errs.RangeInvalid)
	}
	got, err := e.svc.Upload(ctx, repo.ID, up.ID)
	if err != nil {
		t.Fatalf("Upload after refused appends: %v", err)
	}
	if got.Size != 10 {
		t.Errorf("refused appends changed the size to %d, want 10", got.Size)
	}
	if _, err := e.svc.AppendUpload(ctx, repo.ID, up.ID, 10, bytes.NewReader(data[10:20])); err != nil {
		t.Fatalf("AppendUpload at the right offset: %v", err)
	}
	if _, err := e.svc.FinishUpload(ctx, repo.ID, up.ID, sha256Digest(data), 20, bytes.NewReader(data[20:])); err != nil {
		t.Fatalf("FinishUpload at the right offset: %v", err)
	}
	if got := e.readBlob(t, repo.ID, sha256Digest(data)); !bytes.Equal(got, data) {
		t.Errorf("blob = %q, want %q", got, data)
	}
}

func TestFinishUploadWrongDigest(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	other := e.repo(t, "oci", "alice/elsewhere")
	data := randBytes(1000, 7)
	sameSize := randBytes(1000, 8)
	otherSize := randBytes(999, 9)
	known := randBytes(998, 10)
	tests := []struct {
		name   string
		digest string
		before func(t *testing.T) // puts the claimed digest into the registry
	}{
		{name: "content of the same size", digest: sha256Digest(sameSize)},
		{name: "content of another size", digest: sha256Digest(otherSize)},
		{name: "sha512 of other content", digest: sha512Digest(sameSize)},
		{name: "malformed", digest: "sha256:abc"},
		{name: "blob the registry has, same size", digest: sha256Digest(sameSize),
			before: func(t *testing.T) { e.push(t, other.ID, sameSize) }},
		// A digest mismatch stays a digest mismatch when the claimed
		// digest happens to be a blob of another size.
		{name: "blob the registry has, another size", digest: sha256Digest(known),
			before: func(t *testing.T) { e.push(t, other.ID, known) }},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Not parallel: some cases push the blobs other cases claim.
			ctx := t.Context()
			if tt.before != nil {
				tt.before(t)
			}
			repo := e.repo(t, "oci", fmt.Sprintf("alice/wrong%d", i))
			up, err := e.svc.StartUpload(ctx, repo.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.AppendUpload(ctx, repo.ID, up.ID, 0, bytes.NewReader(data[:500])); err != nil {
				t.Fatal(err)
			}
			_, err = e.svc.FinishUpload(ctx, repo.ID, up.ID, tt.digest, 500, bytes.NewReader(data[500:]))
			wantKind(t, "FinishUpload", err, errs.Invalid)
			_, err = e.svc.Upload(ctx, repo.ID, up.ID)
			wantKind(t, "Upload after a digest mismatch", err, errs.NotFound)
			for _, d := range []string{tt.digest, sha256Digest(data)} {
				if _, err := e.svc.StatBlob(ctx, repo.ID, d); !errs.Is(err, errs.NotFound) {
					t.Errorf("StatBlob %s after a digest mismatch: %v, want not found", d, err)
				}
			}
			if e.stored(t, sha256Digest(data)) {
				t.Errorf("the mismatched content was committed as a blob")
			}
		})
	}
}

// TestWrongDigestDoesNotBlockDigest: a failed upload that claimed a digest
// must not keep the right content from being pushed under it later.
func TestWrongDigestDoesNotBlockDigest(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	mallory := e.repo(t, "oci", "acme/mallory")
	victim := e.repo(t, "oci", "alice/victim")
	layer := randBytes(4096, 1)
	d := sha256Digest(layer)

	// A truncated body under the right digest, as a broken client or a
	// hostile one sends it.
	_, err := e.svc.PutBlob(ctx, mallory.ID, d, bytes.NewReader(layer[:100]))
	wantKind(t, "PutBlob of a truncated body", err, errs.Invalid)

	if _, err := e.svc.PutBlob(ctx, victim.ID, d, bytes.NewReader(layer)); err != nil {
		t.Fatalf("PutBlob of the right content after a failed claim: %v (kind %v)", err, errs.KindOf(err))
	}
	if got := e.readBlob(t, victim.ID, d); !bytes.Equal(got, layer) {
		t.Errorf("blob differs from what was pushed")
	}
}

func TestCancelUpload(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	repo := e.repo(t, "oci", "alice/cancel")
	up, err := e.svc.StartUpload(ctx, repo.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AppendUpload(ctx, repo.ID, up.ID, 0, bytes.NewReader([]byte("partial"))); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.CancelUpload(ctx, repo.ID, up.ID); err != nil {
		t.Fatalf("CancelUpload: %v", err)
	}
	_, err = e.svc.Upload(ctx, repo.ID, up.ID)
	wantKind(t, "Upload after CancelUpload", err, errs.NotFound)
	_, err = e.svc.AppendUpload(ctx, repo.ID, up.ID, -1, bytes.NewReader([]byte("more")))
	wantKind(t, "AppendUpload after CancelUpload", err, errs.NotFound)
	_, err = e.svc.FinishUpload(ctx, repo.ID, up.ID, sha256Digest([]byte("partial")), -1, nil)
	wantKind(t, "FinishUpload after CancelUpload", err, errs.NotFound)
	wantKind(t, "CancelUpload again", e.svc.CancelUpload(ctx, repo.ID, up.ID), errs.NotFound)
	_, err = e.blobs.ResumeUpload(ctx, up.ID, 0, nil)
	wantKind(t, "blob store ResumeUpload after CancelUpload", err, errs.NotFound)
	if got := e.sessions(t); len(got) != 0 {
		t.Errorf("sessions left after CancelUpload: %v", got)
	}
}

func TestUploadOfAnotherRepo(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	owner := e.repo(t, "oci", "alice/owner")
	intruder := e.repo(t, "oci", "acme/intruder")
	data := []byte("0123456789")
	up, err := e.svc.StartUpload(ctx, owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AppendUpload(ctx, owner.ID, up.ID, 0, bytes.NewReader(data[:5])); err != nil {
		t.Fatal(err)
	}
	calls := map[string]func() error{
		"Upload": func() error { _, err := e.svc.Upload(ctx, intruder.ID, up.ID); return err },
		"AppendUpload": func() error {
			_, err := e.svc.AppendUpload(ctx, intruder.ID, up.ID, 5, bytes.NewReader([]byte("XXXXX")))
			return err
		},
		"FinishUpload": func() error {
			_, err := e.svc.FinishUpload(ctx, intruder.ID, up.ID, sha256Digest(data), 5, bytes.NewReader(data[5:]))
			return err
		},
		"CancelUpload": func() error { return e.svc.CancelUpload(ctx, intruder.ID, up.ID) },
	}
	for name, call := range calls {
		wantKind(t, name+" from another repository", call(), errs.NotFound)
	}
	for name, repoID := range map[string]int64{"unknown session": owner.ID, "unknown repository": 1 << 40} {
		_, err := e.svc.Upload(ctx, repoID, "00000000-0000-0000-0000-000000000000")
		wantKind(t, "Upload of an "+name, err, errs.NotFound)
	}
	if _, err := e.svc.FinishUpload(ctx, owner.ID, up.ID, sha256Digest(data), 5, bytes.NewReader(data[5:])); err != nil {
		t.Fatalf("FinishUpload by the owner after the intrusions: %v", err)
	}
	if got := e.readBlob(t, owner.ID, sha256Digest(data)); !bytes.Equal(got, data) {
		t.Errorf("blob = %q, want %q", got, data)
	}
	if _, err := e.svc.StatBlob(ctx, intruder.ID, sha256Digest(data)); !errs.Is(err, errs.NotFound) {
		t.Errorf("the intruder's repository got the blob: %v", err)
	}
}

func TestStartUploadUnknownRepo(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	_, err := e.svc.StartUpload(t.Context(), 1<<40)
	wantKind(t, "StartUpload for a missing repository", err, errs.NotFound)
}

func TestAppendUploadBrokenBody(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	repo := e.repo(t, "oci", "alice/broken")
	data := randBytes(3000, 3)
	up, err := e.svc.StartUpload(ctx, repo.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AppendUpload(ctx, repo.ID, up.ID, 0, bytes.NewReader(data[:1000])); err != nil {
		t.Fatal(err)
	}
	// The client sends half a chunk, with garbage, and disconnects.
	broken := &failingReader{data: append(slices.Clone(data[1000:1500]), "garbage"...), err: io.ErrUnexpectedEOF}
	_, err = e.svc.AppendUpload(ctx, repo.ID, up.ID, 1000, broken)
	wantKind(t, "AppendUpload of a broken body", err, errs.Invalid)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("AppendUpload error %v does not wrap the body's", err)
	}
	got, err := e.svc.Upload(ctx, repo.ID, up.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Size != 1000 {
		t.Fatalf("size after a broken append = %d, want the acknowledged 1000", got.Size)
	}
	_, err = e.svc.FinishUpload(ctx, repo.ID, up.ID, sha256Digest(data), 1000, &failingReader{data: data[1000:2000], err: errors.New("reset")})
	wantKind(t, "FinishUpload of a broken body", err, errs.Invalid)
	if _, err := e.svc.FinishUpload(ctx, repo.ID, up.ID, sha256Digest(data), 1000, bytes.NewReader(data[1000:])); err != nil {
		t.Fatalf("FinishUpload after the broken appends: %v", err)
	}
	if got := e.readBlob(t, repo.ID, sha256Digest(data)); !bytes.Equal(got, data) {
		t.Errorf("blob differs from the data: unacknowledged bytes were kept")
	}
}

func TestAppendUploadConcurrent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	const (
		writers = 12
		chunk   = 8 << 10
	)
	tests := []struct {
		name    string
		offsets bool // every writer claims offset 0
	}{
		{name: "unchecked offsets"},
		{name: "same offset"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			repo := e.repo(t, "oci", fmt.Sprintf("alice/concurrent%d", i))
			up, err := e.svc.StartUpload(ctx, repo.ID)
			if err != nil {
				t.Fatal(err)
			}
			chunks := make([][]byte, writers)
			sizes := make([]int64, writers)
			failed := make([]error, writers)
			var wg sync.WaitGroup
			for w := range writers {
				chunks[w] = bytes.Repeat([]byte{byte('a' + w)}, chunk)
				off := int64(-1)
				if tt.offsets {
					off = 0
				}
				// A slow reader keeps each append in flight for a while.
				body := io.MultiReader(bytes.NewReader(chunks[w][:chunk/2]), bytes.NewReader(chunks[w][chunk/2:]))
				wg.Go(func() { sizes[w], failed[w] = e.svc.AppendUpload(ctx, repo.ID, up.ID, off, body) })
			}
			wg.Wait()

			// Each successful append reports the end of its chunk; lay the
			// chunks out by it.
			var want []byte
			ends := map[int64]int{}
			for w := range writers {
				if failed[w] != nil {
					if !tt.offsets {
						t.Fatalf("writer %d: %v", w, failed[w])
					}
					wantKind(t, fmt.Sprintf("writer %d", w), failed[w], errs.RangeInvalid)
					continue
				}
				if prev, dup := ends[sizes[w]]; dup {
					t.Fatalf("writers %d and %d both ended at %d", prev, w, sizes[w])
				}
				ends[sizes[w]] = w
			}
			wantWriters := writers
			if tt.offsets {
				wantWriters = 1
			}
			if len(ends) != wantWriters {
				t.Fatalf("%d appends succeeded, want %d", len(ends), wantWriters)
			}
			for n := 1; n <= len(ends); n++ {
				w, ok := ends[int64(n*chunk)]
				if !ok {
					t.Fatalf("no append ended at %d: sizes %v", n*chunk, sizes)
				}
				want = append(want, chunks[w]...)
			}
			if _, err := e.svc.FinishUpload(ctx, repo.ID, up.ID, sha256Digest(want), int64(len(want)), nil); err != nil {
				t.Fatalf("FinishUpload: %v", err)
			}
			if got := e.readBlob(t, repo.ID, sha256Digest(want)); !bytes.Equal(got, want) {
				t.Errorf("blob differs from the chunks laid out by their reported ends")
			}
		})
	}
}

// TestConcurrentFinishAndAppend races the end of a session against more
// appends: either the append lands before the commit or it finds the
// session gone.
func TestConcurrentFinishAndAppend(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := context.Background()
	repo := e.repo(t, "oci", "alice/finishrace")
	data := randBytes(4096, 5)
	for round := range 5 {
		up, err := e.svc.StartUpload(ctx, repo.ID)
		if err != nil {
			t.Fatal(err)
		}
		var finishErr, appendErr error
		var wg sync.WaitGroup
		wg.Go(func() {
			_, finishErr = e.svc.FinishUpload(ctx, repo.ID, up.ID, sha256Digest(data), 0, bytes.NewReader(data))
		})
		wg.Go(func() {
			_, appendErr = e.svc.AppendUpload(ctx, repo.ID, up.ID, 0, bytes.NewReader([]byte("intruding bytes")))
		})
		wg.Wait()
		switch {
		case finishErr == nil:
			if appendErr != nil && !errs.Is(appendErr, errs.NotFound) && !errs.Is(appendErr, errs.RangeInvalid) {
				t.Errorf("round %d: AppendUpload racing a finish: %v", round, appendErr)
			}
			if got := e.readBlob(t, repo.ID, sha256Digest(data)); !bytes.Equal(got, data) {
				t.Errorf("round %d: blob corrupted by a racing append", round)
			}
		case appendErr == nil:
			// The append came first, so the finish's offset 0 is wrong.
			wantKind(t, fmt.Sprintf("round %d: FinishUpload after a racing append", round), finishErr, errs.RangeInvalid)
			if err := e.svc.CancelUpload(ctx, repo.ID, up.ID); err != nil {
				t.Fatal(err)
			}
		default:
			t.Errorf("round %d: both failed: finish %v, append %v", round, finishErr, appendErr)
		}
	}
}

// A wrong sha512 claim answers the same whether or not some repository
// holds a blob of that digest: the answer must not tell others' content
// apart, nor its size.
func TestWrongSHA512TellsNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	other := e.repo(t, "oci", "alice/private")
	stored := randBytes(777, 21)
	d := sha512Digest(stored)
	if _, err := e.svc.PutBlob(ctx, other.ID, d, bytes.NewReader(stored)); err != nil {
		t.Fatalf("PutBlob %s: %v", d, err)
	}
	claim := func(digest string) error {
		repo := e.repo(t, "oci", "alice/claims"+digest[len(digest)-6:])
		_, err := e.svc.PutBlob(ctx, repo.ID, digest, bytes.NewReader(randBytes(500, 22)))
		return err
	}
	held, unheld := claim(d), claim(sha512Digest(randBytes(500, 23)))
	wantKind(t, "claiming a stored sha512", held, errs.Invalid)
	wantKind(t, "claiming an unknown sha512", unheld, errs.Invalid)
	if strings.Contains(errs.Message(held), "777") {
		t.Errorf("the answer reveals the stored size: %q", errs.Message(held))
	}
	strip := func(err error) string { return strings.Split(errs.Message(err), "sha512:")[0] }
	if strip(held) != strip(unheld) {
		t.Errorf("answers differ: %q and %q", errs.Message(held), errs.Message(unheld))
	}
}
