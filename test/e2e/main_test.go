// Package e2e holds black-box end-to-end tests: each test runs real
// `wharf serve` processes (through internal/testserver) on SQLite and on
// PostgreSQL and talks to them over HTTP only, asserting statuses, headers
// and bytes as the OCI distribution specification and the Gitea generic
// package registry define them.
package e2e

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"wharf/internal/testserver"
)

func TestMain(m *testing.M) {
	testserver.Main(m)
}

// backend is one metadata store configuration every test runs on.
type backend struct {
	name string
	opt  testserver.Options
}

var backends = []backend{
	{"sqlite", testserver.Options{}},
	{"postgres", testserver.Options{Postgres: true}},
}

// env is one running server shared by the subtests of a test.
type env struct {
	srv  *testserver.Server
	base *url.URL
	http *http.Client
}

// newEnv starts a server for t; it stops when t ends.
func newEnv(t *testing.T, opt testserver.Options) *env {
	t.Helper()
	srv := testserver.Start(t, opt)
	base, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{
		// Headers and bytes are asserted as the server sent them.
		DisableCompression:  true,
		MaxIdleConnsPerHost: 32,
	}
	t.Cleanup(tr.CloseIdleConnections)
	return &env{
		srv:  srv,
		base: base,
		http: &http.Client{
			Transport: tr,
			Timeout:   90 * time.Second,
			// Redirects are part of what is asserted, never followed.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// forgetConnections drops kept-alive connections, as after a restart.
func (e *env) forgetConnections() {
	e.http.Transport.(*http.Transport).CloseIdleConnections()
}

// user is an account on an env's server.
type user struct {
	e    *env
	name string
	pass string
}

// newUser creates a user with a random name and password.
func (e *env) newUser(t *testing.T, superuser bool) *user {
	t.Helper()
	u := &user{e: e, name: testserver.RandomName("u"), pass: testserver.RandomName("pw-")}
	e.srv.CreateUser(t, u.name, u.pass, superuser)
	return u
}

// apiToken creates an API token of u with the given scopes.
func (u *user) apiToken(t *testing.T, scopes ...string) string {
	t.Helper()
	tok := u.e.srv.Token(t, u.name, scopes...)
	if tok == "" {
		t.Fatal("wharf admin token create printed no token")
	}
	return tok
}

// forEachBackendNoServer runs fn as one parallel subtest per backend,
// leaving it to start the servers it needs.
func forEachBackendNoServer(t *testing.T, fn func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			fn(t, b)
		})
	}
}
