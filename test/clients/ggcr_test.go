package clients

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"wharf/internal/testserver"
)

// ggcrRef parses a reference to the registry over plain HTTP.
func ggcrRef(t testing.TB, reg *registry, repo, tagOrDigest string) name.Reference {
	t.Helper()
	sep := ":"
	if strings.HasPrefix(tagOrDigest, "sha256:") {
		sep = "@"
	}
	ref, err := name.ParseReference(reg.host+"/"+repo+sep+tagOrDigest, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// ggcrOpts returns remote options for the test's context and a, with
// requests recorded by rec, or by a new recorder when rec is nil.
func ggcrOpts(t testing.TB, reg *registry, a authn.Authenticator, rec *recorder) []remote.Option {
	if rec == nil {
		rec = newRecorder(t, reg)
	}
	return []remote.Option{remote.WithContext(t.Context()), remote.WithAuth(a), remote.WithTransport(rec)}
}

// sameLayers fails the test unless every layer of want, compressed, is
// byte for byte the layer of got with the same digest.
func sameLayers(t testing.TB, want, got v1.Image) {
	t.Helper()
	wl, err := want.Layers()
	if err != nil {
		t.Fatal(err)
	}
	gl, err := got.Layers()
	if err != nil {
		t.Fatal(err)
	}
	if len(wl) != len(gl) {
		t.Fatalf("%d layers, want %d", len(gl), len(wl))
	}
	for i := range wl {
		wd, _ := wl[i].Digest()
		gd, _ := gl[i].Digest()
		if wd != gd {
			t.Errorf("layer %d: digest %s, want %s", i, gd, wd)
			continue
		}
		if !bytes.Equal(compressed(t, wl[i]), compressed(t, gl[i])) {
			t.Errorf("layer %d (%s): bytes differ", i, wd)
		}
	}
	wc, _ := want.RawConfigFile()
	gc, err := got.RawConfigFile()
	if err != nil || !bytes.Equal(wc, gc) {
		t.Errorf("config differs (%v):\n%s\nwant\n%s", err, gc, wc)
	}
}

func compressed(t testing.TB, l v1.Layer) []byte {
	t.Helper()
	rc, err := l.Compressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGGCRImage writes a random image with each way of authenticating,
// reads it back and compares manifest, config and layers byte for byte,
// lists its tags and deletes it.
func TestGGCRImage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		auth func(testing.TB, *registry) authn.Authenticator
	}{
		{"password", func(_ testing.TB, r *registry) authn.Authenticator {
			return &authn.Basic{Username: r.user, Password: r.password}
		}},
		{"token-as-password", func(t testing.TB, r *registry) authn.Authenticator {
			return &authn.Basic{Username: r.user, Password: r.token(t)}
		}},
		{"token-as-bearer", func(t testing.TB, r *registry) authn.Authenticator {
			return &authn.Bearer{Token: r.token(t)}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			reg := startRegistry(t)
			opts := ggcrOpts(t, reg, tc.auth(t, reg), nil)
			img, err := random.Image(2048, 3)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := img.Digest()
			raw, _ := img.RawManifest()
			ref := ggcrRef(t, reg, reg.repo("img"), "v1")
			if err := remote.Write(ref, img, opts...); err != nil {
				t.Fatalf("write: %v", err)
			}

			if d, m := reg.manifest(t, reg.repo("img"), "v1"); d != want.String() || !bytes.Equal(m, raw) {
				t.Errorf("registry serves %s:\n%s\nwant %s:\n%s", d, m, want, raw)
			}
			desc, err := remote.Get(ref, opts...)
			if err != nil {
				t.Fatalf("get: %v", err)
			}
			if desc.Digest != want || !bytes.Equal(desc.Manifest, raw) {
				t.Errorf("get: digest %s, want %s", desc.Digest, want)
			}
			got, err := remote.Image(ref, opts...)
			if err != nil {
				t.Fatalf("image: %v", err)
			}
			sameLayers(t, img, got)

			tags, err := remote.List(ref.Context(), opts...)
			if err != nil {
				t.Fatalf("list: %v", err)
			}
			if diff := cmp.Diff([]string{"v1"}, tags); diff != "" {
				t.Errorf("tags (-want +got):\n%s", diff)
			}

			byDigest := ggcrRef(t, reg, reg.repo("img"), want.String())
			if err := remote.Delete(byDigest, opts...); err != nil {
				t.Fatalf("delete: %v", err)
			}
			_, err = remote.Get(byDigest, opts...)
			var terr *transport.Error
			if !errors.As(err, &terr) || terr.StatusCode != http.StatusNotFound {
				t.Errorf("get after delete: %v, want 404", err)
			}
		})
	}
}

// TestGGCRIndex round-trips a multi-image index and checks every child
// manifest and layer.
func TestGGCRIndex(t *testing.T) {
	t.Parallel()
	reg := startRegistry(t)
	opts := ggcrOpts(t, reg, &authn.Basic{Username: reg.user, Password: reg.password}, nil)
	idx, err := random.Index(1024, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	ref := ggcrRef(t, reg, reg.repo("multi"), "v1")
	if err := remote.WriteIndex(ref, idx, opts...); err != nil {
		t.Fatalf("write index: %v", err)
	}
	want, _ := idx.Digest()
	raw, _ := idx.RawManifest()
	if d, m := reg.manifest(t, reg.repo("multi"), "v1"); d != want.String() || !bytes.Equal(m, raw) {
		t.Errorf("registry serves %s:\n%s\nwant %s:\n%s", d, m, want, raw)
	}
	got, err := remote.Index(ref, opts...)
	if err != nil {
		t.Fatalf("index: %v", err)
	}
	if gd, _ := got.Digest(); gd != want {
		t.Errorf("index digest %s, want %s", gd, want)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Manifests) != 3 {
		t.Fatalf("random index has %d manifests", len(im.Manifests))
	}
	for _, child := range im.Manifests {
		wi, err := idx.Image(child.Digest)
		if err != nil {
			t.Fatal(err)
		}
		gi, err := got.Image(child.Digest)
		if err != nil {
			t.Fatalf("child %s: %v", child.Digest, err)
		}
		if d, _ := gi.Digest(); d != child.Digest {
			t.Errorf("child digest %s, want %s", d, child.Digest)
		}
		wm, _ := wi.RawManifest()
		if _, m := reg.manifest(t, reg.repo("multi"), child.Digest.String()); !bytes.Equal(m, wm) {
			t.Errorf("child %s: registry manifest differs", child.Digest)
		}
		sameLayers(t, wi, gi)
	}
}

// TestGGCRMount writes an image, then writes it again into a second
// repository from the first: go-containerregistry asks to mount every
// blob, and the registry must mount them all instead of taking uploads.
func TestGGCRMount(t *testing.T) {
	t.Parallel()
	reg := startRegistry(t)
	a := &authn.Basic{Username: reg.user, Password: reg.password}
	img, err := random.Image(4096, 2)
	if err != nil {
		t.Fatal(err)
	}
	src := ggcrRef(t, reg, reg.repo("origin"), "v1")
	if err := remote.Write(src, img, ggcrOpts(t, reg, a, nil)...); err != nil {
		t.Fatalf("write: %v", err)
	}
	from, err := remote.Image(src, ggcrOpts(t, reg, a, nil)...)
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder(t, reg)
	dst := ggcrRef(t, reg, reg.repo("mounted"), "v1")
	if err := remote.Write(dst, from, ggcrOpts(t, reg, a, rec)...); err != nil {
		t.Fatalf("write from %s: %v", src, err)
	}

	m, _ := img.Manifest()
	var want []string
	want = append(want, m.Config.Digest.String())
	for _, l := range m.Layers {
		want = append(want, l.Digest.String())
	}
	var mounted []string
	for _, r := range rec.all() {
		switch {
		case r.method == http.MethodPost && r.query.Get("mount") != "":
			if r.query.Get("from") != reg.repo("origin") {
				t.Errorf("mount from %q, want %q", r.query.Get("from"), reg.repo("origin"))
			}
			if r.status == http.StatusCreated {
				mounted = append(mounted, r.query.Get("mount"))
			} else {
				t.Errorf("POST %s?%s: status %d, want 201 (mounted)", r.path, r.query.Encode(), r.status)
			}
		case r.method == http.MethodPatch || (r.method == http.MethodPut && r.query.Get("digest") != ""):
			t.Errorf("%s %s: a blob was uploaded instead of mounted", r.method, r.path)
		}
	}
	sort.Strings(want)
	sort.Strings(mounted)
	if diff := cmp.Diff(want, mounted); diff != "" {
		t.Errorf("mounted blobs (-want +got):\n%s", diff)
	}
	got, err := remote.Image(dst, ggcrOpts(t, reg, a, nil)...)
	if err != nil {
		t.Fatalf("read mounted image: %v", err)
	}
	sameLayers(t, img, got)
}

// TestGGCRCatalog lists tags and repositories a page at a time, and
// checks that another user sees none of the user's private repositories.
func TestGGCRCatalog(t *testing.T) {
	t.Parallel()
	reg := startRegistry(t)
	opts := ggcrOpts(t, reg, &authn.Basic{Username: reg.user, Password: reg.password}, nil)
	img, err := random.Image(256, 1)
	if err != nil {
		t.Fatal(err)
	}
	repos := []string{reg.repo("a"), reg.repo("b"), reg.repo("c/nested")}
	tags := []string{"1.0", "1.1", "2.0", "latest", "v9"}
	for _, repo := range repos {
		if err := remote.Write(ggcrRef(t, reg, repo, tags[0]), img, opts...); err != nil {
			t.Fatalf("write %s: %v", repo, err)
		}
	}
	for _, tag := range tags[1:] {
		if err := remote.Tag(ggcrRef(t, reg, repos[0], tag).(name.Tag), img, opts...); err != nil {
			t.Fatalf("tag %s: %v", tag, err)
		}
	}
	got, err := remote.List(ggcrRef(t, reg, repos[0], "x").Context(), append(opts, remote.WithPageSize(2))...)
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	if diff := cmp.Diff(tags, got); diff != "" {
		t.Errorf("tags, 2 a page (-want +got):\n%s", diff)
	}
	registryName, err := name.NewRegistry(reg.host, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := remote.Catalog(t.Context(), registryName, append(opts, remote.WithPageSize(2))...)
	if err != nil {
		t.Fatalf("catalog: %v", err)
	}
	if diff := cmp.Diff(repos, cat); diff != "" {
		t.Errorf("catalog, 2 a page (-want +got):\n%s", diff)
	}

	other, otherPW := testserver.RandomName("u"), testserver.RandomName("pw-")
	reg.srv.CreateUser(t, other, otherPW, false)
	otherOpts := ggcrOpts(t, reg, &authn.Basic{Username: other, Password: otherPW}, nil)
	cat, err = remote.Catalog(t.Context(), registryName, otherOpts...)
	if err != nil {
		t.Fatalf("catalog as %s: %v", other, err)
	}
	if len(cat) != 0 {
		t.Errorf("catalog as another user: %v, want none", cat)
	}
	if _, err := remote.Get(ggcrRef(t, reg, repos[0], "1.0"), otherOpts...); err == nil {
		t.Errorf("another user read a private repository")
	}
}
