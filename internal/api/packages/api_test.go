package packages_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wharf/internal/api/packages"
	"wharf/internal/artifact"
	"wharf/internal/auth"
	"wharf/internal/blob/memblob"
	"wharf/internal/format/generic"
	"wharf/internal/meta"
	"wharf/internal/meta/sqlite"
)

// apiEnv is the general package API over real stores, with the users
// "pub" (public namespace), "priv" (private namespace) and "other".
type apiEnv struct {
	api   *packages.API
	h     *packages.Handler
	svc   *artifact.Service
	meta  meta.Store
	blobs *memblob.Store
}

func newAPIEnv(t *testing.T) *apiEnv { return newAPIEnvWith(t, nil) }

// newAPIEnvWith is newAPIEnv with the service's metadata store wrapped by
// wrap, when not nil, to inject failures.
func newAPIEnvWith(t *testing.T, wrap func(meta.Store) meta.Store) *apiEnv {
	t.Helper()
	ctx := context.Background()
	m, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	hash, err := auth.HashPassword("password")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		name   string
		public bool
	}{{"pub", true}, {"priv", false}, {"other", true}} {
		ns := meta.Namespace{Name: u.name, Kind: meta.KindUser, Public: u.public}
		if err := m.CreateNamespace(ctx, &ns); err != nil {
			t.Fatal(err)
		}
		user := meta.User{Name: u.name, Email: u.name + "@example.com", PasswordHash: hash, NamespaceID: ns.ID}
		if err := m.CreateUser(ctx, &user); err != nil {
			t.Fatal(err)
		}
	}
	var sm meta.Store = m
	if wrap != nil {
		sm = wrap(m)
	}
	blobs := memblob.New()
	svc, err := artifact.New(sm, blobs, []artifact.Format{{
		Type:            generic.RepoType,
		ValidName:       func(string) error { return nil },
		PublicByDefault: func(ns meta.Namespace) bool { return ns.Public },
		FileSums:        true,
	}}, artifact.Options{})
	if err != nil {
		t.Fatal(err)
	}
	signer, err := auth.NewSigner([]byte("0123456789abcdef0123456789abcdef"), "wharf", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := auth.NewService(m, signer, nil)
	if err != nil {
		t.Fatal(err)
	}
	opt := packages.Options{Artifacts: svc, Auth: accounts, Authorizer: auth.NewAuthorizer(m, 0)}
	return &apiEnv{api: packages.NewAPI(opt), h: packages.NewHandler(opt), svc: svc, meta: m, blobs: blobs}
}

// put stores a one-byte file in a new version of owner/name.
func (e *apiEnv) put(t *testing.T, owner, name, version string) {
	t.Helper()
	u, err := e.meta.GetUser(t.Context(), owner)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.PutFile(t.Context(), artifact.PutFileRequest{Type: generic.RepoType, RepoName: owner + "/" + name,
		Version: version, FileName: "f", Body: strings.NewReader("x"), Creator: u.ID})
	if err != nil {
		t.Fatal(err)
	}
}

func (e *apiEnv) get(t *testing.T, user, target string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	if user != "" {
		r.SetBasicAuth(user, "password")
	}
	w := httptest.NewRecorder()
	e.api.ServeHTTP(w, r)
	return w
}

func TestAPIListAccess(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	e.put(t, "priv", "secret", "1")
	e.put(t, "pub", "open", "1")
	tests := []struct {
		user, owner string
		status      int
		count       int
	}{
		{"priv", "priv", http.StatusOK, 1},
		{"", "priv", http.StatusUnauthorized, 0},
		{"other", "priv", http.StatusForbidden, 0},
		{"", "pub", http.StatusOK, 1},
		{"other", "pub", http.StatusOK, 1},
		{"", "nosuch", http.StatusNotFound, 0},
	}
	for _, tt := range tests {
		w := e.get(t, tt.user, packages.APIPrefix+tt.owner)
		if w.Code != tt.status {
			t.Errorf("%q lists %s: status %d, want %d: %s", tt.user, tt.owner, w.Code, tt.status, w.Body)
			continue
		}
		challenge := w.Header().Get("WWW-Authenticate")
		if (tt.status == http.StatusUnauthorized) != strings.HasPrefix(challenge, "Basic ") {
			t.Errorf("%q lists %s: WWW-Authenticate %q", tt.user, tt.owner, challenge)
		}
		if tt.status != http.StatusOK {
			var msg struct{ Message string }
			if err := json.Unmarshal(w.Body.Bytes(), &msg); err != nil || msg.Message == "" {
				t.Errorf("%q lists %s: error body %q is not a JSON message", tt.user, tt.owner, w.Body)
			}
			continue
		}
		var ps []map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &ps); err != nil {
			t.Fatal(err)
		}
		if len(ps) != tt.count {
			t.Errorf("%q lists %s: %d packages, want %d", tt.user, tt.owner, len(ps), tt.count)
		}
	}
	// The private owner's packages are not readable one by one either.
	if w := e.get(t, "other", packages.APIPrefix+"priv/generic/secret/1"); w.Code != http.StatusUnauthorized {
		t.Errorf("other reads priv's version: %d", w.Code)
	}
	if w := e.get(t, "priv", packages.APIPrefix+"priv/generic/secret/1"); w.Code != http.StatusOK {
		t.Errorf("priv reads its version: %d %s", w.Code, w.Body)
	}
}

func TestAPIPaths(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	e.put(t, "pub", "a b", "1.0 x")
	for _, tt := range []struct {
		target string
		status int
	}{
		{"/api/v1/packages/pub", http.StatusOK},
		{"/api/v1/packages/pub/", http.StatusOK},
		{"/api/v1/packages/pub/generic/a%20b/1.0%20x", http.StatusOK},
		{"/api/v1/packages/pub/generic/a%20b/1.0%20x/files", http.StatusOK},
		{"/api/v1/packages/pub/generic/a%20b/1.0%20x/other", http.StatusNotFound},
		{"/api/v1/packages/pub/generic/a%20b", http.StatusNotFound},
		{"/api/v1/packages/pub/generic/a%2Fb/1", http.StatusNotFound},
		{"/api/v1/packages/pub//a%20b/1.0%20x", http.StatusNotFound},
	} {
		if w := e.get(t, "pub", tt.target); w.Code != tt.status {
			t.Errorf("GET %s: %d, want %d: %s", tt.target, w.Code, tt.status, w.Body)
		}
	}
}
