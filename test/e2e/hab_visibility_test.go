package e2e

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
)

// TestHabVisibility checks what anonymous callers, members and signed-in
// outsiders see of public, private and hidden packages (§9.3): private
// ones look missing to all but members, hidden ones are fetched by anyone
// who knows them but listed to members only.
func TestHabVisibility(t *testing.T) {
	eachHabBackend(t, func(t *testing.T, e *env) {
		owner := newDepotUser(t, e)
		o := newOrigin(t, e, owner)
		reader := o.member(t, "readonly_member")
		outsider := newDepotUser(t, e)
		c := owner.api

		pub := o.hartOf(t, o.name+"/pub/1.0/"+release(1))
		priv := o.hartOf(t, o.name+"/priv/1.0/"+release(2))
		hid := o.hartOf(t, o.name+"/hid/1.0/"+release(3))
		// Settings decide the visibility of a name's new releases: hidden
		// is set before the first upload.
		c.do(t, http.MethodPost, "/v1/settings/"+o.name+"/hid", nil).want(t, http.StatusCreated)
		r := c.sendJSON(t, http.MethodPut, "/v1/settings/"+o.name+"/hid", map[string]string{"visibility": "hidden"}).want(t, http.StatusOK)
		if s := r.jsonObject(t); s["visibility"] != "hidden" || s["name"] != "hid" || s["origin"] != o.name {
			t.Errorf("settings %v, want hidden hid in %s", s, o.name)
		}
		for _, h := range []hart{pub, priv, hid} {
			c.mustUpload(t, h)
		}
		c.do(t, http.MethodPatch, pkgURL(priv.id)+"/private", nil).want(t, http.StatusOK)
		// Everything in stable too, for the channel routes.
		for _, h := range []hart{pub, priv, hid} {
			c.promote(t, h, "stable")
		}

		members := map[string]*client{"owner": c, "readonly_member": reader.api}
		others := map[string]*client{"anonymous": e.anon(), "outsider": outsider.api}

		// fetches are the routes that name one package.
		fetches := func(h hart) []string {
			return []string{
				pkgURL(h.id),
				"/v1/depot/pkgs/" + o.name + "/" + h.id.Name + "/latest?target=x86_64-linux",
				"/v1/depot/pkgs/" + o.name + "/" + h.id.Name + "/1.0/latest?target=x86_64-linux",
				"/v1/depot/channels/" + o.name + "/stable/pkgs/" + h.id.Name + "/latest?target=x86_64-linux",
				chanURL(h.id, "unstable") + "?target=x86_64-linux",
			}
		}
		download := func(h hart) string { return pkgURL(h.id) + "/download?target=x86_64-linux" }
		lists := []string{
			"/v1/depot/pkgs/" + o.name,
			"/v1/depot/channels/" + o.name + "/stable/pkgs",
			"/v1/depot/pkgs/search/" + o.name,
		}

		t.Run("Members", func(t *testing.T) {
			for who, cl := range members {
				for _, h := range []hart{pub, priv, hid} {
					for _, u := range fetches(h) {
						cl.do(t, http.MethodGet, u, nil).want(t, http.StatusOK).decodePkg(t).wantIdent(t, h.id)
					}
					cl.do(t, http.MethodGet, download(h), nil).want(t, http.StatusOK).wantBody(t, h.data)
				}
				for _, l := range lists {
					got := cl.do(t, http.MethodGet, l, nil).wantPage(t, 0, 2, 3, 3)
					slices.Sort(got)
					wantSeq(t, who+" "+l, got, []string{hid.id.String(), priv.id.String(), pub.id.String()})
				}
				wantSeq(t, who+" origin packages", settingsNames(t, cl, o.name), []string{"hid", "priv", "pub"})
				var names []identJSON
				cl.do(t, http.MethodGet, "/v1/depot/pkgs/"+o.name+"?distinct=true", nil).want(t, http.StatusOK).decodePage(t, &names)
				if len(names) != 3 {
					t.Errorf("%s: distinct list %v, want 3 names", who, names)
				}
				var vs []map[string]any
				cl.do(t, http.MethodGet, "/v1/depot/pkgs/"+o.name+"/priv/versions", nil).want(t, http.StatusOK).decode(t, &vs)
				if len(vs) != 1 || vs[0]["visibility"] != "private" {
					t.Errorf("%s: versions of priv %v, want one private", who, vs)
				}
				var chans []map[string]any
				cl.do(t, http.MethodGet, pkgURL(priv.id)+"/channels?target=x86_64-linux", nil).want(t, http.StatusOK).decode(t, &chans)
				if len(chans) != 2 {
					t.Errorf("%s: channels of priv %v, want 2", who, chans)
				}
			}
			// A private download is cached for a short time only.
			c.do(t, http.MethodGet, download(priv), nil).want(t, http.StatusOK).wantHeader(t, "Cache-Control", "private, max-age=300")
			c.do(t, http.MethodGet, download(pub), nil).want(t, http.StatusOK).wantHeader(t, "Cache-Control", "public, max-age=31536000")
		})

		t.Run("Others", func(t *testing.T) {
			for who, cl := range others {
				for _, u := range fetches(pub) {
					cl.do(t, http.MethodGet, u, nil).want(t, http.StatusOK)
				}
				for _, h := range []hart{priv, hid} {
					for _, u := range fetches(h) {
						if r := cl.do(t, http.MethodGet, u, nil); r.Status != http.StatusNotFound {
							t.Errorf("%s: %s is %s, want 404", who, h.id.Name, r)
						}
					}
				}
				cl.do(t, http.MethodGet, download(priv), nil).want(t, http.StatusNotFound)
				// Hidden: not listed, but downloadable by its ident.
				cl.do(t, http.MethodGet, download(hid), nil).want(t, http.StatusOK).wantBody(t, hid.data)
				for _, l := range lists {
					got := cl.do(t, http.MethodGet, l, nil).wantPage(t, 0, 0, 1, 1)
					wantSeq(t, who+" "+l, got, []string{pub.id.String()})
				}
				for _, h := range []hart{priv, hid} {
					cl.do(t, http.MethodGet, "/v1/depot/pkgs/"+o.name+"/"+h.id.Name, nil).wantPage(t, 0, 0, 0, 0)
					cl.do(t, http.MethodGet, "/v1/depot/channels/"+o.name+"/stable/pkgs/"+h.id.Name, nil).wantPage(t, 0, 0, 0, 0)
					cl.do(t, http.MethodGet, "/v1/depot/pkgs/search/"+url.PathEscape(h.id.Name), nil).wantPage(t, 0, 0, 0, 0)
					var vs []any
					cl.do(t, http.MethodGet, "/v1/depot/pkgs/"+o.name+"/"+h.id.Name+"/versions", nil).want(t, http.StatusOK).decode(t, &vs)
					if len(vs) != 0 {
						t.Errorf("%s: versions of %s: %v, want none", who, h.id.Name, vs)
					}
					cl.do(t, http.MethodGet, pkgURL(h.id)+"/channels?target=x86_64-linux", nil).want(t, http.StatusOK).wantText(t, "[]")
				}
				// The origin's package list filters on the settings: priv's
				// are public, its release was made private on its own.
				wantSeq(t, who+" origin packages", settingsNames(t, cl, o.name), []string{"priv", "pub"})
				var names []identJSON
				cl.do(t, http.MethodGet, "/v1/depot/pkgs/"+o.name+"?distinct=true", nil).want(t, http.StatusOK).decodePage(t, &names)
				if len(names) != 1 || names[0].Name != "pub" || names[0].Version != nil || names[0].Release != nil {
					t.Errorf("%s: distinct list %v, want pub alone with null version and release", who, names)
				}
				var latest struct {
					Data []identJSON `json:"data"`
				}
				cl.do(t, http.MethodGet, "/v1/depot/channels/"+o.name+"/stable/pkgs/_latest?target=x86_64-linux", nil).
					want(t, http.StatusOK).decode(t, &latest)
				if len(latest.Data) != 1 || latest.Data[0].Name != "pub" {
					t.Errorf("%s: _latest %v, want pub alone", who, latest.Data)
				}
			}
		})

		t.Run("BadTokens", func(t *testing.T) {
			// A token that does not authenticate is a 401 even where
			// anonymous callers are welcome.
			for _, authz := range []string{"Bearer not-a-token", "Bearer", "Token abc", "Bearer a b"} {
				e.withAuth(authz).do(t, http.MethodGet, pkgURL(pub.id), nil).want(t, http.StatusUnauthorized)
				e.withAuth(authz).do(t, http.MethodGet, "/v1/depot/channels/"+o.name, nil).want(t, http.StatusUnauthorized)
			}
		})

		t.Run("Patch", func(t *testing.T) {
			h := o.hartOf(t, o.name+"/flip/1.0/"+release(1))
			c.mustUpload(t, h)
			p := pkgURL(h.id)
			e.anon().do(t, http.MethodGet, p, nil).want(t, http.StatusOK)
			e.anon().do(t, http.MethodPatch, p+"/private", nil).want(t, http.StatusUnauthorized)
			outsider.api.do(t, http.MethodPatch, p+"/private", nil).want(t, http.StatusForbidden)
			reader.api.do(t, http.MethodPatch, p+"/private", nil).want(t, http.StatusForbidden)
			c.do(t, http.MethodPatch, p+"/hidden", nil).wantStatusText(t, http.StatusUnprocessableEntity, "Not allowed to set packages to 'hidden'")
			c.do(t, http.MethodPatch, p+"/secret", nil).want(t, http.StatusUnprocessableEntity)
			c.do(t, http.MethodPatch, pkgURL(mustIdent(t, o.name+"/flip/1.0/"+release(7)))+"/private", nil).want(t, http.StatusNotFound)
			e.anon().do(t, http.MethodGet, p, nil).want(t, http.StatusOK)

			c.do(t, http.MethodPatch, p+"/private", nil).want(t, http.StatusOK)
			e.anon().do(t, http.MethodGet, p, nil).want(t, http.StatusNotFound)
			e.anon().do(t, http.MethodGet, p+"/download?target=x86_64-linux", nil).want(t, http.StatusNotFound)
			if v := reader.api.do(t, http.MethodGet, p, nil).want(t, http.StatusOK).decodePkg(t).Visibility; v != "private" {
				t.Errorf("visibility %q after PATCH private", v)
			}
			c.do(t, http.MethodPatch, p+"/public", nil).want(t, http.StatusOK)
			e.anon().do(t, http.MethodGet, p+"/download?target=x86_64-linux", nil).want(t, http.StatusOK).wantBody(t, h.data)

			// PATCH changes the release, settings the releases to come.
			c.sendJSON(t, http.MethodPut, "/v1/settings/"+o.name+"/flip", map[string]string{"visibility": "private"}).want(t, http.StatusOK)
			next := o.hartOf(t, o.name+"/flip/1.1/"+release(2))
			c.mustUpload(t, next)
			e.anon().do(t, http.MethodGet, p, nil).want(t, http.StatusOK)
			e.anon().do(t, http.MethodGet, pkgURL(next.id), nil).want(t, http.StatusNotFound)
			if v := c.do(t, http.MethodGet, pkgURL(next.id), nil).want(t, http.StatusOK).decodePkg(t).Visibility; v != "private" {
				t.Errorf("visibility of a release uploaded under private settings: %q", v)
			}
		})

		t.Run("PrivateOrigin", func(t *testing.T) {
			po := createOrigin(t, e, owner, newOriginKeys(t, ""), "private")
			h := po.hartOf(t, po.name+"/secret/1.0/"+release(1))
			c.mustUpload(t, h)
			e.anon().do(t, http.MethodGet, pkgURL(h.id), nil).want(t, http.StatusNotFound)
			outsider.api.do(t, http.MethodGet, pkgURL(h.id)+"/download?target=x86_64-linux", nil).want(t, http.StatusNotFound)
			if v := c.do(t, http.MethodGet, pkgURL(h.id), nil).want(t, http.StatusOK).decodePkg(t).Visibility; v != "private" {
				t.Errorf("visibility %q in an origin whose default is private", v)
			}
		})
	})
}

// settingsNames lists the package names of /depot/{origin}/pkgs (package
// settings objects), sorted.
func settingsNames(t testing.TB, cl *client, origin string) []string {
	t.Helper()
	var items []struct {
		Origin     string `json:"origin"`
		Name       string `json:"name"`
		Visibility string `json:"visibility"`
	}
	cl.do(t, http.MethodGet, "/v1/depot/"+origin+"/pkgs", nil).want(t, http.StatusOK).decodePage(t, &items)
	var out []string
	for _, it := range items {
		if it.Origin != origin || it.Visibility == "" {
			t.Errorf("package settings item %+v of origin %s", it, origin)
		}
		out = append(out, it.Name)
	}
	slices.Sort(out)
	return out
}
