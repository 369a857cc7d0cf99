package e2e

import (
	"net/http"
	"testing"
	"time"
)

// TestHabAuth checks how the Habitat API treats the Authorization header
// (reference §9.1, §9.4, §13.6): one that is malformed or does not
// authenticate is a 401 before routing, on public reads too; no header
// is the anonymous caller, refused with 401 on protected routes; a
// signed-in caller without the role gets 403.
func TestHabAuth(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testHabAuth(t, newEnv(t, b.opt))
		})
	}
}

func testHabAuth(t *testing.T, e *env) {
	owner := e.habUser(t)
	origin := owner.createOrigin(t, "")
	today := time.Now().UTC().Format("2006-01-02")
	public := []struct{ method, path string }{
		{http.MethodGet, "/v1/status"},
		{http.MethodHead, "/v1/status"},
		{http.MethodGet, originPath(origin)},
		{http.MethodGet, originPath(origin, "keys")},
		{http.MethodGet, "/v1/depot/channels/" + origin},
		{http.MethodGet, "/v1/depot/pkgs/" + origin},
		{http.MethodGet, "/v1/depot/pkgs/search/" + origin},
		{http.MethodGet, "/v1/rdeps/" + origin + "/nothing"},
		{http.MethodGet, "/v1/depot/events?from_date=" + today + "&to_date=" + today},
		{http.MethodGet, "/v1/depot/" + origin + "/pkgs"},
	}
	protected := []struct{ method, path string }{
		{http.MethodPost, "/v1/depot/origins"},
		{http.MethodPut, originPath(origin)},
		{http.MethodDelete, originPath(origin)},
		{http.MethodGet, originPath(origin, "users")},
		{http.MethodGet, originPath(origin, "users", owner.name, "role")},
		{http.MethodGet, originPath(origin, "invitations")},
		{http.MethodPost, originPath(origin, "depart")},
		{http.MethodPost, originPath(origin, "keys")},
		{http.MethodGet, originPath(origin, "secret_keys", "latest")},
		{http.MethodGet, originPath(origin, "encryption_key")},
		{http.MethodGet, originPath(origin, "secret")},
		{http.MethodGet, originPath(origin, "integrations")},
		{http.MethodGet, "/v1/settings/" + origin + "/pkg"},
		{http.MethodGet, "/v1/profile"},
		{http.MethodGet, "/v1/profile/access-tokens"},
		{http.MethodGet, "/v1/user/origins"},
		{http.MethodGet, "/v1/user/invitations"},
	}

	t.Run("PublicAnonymous", func(t *testing.T) {
		t.Parallel()
		for _, rt := range public {
			habDo(t, e.anon(), rt.method, rt.path, nil).want(t, http.StatusOK)
			owner.c.do(t, rt.method, rt.path, nil).want(t, http.StatusOK)
		}
	})

	t.Run("BadHeaders", func(t *testing.T) {
		t.Parallel()
		other := e.habUser(t)
		for _, authz := range []string{
			"Bearer",
			"Bearer not-a-token",
			"Bearer " + owner.tok + " extra",
			"Bearer " + owner.tok + "x",
			"Bogus " + owner.tok,
			owner.tok,
			"Basic !!!",
			basicAuth(other.name, "wrong-"+other.pass),
		} {
			c := e.withAuth(authz)
			for _, rt := range append(append(public, protected...), struct{ method, path string }{http.MethodGet, "/v1/no/such/route"}) {
				c.do(t, rt.method, rt.path, nil).want(t, http.StatusUnauthorized)
			}
		}
		// A well-formed token that was never issued is refused too.
		e.withAuth("Bearer "+randHex(t, 32)).do(t, http.MethodGet, "/v1/status", nil).want(t, http.StatusUnauthorized)
	})

	t.Run("Anonymous", func(t *testing.T) {
		t.Parallel()
		for _, rt := range protected {
			habDo(t, e.anon(), rt.method, rt.path, nil).want(t, http.StatusUnauthorized)
		}
	})

	t.Run("NotAMember", func(t *testing.T) {
		t.Parallel()
		stranger := e.habUser(t)
		for _, rt := range []struct {
			method, path string
			body         any
		}{
			{http.MethodPut, originPath(origin), map[string]any{"default_package_visibility": "private"}},
			{http.MethodDelete, originPath(origin), nil},
			{http.MethodGet, originPath(origin, "users"), nil},
			{http.MethodGet, originPath(origin, "users", owner.name, "role"), nil},
			{http.MethodGet, originPath(origin, "invitations"), nil},
			{http.MethodPost, originPath(origin, "keys"), nil},
			{http.MethodGet, originPath(origin, "secret_keys", "latest"), nil},
			{http.MethodGet, originPath(origin, "encryption_key"), nil},
			{http.MethodGet, originPath(origin, "secret"), nil},
			{http.MethodGet, originPath(origin, "integrations"), nil},
			{http.MethodPost, originPath(origin, "users", stranger.name, "invitations"), nil},
			{http.MethodPost, originPath(origin, "transfer", stranger.name), nil},
			{http.MethodDelete, originPath(origin, "users", owner.name), nil},
		} {
			stranger.do(t, rt.method, rt.path, rt.body).want(t, http.StatusForbidden)
		}
		// The same caller may read what is public.
		for _, rt := range public {
			stranger.c.do(t, rt.method, rt.path, nil).want(t, http.StatusOK)
		}
	})

	t.Run("BasicWithToken", func(t *testing.T) {
		t.Parallel()
		// Wharf also takes its tokens as a Basic password, as curl sends
		// them.
		var o habOrigin
		e.withAuth(basicAuth(owner.name, owner.tok)).do(t, http.MethodGet, "/v1/user/origins", nil).want(t, http.StatusOK)
		e.withAuth("Bearer "+owner.tok).do(t, http.MethodGet, originPath(origin), nil).want(t, http.StatusOK).decode(t, &o)
		if o.Name != origin {
			t.Errorf("origin %+v", o)
		}
	})
}

// randHex returns n random bytes in hex.
func randHex(t testing.TB, n int) string {
	t.Helper()
	const digits = "0123456789abcdef"
	b := randBytes(t, n)
	out := make([]byte, 2*n)
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(out)
}
