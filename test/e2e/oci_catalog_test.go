package e2e

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type catalogPage struct {
	Repositories []string `json:"repositories"`
}

func getCatalog(t testing.TB, c *client, target string) (catalogPage, *response) {
	t.Helper()
	r := c.do(t, http.MethodGet, target, nil).want(t, http.StatusOK)
	r.wantHeader(t, "Content-Type", "application/json")
	var p catalogPage
	r.decode(t, &p)
	if p.Repositories == nil {
		t.Errorf("GET %s: repositories is null or missing:\n%s", target, r)
	}
	return p, r
}

// walkCatalog follows Link rel="next" from start and returns every
// repository listed and the number of pages.
func walkCatalog(t testing.TB, c *client, start string, n int) ([]string, int) {
	t.Helper()
	var all []string
	pages := 0
	for next := start; next != ""; pages++ {
		if pages > 50 {
			t.Fatalf("more than 50 catalog pages; collected %q", all)
		}
		p, r := getCatalog(t, c, next)
		if len(p.Repositories) > n {
			t.Errorf("catalog page has %d repositories, asked for %d", len(p.Repositories), n)
		}
		all = append(all, p.Repositories...)
		next = nextLink(t, r)
	}
	return all, pages
}

func testCatalog(t *testing.T, e *env) {
	owner, other := e.newUser(t, false), e.newUser(t, false)
	var mine []string
	for _, n := range []string{"cat-e", "cat-a", "cat-c/nested", "cat-d", "cat-b"} {
		repo := owner.name + "/" + n
		pushBlob(t, owner.basic(), repo, mtOCILayer, randBytes(t, 10))
		mine = append(mine, repo)
	}
	slices.Sort(mine)
	theirs := other.name + "/cat-private"
	pushBlob(t, other.basic(), theirs, mtOCILayer, randBytes(t, 10))

	t.Run("OwnReposOnly", func(t *testing.T) {
		t.Parallel()
		for name, c := range map[string]*client{
			"basic":  owner.basic(),
			"bearer": owner.bearer(t, "registry:catalog:*"),
		} {
			p, r := getCatalog(t, c, "/v2/_catalog")
			if diff := cmp.Diff(mine, p.Repositories); diff != "" {
				t.Errorf("%s: catalog (-want +got):\n%s", name, diff)
			}
			r.wantHeader(t, "Link", "")
		}
		p, _ := getCatalog(t, other.basic(), "/v2/_catalog")
		if diff := cmp.Diff([]string{theirs}, p.Repositories); diff != "" {
			t.Errorf("other user's catalog (-want +got):\n%s", diff)
		}
	})

	t.Run("Pagination", func(t *testing.T) {
		t.Parallel()
		c := owner.basic()
		all, pages := walkCatalog(t, c, "/v2/_catalog?n=2", 2)
		if diff := cmp.Diff(mine, all); diff != "" {
			t.Errorf("catalog through Link (-want +got):\n%s", diff)
		}
		if pages != 3 {
			t.Errorf("%d pages for 5 repositories by 2, want 3", pages)
		}

		p, r := getCatalog(t, c, "/v2/_catalog?n=0")
		if len(p.Repositories) != 0 {
			t.Errorf("n=0: %q", p.Repositories)
		}
		r.wantHeader(t, "Link", "")

		p, _ = getCatalog(t, c, "/v2/_catalog?n=2&last="+mine[1])
		if diff := cmp.Diff(mine[2:4], p.Repositories); diff != "" {
			t.Errorf("n=2&last=%s (-want +got):\n%s", mine[1], diff)
		}
	})

	t.Run("Organisation", func(t *testing.T) {
		t.Parallel()
		// A team's read permission puts an organisation's private
		// repository in its members' catalogs and no one else's.
		admin, reader, outsider := e.newUser(t, false), e.newUser(t, false), e.newUser(t, false)
		org := admin.createOrg(t)
		repo := org + "/cat-team"
		pushBlob(t, admin.basic(), repo, mtOCILayer, randBytes(t, 10))
		ac := admin.basic()
		ac.putTeam(t, org, "readers", "member")
		ac.join(t, org, "readers", reader)
		ac.quayDo(t, http.MethodPut, "repository/"+repo+"/permissions/team/readers", map[string]any{"role": "read"}).
			want(t, http.StatusOK)
		for who, c := range map[string]*client{"admin": admin.basic(), "reader": reader.basic()} {
			if p, _ := getCatalog(t, c, "/v2/_catalog"); !slices.Contains(p.Repositories, repo) {
				t.Errorf("%s's catalog %q lacks %s", who, p.Repositories, repo)
			}
		}
		if p, _ := getCatalog(t, outsider.basic(), "/v2/_catalog"); slices.Contains(p.Repositories, repo) {
			t.Errorf("an outsider's catalog lists %s", repo)
		}
	})

	t.Run("Anonymous", func(t *testing.T) {
		t.Parallel()
		r := e.anon().do(t, http.MethodGet, "/v2/_catalog", nil)
		switch r.Status {
		case http.StatusUnauthorized:
			r.wantError(t, http.StatusUnauthorized, "UNAUTHORIZED")
		case http.StatusOK:
			var p catalogPage
			r.decode(t, &p)
			for _, repo := range append(slices.Clone(mine), theirs) {
				if slices.Contains(p.Repositories, repo) {
					t.Errorf("anonymous catalog lists private %s", repo)
				}
			}
		default:
			t.Fatalf("anonymous catalog:\n%s", r)
		}
	})
}
