package habitat_test

import (
	"context"
	"io"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wharf/internal/api/habitat"
	"wharf/internal/artifact"
	"wharf/internal/auth"
	"wharf/internal/blob/memblob"
	"wharf/internal/depot"
	"wharf/internal/meta"
	"wharf/internal/meta/sqlite"
)

// keyFront is the front over a depot on real stores, with the origin
// "acme" and users named after their role in it ("out" has none), each
// with the password "password".
type keyFront struct {
	h      *habitat.Handler
	meta   meta.Store
	svc    *depot.Service
	origin meta.Namespace
}

func newKeyFront(t *testing.T, registryURL string) *keyFront {
	t.Helper()
	ctx := context.Background()
	m, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	f := &keyFront{meta: m}
	f.origin = meta.Namespace{Name: "acme", Kind: meta.KindOrg, Public: true}
	if err := m.CreateNamespace(ctx, &f.origin); err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword("password")
	if err != nil {
		t.Fatal(err)
	}
	for name, role := range map[string]string{"admin": meta.MemberAdministrator, "maint": meta.MemberMaintainer,
		"mem": meta.MemberMember, "ro": meta.MemberReadOnly, "out": ""} {
		ns := meta.Namespace{Name: name, Kind: meta.KindUser}
		if err := m.CreateNamespace(ctx, &ns); err != nil {
			t.Fatal(err)
		}
		u := meta.User{Name: name, Email: name + "@example.com", PasswordHash: hash, NamespaceID: ns.ID}
		if err := m.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		if role != "" {
			if err := m.PutMember(ctx, &meta.Member{NamespaceID: f.origin.ID, UserID: u.ID, Role: role}); err != nil {
				t.Fatal(err)
			}
		}
	}
	core, err := artifact.New(m, memblob.New(), []artifact.Format{depot.Format()}, artifact.Options{})
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
	sealer, err := auth.NewSealer([]byte("fedcba9876543210fedcba9876543210"))
	if err != nil {
		t.Fatal(err)
	}
	f.svc, err = depot.New(depot.Options{Store: m, Artifacts: core, Accounts: accounts,
		Authorizer: auth.NewAuthorizer(m, 0), Sealer: sealer})
	if err != nil {
		t.Fatal(err)
	}
	f.h = habitat.NewHandler(habitat.Options{Depot: f.svc, Accounts: accounts, RegistryURL: registryURL})
	return f
}

// do sends a request as user ("" anonymous) with extra headers given as
// name, value pairs.
func (f *keyFront) do(t *testing.T, user, method, target, body string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, target, rd)
	if user != "" {
		r.SetBasicAuth(user, "password")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

// wantStatus fails the test unless w has the status.
func wantStatus(t *testing.T, w *httptest.ResponseRecorder, status int, what string) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("%s: status %d, want %d: %s", what, w.Code, status, w.Body)
	}
}
