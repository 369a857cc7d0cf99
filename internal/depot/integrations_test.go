package depot_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"wharf/internal/auth"
	"wharf/internal/depot"
	"wharf/internal/depot/depottest"
	"wharf/internal/errs"
)

func TestIntegrations(t *testing.T) {
	t.Parallel()
	forBackends(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		maint := e.as(t, "maint")
		body := []byte(`{"username":"bob","password":"hunter2","url":"https://r.example.com","extra":{"a":[1,2]}}`)
		if err := e.svc.PutIntegration(ctx, e.as(t, "mem"), depottest.Origin, "docker", "hub", body); !errs.Is(err, errs.Denied) {
			t.Errorf("member puts an integration: %v", err)
		}
		for _, bad := range []string{`[1]`, `"x"`, `null`, `{`} {
			if err := e.svc.PutIntegration(ctx, maint, depottest.Origin, "docker", "hub", []byte(bad)); !errs.Is(err, errs.Invalid) {
				t.Errorf("body %s: %v, want invalid", bad, err)
			}
		}
		for _, name := range []string{"quay", "hub"} {
			if err := e.svc.PutIntegration(ctx, maint, depottest.Origin, "docker", name, body); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.svc.PutIntegration(ctx, maint, depottest.Origin, "ecr", "prod", []byte(`{"password":"p"}`)); err != nil {
			t.Fatal(err)
		}
		// Replacing keeps one.
		if err := e.svc.PutIntegration(ctx, maint, depottest.Origin, "docker", "hub", []byte(`{"username":"alice","password":"pw2"}`)); err != nil {
			t.Fatal(err)
		}
		ro := e.as(t, "ro")
		all, err := e.svc.Integrations(ctx, ro, depottest.Origin)
		want := map[string][]string{"docker": {"hub", "quay"}, "ecr": {"prod"}}
		if err != nil || !reflect.DeepEqual(all, want) {
			t.Errorf("integrations %v, %v, want %v", all, err, want)
		}
		names, err := e.svc.IntegrationNames(ctx, ro, depottest.Origin, "docker")
		if err != nil || !reflect.DeepEqual(names, []string{"hub", "quay"}) {
			t.Errorf("names %v, %v", names, err)
		}
		if names, err := e.svc.IntegrationNames(ctx, ro, depottest.Origin, "gcr"); err != nil || names == nil || len(names) != 0 {
			t.Errorf("names of a kind without integrations: %#v, %v", names, err)
		}
		got, err := e.svc.Integration(ctx, ro, depottest.Origin, "docker", "quay")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := got["password"]; ok || string(got["username"]) != `"bob"` || string(got["extra"]) != `{"a":[1,2]}` {
			t.Errorf("integration body %s", got)
		}
		got, err = e.svc.Integration(ctx, ro, depottest.Origin, "docker", "hub")
		if err != nil || len(got) != 1 || string(got["username"]) != `"alice"` {
			t.Errorf("replaced integration %s, %v", got, err)
		}
		if _, err := e.svc.Integration(ctx, e.as(t, "out"), depottest.Origin, "docker", "hub"); !errs.Is(err, errs.Denied) {
			t.Errorf("outsider reads an integration: %v", err)
		}
		if _, err := e.svc.Integration(ctx, ro, depottest.Origin, "docker", "nosuch"); !errs.Is(err, errs.NotFound) {
			t.Errorf("missing integration: %v", err)
		}
		// Sealed at rest.
		row, err := e.store.GetIntegration(ctx, e.acme.ID, "docker", "quay")
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(row.Body, []byte("hunter2")) || bytes.Contains(row.Body, []byte("bob")) {
			t.Errorf("integration stored in the clear: %q", row.Body)
		}
		if err := e.svc.DeleteIntegration(ctx, ro, depottest.Origin, "docker", "quay"); !errs.Is(err, errs.Denied) {
			t.Errorf("read-only member deletes: %v", err)
		}
		if err := e.svc.DeleteIntegration(ctx, maint, depottest.Origin, "docker", "quay"); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.DeleteIntegration(ctx, maint, depottest.Origin, "docker", "quay"); !errs.Is(err, errs.NotFound) {
			t.Errorf("second delete: %v, want not found", err)
		}
		if names, _ := e.svc.IntegrationNames(ctx, ro, depottest.Origin, "docker"); !reflect.DeepEqual(names, []string{"hub"}) {
			t.Errorf("names after delete %v", names)
		}
	})
}

// tokenRegistry is a registry that wants a token from its realm, as
// Docker Hub does: GET /v2/ without a good token is a 401 with a Bearer
// challenge; GET /token with the right Basic credentials gives the token.
type tokenRegistry struct {
	*httptest.Server
	user, pass string

	mu      sync.Mutex
	queries []string // of the token requests
}

func newTokenRegistry(t *testing.T, user, pass string) *tokenRegistry {
	r := &tokenRegistry{user: user, pass: pass}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v2/", func(w http.ResponseWriter, req *http.Request) {
		if req.Header.Get("Authorization") == "Bearer tok-"+user {
			w.WriteHeader(http.StatusOK)
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+r.URL+`/token",service="test registry",scope="registry:catalog:*"`)
		w.WriteHeader(http.StatusUnauthorized)
	})
	mux.HandleFunc("GET /token", func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.queries = append(r.queries, req.URL.RawQuery)
		r.mu.Unlock()
		u, p, ok := req.BasicAuth()
		if !ok || u != r.user || p != r.pass {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"token": "tok-" + u})
	})
	r.Server = httptest.NewServer(mux)
	t.Cleanup(r.Close)
	return r
}

func TestValidateRegistryCredentials(t *testing.T) {
	t.Parallel()
	e := newRoleEnv(t, depottest.OpenSQLite(t), nil)
	ctx := context.Background()
	p := e.as(t, "out")
	reg := newTokenRegistry(t, "bob", "hunter2")

	// A registry that takes Basic credentials itself.
	basic := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v2/" || r.Header.Get("Authorization") != "Basic "+base64.StdEncoding.EncodeToString([]byte("amy:pw")) {
			w.Header().Set("WWW-Authenticate", `Basic realm="registry"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer basic.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()

	tests := []struct {
		p    auth.Principal
		c    depot.RegistryCredentials
		kind errs.Kind // errs.Other: accepted
	}{
		{p, depot.RegistryCredentials{URL: reg.URL + "/v2/", Username: "bob", Password: "hunter2", Internal: true}, errs.Other},
		{p, depot.RegistryCredentials{URL: reg.URL, Username: "bob", Password: "hunter2", Internal: true}, errs.Other},
		{p, depot.RegistryCredentials{URL: reg.URL + "/v2", Username: "bob", Password: "wrong", Internal: true}, errs.Invalid},
		{p, depot.RegistryCredentials{URL: basic.URL, Username: "amy", Password: "pw", Internal: true}, errs.Other},
		{p, depot.RegistryCredentials{URL: basic.URL, Username: "amy", Password: "nope", Internal: true}, errs.Invalid},
		{p, depot.RegistryCredentials{URL: closed.URL, Username: "amy", Password: "pw", Internal: true}, errs.Unavailable},
		{p, depot.RegistryCredentials{URL: "ftp://example.com/", Username: "amy", Password: "pw"}, errs.Invalid},
		{p, depot.RegistryCredentials{URL: reg.URL, Username: "bob"}, errs.Invalid},
		{auth.Principal{}, depot.RegistryCredentials{URL: reg.URL, Username: "bob", Password: "hunter2"}, errs.Unauthenticated},
		// A registry the caller names may not be on the server's network.
		{p, depot.RegistryCredentials{URL: basic.URL, Username: "amy", Password: "pw"}, errs.Unavailable},
		{p, depot.RegistryCredentials{URL: "http://169.254.169.254/", Username: "amy", Password: "pw"}, errs.Unavailable},
		{p, depot.RegistryCredentials{URL: "http://[::1]:1/", Username: "amy", Password: "pw"}, errs.Unavailable},
	}
	for _, tt := range tests {
		err := e.svc.ValidateRegistryCredentials(ctx, tt.p, tt.c)
		if errs.KindOf(err) != tt.kind || (tt.kind == errs.Other) != (err == nil) {
			t.Errorf("%s as %q with %s:%s: %v, want %v", tt.c.URL, tt.p.Name, tt.c.Username, tt.c.Password, err, tt.kind)
		}
	}
	reg.mu.Lock()
	defer reg.mu.Unlock()
	if len(reg.queries) == 0 || !strings.Contains(reg.queries[0], "service=test+registry") || !strings.Contains(reg.queries[0], "scope=registry%3Acatalog%3A%2A") {
		t.Errorf("token requests %q lack the challenge's service and scope", reg.queries)
	}
}
