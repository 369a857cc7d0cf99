package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"wharf/internal/format/hab"
)

// TestHabUploadFlow follows the requests `hab pkg upload --channel beta`
// sends: the origin's public key (409 once it is there), the existence
// probe in unstable, the dependencies first, the package, the channel
// and the promotion.
func TestHabUploadFlow(t *testing.T) {
	eachHabBackend(t, func(t *testing.T, e *env) {
		owner := newDepotUser(t, e)
		o := newOrigin(t, e, owner)
		dev := o.member(t, "maintainer")
		// hab sends the personal access token made on Builder's profile
		// page.
		var tok struct {
			Token string `json:"token"`
		}
		dev.api.do(t, http.MethodPost, "/v1/profile/access-tokens", nil).want(t, http.StatusOK).decode(t, &tok)
		if tok.Token == "" {
			t.Fatal("no personal access token")
		}
		c := e.withAuth("Bearer " + tok.Token)

		t.Run("OriginAndKey", func(t *testing.T) {
			r := owner.api.sendJSON(t, http.MethodPost, "/v1/depot/origins", map[string]string{"name": o.name})
			r.want(t, http.StatusConflict)
			// The key is there: uploading it again is a 409, also for a
			// member who may not upload new keys; hab takes 409 as done.
			owner.api.do(t, http.MethodPost, o.keyPath(), o.pub.String()).want(t, http.StatusConflict)
			c.do(t, http.MethodPost, o.keyPath(), o.pub.String()).want(t, http.StatusConflict)
			// A new key needs an administrator.
			other := newOriginKeys(t, o.name)
			other.pub.Revision = "20200101000000"
			c.do(t, http.MethodPost, "/v1/depot/origins/"+o.name+"/keys/20200101000000", other.pub.String()).
				want(t, http.StatusForbidden)
			e.anon().do(t, http.MethodPost, "/v1/depot/origins/"+o.name+"/keys/20200101000000", other.pub.String()).
				want(t, http.StatusUnauthorized)
		})

		t.Run("PackageWithDeps", func(t *testing.T) {
			libc := o.hartOf(t, o.name+"/libc/2.38/"+release(1))
			zlibMeta := pkgMeta(t, o.name+"/zlib/1.3/"+release(2))
			zlibMeta.Deps = []hab.Ident{libc.id}
			zlibMeta.TDeps = []hab.Ident{libc.id}
			zlib := buildHart(t, o.sec, zlibMeta)
			appMeta := pkgMeta(t, o.name+"/app/0.1.0/"+release(3))
			appMeta.Deps = []hab.Ident{zlib.id}
			appMeta.TDeps = []hab.Ident{libc.id, zlib.id}
			appMeta.Exposes = []uint16{8080}
			app := buildHart(t, o.sec, appMeta)

			// The dependencies go first, each after its probe.
			for _, h := range []hart{libc, zlib, app} {
				probe := chanURL(h.id, "unstable") + "?target=" + h.target
				c.do(t, http.MethodGet, probe, nil).want(t, http.StatusNotFound)
				r := c.upload(t, h).want(t, http.StatusCreated)
				if loc := r.location(t); !strings.HasSuffix(loc, uploadURL(h, false)) {
					t.Errorf("upload Location %q, want the request URI %s", loc, uploadURL(h, false))
				}
				r.wantText(t, "/pkgs/"+esc(h.id.Origin, h.id.Name, h.id.Version, h.id.Release)+"/download")
				p := c.do(t, http.MethodGet, probe, nil).want(t, http.StatusOK).decodePkg(t)
				p.wantIdent(t, h.id)
				if p.Checksum != h.checksum {
					t.Errorf("probe checksum %s, want %s", p.Checksum, h.checksum)
				}
				// Uploaded releases are in unstable only.
				c.do(t, http.MethodGet, chanURL(h.id, "stable")+"?target="+h.target, nil).want(t, http.StatusNotFound)
				// hab skips what is there: a second upload is 409 with no body.
				if r := c.upload(t, h).want(t, http.StatusConflict); len(r.Body) != 0 {
					t.Errorf("409 on re-upload has a body: %q", r.Body)
				}
			}

			// --channel beta: create the channel (409 once it exists), promote.
			cr := c.do(t, http.MethodPost, "/v1/depot/channels/"+o.name+"/beta", nil).want(t, http.StatusCreated)
			ch := cr.jsonObject(t)
			if ch["name"] != "beta" || ch["origin"] != o.name {
				t.Errorf("created channel %v, want name beta in origin %s", ch, o.name)
			}
			for _, k := range []string{"id", "owner_id"} {
				if _, ok := ch[k].(string); !ok {
					t.Errorf("channel %s is %v, want a string", k, ch[k])
				}
			}
			c.do(t, http.MethodPost, "/v1/depot/channels/"+o.name+"/beta", nil).want(t, http.StatusConflict)
			promote := chanURL(app.id, "beta") + "/promote?target=x86_64-linux"
			c.do(t, http.MethodGet, chanURL(app.id, "beta")+"?target=x86_64-linux", nil).want(t, http.StatusNotFound)
			c.do(t, http.MethodPut, promote, nil).want(t, http.StatusOK)
			c.do(t, http.MethodPut, promote, nil).want(t, http.StatusOK)
			p := c.do(t, http.MethodGet, chanURL(app.id, "beta")+"?target=x86_64-linux", nil).want(t, http.StatusOK).decodePkg(t)
			p.wantIdent(t, app.id)

			// hab pkg channels: sorted by name descending, dates as strings.
			r := e.anon().do(t, http.MethodGet, pkgURL(app.id)+"/channels?target=x86_64-linux", nil).want(t, http.StatusOK)
			var chans []map[string]any
			r.decode(t, &chans)
			var names []string
			for _, c := range chans {
				names = append(names, fmt.Sprint(c["name"]))
				for _, k := range []string{"created_at", "promoted_at"} {
					if s, ok := c[k].(string); !ok || !naiveTime.MatchString(s) {
						t.Errorf("channel membership %s is %v, want a naive timestamp", k, c[k])
					}
				}
			}
			wantSeq(t, "channels of "+app.id.String(), names, []string{"unstable", "beta"})

			// A channel that does not exist: 404 on promotion.
			c.do(t, http.MethodPut, chanURL(app.id, "nosuch")+"/promote?target=x86_64-linux", nil).want(t, http.StatusNotFound)
			// A target the release does not have: 404.
			c.do(t, http.MethodPut, chanURL(app.id, "beta")+"/promote?target=aarch64-linux", nil).want(t, http.StatusNotFound)

			// The dependencies are recorded: rdeps of libc name zlib and app.
			var rd struct {
				Origin string   `json:"origin"`
				Name   string   `json:"name"`
				RDeps  []string `json:"rdeps"`
			}
			e.anon().do(t, http.MethodGet, "/v1/rdeps/"+o.name+"/libc?target=x86_64-linux", nil).want(t, http.StatusOK).decode(t, &rd)
			wantSeq(t, "rdeps of libc", rd.RDeps, []string{o.name + "/app", o.name + "/zlib"})
		})
	})
}

// TestHabUploadValidation checks every answer of Builder's upload
// checks (§5.4), in their order, and Wharf's signature check; a refused
// upload leaves nothing behind.
func TestHabUploadValidation(t *testing.T) {
	eachHabBackend(t, func(t *testing.T, e *env) {
		owner := newDepotUser(t, e)
		o := newOrigin(t, e, owner)
		dev := o.member(t, "member")
		reader := o.member(t, "readonly_member")
		outsider := newDepotUser(t, e)
		c := dev.api

		// refused checks that nothing of a refused upload of h remains:
		// no release, no package settings for a name never uploaded, no
		// stored bytes.
		refused := func(t *testing.T, h hart, newName bool) {
			t.Helper()
			owner.api.do(t, http.MethodGet, pkgURL(h.id), nil).want(t, http.StatusNotFound)
			owner.api.do(t, http.MethodGet, chanURL(h.id, "unstable")+"?target=x86_64-linux", nil).want(t, http.StatusNotFound)
			if newName {
				owner.api.do(t, http.MethodGet, "/v1/depot/pkgs/"+esc(h.id.Origin, h.id.Name), nil).wantPage(t, 0, 0, 0, 0)
				owner.api.do(t, http.MethodGet, "/v1/settings/"+esc(h.id.Origin, h.id.Name), nil).want(t, http.StatusNotFound)
			}
			if n := blobCopies(t, e, sha256Digest(h.data)); n != 0 {
				t.Errorf("a refused upload left %d stored copies", n)
			}
		}

		t.Run("InvalidIdent", func(t *testing.T) {
			h := o.hartOf(t, o.name+"/okname/1.0/"+release(1))
			for _, path := range []string{
				"/v1/depot/pkgs/" + o.name + "/bad.name/1.0/" + release(1),
				"/v1/depot/pkgs/" + o.name + "/bad%20name/1.0/" + release(1),
			} {
				// The ident is checked first, before the caller.
				for _, cl := range []*client{c, e.anon()} {
					cl.do(t, http.MethodPost, path+"?checksum="+h.checksum+"&target=x86_64-linux", h.data).
						wantStatusText(t, http.StatusUnprocessableEntity, "Invalid or not fully qualified package identifier")
				}
			}
			refused(t, h, true)
		})

		t.Run("Callers", func(t *testing.T) {
			h := o.hartOf(t, o.name+"/callers/1.0/"+release(1))
			e.anon().upload(t, h).want(t, http.StatusUnauthorized)
			e.withAuth("Bearer not-a-token").upload(t, h).want(t, http.StatusUnauthorized)
			outsider.api.upload(t, h).want(t, http.StatusForbidden)
			reader.api.upload(t, h).want(t, http.StatusForbidden)
			refused(t, h, true)
			c.upload(t, h).want(t, http.StatusCreated)
			// What refused checks for is there after an upload.
			if n := blobCopies(t, e, sha256Digest(h.data)); n != 1 {
				t.Errorf("an uploaded package is stored %d times, want once", n)
			}
			// The caller is checked before the existence.
			outsider.api.upload(t, h).want(t, http.StatusForbidden)
		})

		t.Run("ConcurrentFirstUploads", func(t *testing.T) {
			// Releases of a package name nobody uploaded yet, all at once,
			// as CI jobs or hab pkg bulkupload may send them.
			var hs []hart
			for i := range 12 {
				hs = append(hs, o.hartOf(t, fmt.Sprintf("%s/racing/1.%d/%s", o.name, i, release(i))))
			}
			c.uploadParallel(t, hs, len(hs))
			owner.api.do(t, http.MethodGet, "/v1/depot/pkgs/"+o.name+"/racing", nil).wantPage(t, 0, 11, 12, 12)
		})

		t.Run("Exists", func(t *testing.T) {
			h := o.hartOf(t, o.name+"/exists/1.0/"+release(1))
			c.mustUpload(t, h)
			c.upload(t, h).want(t, http.StatusConflict)
			// The existence is checked before the body is read.
			c.do(t, http.MethodPost, uploadURL(h, false), "garbage").want(t, http.StatusConflict)
			// Another target of the same ident is another package.
			m := pkgMeta(t, h.id.String())
			m.Target = "aarch64-linux"
			arm := buildHart(t, o.sec, m)
			c.upload(t, arm).want(t, http.StatusCreated)
			c.upload(t, arm).want(t, http.StatusConflict)
		})

		t.Run("Garbage", func(t *testing.T) {
			id := o.name + "/garbage/1.0/" + release(1)
			data := []byte("this is not a .hart\n")
			g := hart{id: mustIdent(t, id), target: "x86_64-linux", data: data, checksum: checksumOf(data)}
			c.upload(t, g).wantStatusText(t, http.StatusUnprocessableEntity, "ds:up:0")
			refused(t, g, true)

			// A bad PACKAGE_TYPE is an unreadable archive too.
			raw := rawHart(t, o.sec, id, [][2]string{
				{"IDENT", id}, {"TARGET", "x86_64-linux"}, {"MANIFEST", "m"}, {"PACKAGE_TYPE", "exotic"}})
			pt := hart{id: g.id, target: "x86_64-linux", data: raw, checksum: checksumOf(raw)}
			c.upload(t, pt).wantStatusText(t, http.StatusUnprocessableEntity, "ds:up:0")
			refused(t, pt, true)

			// A truncated archive.
			good := o.hartOf(t, id)
			cut := good.data[:len(good.data)-20]
			tr := hart{id: g.id, target: "x86_64-linux", data: cut, checksum: checksumOf(cut)}
			c.upload(t, tr).wantStatusText(t, http.StatusUnprocessableEntity, "ds:up:0")
			refused(t, tr, true)
		})

		t.Run("BadTarget", func(t *testing.T) {
			id := o.name + "/badtarget/1.0/" + release(1)
			for _, target := range []string{"bogus-target", ""} {
				files := [][2]string{{"IDENT", id}, {"MANIFEST", "m"}}
				if target != "" {
					files = append(files, [2]string{"TARGET", target})
				}
				raw := rawHart(t, o.sec, id, files)
				h := hart{id: mustIdent(t, id), target: "x86_64-linux", data: raw, checksum: checksumOf(raw)}
				c.upload(t, h).wantStatusText(t, http.StatusUnprocessableEntity, "ds:up:1")
				refused(t, h, true)
			}
		})

		t.Run("UnsupportedTarget", func(t *testing.T) {
			// x86_64-darwin is a target hab knows but not one the server
			// takes: 501, which hab takes as "skip".
			m := pkgMeta(t, o.name+"/darwin/1.0/"+release(1))
			m.Target = "x86_64-darwin"
			h := buildHart(t, o.sec, m)
			c.upload(t, h).want(t, http.StatusNotImplemented)
			refused(t, h, true)
			c.do(t, http.MethodGet, pkgURL(h.id)+"/download?target=x86_64-darwin", nil).want(t, http.StatusUnprocessableEntity)
			// The default targets are taken.
			for _, target := range []string{"x86_64-windows", "aarch64-linux"} {
				m.Target = target
				c.mustUpload(t, buildHart(t, o.sec, m))
			}
		})

		t.Run("ChecksumMismatch", func(t *testing.T) {
			h := o.hartOf(t, o.name+"/checksum/1.0/"+release(1))
			bad := h
			bad.checksum = checksumOf([]byte("other bytes"))
			c.upload(t, bad).wantStatusText(t, http.StatusUnprocessableEntity, "ds:up:3")
			refused(t, h, true)
			// No checksum at all matches nothing either.
			c.do(t, http.MethodPost, pkgURL(h.id)+"?target=x86_64-linux", h.data).wantStatusText(t, http.StatusUnprocessableEntity, "ds:up:3")
			refused(t, h, true)
			c.mustUpload(t, h)
		})

		t.Run("PackageTypeMismatch", func(t *testing.T) {
			std := o.hartOf(t, o.name+"/ptype/1.0/"+release(1))
			c.mustUpload(t, std)
			m := pkgMeta(t, o.name+"/ptype/1.1/"+release(2))
			m.PackageType = hab.Native
			native := buildHart(t, o.sec, m)
			c.upload(t, native).wantStatusText(t, http.StatusUnprocessableEntity, "Package type mismatch")
			refused(t, native, false)
			// Per target: a native package for another target is fine.
			m.Target = "aarch64-linux"
			c.mustUpload(t, buildHart(t, o.sec, m))
		})

		t.Run("Forced", func(t *testing.T) {
			h := o.hartOf(t, o.name+"/forced/1.0/"+release(1))
			c.mustUpload(t, h)
			c.do(t, http.MethodPost, uploadURL(h, true), h.data).want(t, http.StatusCreated)
			other := buildHartAt(t, o.sec, pkgMeta(t, h.id.String()), hartMtime.Add(3600e9))
			if other.checksum == h.checksum {
				t.Fatal("the rebuilt package has the same bytes")
			}
			c.do(t, http.MethodPost, uploadURL(other, true), other.data).wantStatusText(t, http.StatusUnprocessableEntity, "ds:up:4")
			if n := blobCopies(t, e, sha256Digest(other.data)); n != 0 {
				t.Errorf("a refused forced upload left %d stored copies", n)
			}
			c.do(t, http.MethodGet, pkgURL(h.id)+"/download?target=x86_64-linux", nil).want(t, http.StatusOK).wantBody(t, h.data)
			// Forcing a release that does not exist is an ordinary upload.
			n := o.hartOf(t, o.name+"/forced/1.0/"+release(2))
			c.do(t, http.MethodPost, uploadURL(n, true), n.data).want(t, http.StatusCreated)
		})

		t.Run("IdentMismatch", func(t *testing.T) {
			h := o.hartOf(t, o.name+"/identity/1.0/"+release(1))
			wrong := h
			wrong.id.Release = release(2)
			c.upload(t, wrong).wantStatusText(t, http.StatusUnprocessableEntity, "ds:up:6")
			refused(t, wrong, true)
			// Another name in the URL than in the archive.
			wrong = h
			wrong.id.Name = "identity2"
			c.upload(t, wrong).wantStatusText(t, http.StatusUnprocessableEntity, "ds:up:6")
			refused(t, wrong, true)
		})

		t.Run("ForeignSignature", func(t *testing.T) {
			// Another key with the very name and revision of the origin's:
			// the signature does not verify with the origin's key.
			forged := newOriginKeys(t, o.name)
			forged.sec.Revision, forged.pub.Revision = o.sec.Revision, o.pub.Revision
			h := forged.hartOf(t, o.name+"/forged/1.0/"+release(1))
			if !strings.Contains(string(h.data[:100]), o.pub.NameWithRevision()) {
				t.Fatalf("the forged package does not name the origin's key")
			}
			c.upload(t, h).want(t, http.StatusUnprocessableEntity)
			refused(t, h, true)
		})
	})
}

// mustIdent parses a fully qualified ident.
func mustIdent(t testing.TB, s string) hab.Ident {
	t.Helper()
	id, err := hab.ParseFullIdent(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
