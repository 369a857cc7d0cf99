package habitat_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"wharf/internal/api/habitat"
	"wharf/internal/depot/depottest"
)

// keyFront is the front over a depot on real stores, with the origin
// depottest.Origin and the users of depottest.Roles, each with the
// password depottest.Password.
type keyFront struct {
	h *habitat.Handler
}

func newKeyFront(t *testing.T, registryURL string) *keyFront {
	t.Helper()
	e := depottest.New(t, depottest.OpenSQLite(t), nil, nil)
	e.AddRoles(t)
	return &keyFront{h: habitat.NewHandler(habitat.Options{Depot: e.Depot, Accounts: e.Accounts, RegistryURL: registryURL})}
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
		r.SetBasicAuth(user, depottest.Password)
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
