package e2e

import (
	"net/http"
	"slices"
	"testing"
)

func testManagement(t *testing.T, e *env) {
	owner, other := e.newUser(t, false), e.newUser(t, false)

	// setup gives each subtest its own repository and a client that may
	// pull, push and delete there.
	setup := func(t *testing.T, name string) (string, *client) {
		repo := owner.name + "/" + name
		return repo, owner.bearer(t, scope(repo, "pull,push,delete"))
	}

	t.Run("DeleteTag", func(t *testing.T) {
		t.Parallel()
		repo, c := setup(t, "delete-tag")
		img := pushedImage(t, c, repo, "one")
		img.push(t, c, repo, "two")
		c.do(t, http.MethodDelete, repoPath(repo, "manifests/one"), nil).want(t, http.StatusAccepted)
		c.do(t, http.MethodGet, repoPath(repo, "manifests/one"), nil).wantError(t, http.StatusNotFound, "MANIFEST_UNKNOWN")
		c.do(t, http.MethodHead, repoPath(repo, "manifests/one"), nil).want(t, http.StatusNotFound)
		wantManifest(t, c, repo, img.digest, img)
		wantManifest(t, c, repo, "two", img)
		l, _ := listTags(t, c, repoPath(repo, "tags/list"))
		if !slices.Equal(l.Tags, []string{"two"}) {
			t.Errorf("tags after deleting one: %q, want [two]", l.Tags)
		}
		c.do(t, http.MethodDelete, repoPath(repo, "manifests/one"), nil).wantError(t, http.StatusNotFound, "MANIFEST_UNKNOWN")
	})

	t.Run("DeleteManifest", func(t *testing.T) {
		t.Parallel()
		repo, c := setup(t, "delete-manifest")
		img := pushedImage(t, c, repo, "a")
		img.push(t, c, repo, "b")
		keep := pushedImage(t, c, repo, "keep")
		c.do(t, http.MethodDelete, repoPath(repo, "manifests/"+img.digest), nil).want(t, http.StatusAccepted)
		for _, ref := range []string{img.digest, "a", "b"} {
			c.do(t, http.MethodGet, repoPath(repo, "manifests/"+ref), nil).wantError(t, http.StatusNotFound, "MANIFEST_UNKNOWN")
			c.do(t, http.MethodHead, repoPath(repo, "manifests/"+ref), nil).want(t, http.StatusNotFound)
		}
		wantManifest(t, c, repo, "keep", keep)
		l, _ := listTags(t, c, repoPath(repo, "tags/list"))
		if !slices.Equal(l.Tags, []string{"keep"}) {
			t.Errorf("tags after deleting the manifest: %q, want [keep]", l.Tags)
		}
		c.do(t, http.MethodDelete, repoPath(repo, "manifests/"+img.digest), nil).wantError(t, http.StatusNotFound, "MANIFEST_UNKNOWN")
		// The manifest can be pushed again.
		img.push(t, c, repo, "a")
		wantManifest(t, c, repo, "a", img)
	})

	t.Run("DeleteBlob", func(t *testing.T) {
		t.Parallel()
		repo, c := setup(t, "delete-blob")
		data := randBytes(t, 700)
		b := pushBlob(t, c, repo, mtOCILayer, data)
		wantBlob(t, c, repo, b.Digest, data)
		c.do(t, http.MethodDelete, repoPath(repo, "blobs/"+b.Digest), nil).want(t, http.StatusAccepted)
		wantNoBlob(t, c, repo, b.Digest)
		c.do(t, http.MethodHead, repoPath(repo, "blobs/"+b.Digest), nil).want(t, http.StatusNotFound)
		c.do(t, http.MethodDelete, repoPath(repo, "blobs/"+b.Digest), nil).wantError(t, http.StatusNotFound, "BLOB_UNKNOWN")
	})

	t.Run("DeleteMissing", func(t *testing.T) {
		t.Parallel()
		repo, c := setup(t, "delete-missing")
		pushedImage(t, c, repo, "present")
		c.do(t, http.MethodDelete, repoPath(repo, "manifests/"+randDigest(t)), nil).wantError(t, http.StatusNotFound, "MANIFEST_UNKNOWN")
		c.do(t, http.MethodDelete, repoPath(repo, "manifests/absent"), nil).wantError(t, http.StatusNotFound, "MANIFEST_UNKNOWN")
		c.do(t, http.MethodDelete, repoPath(repo, "blobs/"+randDigest(t)), nil).wantError(t, http.StatusNotFound, "BLOB_UNKNOWN")
		missing := owner.name + "/delete-no-repo"
		mc := owner.bearer(t, scope(missing, "pull,push,delete"))
		mc.do(t, http.MethodDelete, repoPath(missing, "manifests/"+randDigest(t)), nil).want(t, http.StatusNotFound)
		mc.do(t, http.MethodDelete, repoPath(missing, "blobs/"+randDigest(t)), nil).want(t, http.StatusNotFound)
	})

	t.Run("DeleteWithoutRights", func(t *testing.T) {
		t.Parallel()
		repo, c := setup(t, "delete-denied")
		img := pushedImage(t, c, repo, "guarded")
		data := randBytes(t, 50)
		b := pushBlob(t, c, repo, mtOCILayer, data)
		pullOnly := owner.apiToken(t, "pull")
		for name, dc := range map[string]*client{
			"anonymous":          e.anon(),
			"other-basic":        other.basic(),
			"other-bearer":       other.bearer(t, scope(repo, "pull,push,delete")),
			"owner-pull-token":   e.withAuth("Bearer " + pullOnly),
			"owner-bearer-nodel": owner.bearer(t, scope(repo, "pull,push")),
		} {
			for _, target := range []string{"manifests/guarded", "manifests/" + img.digest, "blobs/" + b.Digest} {
				r := dc.do(t, http.MethodDelete, repoPath(repo, target), nil)
				if r.Status != http.StatusUnauthorized && r.Status != http.StatusForbidden {
					t.Errorf("%s: DELETE %s: want 401 or 403, got:\n%s", name, target, r)
					continue
				}
				r.wantDenied(t)
			}
		}
		wantManifest(t, c, repo, "guarded", img)
		wantBlob(t, c, repo, b.Digest, data)
	})
}
