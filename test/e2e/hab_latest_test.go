package e2e

import (
	"fmt"
	"net/http"
	"testing"

	"wharf/internal/format/hab"
)

// TestHabLatest checks which release is "latest" by Builder's ordering
// (§4.3): numeric parts compared as numbers, no suffix before a suffix,
// suffixes as strings, then the newest release; versions without digits
// never; per target and per channel.
func TestHabLatest(t *testing.T) {
	eachHabBackend(t, func(t *testing.T, e *env) {
		owner := newDepotUser(t, e)
		o := newOrigin(t, e, owner)
		c := owner.api
		anon := e.anon()

		latestOf := func(t *testing.T, path string) hab.Ident {
			t.Helper()
			return anon.do(t, http.MethodGet, path, nil).want(t, http.StatusOK).decodePkg(t).Ident.ident()
		}
		versions := func(t *testing.T, name string) []string {
			t.Helper()
			var vs []struct {
				Version string `json:"version"`
			}
			anon.do(t, http.MethodGet, "/v1/depot/pkgs/"+o.name+"/"+name+"/versions", nil).want(t, http.StatusOK).decode(t, &vs)
			out := []string{}
			for _, v := range vs {
				out = append(out, v.Version)
			}
			return out
		}

		// Each table uploads its versions in the order given, each with a
		// newer release than the one before, so that neither upload order
		// nor release decides unless the versions tie.
		tables := []struct {
			name     string
			versions []string
			latest   int      // index of the latest upload
			order    []string // /versions, newest first
		}{
			{"numeric", []string{"0.1.4", "0.1.13", "0.1.3"}, 1, []string{"0.1.13", "0.1.4", "0.1.3"}},
			{"prerelease", []string{"1.0.0", "1.0.0-rc1"}, 0, []string{"1.0.0", "1.0.0-rc1"}},
			{"samever", []string{"2.0", "2.0", "2.0"}, 2, []string{"2.0"}},
			{"suffix", []string{"v1.2.3-master", "v1.2.3-aaster"}, 0, []string{"v1.2.3-master", "v1.2.3-aaster"}},
			{"longer", []string{"1.2.0", "1.2"}, 0, []string{"1.2.0", "1.2"}},
			{"nodigits", []string{"1.0", "master", "latest"}, 0, []string{"1.0"}},
			{"tens", []string{"9.9.9", "10.0.0", "9.10.0"}, 1, []string{"10.0.0", "9.10.0", "9.9.9"}},
		}
		for _, tc := range tables {
			t.Run(tc.name, func(t *testing.T) {
				var hs []hart
				for i, v := range tc.versions {
					h := o.hartOf(t, fmt.Sprintf("%s/%s/%s/%s", o.name, tc.name, v, release(i)))
					c.mustUpload(t, h)
					hs = append(hs, h)
				}
				want := hs[tc.latest].id
				for _, path := range []string{
					"/v1/depot/pkgs/" + o.name + "/" + tc.name + "/latest?target=x86_64-linux",
					"/v1/depot/channels/" + o.name + "/unstable/pkgs/" + tc.name + "/latest?target=x86_64-linux",
				} {
					if got := latestOf(t, path); got != want {
						t.Errorf("%s: latest %s, want %s", path, got, want)
					}
				}
				wantSeq(t, tc.name+" versions", versions(t, tc.name), tc.order)
			})
		}

		t.Run("SameVersionRelease", func(t *testing.T) {
			// Same version: the newest release, whatever the upload order.
			for _, i := range []int{5, 9, 7} {
				c.mustUpload(t, o.hartOf(t, fmt.Sprintf("%s/rel/3.1/%s", o.name, release(i))))
			}
			if got := latestOf(t, "/v1/depot/pkgs/"+o.name+"/rel/latest?target=x86_64-linux"); got.Release != release(9) {
				t.Errorf("latest release %s, want %s", got.Release, release(9))
			}
			if got := latestOf(t, "/v1/depot/pkgs/"+o.name+"/rel/3.1/latest?target=x86_64-linux"); got.Release != release(9) {
				t.Errorf("latest release of 3.1 %s, want %s", got.Release, release(9))
			}
			var vs []map[string]any
			anon.do(t, http.MethodGet, "/v1/depot/pkgs/"+o.name+"/rel/versions", nil).want(t, http.StatusOK).decode(t, &vs)
			if len(vs) != 1 || vs[0]["release_count"] != "3" || vs[0]["latest"] != release(9) || vs[0]["origin"] != o.name || vs[0]["name"] != "rel" {
				t.Errorf("versions of rel: %v, want 3.1 with 3 releases, latest %s", vs, release(9))
			}
		})

		t.Run("DigitlessOnly", func(t *testing.T) {
			c.mustUpload(t, o.hartOf(t, o.name+"/nover/master/"+release(1)))
			anon.do(t, http.MethodGet, "/v1/depot/pkgs/"+o.name+"/nover/latest?target=x86_64-linux", nil).want(t, http.StatusNotFound)
			anon.do(t, http.MethodGet, "/v1/depot/channels/"+o.name+"/unstable/pkgs/nover/latest?target=x86_64-linux", nil).want(t, http.StatusNotFound)
			wantSeq(t, "nover versions", versions(t, "nover"), []string{})
			// It is there all the same.
			anon.do(t, http.MethodGet, "/v1/depot/pkgs/"+o.name+"/nover/master/"+release(1), nil).want(t, http.StatusOK)
		})

		t.Run("PerTarget", func(t *testing.T) {
			for _, p := range []struct{ version, target string }{
				{"1.0", "x86_64-linux"}, {"2.0", "aarch64-linux"}, {"1.5", "x86_64-linux"}, {"3.0", "aarch64-linux"},
			} {
				m := pkgMeta(t, o.name+"/multi/"+p.version+"/"+release(1))
				m.Target = p.target
				c.mustUpload(t, buildHart(t, o.sec, m))
			}
			for target, want := range map[string]string{"x86_64-linux": "1.5", "aarch64-linux": "3.0"} {
				for _, path := range []string{
					"/v1/depot/pkgs/" + o.name + "/multi/latest?target=" + target,
					"/v1/depot/channels/" + o.name + "/unstable/pkgs/multi/latest?target=" + target,
				} {
					p := anon.do(t, http.MethodGet, path, nil).want(t, http.StatusOK).decodePkg(t)
					if p.Ident.ident().Version != want || p.Target != target {
						t.Errorf("%s: %s for %s, want %s", path, p.Ident, p.Target, want)
					}
				}
			}
			anon.do(t, http.MethodGet, "/v1/depot/pkgs/"+o.name+"/multi/latest?target=x86_64-windows", nil).want(t, http.StatusNotFound)
			// A release built for two targets is listed once with both.
			m := pkgMeta(t, o.name+"/multi/4.0/"+release(2))
			c.mustUpload(t, buildHart(t, o.sec, m))
			m.Target = "x86_64-windows"
			c.mustUpload(t, buildHart(t, o.sec, m))
			r := anon.do(t, http.MethodGet, "/v1/depot/pkgs/"+o.name+"/multi/4.0", nil).want(t, http.StatusOK)
			var items []listItem
			r.decodePage(t, &items)
			if len(items) != 1 || len(items[0].Platforms) != 2 || items[0].Platforms[0] != "x86_64-linux" || items[0].Platforms[1] != "x86_64-windows" {
				t.Errorf("multi/4.0 list %s, want one item on x86_64-linux and x86_64-windows", r.Body)
			}
			var vs []map[string]any
			anon.do(t, http.MethodGet, "/v1/depot/pkgs/"+o.name+"/multi/versions", nil).want(t, http.StatusOK).decode(t, &vs)
			if len(vs) != 5 || vs[0]["version"] != "4.0" || fmt.Sprint(vs[0]["platforms"]) != "[x86_64-linux x86_64-windows]" {
				t.Errorf("versions of multi: %v", vs)
			}
		})

		t.Run("PerChannel", func(t *testing.T) {
			old := o.hartOf(t, o.name+"/chan/1.0/"+release(1))
			cur := o.hartOf(t, o.name+"/chan/2.0/"+release(2))
			c.mustUpload(t, old)
			c.mustUpload(t, cur)
			c.promote(t, old, "stable")
			for path, want := range map[string]hab.Ident{
				"/v1/depot/channels/" + o.name + "/stable/pkgs/chan/latest?target=x86_64-linux":   old.id,
				"/v1/depot/channels/" + o.name + "/unstable/pkgs/chan/latest?target=x86_64-linux": cur.id,
				"/v1/depot/pkgs/" + o.name + "/chan/latest?target=x86_64-linux":                   cur.id,
			} {
				if got := latestOf(t, path); got != want {
					t.Errorf("%s: %s, want %s", path, got, want)
				}
			}
			anon.do(t, http.MethodGet, "/v1/depot/channels/"+o.name+"/stable/pkgs/chan/2.0/latest?target=x86_64-linux", nil).want(t, http.StatusNotFound)
			anon.do(t, http.MethodGet, "/v1/depot/channels/"+o.name+"/nosuch/pkgs/chan/latest?target=x86_64-linux", nil).want(t, http.StatusNotFound)
			c.promote(t, cur, "stable")
			if got := latestOf(t, "/v1/depot/channels/"+o.name+"/stable/pkgs/chan/latest?target=x86_64-linux"); got != cur.id {
				t.Errorf("after promoting 2.0, stable latest is %s", got)
			}
			// _latest: the newest of each name in the channel, by name.
			var l struct {
				Channel string      `json:"channel"`
				Target  string      `json:"target"`
				Data    []identJSON `json:"data"`
			}
			anon.do(t, http.MethodGet, "/v1/depot/channels/"+o.name+"/stable/pkgs/_latest?target=x86_64-linux", nil).want(t, http.StatusOK).decode(t, &l)
			if l.Channel != "stable" || l.Target != "x86_64-linux" || len(l.Data) != 1 || l.Data[0].ident() != cur.id {
				t.Errorf("stable _latest %+v, want [%s]", l, cur.id)
			}
			anon.do(t, http.MethodGet, "/v1/depot/channels/"+o.name+"/stable/pkgs/_latest", nil).want(t, http.StatusBadRequest)
		})
	})
}
