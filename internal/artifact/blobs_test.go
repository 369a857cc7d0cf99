package artifact_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/artifact"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

func TestPutBlob(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	for i, size := range []int{0, 1, 4096, 1<<20 + 3} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			repo := e.repo(t, "oci", fmt.Sprintf("alice/put%d", i))
			data := randBytes(size, uint64(300+i))
			d := sha256Digest(data)
			b, err := e.svc.PutBlob(ctx, repo.ID, d, bytes.NewReader(data))
			if err != nil {
				t.Fatalf("PutBlob: %v", err)
			}
			if diff := cmp.Diff(meta.Blob{Digest: d, Size: int64(size)}, b, ignoreCreated); diff != "" {
				t.Errorf("PutBlob (-want +got):\n%s", diff)
			}
			if got := e.readBlob(t, repo.ID, d); !bytes.Equal(got, data) {
				t.Errorf("OpenBlob returned other bytes")
			}
			// Pushing it again, here and elsewhere, is fine.
			again := e.repo(t, "oci", fmt.Sprintf("alice/put%d-again", i))
			for _, id := range []int64{repo.ID, again.ID} {
				if _, err := e.svc.PutBlob(ctx, id, d, bytes.NewReader(data)); err != nil {
					t.Fatalf("PutBlob again: %v", err)
				}
				if got := e.readBlob(t, id, d); !bytes.Equal(got, data) {
					t.Errorf("OpenBlob after a second push returned other bytes")
				}
			}
		})
	}
	t.Cleanup(func() {
		if got := e.sessions(t); len(got) != 0 {
			t.Errorf("sessions left after PutBlob: %v", got)
		}
	})
}

func TestPutBlobRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	repo := e.repo(t, "oci", "alice/refused")
	data := randBytes(2000, 1)
	tests := []struct {
		name   string
		digest string
		body   func() *failingReader
		want   errs.Kind
	}{
		{name: "wrong digest", digest: sha256Digest([]byte("other")), want: errs.Invalid},
		{name: "truncated body", digest: sha256Digest(data), body: func() *failingReader {
			return &failingReader{data: data[:1000], err: errors.New("connection reset")}
		}, want: errs.Invalid},
	}
	for _, tt := range tests {
		var err error
		if tt.body != nil {
			_, err = e.svc.PutBlob(ctx, repo.ID, tt.digest, tt.body())
		} else {
			_, err = e.svc.PutBlob(ctx, repo.ID, tt.digest, bytes.NewReader(data))
		}
		wantKind(t, tt.name, err, tt.want)
		for _, d := range []string{tt.digest, sha256Digest(data)} {
			if _, err := e.svc.StatBlob(ctx, repo.ID, d); !errs.Is(err, errs.NotFound) {
				t.Errorf("%s: StatBlob %s: %v, want not found", tt.name, d, err)
			}
		}
		if got := e.sessions(t); len(got) != 0 {
			t.Errorf("%s: sessions left: %v", tt.name, got)
		}
	}
	_, err := e.svc.PutBlob(ctx, 1<<40, sha256Digest(data), bytes.NewReader(data))
	wantKind(t, "PutBlob to a missing repository", err, errs.NotFound)
}

func TestMountBlob(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	src := e.repo(t, "oci", "alice/src")
	third := e.repo(t, "oci", "acme/third")
	data := randBytes(3000, 2)
	d := e.push(t, src.ID, data)
	elsewhere := e.push(t, third.ID, []byte("only in the third repository"))

	tests := []struct {
		name     string
		from     int64
		digest   string
		notFound bool
	}{
		{name: "from a repository that has it", from: src.ID, digest: d},
		{name: "from a repository that lacks it", from: third.ID, digest: d, notFound: true},
		{name: "a blob only another repository has", from: src.ID, digest: elsewhere, notFound: true},
		{name: "a blob nobody has", from: src.ID, digest: sha256Digest([]byte("none")), notFound: true},
		{name: "from a missing repository", from: 1 << 40, digest: d, notFound: true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			to := e.repo(t, "oci", fmt.Sprintf("alice/to%d", i))
			b, err := e.svc.MountBlob(ctx, to.ID, tt.from, tt.digest)
			if tt.notFound {
				wantKind(t, "MountBlob", err, errs.NotFound)
				if _, err := e.svc.StatBlob(ctx, to.ID, tt.digest); !errs.Is(err, errs.NotFound) {
					t.Errorf("StatBlob after a refused mount: %v, want not found", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("MountBlob: %v", err)
			}
			if diff := cmp.Diff(meta.Blob{Digest: d, Size: int64(len(data))}, b, ignoreCreated); diff != "" {
				t.Errorf("MountBlob (-want +got):\n%s", diff)
			}
			if got := e.readBlob(t, to.ID, d); !bytes.Equal(got, data) {
				t.Errorf("mounted blob reads other bytes")
			}
			if _, err := e.svc.MountBlob(ctx, to.ID, tt.from, tt.digest); err != nil {
				t.Errorf("MountBlob again: %v", err)
			}
			if _, err := e.svc.MountBlob(ctx, to.ID, to.ID, tt.digest); err != nil {
				t.Errorf("MountBlob onto itself: %v", err)
			}
		})
	}
}

func TestUnlinkBlob(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	a := e.repo(t, "oci", "alice/a")
	b := e.repo(t, "oci", "alice/b")
	data := []byte("shared layer")
	d := e.push(t, a.ID, data)
	if _, err := e.svc.MountBlob(ctx, b.ID, a.ID, d); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.UnlinkBlob(ctx, a.ID, d); err != nil {
		t.Fatalf("UnlinkBlob: %v", err)
	}
	_, err := e.svc.StatBlob(ctx, a.ID, d)
	wantKind(t, "StatBlob after UnlinkBlob", err, errs.NotFound)
	_, _, err = e.svc.OpenBlob(ctx, a.ID, d)
	wantKind(t, "OpenBlob after UnlinkBlob", err, errs.NotFound)
	if got := e.readBlob(t, b.ID, d); !bytes.Equal(got, data) {
		t.Errorf("the other repository lost the blob")
	}
	if got := e.unreferenced(t); len(got) != 0 {
		t.Errorf("a blob still linked elsewhere is unreferenced: %v", got)
	}
	wantKind(t, "UnlinkBlob again", e.svc.UnlinkBlob(ctx, a.ID, d), errs.NotFound)
	wantKind(t, "UnlinkBlob of a blob never linked", e.svc.UnlinkBlob(ctx, a.ID, sha256Digest([]byte("x"))), errs.NotFound)
	if err := e.svc.UnlinkBlob(ctx, b.ID, d); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{d}, e.unreferenced(t)); diff != "" {
		t.Errorf("unreferenced after the last unlink (-want +got):\n%s", diff)
	}
	if !e.stored(t, d) {
		t.Errorf("UnlinkBlob removed the content; that is garbage collection's job")
	}
}
