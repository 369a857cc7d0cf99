package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func testAuth(t *testing.T, e *env) {
	alice, bob := e.newUser(t, false), e.newUser(t, false)
	secret := alice.name + "/secret"
	aliceC := alice.bearer(t, scope(secret, "pull,push"))
	img := pushedImage(t, aliceC, secret, "latest")
	layer := pushBlob(t, aliceC, secret, mtOCILayer, randBytes(t, 64))
	realm := e.srv.URL + "/v2/auth"
	service := e.srv.Host

	t.Run("BaseChallenge", func(t *testing.T) {
		t.Parallel()
		r := e.anon().do(t, http.MethodGet, "/v2/", nil).wantError(t, http.StatusUnauthorized, "UNAUTHORIZED")
		r.wantHeader(t, "WWW-Authenticate", `Bearer realm="`+realm+`",service="`+service+`"`)
	})

	t.Run("ScopeChallenges", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			method, target, actions string
		}{
			{http.MethodGet, "manifests/latest", "pull"},
			{http.MethodHead, "manifests/latest", "pull"},
			{http.MethodGet, "blobs/" + layer.Digest, "pull"},
			{http.MethodGet, "tags/list", "pull"},
			{http.MethodGet, "referrers/" + img.digest, "pull"},
			{http.MethodPost, "blobs/uploads/", "pull,push"},
			{http.MethodPut, "manifests/latest", "pull,push"},
			{http.MethodDelete, "manifests/latest", "delete"},
		} {
			var body any
			if tc.method == http.MethodPut {
				body = img.body
			}
			r := e.anon().do(t, tc.method, repoPath(secret, tc.target), body, "Content-Type", img.mediaType).
				wantError(t, http.StatusUnauthorized, "UNAUTHORIZED")
			r.wantHeader(t, "WWW-Authenticate",
				`Bearer realm="`+realm+`",service="`+service+`",scope="repository:`+secret+`:`+tc.actions+`"`)
		}
	})

	t.Run("BasicOnBase", func(t *testing.T) {
		t.Parallel()
		bob.basic().do(t, http.MethodGet, "/v2/", nil).want(t, http.StatusOK)
		e.withAuth(basicAuth(bob.name, "wrong-"+bob.pass)).do(t, http.MethodGet, "/v2/", nil).
			wantError(t, http.StatusUnauthorized, "UNAUTHORIZED")
		e.withAuth(basicAuth("nosuchuser", "whatever")).do(t, http.MethodGet, "/v2/", nil).
			wantError(t, http.StatusUnauthorized, "UNAUTHORIZED")
		e.withAuth("Bearer not-a-token").do(t, http.MethodGet, "/v2/", nil).
			wantError(t, http.StatusUnauthorized, "UNAUTHORIZED")
		// Basic credentials work on repositories too.
		wantManifest(t, alice.basic(), secret, "latest", img)
	})

	t.Run("APITokens", func(t *testing.T) {
		t.Parallel()
		tok := alice.apiToken(t)
		for name, authz := range map[string]string{
			"bearer":          "Bearer " + tok,
			"basic-password":  basicAuth(alice.name, tok),
			"basic-user-only": basicAuth(tok, ""),
		} {
			c := e.withAuth(authz)
			r := c.do(t, http.MethodGet, "/v2/", nil)
			if r.Status != http.StatusOK {
				t.Errorf("%s: GET /v2/:\n%s", name, r)
				continue
			}
			wantManifest(t, c, secret, "latest", img)
		}
		// The API token obtains registry tokens too.
		c := e.withAuth("Bearer " + e.fetchToken(t, basicAuth(alice.name, tok), scope(secret, "pull")))
		wantManifest(t, c, secret, "latest", img)
	})

	t.Run("TokenEndpoint", func(t *testing.T) {
		t.Parallel()
		own := alice.name + "/token-own"
		q := url.Values{"service": {service}, "scope": {scope(own, "pull,push"), scope(bob.name+"/theirs", "pull,push")}}
		r := alice.basic().do(t, http.MethodGet, realm+"?"+q.Encode(), nil).want(t, http.StatusOK)
		var body struct {
			Token       string `json:"token"`
			AccessToken string `json:"access_token"`
			ExpiresIn   int    `json:"expires_in"`
			IssuedAt    string `json:"issued_at"`
		}
		r.decode(t, &body)
		if body.Token == "" {
			t.Fatalf("no token:\n%s", r)
		}
		if body.AccessToken != "" && body.AccessToken != body.Token {
			t.Errorf("access_token differs from token")
		}
		if body.ExpiresIn != 0 && body.ExpiresIn < 60 {
			t.Errorf("expires_in %d, the token spec's minimum is 60", body.ExpiresIn)
		}
		if body.IssuedAt != "" {
			if _, err := time.Parse(time.RFC3339, body.IssuedAt); err != nil {
				t.Errorf("issued_at %q is not RFC 3339", body.IssuedAt)
			}
		}
		access := tokenAccess(t, body.Token)
		foundOwn := false
		for _, a := range access {
			switch a.Name {
			case own:
				foundOwn = true
				if !slices.Contains(a.Actions, "pull") || !slices.Contains(a.Actions, "push") {
					t.Errorf("own repository granted %q, want pull and push", a.Actions)
				}
			case bob.name + "/theirs":
				if len(a.Actions) != 0 {
					t.Errorf("other user's repository granted %q, want nothing", a.Actions)
				}
			}
		}
		if !foundOwn {
			t.Errorf("token access claim %+v has no entry for %s", access, own)
		}

		e.withAuth(basicAuth(alice.name, "not-"+alice.pass)).do(t, http.MethodGet, realm+"?"+q.Encode(), nil).
			want(t, http.StatusUnauthorized)
		e.withAuth(basicAuth("nosuchuser", "pw")).do(t, http.MethodGet, realm+"?"+q.Encode(), nil).
			want(t, http.StatusUnauthorized)
	})

	t.Run("TokenEndpointBounds", func(t *testing.T) {
		t.Parallel()
		// A registry token is a short-lived grant: it cannot buy another.
		tok := alice.bearer(t, scope(secret, "pull")).authz
		q := url.Values{"service": {service}, "scope": {scope(secret, "pull")}}
		e.withAuth(tok).do(t, http.MethodGet, realm+"?"+q.Encode(), nil).
			wantError(t, http.StatusUnauthorized, "UNAUTHORIZED")
		// At most 32 scopes in one request, counted across parameters.
		many := url.Values{"service": {service}}
		for i := range 33 {
			many.Add("scope", scope(fmt.Sprintf("%s/r%d", alice.name, i), "pull"))
		}
		alice.basic().do(t, http.MethodGet, realm+"?"+many.Encode(), nil).want(t, http.StatusBadRequest)
		many.Del("scope")
		many.Set("scope", scope(alice.name+"/a", "pull")+" "+scope(alice.name+"/b", "pull"))
		alice.basic().do(t, http.MethodGet, realm+"?"+many.Encode(), nil).want(t, http.StatusOK)
		// The form body of a POST is bounded too.
		big := "grant_type=password&username=" + alice.name + "&password=" + alice.pass + "&scope=" + strings.Repeat("x", 70<<10)
		r := e.anon().do(t, http.MethodPost, realm, big, "Content-Type", "application/x-www-form-urlencoded")
		if r.Status < 400 || r.Status >= 500 {
			t.Errorf("oversized token form: want a 4xx, got:\n%s", r)
		}
	})

	t.Run("ScopedTokenCatalog", func(t *testing.T) {
		t.Parallel()
		// An API token limited to one repository does not get the catalog.
		limited := alice.apiToken(t, "repository:"+secret+":pull")
		q := url.Values{"service": {service}, "scope": {"registry:catalog:*"}}
		r := e.withAuth(basicAuth(alice.name, limited)).do(t, http.MethodGet, realm+"?"+q.Encode(), nil).want(t, http.StatusOK)
		var body struct {
			Token string `json:"token"`
		}
		r.decode(t, &body)
		for _, a := range tokenAccess(t, body.Token) {
			if a.Name == "catalog" && len(a.Actions) != 0 {
				t.Errorf("repository-scoped API token granted catalog %q", a.Actions)
			}
		}
		r = alice.basic().do(t, http.MethodGet, realm+"?"+q.Encode(), nil).want(t, http.StatusOK)
		r.decode(t, &body)
		if a := tokenAccess(t, body.Token); len(a) != 1 || len(a[0].Actions) == 0 {
			t.Errorf("password login: catalog access %+v, want granted", a)
		}
	})

	t.Run("DownScopedPush", func(t *testing.T) {
		t.Parallel()
		target := alice.name + "/bob-wants-in"
		c := bob.bearer(t, scope(target, "pull,push"))
		for _, a := range tokenAccess(t, c.authz[len("Bearer "):]) {
			if a.Name == target && slices.Contains(a.Actions, "push") {
				t.Errorf("token grants push on another user's repository: %+v", a)
			}
		}
		c.do(t, http.MethodPost, repoPath(target, "blobs/uploads/"), nil).wantDenied(t)
		putManifest(t, c, secret, "bob-was-here", img.mediaType, img.body).wantDenied(t)
		alice.basic().do(t, http.MethodGet, repoPath(secret, "manifests/bob-was-here"), nil).
			wantError(t, http.StatusNotFound, "MANIFEST_UNKNOWN")
		alice.basic().do(t, http.MethodGet, repoPath(target, "tags/list"), nil).
			wantError(t, http.StatusNotFound, "NAME_UNKNOWN")
	})

	t.Run("PrivateLooksMissing", func(t *testing.T) {
		t.Parallel()
		missing := alice.name + "/does-not-exist"
		for name, c := range map[string]*client{
			"anonymous":   e.anon(),
			"bob-basic":   bob.basic(),
			"bob-bearer":  bob.bearer(t, scope(secret, "pull"), scope(missing, "pull")),
			"bob-api-key": e.withAuth("Bearer " + bob.apiToken(t)),
		} {
			for _, target := range []string{"manifests/latest", "manifests/" + img.digest, "blobs/" + layer.Digest, "tags/list"} {
				for _, m := range []string{http.MethodGet, http.MethodHead} {
					if target == "tags/list" && m == http.MethodHead {
						continue
					}
					got := c.do(t, m, repoPath(secret, target), nil)
					ref := c.do(t, m, repoPath(missing, target), nil)
					if got.Status == http.StatusOK || got.Status != ref.Status {
						t.Errorf("%s %s %s: private answers %d, missing answers %d", name, m, target, got.Status, ref.Status)
						continue
					}
					if m == http.MethodGet && !slices.Equal(got.errorCodes(t), ref.errorCodes(t)) {
						t.Errorf("%s GET %s: private gives codes %v, missing %v", name, target, got.errorCodes(t), ref.errorCodes(t))
					}
				}
			}
		}
	})

	t.Run("PushOwnNamespaceOnly", func(t *testing.T) {
		t.Parallel()
		theirs := alice.name + "/pushed-by-bob"
		for name, c := range map[string]*client{
			"basic":   bob.basic(),
			"bearer":  bob.bearer(t, scope(theirs, "pull,push")),
			"api-key": e.withAuth("Bearer " + bob.apiToken(t)),
		} {
			r := c.do(t, http.MethodPost, repoPath(theirs, "blobs/uploads/"), nil)
			if r.Status != http.StatusUnauthorized && r.Status != http.StatusForbidden {
				t.Errorf("%s: push to another namespace: want 401 or 403, got:\n%s", name, r)
				continue
			}
			r.wantDenied(t)
		}
		alice.basic().do(t, http.MethodGet, repoPath(theirs, "tags/list"), nil).wantError(t, http.StatusNotFound, "NAME_UNKNOWN")
		own := bob.name + "/own"
		pushedImage(t, bob.bearer(t, scope(own, "pull,push")), own, "mine")
	})

	t.Run("Superuser", func(t *testing.T) {
		t.Parallel()
		root := e.newUser(t, true)
		target := alice.name + "/by-superuser"
		for name, c := range map[string]*client{
			"basic":  root.basic(),
			"bearer": root.bearer(t, scope(target, "pull,push")),
		} {
			d := pushedImage(t, c, target, name)
			wantManifest(t, alice.basic(), target, name, d)
		}
		// A superuser reads private repositories too.
		wantManifest(t, root.basic(), secret, "latest", img)
		// Only namespaces that exist can hold repositories.
		nowhere := "nosuchns" + root.name + "/repo"
		root.basic().do(t, http.MethodPost, repoPath(nowhere, "blobs/uploads/"), nil).wantError(t, http.StatusNotFound, "NAME_UNKNOWN")
	})

	t.Run("PullScopedAPIToken", func(t *testing.T) {
		t.Parallel()
		tok := alice.apiToken(t, "pull")
		for name, c := range map[string]*client{
			"bearer": e.withAuth("Bearer " + tok),
			"basic":  e.withAuth(basicAuth(alice.name, tok)),
		} {
			t.Run(name, func(t *testing.T) {
				wantManifest(t, c, secret, "latest", img)
				c.do(t, http.MethodPost, repoPath(secret, "blobs/uploads/"), nil).wantDenied(t)
				putManifest(t, c, secret, "via-pull-token", img.mediaType, img.body).wantDenied(t)
				c.do(t, http.MethodDelete, repoPath(secret, "manifests/latest"), nil).wantDenied(t)
			})
		}
		// Registry tokens obtained with it are cut down to pull as well.
		c := e.withAuth("Bearer " + e.fetchToken(t, basicAuth(alice.name, tok), scope(secret, "pull,push")))
		wantManifest(t, c, secret, "latest", img)
		c.do(t, http.MethodPost, repoPath(secret, "blobs/uploads/"), nil).wantDenied(t)
		wantManifest(t, alice.basic(), secret, "latest", img)
	})

	t.Run("RepositoryScopedAPIToken", func(t *testing.T) {
		t.Parallel()
		one, two := alice.name+"/scoped-one", alice.name+"/scoped-two"
		c := e.withAuth("Bearer " + alice.apiToken(t, scope(one, "pull,push")))
		pushedImage(t, c, one, "ok")
		c.do(t, http.MethodPost, repoPath(two, "blobs/uploads/"), nil).wantDenied(t)
		c.do(t, http.MethodGet, repoPath(secret, "manifests/latest"), nil).want(t, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound)
	})
}
