package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"wharf/internal/format/hab"
)

// TestHabPaging checks Builder's pagination envelope at its edges: lists
// of 0, 49, 50, 51 and 137 releases of a package, offsets, the 206 while
// more remain, and the loop `hab pkg search` runs until it has every
// item.
func TestHabPaging(t *testing.T) {
	// The packages are built once and uploaded to both servers: an
	// origin of the same name and key exists on each.
	keys := newOriginKeys(t, "")
	counts := map[string]int{"p49": 49, "p50": 50, "p51": 51, "p137": 137}
	var metas []hab.Metadata
	for name, n := range counts {
		for i := range n {
			metas = append(metas, pkgMeta(t, fmt.Sprintf("%s/%s/1.0/%s", keys.name, name, release(i))))
		}
	}
	// 55 more names of one release each, for a distinct search of more
	// than a page.
	for i := range 55 {
		metas = append(metas, pkgMeta(t, fmt.Sprintf("%s/q%02d/2.0/%s", keys.name, i, release(0))))
	}
	harts := buildHarts(t, keys.sec, metas)
	total := len(harts) // 342 releases of 59 names

	eachHabBackend(t, func(t *testing.T, e *env) {
		owner := newDepotUser(t, e)
		createOrigin(t, e, owner, keys, "")
		c := owner.api
		c.uploadAll(t, harts)
		anon := e.anon()
		list := func(name string) string { return "/v1/depot/pkgs/" + keys.name + "/" + name }

		// want are the idents of a package, as lists sort them: by ident
		// string, descending.
		want := func(name string) []string {
			var out []string
			for _, h := range harts {
				if h.id.Name == name {
					out = append(out, h.id.String())
				}
			}
			slices.Sort(out)
			slices.Reverse(out)
			return out
		}

		t.Run("Empty", func(t *testing.T) {
			for _, u := range []string{
				list("p0"),
				"/v1/depot/pkgs/nosuchorigin",
				list("p49") + "/9.9",
				"/v1/depot/channels/" + keys.name + "/stable/pkgs",
				"/v1/depot/channels/" + keys.name + "/stable/pkgs/p49",
				"/v1/depot/pkgs/search/nosuchthing",
			} {
				r := anon.do(t, http.MethodGet, u, nil).want(t, http.StatusOK)
				// The empty page's exact shape: 0/0/0/[].
				var m map[string]any
				r.decode(t, &m)
				if d, ok := m["data"].([]any); !ok || len(d) != 0 || m["range_start"] != 0.0 || m["range_end"] != 0.0 || m["total_count"] != 0.0 || len(m) != 4 {
					t.Errorf("GET %s: %s, want {range_start:0, range_end:0, total_count:0, data:[]}", u, r.Body)
				}
			}
		})

		t.Run("Edges", func(t *testing.T) {
			wantSeq(t, "p49", anon.do(t, http.MethodGet, list("p49"), nil).wantPage(t, 0, 48, 49, 49), want("p49"))
			wantSeq(t, "p50", anon.do(t, http.MethodGet, list("p50"), nil).wantPage(t, 0, 49, 50, 50), want("p50"))
			p51 := anon.do(t, http.MethodGet, list("p51"), nil).wantPage(t, 0, 49, 51, 50)
			p51 = append(p51, anon.do(t, http.MethodGet, list("p51")+"?range=50", nil).wantPage(t, 50, 50, 51, 1)...)
			wantSeq(t, "p51", p51, want("p51"))
			// The version route pages the same way.
			anon.do(t, http.MethodGet, list("p51")+"/1.0?range=50", nil).wantPage(t, 50, 50, 51, 1)
		})

		t.Run("Offsets", func(t *testing.T) {
			all := want("p137")
			var got []string
			got = append(got, anon.do(t, http.MethodGet, list("p137"), nil).wantPage(t, 0, 49, 137, 50)...)
			got = append(got, anon.do(t, http.MethodGet, list("p137")+"?range=50", nil).wantPage(t, 50, 99, 137, 50)...)
			got = append(got, anon.do(t, http.MethodGet, list("p137")+"?range=100", nil).wantPage(t, 100, 136, 137, 37)...)
			wantSeq(t, "p137 pages", got, all)
			// Package lists take the range as an exact offset.
			wantSeq(t, "p137 from 7", anon.do(t, http.MethodGet, list("p137")+"?range=7", nil).wantPage(t, 7, 56, 137, 50), all[7:57])
			wantSeq(t, "p137 from 130", anon.do(t, http.MethodGet, list("p137")+"?range=130", nil).wantPage(t, 130, 136, 137, 7), all[130:])
			// Past the end: no items, and nothing more to ask for.
			r := anon.do(t, http.MethodGet, list("p137")+"?range=137", nil).want(t, http.StatusOK)
			var items []identJSON
			if p := r.decodePage(t, &items); len(items) != 0 || p.TotalCount != 137 {
				t.Errorf("past the end: %s", r.Body)
			}
			// A negative range asks for everything.
			r = anon.do(t, http.MethodGet, list("p137")+"?range=-1", nil).want(t, http.StatusOK)
			if p := r.decodePage(t, &items); len(items) != 137 || p.TotalCount != 137 {
				t.Errorf("range=-1: %d items of %d, want all 137", len(items), p.TotalCount)
			}
			// The loop hab runs, on package and channel lists.
			wantSeq(t, "p137 loop", anon.listIdents(t, list("p137")), all)
			chanAll := slices.Clone(all)
			slices.Reverse(chanAll) // channel lists sort ascending
			wantSeq(t, "unstable p137 loop", anon.listIdents(t, "/v1/depot/channels/"+keys.name+"/unstable/pkgs/p137"), chanAll)
			anon.do(t, http.MethodGet, "/v1/depot/channels/"+keys.name+"/unstable/pkgs/p137?range=50", nil).wantPage(t, 50, 99, 137, 50)
			// The whole origin.
			if got := anon.listIdents(t, "/v1/depot/pkgs/"+keys.name); len(got) != total {
				t.Errorf("origin list loop: %d items, want %d", len(got), total)
			}
			if r := anon.do(t, http.MethodGet, "/v1/depot/pkgs/"+keys.name, nil).wantPage(t, 0, 49, total, 50); len(r) != 50 {
				t.Errorf("origin list first page: %d items", len(r))
			}
		})

		t.Run("OriginPackages", func(t *testing.T) {
			// One package settings object per name: 59 of them.
			anon.do(t, http.MethodGet, "/v1/depot/"+keys.name+"/pkgs", nil).want(t, http.StatusPartialContent).decodePage(t, nil)
			var items []map[string]any
			for _, rc := range []struct{ rng, start, end, n, status int }{{0, 0, 49, 50, 206}, {50, 50, 58, 9, 200}} {
				r := anon.do(t, http.MethodGet, fmt.Sprintf("/v1/depot/%s/pkgs?range=%d", keys.name, rc.rng), nil).want(t, rc.status)
				var page []map[string]any
				p := r.decodePage(t, &page)
				if p.RangeStart != rc.start || p.RangeEnd != rc.end || p.TotalCount != 59 || len(page) != rc.n {
					t.Errorf("%s: %d..%d of %d with %d items", r.target, p.RangeStart, p.RangeEnd, p.TotalCount, len(page))
				}
				items = append(items, page...)
			}
			seen := map[any]bool{}
			for _, it := range items {
				seen[it["name"]] = true
			}
			if len(seen) != 59 {
				t.Errorf("the origin's package list names %d packages, want 59", len(seen))
			}
		})

		t.Run("Versions", func(t *testing.T) {
			var vs []map[string]any
			anon.do(t, http.MethodGet, list("p137")+"/versions", nil).want(t, http.StatusOK).decode(t, &vs)
			if len(vs) != 1 || vs[0]["version"] != "1.0" || vs[0]["release_count"] != "137" || vs[0]["latest"] != release(136) {
				t.Errorf("versions of p137: %v, want 1.0 with release_count \"137\" and latest %s", vs, release(136))
			}
		})

		t.Run("Search", func(t *testing.T) {
			// hab pkg search: distinct names, range = items received so far.
			names := anon.listIdents(t, "/v1/depot/pkgs/search/"+keys.name+"?distinct=true")
			var wantNames []string
			for _, h := range harts {
				if n := keys.name + "/" + h.id.Name; !slices.Contains(wantNames, n) {
					wantNames = append(wantNames, n)
				}
			}
			slices.Sort(wantNames)
			wantSeq(t, "distinct search", names, wantNames)
			r := anon.do(t, http.MethodGet, "/v1/depot/pkgs/search/"+keys.name+"?distinct=true&range=50", nil).wantPage(t, 50, 58, 59, 9)
			for _, n := range r {
				if strings.Count(n, "/") != 1 {
					t.Errorf("a distinct search item has a version: %s", n)
				}
			}
			// Without distinct: every release, by ident ascending.
			all := want("p137")
			slices.Reverse(all)
			wantSeq(t, "search p137", anon.listIdents(t, "/v1/depot/pkgs/search/p137"), all)
			anon.do(t, http.MethodGet, "/v1/depot/pkgs/search/p137?range=100", nil).wantPage(t, 100, 136, 137, 37)
			// origin/name terms.
			wantSeq(t, "search origin/p137", anon.listIdents(t, "/v1/depot/pkgs/search/"+keys.name+"%2Fp137"), all)
		})
	})
}
