package e2e

import (
	"net/http"
	"slices"
	"testing"

	"wharf/internal/format/hab"
)

// TestHabDelete checks `hab pkg delete`: 204 when allowed, then the
// release is gone everywhere; 422 while it is in stable or while another
// package's runtime dependencies name its package (any release).
func TestHabDelete(t *testing.T) {
	eachHabBackend(t, func(t *testing.T, e *env) {
		owner := newDepotUser(t, e)
		o := newOrigin(t, e, owner)
		dev := o.member(t, "member")
		reader := o.member(t, "readonly_member")
		outsider := newDepotUser(t, e)
		c := owner.api

		del := func(cl *client, h hart) *response {
			return cl.do(t, http.MethodDelete, pkgURL(h.id)+"?target="+h.target, nil)
		}
		gone := func(t *testing.T, h hart) {
			t.Helper()
			c.do(t, http.MethodGet, pkgURL(h.id), nil).want(t, http.StatusNotFound)
			c.do(t, http.MethodGet, pkgURL(h.id)+"/download?target="+h.target, nil).want(t, http.StatusNotFound)
			c.do(t, http.MethodGet, chanURL(h.id, "unstable")+"?target="+h.target, nil).want(t, http.StatusNotFound)
			if slices.Contains(c.listIdents(t, "/v1/depot/pkgs/"+esc(h.id.Origin, h.id.Name, h.id.Version)), h.id.String()) {
				t.Errorf("%s is still listed", h.id)
			}
			// The bytes go with the next garbage collection.
		}

		t.Run("Allowed", func(t *testing.T) {
			h := o.hartOf(t, o.name+"/plain/1.0/"+release(1))
			keep := o.hartOf(t, o.name+"/plain/1.0/"+release(2))
			c.mustUpload(t, h)
			c.mustUpload(t, keep)
			c.promote(t, h, "beta")
			if n := blobCopies(t, e, sha256Digest(h.data)); n != 1 {
				t.Fatalf("the package is stored %d times, want once", n)
			}
			del(e.anon(), h).want(t, http.StatusUnauthorized)
			del(outsider.api, h).want(t, http.StatusForbidden)
			del(reader.api, h).want(t, http.StatusForbidden)
			if r := del(dev.api, h).want(t, http.StatusNoContent); len(r.Body) != 0 {
				t.Errorf("204 with a body: %q", r.Body)
			}
			gone(t, h)
			c.do(t, http.MethodGet, "/v1/depot/channels/"+o.name+"/beta/pkgs/plain", nil).wantPage(t, 0, 0, 0, 0)
			del(dev.api, h).want(t, http.StatusNotFound)
			// The other release stays; so can the name be uploaded again.
			c.do(t, http.MethodGet, pkgURL(keep.id)+"/download?target=x86_64-linux", nil).want(t, http.StatusOK).wantBody(t, keep.data)
			c.mustUpload(t, h)
			c.do(t, http.MethodGet, pkgURL(h.id)+"/download?target=x86_64-linux", nil).want(t, http.StatusOK).wantBody(t, h.data)
		})

		t.Run("PerTarget", func(t *testing.T) {
			m := pkgMeta(t, o.name+"/both/1.0/"+release(1))
			linux := buildHart(t, o.sec, m)
			m.Target = "x86_64-windows"
			win := buildHart(t, o.sec, m)
			c.mustUpload(t, linux)
			c.mustUpload(t, win)
			del(c, win).want(t, http.StatusNoContent)
			c.do(t, http.MethodGet, pkgURL(win.id)+"/download?target=x86_64-windows", nil).want(t, http.StatusNotFound)
			c.do(t, http.MethodGet, pkgURL(linux.id)+"/download?target=x86_64-linux", nil).want(t, http.StatusOK).wantBody(t, linux.data)
		})

		t.Run("Stable", func(t *testing.T) {
			h := o.hartOf(t, o.name+"/stabled/1.0/"+release(1))
			c.mustUpload(t, h)
			c.promote(t, h, "stable")
			del(c, h).wantStatusText(t, http.StatusUnprocessableEntity, "Deleting package in stable channel not allowed")
			c.do(t, http.MethodGet, pkgURL(h.id), nil).want(t, http.StatusOK)
			c.do(t, http.MethodPut, chanURL(h.id, "stable")+"/demote?target=x86_64-linux", nil).want(t, http.StatusOK)
			del(c, h).want(t, http.StatusNoContent)
			gone(t, h)
		})

		t.Run("RDeps", func(t *testing.T) {
			lib1 := o.hartOf(t, o.name+"/lib/1.0/"+release(1))
			lib2 := o.hartOf(t, o.name+"/lib/2.0/"+release(2))
			m := pkgMeta(t, o.name+"/user/1.0/"+release(3))
			m.Deps = []hab.Ident{lib1.id}
			m.TDeps = []hab.Ident{lib1.id}
			user := buildHart(t, o.sec, m)
			// A build dependency does not count.
			bm := pkgMeta(t, o.name+"/tool/1.0/"+release(4))
			bm.BuildDeps = []hab.Ident{user.id}
			tool := buildHart(t, o.sec, bm)
			for _, h := range []hart{lib1, lib2, user, tool} {
				c.mustUpload(t, h)
			}
			del(c, lib1).wantStatusText(t, http.StatusUnprocessableEntity, "Deleting package with rdeps not allowed")
			// Builder counts dependents of any release of the name.
			del(c, lib2).wantStatusText(t, http.StatusUnprocessableEntity, "Deleting package with rdeps not allowed")
			del(c, user).want(t, http.StatusNoContent)
			gone(t, user)
			del(c, lib1).want(t, http.StatusNoContent)
			del(c, lib2).want(t, http.StatusNoContent)
			gone(t, lib1)
			gone(t, lib2)
			del(c, tool).want(t, http.StatusNoContent)
		})
	})
}
