package e2e

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
)

// TestOCI walks the four workflows of the OCI distribution specification
// (pull, push, content discovery, content management) and Wharf's access
// rules, on one server per backend.
func TestOCI(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, backend.opt)
			for _, g := range []struct {
				name string
				fn   func(*testing.T, *env)
			}{
				{"Pull", testPull},
				{"Upload", testUpload},
				{"Mount", testMount},
				{"Manifest", testManifestPush},
				{"Discovery", testDiscovery},
				{"Referrers", testReferrers},
				{"Catalog", testCatalog},
				{"Management", testManagement},
				{"Auth", testAuth},
			} {
				t.Run(g.name, func(t *testing.T) {
					t.Parallel()
					g.fn(t, e)
				})
			}
		})
	}
}

func testPull(t *testing.T, e *env) {
	owner := e.newUser(t, false)
	repo := owner.name + "/pull"
	c := owner.bearer(t, scope(repo, "pull,push"))
	img := pushedImage(t, c, repo, "v1")
	layer := randBytes(t, 1000)
	blob := pushBlob(t, c, repo, mtOCILayer, layer)

	t.Run("ManifestByTagAndDigest", func(t *testing.T) {
		t.Parallel()
		for _, ref := range []string{"v1", img.digest} {
			r := c.do(t, http.MethodGet, repoPath(repo, "manifests/"+ref), nil, "Accept", acceptAll).want(t, http.StatusOK)
			r.wantHeader(t, "Content-Type", mtOCIManifest)
			r.wantHeader(t, "Docker-Content-Digest", img.digest)
			r.wantHeader(t, "Content-Length", strconv.Itoa(len(img.body)))
			r.wantBody(t, img.body)
			if got := sha256Digest(r.Body); got != img.digest {
				t.Errorf("GET %s: body digest %s, want %s", ref, got, img.digest)
			}

			h := c.do(t, http.MethodHead, repoPath(repo, "manifests/"+ref), nil, "Accept", acceptAll).want(t, http.StatusOK)
			h.wantHeader(t, "Content-Type", mtOCIManifest)
			h.wantHeader(t, "Docker-Content-Digest", img.digest)
			h.wantHeader(t, "Content-Length", strconv.Itoa(len(img.body)))
			h.wantBody(t, nil)
		}
	})

	t.Run("ManifestUnknown", func(t *testing.T) {
		t.Parallel()
		missing := owner.name + "/never-pushed"
		c := owner.bearer(t, scope(repo, "pull"), scope(missing, "pull"))
		for _, ref := range []string{"no-such-tag", randDigest(t)} {
			for _, m := range []string{http.MethodGet, http.MethodHead} {
				c.do(t, m, repoPath(repo, "manifests/"+ref), nil, "Accept", acceptAll).
					wantError(t, http.StatusNotFound, "MANIFEST_UNKNOWN")
				c.do(t, m, repoPath(missing, "manifests/"+ref), nil, "Accept", acceptAll).
					wantError(t, http.StatusNotFound, "NAME_UNKNOWN")
			}
		}
	})

	t.Run("Blob", func(t *testing.T) {
		t.Parallel()
		r := c.do(t, http.MethodGet, repoPath(repo, "blobs/"+blob.Digest), nil).want(t, http.StatusOK)
		r.wantHeader(t, "Docker-Content-Digest", blob.Digest)
		r.wantHeader(t, "Content-Length", "1000")
		r.wantBody(t, layer)
		if got := sha256Digest(r.Body); got != blob.Digest {
			t.Errorf("blob body digest %s, want %s", got, blob.Digest)
		}
		h := c.do(t, http.MethodHead, repoPath(repo, "blobs/"+blob.Digest), nil).want(t, http.StatusOK)
		h.wantHeader(t, "Docker-Content-Digest", blob.Digest)
		h.wantHeader(t, "Content-Length", "1000")
		h.wantBody(t, nil)
	})

	t.Run("BlobRange", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			rng        string
			start, end int // inclusive
		}{
			{"bytes=0-0", 0, 0},
			{"bytes=10-19", 10, 19},
			{"bytes=990-", 990, 999},
			{"bytes=-5", 995, 999},
			{"bytes=995-5000", 995, 999},
		} {
			r := c.do(t, http.MethodGet, repoPath(repo, "blobs/"+blob.Digest), nil, "Range", tc.rng).want(t, http.StatusPartialContent)
			r.wantHeader(t, "Content-Range", fmt.Sprintf("bytes %d-%d/1000", tc.start, tc.end))
			r.wantHeader(t, "Content-Length", strconv.Itoa(tc.end-tc.start+1))
			r.wantBody(t, layer[tc.start:tc.end+1])
		}
		r := c.do(t, http.MethodGet, repoPath(repo, "blobs/"+blob.Digest), nil, "Range", "bytes=1000-1010").
			want(t, http.StatusRequestedRangeNotSatisfiable)
		r.wantHeader(t, "Content-Range", "bytes */1000")
	})

	t.Run("OtherRepository", func(t *testing.T) {
		t.Parallel()
		// Blobs and manifests belong to repositories: another repository
		// of the same owner does not serve them.
		sibling := owner.name + "/pull-sibling"
		sc := owner.bearer(t, scope(sibling, "pull,push"))
		pushBlob(t, sc, sibling, mtOCILayer, randBytes(t, 10))
		sc.do(t, http.MethodGet, repoPath(sibling, "blobs/"+blob.Digest), nil).wantError(t, http.StatusNotFound, "BLOB_UNKNOWN")
		sc.do(t, http.MethodHead, repoPath(sibling, "blobs/"+blob.Digest), nil).want(t, http.StatusNotFound)
		sc.do(t, http.MethodGet, repoPath(sibling, "manifests/"+img.digest), nil).wantError(t, http.StatusNotFound, "MANIFEST_UNKNOWN")
		sc.do(t, http.MethodGet, repoPath(sibling, "manifests/v1"), nil).wantError(t, http.StatusNotFound, "MANIFEST_UNKNOWN")
	})

	t.Run("BlobUnknown", func(t *testing.T) {
		t.Parallel()
		d := randDigest(t)
		c.do(t, http.MethodGet, repoPath(repo, "blobs/"+d), nil).wantError(t, http.StatusNotFound, "BLOB_UNKNOWN")
		c.do(t, http.MethodHead, repoPath(repo, "blobs/"+d), nil).wantError(t, http.StatusNotFound, "BLOB_UNKNOWN")
	})
}
