package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// accessOp is one request of the generic access matrix, aimed at a
// package by a function of the package's name and the cell's number, so
// that writes and deletes of one cell never touch another's.
type accessOp struct {
	name   string
	method string
	path   func(owner, pkg string, cell int) string
	setup  func(owner, pkg string, cell int) string // file uploaded first, or ""
	api    bool                                     // answered as JSON by /api/v1/packages/
}

var accessOps = []accessOp{
	{name: "GET", method: http.MethodGet, path: func(o, p string, _ int) string { return pkgPath(o, p, "1", "f.bin") }},
	{name: "HEAD", method: http.MethodHead, path: func(o, p string, _ int) string { return pkgPath(o, p, "1", "f.bin") }},
	{name: "PUT", method: http.MethodPut, path: func(o, p string, i int) string { return pkgPath(o, p, "1", fmt.Sprintf("put%d.bin", i)) }},
	{
		name: "DELETE file", method: http.MethodDelete,
		path:  func(o, p string, i int) string { return pkgPath(o, p, "1", fmt.Sprintf("del%d.bin", i)) },
		setup: func(o, p string, i int) string { return pkgPath(o, p, "1", fmt.Sprintf("del%d.bin", i)) },
	},
	{
		name: "DELETE version", method: http.MethodDelete,
		path:  func(o, p string, i int) string { return pkgPath(o, p, fmt.Sprintf("dv%d", i), "") },
		setup: func(o, p string, i int) string { return pkgPath(o, p, fmt.Sprintf("dv%d", i), "f.bin") },
	},
	{name: "API GET", method: http.MethodGet, api: true, path: func(o, p string, _ int) string { return apiPath(o, "generic", p, "1") }},
	{name: "API files", method: http.MethodGet, api: true, path: func(o, p string, _ int) string { return apiPath(o, "generic", p, "1") + "/files" }},
	{
		name: "API DELETE", method: http.MethodDelete, api: true,
		path:  func(o, p string, i int) string { return apiPath(o, "generic", p, fmt.Sprintf("av%d", i)) },
		setup: func(o, p string, i int) string { return pkgPath(o, p, fmt.Sprintf("av%d", i), "f.bin") },
	},
}

// TestGenericAccess runs every caller against a public, a private and a
// missing package with every method, and checks that those who may not
// read the private package cannot tell it from a missing one.
func TestGenericAccess(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend.name, func(t *testing.T) {
			t.Parallel()
			testGenericAccess(t, newEnv(t, backend.opt))
		})
	}
}

func testGenericAccess(t *testing.T, e *env) {
	owner, other := e.newUser(t, false), e.newUser(t, false)
	oc := owner.basic()
	callers := []struct {
		name     string
		c        *client
		readPriv bool // may read the private package
		write    bool // may upload and delete
	}{
		{"anonymous", e.anon(), false, false},
		{"owner", oc, true, true},
		{"other user", other.basic(), false, false},
		{"read token", e.withAuth("token " + owner.apiToken(t, "read:package")), true, false},
	}
	kinds := []string{"public", "private", "missing"}
	pkgOf := func(kind string, cell int) string {
		switch kind {
		case "public":
			return "pub"
		case "private":
			return "priv"
		}
		// Each cell has its own missing package, so that an upload of the
		// owner's does not make it exist for the next cell.
		return fmt.Sprintf("nope%d", cell)
	}

	cell := func(ci, ki, oi int) int { return (ci*len(kinds)+ki)*len(accessOps) + oi }
	for _, p := range []string{"pub", "priv"} {
		oc.do(t, http.MethodPut, pkgPath(owner.name, p, "1", "f.bin"), "data").want(t, http.StatusCreated)
	}
	for ci := range callers {
		for ki, kind := range kinds[:2] {
			for oi, op := range accessOps {
				if op.setup != nil {
					n := cell(ci, ki, oi)
					oc.do(t, http.MethodPut, op.setup(owner.name, pkgOf(kind, n), n), "x").want(t, http.StatusCreated)
				}
			}
		}
	}
	if _, err := e.srv.Admin("", "repo", "private", "--type", "generic", owner.name+"/priv"); err != nil {
		t.Fatal(err)
	}

	for ci, cl := range callers {
		for oi, op := range accessOps {
			got := make([]*response, len(kinds))
			for ki, kind := range kinds {
				n := cell(ci, ki, oi)
				r := cl.c.do(t, op.method, op.path(owner.name, pkgOf(kind, n), n), "y")
				got[ki] = r
				want := wantAccess(op, kind, cl.readPriv, cl.write)
				if r.Status != want {
					t.Errorf("%s %s %s package: status %d, want %d\n%s", cl.name, op.name, kind, r.Status, want, r)
					continue
				}
				challenge := r.Header.Get("WWW-Authenticate")
				if (want == http.StatusUnauthorized) != strings.HasPrefix(challenge, "Basic realm=") {
					t.Errorf("%s %s %s package: %d with WWW-Authenticate %q", cl.name, op.name, kind, r.Status, challenge)
				}
				if want == http.StatusNotFound && op.method != http.MethodHead {
					wantNotFoundBody(t, r, op.api)
				}
			}
			if !cl.readPriv {
				if diff := responseDiff(got[1], got[2]); diff != "" {
					t.Errorf("%s %s: a private package answers unlike a missing one: %s\nprivate: %s\nmissing: %s",
						cl.name, op.name, diff, got[1], got[2])
				}
			}
		}
	}
}

// wantAccess is the status a caller gets for op on a package of kind.
func wantAccess(op accessOp, kind string, readPriv, write bool) int {
	writes := op.method == http.MethodPut || op.method == http.MethodDelete
	switch {
	case writes && !write:
		return http.StatusUnauthorized
	case op.method == http.MethodPut:
		return http.StatusCreated
	case kind == "missing" || kind == "private" && !readPriv:
		return http.StatusNotFound
	case writes:
		return http.StatusNoContent
	}
	return http.StatusOK
}

// wantNotFoundBody checks the body of a missing package's 404.
func wantNotFoundBody(t *testing.T, r *response, api bool) {
	t.Helper()
	if !api {
		r.wantText(t, "package does not exist")
		return
	}
	var msg struct{ Message string }
	decode(t, r, &msg)
	if msg.Message != "package does not exist" {
		t.Errorf("%s %s: message %q", r.method, r.target, msg.Message)
	}
}

// responseDiff describes how two responses differ in status, body or
// headers, leaving out the headers that differ between any two
// responses; "" when they do not.
func responseDiff(a, b *response) string {
	var d []string
	if a.Status != b.Status {
		d = append(d, fmt.Sprintf("status %d vs %d", a.Status, b.Status))
	}
	if string(a.Body) != string(b.Body) {
		d = append(d, fmt.Sprintf("body %q vs %q", a.Body, b.Body))
	}
	skip := map[string]bool{"Date": true, "X-Request-Id": true}
	var names []string
	for k := range a.Header {
		names = append(names, k)
	}
	for k := range b.Header {
		if _, ok := a.Header[k]; !ok {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		if !skip[k] && !slices.Equal(a.Header[k], b.Header[k]) {
			d = append(d, fmt.Sprintf("%s %q vs %q", k, a.Header[k], b.Header[k]))
		}
	}
	return strings.Join(d, "; ")
}
