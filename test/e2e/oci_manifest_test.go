package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// wantManifest checks that repo serves d under ref with its type and
// digest, byte for byte.
func wantManifest(t testing.TB, c *client, repo, ref string, d doc) {
	t.Helper()
	r := c.do(t, http.MethodGet, repoPath(repo, "manifests/"+ref), nil, "Accept", acceptAll).want(t, http.StatusOK)
	r.wantHeader(t, "Content-Type", d.mediaType)
	r.wantHeader(t, "Docker-Content-Digest", d.digest)
	r.wantBody(t, d.body)
}

func testManifestPush(t *testing.T, e *env) {
	owner := e.newUser(t, false)
	repo := owner.name + "/manifests"
	c := owner.bearer(t, scope(repo, "pull,push"))
	amd64 := &platform{Architecture: "amd64", OS: "linux"}
	arm64 := &platform{Architecture: "arm64", OS: "linux"}

	// Each kind builds a new document of its type, pushing what it
	// references first.
	kinds := []struct {
		name  string
		build func(t *testing.T) doc
	}{
		{"OCIImageManifest", func(t *testing.T) doc { return ociImage(t, c, repo) }},
		{"OCIIndex", func(t *testing.T) doc {
			a, b := ociImage(t, c, repo), ociImage(t, c, repo)
			a.push(t, c, repo, a.digest)
			b.push(t, c, repo, b.digest)
			return newDoc(t, mtOCIIndex, manifest{SchemaVersion: 2, MediaType: mtOCIIndex,
				Manifests: []descriptor{a.descriptor(amd64), b.descriptor(arm64)}})
		}},
		{"DockerManifest", func(t *testing.T) doc { return dockerImage(t, c, repo) }},
		{"DockerManifestList", func(t *testing.T) doc {
			a, b := dockerImage(t, c, repo), dockerImage(t, c, repo)
			a.push(t, c, repo, a.digest)
			b.push(t, c, repo, b.digest)
			return newDoc(t, mtDockerList, manifest{SchemaVersion: 2, MediaType: mtDockerList,
				Manifests: []descriptor{a.descriptor(amd64), b.descriptor(arm64)}})
		}},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			tag := strings.ToLower(k.name)
			byTag := k.build(t)
			r := byTag.push(t, c, repo, tag)
			c.do(t, http.MethodGet, r.location(t), nil, "Accept", acceptAll).want(t, http.StatusOK).wantBody(t, byTag.body)
			wantManifest(t, c, repo, tag, byTag)
			wantManifest(t, c, repo, byTag.digest, byTag)

			byDigest := k.build(t)
			r = byDigest.push(t, c, repo, byDigest.digest)
			c.do(t, http.MethodGet, r.location(t), nil, "Accept", acceptAll).want(t, http.StatusOK).wantBody(t, byDigest.body)
			wantManifest(t, c, repo, byDigest.digest, byDigest)
		})
	}

	t.Run("ExactBytes", func(t *testing.T) {
		t.Parallel()
		// Indented, with keys out of the usual order and a trailing
		// newline: the registry keeps the bytes as sent.
		base := ociImage(t, c, repo)
		var m map[string]any
		if err := json.Unmarshal(base.body, &m); err != nil {
			t.Fatal(err)
		}
		body, err := json.MarshalIndent(m, "", "    ")
		if err != nil {
			t.Fatal(err)
		}
		body = append(body, '\n')
		d := doc{body: body, digest: sha256Digest(body), mediaType: mtOCIManifest}
		d.push(t, c, repo, "exact-bytes")
		wantManifest(t, c, repo, "exact-bytes", d)
		wantManifest(t, c, repo, d.digest, d)
	})

	t.Run("ContentTypeParametersIgnored", func(t *testing.T) {
		t.Parallel()
		d := ociImage(t, c, repo)
		putManifest(t, c, repo, "with-params", mtOCIManifest+"; charset=utf-8", d.body).want(t, http.StatusCreated)
		wantManifest(t, c, repo, "with-params", d)
	})

	t.Run("NoMediaTypeField", func(t *testing.T) {
		t.Parallel()
		cfg := pushBlob(t, c, repo, mtOCIConfig, []byte(`{"architecture":"amd64","os":"linux"}`))
		l := pushBlob(t, c, repo, mtOCILayer, randBytes(t, 300))
		d := newDoc(t, mtOCIManifest, manifest{SchemaVersion: 2, Config: &cfg, Layers: []descriptor{l}})
		d.push(t, c, repo, "no-media-type")
		wantManifest(t, c, repo, "no-media-type", d)
	})

	t.Run("MissingBlob", func(t *testing.T) {
		t.Parallel()
		cfg := pushBlob(t, c, repo, mtOCIConfig, []byte(`{"os":"linux","architecture":"arm64"}`))
		layer := pushBlob(t, c, repo, mtOCILayer, randBytes(t, 100))
		ghost := descriptor{MediaType: mtOCILayer, Digest: randDigest(t), Size: 100}
		ghostCfg := descriptor{MediaType: mtOCIConfig, Digest: randDigest(t), Size: 20}
		for _, m := range []manifest{
			{SchemaVersion: 2, MediaType: mtOCIManifest, Config: &cfg, Layers: []descriptor{layer, ghost}},
			{SchemaVersion: 2, MediaType: mtOCIManifest, Config: &ghostCfg, Layers: []descriptor{layer}},
		} {
			d := newDoc(t, mtOCIManifest, m)
			r := putManifest(t, c, repo, "missing-blob", d.mediaType, d.body)
			if r.Status < 400 || r.Status > 499 {
				t.Fatalf("want a 4xx MANIFEST_BLOB_UNKNOWN, got:\n%s", r)
			}
			r.wantError(t, r.Status, "MANIFEST_BLOB_UNKNOWN")
			c.do(t, http.MethodGet, repoPath(repo, "manifests/"+d.digest), nil).wantError(t, http.StatusNotFound, "MANIFEST_UNKNOWN")
		}
		c.do(t, http.MethodGet, repoPath(repo, "manifests/missing-blob"), nil).wantError(t, http.StatusNotFound, "MANIFEST_UNKNOWN")
	})

	t.Run("IndexMissingChild", func(t *testing.T) {
		t.Parallel()
		present := ociImage(t, c, repo)
		present.push(t, c, repo, present.digest)
		ghost := descriptor{MediaType: mtOCIManifest, Digest: randDigest(t), Size: 500, Platform: arm64}
		d := newDoc(t, mtOCIIndex, manifest{SchemaVersion: 2, MediaType: mtOCIIndex,
			Manifests: []descriptor{present.descriptor(amd64), ghost}})
		r := putManifest(t, c, repo, "missing-child", d.mediaType, d.body)
		if r.Status < 400 || r.Status > 499 {
			t.Fatalf("want a 4xx MANIFEST_BLOB_UNKNOWN, got:\n%s", r)
		}
		r.wantError(t, r.Status, "MANIFEST_BLOB_UNKNOWN")
		c.do(t, http.MethodGet, repoPath(repo, "manifests/"+d.digest), nil).wantError(t, http.StatusNotFound, "MANIFEST_UNKNOWN")
	})

	t.Run("DigestMismatch", func(t *testing.T) {
		t.Parallel()
		d := ociImage(t, c, repo)
		wrong := randDigest(t)
		putManifest(t, c, repo, wrong, d.mediaType, d.body).wantError(t, http.StatusBadRequest, "DIGEST_INVALID")
		c.do(t, http.MethodGet, repoPath(repo, "manifests/"+wrong), nil).wantError(t, http.StatusNotFound, "MANIFEST_UNKNOWN")
		c.do(t, http.MethodGet, repoPath(repo, "manifests/"+d.digest), nil).wantError(t, http.StatusNotFound, "MANIFEST_UNKNOWN")
	})

	t.Run("InvalidManifest", func(t *testing.T) {
		t.Parallel()
		for _, body := range []string{
			`{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": `,
			`not json at all`,
			`[1, 2, 3]`,
		} {
			putManifest(t, c, repo, "invalid", mtOCIManifest, []byte(body)).wantError(t, http.StatusBadRequest, "MANIFEST_INVALID")
		}
		c.do(t, http.MethodGet, repoPath(repo, "manifests/invalid"), nil).wantError(t, http.StatusNotFound, "MANIFEST_UNKNOWN")
	})

	t.Run("TooLarge", func(t *testing.T) {
		t.Parallel()
		cfg := pushBlob(t, c, repo, mtOCIConfig, []byte(`{}`))
		big := newDoc(t, mtOCIManifest, manifest{SchemaVersion: 2, MediaType: mtOCIManifest, Config: &cfg,
			Annotations: map[string]string{"pad": strings.Repeat("x", 4<<20)}})
		r := putManifest(t, c, repo, "too-large", big.mediaType, big.body).want(t, http.StatusRequestEntityTooLarge)
		r.errorCodes(t)
		c.do(t, http.MethodGet, repoPath(repo, "manifests/too-large"), nil).wantError(t, http.StatusNotFound, "MANIFEST_UNKNOWN")
	})

	t.Run("FourMegabytesAccepted", func(t *testing.T) {
		t.Parallel()
		cfg := pushBlob(t, c, repo, mtOCIConfig, []byte(`{}`))
		m := manifest{SchemaVersion: 2, MediaType: mtOCIManifest, Config: &cfg, Annotations: map[string]string{"pad": ""}}
		pad := 4_000_000 - len(mustJSON(t, m))
		m.Annotations["pad"] = strings.Repeat("y", pad)
		d := newDoc(t, mtOCIManifest, m)
		if len(d.body) != 4_000_000 {
			t.Fatalf("fixture is %d bytes", len(d.body))
		}
		d.push(t, c, repo, "four-megabytes")
		wantManifest(t, c, repo, "four-megabytes", d)
	})

	t.Run("SubjectMissing", func(t *testing.T) {
		t.Parallel()
		empty := pushBlob(t, c, repo, mtOCIEmpty, []byte(`{}`))
		layer := pushBlob(t, c, repo, "application/vnd.example.payload", randBytes(t, 64))
		subject := descriptor{MediaType: mtOCIManifest, Digest: randDigest(t), Size: 1234}
		d := newDoc(t, mtOCIManifest, manifest{SchemaVersion: 2, MediaType: mtOCIManifest,
			ArtifactType: "application/vnd.example.early.v1", Config: &empty, Layers: []descriptor{layer}, Subject: &subject})
		r := d.push(t, c, repo, d.digest)
		r.wantHeader(t, "OCI-Subject", subject.Digest)
		wantManifest(t, c, repo, d.digest, d)
	})

	t.Run("SHA512", func(t *testing.T) {
		t.Parallel()
		d := ociImage(t, c, repo)
		d512 := sha512Digest(d.body)
		r := putManifest(t, c, repo, d512, d.mediaType, d.body).want(t, http.StatusCreated)
		r.wantHeader(t, "Docker-Content-Digest", d512)
		if r.Header.Get("Location") == "" {
			t.Error("no Location")
		}
		g := c.do(t, http.MethodGet, repoPath(repo, "manifests/"+d512), nil, "Accept", acceptAll).want(t, http.StatusOK)
		g.wantBody(t, d.body)
		g.wantHeader(t, "Content-Type", mtOCIManifest)
		g.wantHeader(t, "Docker-Content-Digest", d512)
		putManifest(t, c, repo, sha512Digest(randBytes(t, 8)), d.mediaType, d.body).
			wantError(t, http.StatusBadRequest, "DIGEST_INVALID")
	})

	t.Run("InvalidTag", func(t *testing.T) {
		t.Parallel()
		d := ociImage(t, c, repo)
		for _, tag := range []string{".dot-first", "-dash-first", strings.Repeat("t", 129)} {
			putManifest(t, c, repo, tag, d.mediaType, d.body).wantError(t, http.StatusBadRequest)
		}
		// 128 characters is the longest tag.
		d.push(t, c, repo, strings.Repeat("t", 128))
	})

	t.Run("InvalidName", func(t *testing.T) {
		t.Parallel()
		bc := owner.basic()
		d := ociImage(t, c, repo)
		for _, suffix := range []string{"/UpperCase", "//double-slash", "/trailing-", "/-leading", "/dot..dot", "/under___score"} {
			name := owner.name + suffix
			t.Run(strings.Trim(suffix, "/"), func(t *testing.T) {
				bc.do(t, http.MethodPost, repoPath(name, "blobs/uploads/"), nil).wantError(t, http.StatusBadRequest, "NAME_INVALID")
				putManifest(t, bc, name, "latest", d.mediaType, d.body).wantError(t, http.StatusBadRequest, "NAME_INVALID")
				bc.do(t, http.MethodGet, repoPath(name, "manifests/latest"), nil).wantError(t, http.StatusBadRequest, "NAME_INVALID")
			})
		}
	})

	t.Run("TagMoves", func(t *testing.T) {
		t.Parallel()
		a, b := ociImage(t, c, repo), ociImage(t, c, repo)
		a.push(t, c, repo, "moving")
		wantManifest(t, c, repo, "moving", a)
		b.push(t, c, repo, "moving")
		wantManifest(t, c, repo, "moving", b)
		wantManifest(t, c, repo, a.digest, a)
	})

}
