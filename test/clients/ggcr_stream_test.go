package clients

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/stream"
)

// TestGGCRLargeStreamedLayer pushes a 32 MiB layer of unknown length,
// which go-containerregistry sends as one PATCH with a chunked request
// body, then pulls it back and checks both its compressed and
// uncompressed bytes by digest, without holding the layer in memory.
func TestGGCRLargeStreamedLayer(t *testing.T) {
	t.Parallel()
	reg := startRegistry(t)
	a := &authn.Basic{Username: reg.user, Password: reg.password}

	const size = 32 << 20
	var seed [32]byte
	rand.Read(seed[:])
	source := func() io.Reader { return io.LimitReader(mrand.NewChaCha8(seed), size) }
	wantDiffID := hashOf(t, source())

	layer := stream.NewLayer(io.NopCloser(source()))
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder(t, reg)
	ref := ggcrRef(t, reg, reg.repo("big"), "v1")
	if err := remote.Write(ref, img, ggcrOpts(t, reg, a, rec)...); err != nil {
		t.Fatalf("write: %v", err)
	}
	digest, err := layer.Digest()
	if err != nil {
		t.Fatal(err)
	}
	csize, _ := layer.Size()
	if d, _ := layer.DiffID(); d.String() != wantDiffID {
		t.Fatalf("stream layer diff ID %s, want %s", d, wantDiffID)
	}
	streamed := false
	for _, r := range rec.all() {
		if r.method == http.MethodPatch && r.chunked && r.status == http.StatusAccepted {
			streamed = true
		}
	}
	if !streamed {
		t.Errorf("no chunked PATCH was accepted; requests: %+v", rec.all())
	}

	want, _ := img.Digest()
	if d, _ := reg.manifest(t, reg.repo("big"), "v1"); d != want.String() {
		t.Errorf("registry serves %s, pushed %s", d, want)
	}
	got, err := remote.Image(ref, ggcrOpts(t, reg, a, nil)...)
	if err != nil {
		t.Fatalf("image: %v", err)
	}
	ls, err := got.Layers()
	if err != nil || len(ls) != 1 {
		t.Fatalf("pulled %d layers: %v", len(ls), err)
	}
	if d, _ := ls[0].Digest(); d != digest {
		t.Fatalf("pulled layer digest %s, want %s", d, digest)
	}
	rc, err := ls[0].Compressed()
	if err != nil {
		t.Fatal(err)
	}
	n, h := countHash(t, rc)
	if n != csize || h != digest.String() {
		t.Errorf("pulled compressed layer: %d bytes, %s; want %d bytes, %s", n, h, csize, digest)
	}
	rc, err = ls[0].Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	if n, h := countHash(t, rc); n != size || h != wantDiffID {
		t.Errorf("pulled uncompressed layer: %d bytes, %s; want %d bytes, %s", n, h, size, wantDiffID)
	}
}

func hashOf(t testing.TB, r io.Reader) string {
	t.Helper()
	_, h := countHash(t, io.NopCloser(r))
	return h
}

// countHash reads rc to the end, closes it, and returns its length and
// sha256 digest.
func countHash(t testing.TB, rc io.ReadCloser) (int64, string) {
	t.Helper()
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return n, "sha256:" + hex.EncodeToString(h.Sum(nil))
}
