package e2e

import (
	"net/http"
	"slices"
	"testing"
)

// TestPublicRepository checks anonymous access to a repository an
// operator made public with `wharf admin repo public`: anonymous pulls work
// there, through the anonymous token flow and without any credentials, the
// catalog lists it, and nothing else becomes readable or writable.
func TestPublicRepository(t *testing.T) {
	t.Parallel()
	forEachBackendNoServer(t, func(t *testing.T, b backend) {
		e := newEnv(t, b.opt)
		u := e.newUser(t, false)
		c := u.basic()
		pub, priv := u.name+"/public", u.name+"/private"
		img := pushedImage(t, c, pub, "v1")
		pushedImage(t, c, priv, "v1")

		e.anon().do(t, http.MethodGet, repoPath(pub, "manifests/v1"), nil).want(t, http.StatusUnauthorized)
		if _, err := e.srv.Admin("", "repo", "public", pub); err != nil {
			t.Fatal(err)
		}

		e.anon().do(t, http.MethodGet, repoPath(pub, "manifests/v1"), nil).
			want(t, http.StatusOK).wantBody(t, img.body)
		anonTok := e.withAuth("Bearer " + e.fetchToken(t, "", scope(pub, "pull,push"), scope(priv, "pull")))
		anonTok.do(t, http.MethodGet, repoPath(pub, "manifests/v1"), nil).want(t, http.StatusOK).wantBody(t, img.body)
		anonTok.do(t, http.MethodGet, repoPath(pub, "manifests/"+img.digest), nil).want(t, http.StatusOK)
		anonTok.do(t, http.MethodGet, repoPath(priv, "manifests/v1"), nil).want(t, http.StatusUnauthorized)
		anonTok.do(t, http.MethodPost, repoPath(pub, "blobs/uploads/"), nil).want(t, http.StatusUnauthorized)
		e.anon().do(t, http.MethodDelete, repoPath(pub, "manifests/v1"), nil).want(t, http.StatusUnauthorized)

		page, _ := getCatalog(t, e.anon(), "/v2/_catalog")
		if !slices.Contains(page.Repositories, pub) || slices.Contains(page.Repositories, priv) {
			t.Errorf("anonymous catalog = %v, want %s and not %s", page.Repositories, pub, priv)
		}

		if _, err := e.srv.Admin("", "repo", "private", pub); err != nil {
			t.Fatal(err)
		}
		e.anon().do(t, http.MethodGet, repoPath(pub, "manifests/v1"), nil).want(t, http.StatusUnauthorized)
	})
}
