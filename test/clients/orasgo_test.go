package clients

import (
	"bytes"
	"errors"
	"net/http"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/opencontainers/go-digest"
	specs "github.com/opencontainers/image-spec/specs-go"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"oras.land/oras-go/v2"
	"oras.land/oras-go/v2/content"
	"oras.land/oras-go/v2/content/memory"
	orasregistry "oras.land/oras-go/v2/registry"
	"oras.land/oras-go/v2/registry/remote"
	"oras.land/oras-go/v2/registry/remote/auth"
	"oras.land/oras-go/v2/registry/remote/errcode"
	"oras.land/oras-go/v2/registry/remote/retry"
)

// orasRepo returns an oras-go repository client for repo over plain HTTP
// with cred. Its requests go through a recorder under oras-go's retrying
// transport, so a 5xx that a retry hid still fails the test.
func orasRepo(t testing.TB, reg *registry, repo string, cred auth.Credential) *remote.Repository {
	t.Helper()
	r, err := remote.NewRepository(reg.host + "/" + repo)
	if err != nil {
		t.Fatal(err)
	}
	r.PlainHTTP = true
	r.Client = &auth.Client{
		Client:     &http.Client{Transport: retry.NewTransport(newRecorder(t, reg))},
		Cache:      auth.NewCache(),
		Credential: auth.StaticCredential(reg.host, cred),
	}
	return r
}

// orasArtifact pushes one blob holding data and an artifact manifest for
// it (with subject when not nil) to target and returns the manifest's
// descriptor.
func orasArtifact(t testing.TB, target oras.Target, artifactType string, data []byte, subject *ocispec.Descriptor) ocispec.Descriptor {
	t.Helper()
	ctx := t.Context()
	blob, err := oras.PushBytes(ctx, target, "application/octet-stream", data)
	if err != nil {
		t.Fatalf("push blob: %v", err)
	}
	desc, err := oras.PackManifest(ctx, target, oras.PackManifestVersion1_1, artifactType, oras.PackManifestOptions{
		Layers:  []ocispec.Descriptor{blob},
		Subject: subject,
	})
	if err != nil {
		t.Fatalf("pack manifest: %v", err)
	}
	return desc
}

// TestOrasGoPushFetch pushes an artifact with each way of authenticating
// and fetches it back by tag and digest, byte for byte; wrong credentials
// get 401.
func TestOrasGoPushFetch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cred func(testing.TB, *registry) auth.Credential
	}{
		{"password", func(_ testing.TB, r *registry) auth.Credential {
			return auth.Credential{Username: r.user, Password: r.password}
		}},
		{"token-as-password", func(t testing.TB, r *registry) auth.Credential {
			return auth.Credential{Username: r.user, Password: r.token(t)}
		}},
		{"token-as-access-token", func(t testing.TB, r *registry) auth.Credential {
			return auth.Credential{AccessToken: r.token(t)}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			reg := startRegistry(t)
			repo := orasRepo(t, reg, reg.repo("artifact"), tc.cred(t, reg))
			data := payload(t, 10000)
			desc := orasArtifact(t, repo, "application/vnd.wharf.test.v1", data, nil)
			if _, err := oras.Tag(ctx, repo, desc.Digest.String(), "v1"); err != nil {
				t.Fatalf("tag: %v", err)
			}

			got, manifest, err := oras.FetchBytes(ctx, repo, "v1", oras.DefaultFetchBytesOptions)
			if err != nil {
				t.Fatalf("fetch v1: %v", err)
			}
			if got.Digest != desc.Digest || got.Size != desc.Size || digest.FromBytes(manifest) != desc.Digest {
				t.Errorf("fetched %s (%d bytes), pushed %s (%d bytes)", got.Digest, got.Size, desc.Digest, desc.Size)
			}
			if d, raw := reg.manifest(t, reg.repo("artifact"), "v1"); d != desc.Digest.String() || !bytes.Equal(raw, manifest) {
				t.Errorf("registry serves %s, pushed %s", d, desc.Digest)
			}
			m := parseManifest(t, manifest)
			if len(m.Layers) != 1 {
				t.Fatalf("manifest has %d layers", len(m.Layers))
			}
			_, blob, err := oras.FetchBytes(ctx, repo.Blobs(), m.Layers[0].Digest, oras.DefaultFetchBytesOptions)
			if err != nil {
				t.Fatalf("fetch blob: %v", err)
			}
			if !bytes.Equal(blob, data) {
				t.Errorf("fetched blob differs from the pushed bytes")
			}
			tags, err := orasregistry.Tags(ctx, repo)
			if err != nil {
				t.Fatalf("tags: %v", err)
			}
			if diff := cmp.Diff([]string{"v1"}, tags); diff != "" {
				t.Errorf("tags (-want +got):\n%s", diff)
			}

			bad := orasRepo(t, reg, reg.repo("artifact"), auth.Credential{Username: reg.user, Password: "wrong"})
			_, _, err = oras.FetchBytes(ctx, bad, "v1", oras.DefaultFetchBytesOptions)
			var eresp *errcode.ErrorResponse
			if !errors.As(err, &eresp) || eresp.StatusCode != http.StatusUnauthorized {
				t.Errorf("fetch with a wrong password: %v, want 401", err)
			}
		})
	}
}

// TestOrasGoCopy builds a two-platform index of artifacts in a memory
// store, copies the graph to the registry and back into a fresh memory
// store, and compares every node byte for byte.
func TestOrasGoCopy(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	reg := startRegistry(t)
	repo := orasRepo(t, reg, reg.repo("graph"), auth.Credential{Username: reg.user, Password: reg.password})

	src := memory.New()
	var children []ocispec.Descriptor
	for _, arch := range []string{"amd64", "arm64"} {
		d := orasArtifact(t, src, "application/vnd.wharf.test.v1", payload(t, 3000), nil)
		d.Platform = &ocispec.Platform{OS: "linux", Architecture: arch}
		children = append(children, d)
	}
	index := mustJSON(t, ocispec.Index{
		Versioned: specs.Versioned{SchemaVersion: 2},
		MediaType: ocispec.MediaTypeImageIndex,
		Manifests: children,
	})
	root, err := oras.TagBytes(ctx, src, ocispec.MediaTypeImageIndex, index, "v1")
	if err != nil {
		t.Fatal(err)
	}

	pushed, err := oras.Copy(ctx, src, "v1", repo, "v1", oras.DefaultCopyOptions)
	if err != nil {
		t.Fatalf("copy to registry: %v", err)
	}
	if pushed.Digest != root.Digest {
		t.Errorf("copy pushed %s, want %s", pushed.Digest, root.Digest)
	}
	if d, raw := reg.manifest(t, reg.repo("graph"), "v1"); d != root.Digest.String() || !bytes.Equal(raw, index) {
		t.Errorf("registry serves the index as %s, want %s", d, root.Digest)
	}

	dst := memory.New()
	pulled, err := oras.Copy(ctx, repo, "v1", dst, "v1", oras.DefaultCopyOptions)
	if err != nil {
		t.Fatalf("copy from registry: %v", err)
	}
	if pulled.Digest != root.Digest {
		t.Errorf("copy pulled %s, want %s", pulled.Digest, root.Digest)
	}
	n := 0
	var walk func(ocispec.Descriptor)
	walk = func(d ocispec.Descriptor) {
		want, err := content.FetchAll(ctx, src, d)
		if err != nil {
			t.Fatal(err)
		}
		got, err := content.FetchAll(ctx, dst, d)
		if err != nil {
			t.Errorf("%s %s missing after the round trip: %v", d.MediaType, d.Digest, err)
			return
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s %s differs after the round trip", d.MediaType, d.Digest)
		}
		n++
		succ, err := content.Successors(ctx, src, d)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range succ {
			walk(s)
		}
	}
	walk(root)
	// index + 2 × (manifest + config + layer)
	if n != 7 {
		t.Errorf("compared %d nodes, want 7", n)
	}
}

// TestOrasGoReferrers attaches two artifacts of different types to a
// subject and lists them with registry.Referrers, filtered and not,
// through the referrers API (no fallback tag appears); deleting one
// removes it from the list.
func TestOrasGoReferrers(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	reg := startRegistry(t)
	repo := orasRepo(t, reg, reg.repo("subject"), auth.Credential{Username: reg.user, Password: reg.password})

	subject := orasArtifact(t, repo, "application/vnd.wharf.test.v1", payload(t, 100), nil)
	if _, err := oras.Tag(ctx, repo, subject.Digest.String(), "v1"); err != nil {
		t.Fatal(err)
	}
	sig := orasArtifact(t, repo, "application/vnd.wharf.test.signature", payload(t, 64), &subject)
	sbom := orasArtifact(t, repo, "application/vnd.wharf.test.sbom", payload(t, 64), &subject)

	list := func(artifactType string) []string {
		t.Helper()
		refs, err := orasregistry.Referrers(ctx, repo, subject, artifactType)
		if err != nil {
			t.Fatalf("referrers %q: %v", artifactType, err)
		}
		var ds []string
		for _, r := range refs {
			ds = append(ds, r.Digest.String())
			want := sig
			if r.Digest == sbom.Digest {
				want = sbom
			}
			if r.ArtifactType != want.ArtifactType || r.Size != want.Size || r.MediaType != want.MediaType {
				t.Errorf("referrer %s: %+v, want %+v", r.Digest, r, want)
			}
		}
		sort.Strings(ds)
		return ds
	}
	all := []string{sig.Digest.String(), sbom.Digest.String()}
	sort.Strings(all)
	if diff := cmp.Diff(all, list("")); diff != "" {
		t.Errorf("referrers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{sig.Digest.String()}, list("application/vnd.wharf.test.signature")); diff != "" {
		t.Errorf("referrers of type signature (-want +got):\n%s", diff)
	}
	tags, err := orasregistry.Tags(ctx, repo)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"v1"}, tags); diff != "" {
		t.Errorf("tags (-want +got); a fallback tag means the referrers API was not used:\n%s", diff)
	}

	if err := repo.Delete(ctx, sbom); err != nil {
		t.Fatalf("delete sbom: %v", err)
	}
	if diff := cmp.Diff([]string{sig.Digest.String()}, list("")); diff != "" {
		t.Errorf("referrers after deleting the sbom (-want +got):\n%s", diff)
	}
}
