package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"wharf/internal/testserver"
)

func TestQuaySearch(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testSearch(t, newEnv(t, b.opt))
		})
	}
}

// makeRepo creates an empty repository by starting an upload into it, as
// a push does; public makes it public.
func makeRepo(t *testing.T, e *env, u *user, repo string, public bool) {
	t.Helper()
	u.bearer(t, scope(repo, "pull,push")).do(t, http.MethodPost, repoPath(repo, "blobs/uploads/"), nil).want(t, http.StatusAccepted)
	if public {
		if out, err := e.srv.Admin("", "repo", "public", repo); err != nil {
			t.Fatalf("making %s public: %v\n%s", repo, err, out)
		}
	}
}

// searchResult is one entry of a search answer.
type searchResult struct {
	Kind        string         `json:"kind"`
	Title       string         `json:"title"`
	Name        string         `json:"name"`
	Namespace   map[string]any `json:"namespace"`
	IsPublic    bool           `json:"is_public"`
	Score       int            `json:"score"`
	Href        string         `json:"href"`
	IsRobot     bool           `json:"is_robot"`
	IsOrgMember *bool          `json:"is_org_member"`
	Avatar      map[string]any `json:"avatar"`
	LastMod     *int64         `json:"last_modified"`
}

type searchPage struct {
	Results       []searchResult `json:"results"`
	HasAdditional bool           `json:"has_additional"`
	Page          int            `json:"page"`
	PageSize      int            `json:"page_size"`
	StartIndex    int            `json:"start_index"`
}

func search(t *testing.T, c *client, target string) searchPage {
	t.Helper()
	var p searchPage
	c.do(t, http.MethodGet, target, nil).want(t, http.StatusOK).decode(t, &p)
	return p
}

// names returns the full names of repository results and the names of
// the others, sorted.
func (p searchPage) names() []string {
	var out []string
	for _, r := range p.Results {
		if r.Kind == "repository" {
			out = append(out, fmt.Sprint(r.Namespace["name"], "/", r.Name))
			continue
		}
		out = append(out, r.Kind+":"+r.Name)
	}
	slices.Sort(out)
	return out
}

func testSearch(t *testing.T, e *env) {
	alice, bob, carol, dave := e.newUser(t, false), e.newUser(t, false), e.newUser(t, false), e.newUser(t, false)
	org := alice.createOrg(t)
	putTeamMember(t, alice, org, "readers", "member", carol)
	putTeamMember(t, alice, org, "admins", "admin", dave)
	tag := testserver.RandomName("q")
	pub, priv, orgRepo := alice.name+"/"+tag+"pub", alice.name+"/"+tag+"priv", org+"/"+tag+"org"
	makeRepo(t, e, alice, pub, true)
	makeRepo(t, e, alice, priv, false)
	makeRepo(t, e, alice, orgRepo, false)
	makeRepo(t, e, bob, bob.name+"/hidden", false)
	pushedImage(t, alice.bearer(t, scope(pub, "pull,push")), pub, "v1")

	app := makeApp(t, alice.basic(), org, "https://client.example/cb")
	q := "/api/v1/find/repositories?query=" + tag
	for _, tc := range []struct {
		name string
		c    *client
		want []string
	}{
		{"anonymous", e.anon(), []string{pub}},
		{"stranger", bob.basic(), []string{pub}},
		{"owner", alice.basic(), []string{orgRepo, priv, pub}},
		{"member team", carol.basic(), []string{pub}},
		{"admin team", dave.basic(), []string{orgRepo, pub}},
		{"OAuth token without repo:read", e.withAuth("Bearer " + oauthToken(t, e, app, alice, "org:admin")), []string{pub}},
		{"OAuth token with repo:read", e.withAuth("Bearer " + oauthToken(t, e, app, alice, "repo:read")), []string{orgRepo, priv, pub}},
		// A scoped token sees its grants and, like anyone, what is public.
		{"token for one repository", e.withAuth("Bearer " + alice.apiToken(t, "repository:"+priv+":pull")), []string{priv, pub}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := search(t, tc.c, q)
			if got := p.names(); !slices.Equal(got, tc.want) {
				t.Errorf("find/repositories: %v, want %v", got, tc.want)
			}
			if p.Page != 1 || p.PageSize != 10 || p.StartIndex != 0 || p.HasAdditional {
				t.Errorf("paging %+v", p)
			}
			all := search(t, tc.c, "/api/v1/find/all?query="+tag)
			if got := all.names(); !slices.Equal(got, tc.want) {
				t.Errorf("find/all: %v, want %v", got, tc.want)
			}
		})
	}
	p := search(t, e.anon(), q)
	if r := p.Results[0]; r.Kind != "repository" || r.Title != "repo" || !r.IsPublic || r.Href != "/repository/"+pub ||
		r.Namespace["kind"] != "user" || r.LastMod == nil || *r.LastMod <= 0 {
		t.Errorf("repository result %+v", r)
	}

	t.Run("Paging", func(t *testing.T) {
		pg := testserver.RandomName("p")
		for i := range 12 {
			makeRepo(t, e, bob, fmt.Sprintf("%s/%s-%02d", bob.name, pg, i), false)
		}
		first := search(t, bob.basic(), "/api/v1/find/repositories?query="+pg)
		second := search(t, bob.basic(), "/api/v1/find/repositories?query="+pg+"&page=2")
		if len(first.Results) != 10 || !first.HasAdditional || len(second.Results) != 2 || second.HasAdditional ||
			second.Page != 2 || second.StartIndex != 10 {
			t.Errorf("pages: %+v / %+v", first, second)
		}
		seen := append(first.names(), second.names()...)
		slices.Sort(seen)
		if len(slices.Compact(seen)) != 12 {
			t.Errorf("pages overlap: %v", seen)
		}
		if p := search(t, bob.basic(), "/api/v1/find/repositories?query="+pg+"&page=0"); p.Page != 1 || len(p.Results) != 10 {
			t.Errorf("page 0: %+v", p)
		}
		if p := search(t, bob.basic(), "/api/v1/find/repositories?query="+pg+"&page=99"); p.Page != 10 || len(p.Results) != 0 || p.HasAdditional {
			t.Errorf("page 99: %+v", p)
		}
		if p := search(t, alice.basic(), "/api/v1/find/repositories?query="+pg); len(p.Results) != 0 {
			t.Errorf("another user's private repositories found: %v", p.names())
		}
		bob.basic().do(t, http.MethodGet, "/api/v1/find/repositories?query=x&page=two", nil).
			wantProblem(t, http.StatusBadRequest, "invalid_request", "")
	})

	t.Run("Empty", func(t *testing.T) {
		for _, target := range []string{"/api/v1/find/all", "/api/v1/find/all?query=", "/api/v1/find/repositories?query=%20"} {
			if p := search(t, alice.basic(), target); len(p.Results) != 0 {
				t.Errorf("%s: %v", target, p.names())
			}
		}
	})

	t.Run("Namespaces", func(t *testing.T) {
		// A namespace is found only by those it shows a repository.
		if got := search(t, e.anon(), "/api/v1/find/all?query="+alice.name).names(); !slices.Contains(got, "user:"+alice.name) {
			t.Errorf("alice, who has a public repository, not found: %v", got)
		}
		if got := search(t, e.anon(), "/api/v1/find/all?query="+bob.name).names(); len(got) != 0 {
			t.Errorf("anonymous search for bob's private namespace: %v", got)
		}
		if got := search(t, bob.basic(), "/api/v1/find/all?query="+bob.name).names(); !slices.Contains(got, "user:"+bob.name) {
			t.Errorf("bob does not find himself: %v", got)
		}
		if got := search(t, bob.basic(), "/api/v1/find/all?query="+org).names(); len(got) != 0 {
			t.Errorf("stranger finds the organisation with only private repositories: %v", got)
		}
		if got := search(t, dave.basic(), "/api/v1/find/all?query="+org).names(); !slices.Contains(got, "organization:"+org) {
			t.Errorf("organisation admin does not find it: %v", got)
		}
	})

	t.Run("Teams", func(t *testing.T) {
		if got := search(t, carol.basic(), "/api/v1/find/all?query=read").names(); !slices.Equal(got, []string{"team:readers"}) {
			t.Errorf("team member: %v", got)
		}
		if got := search(t, dave.basic(), "/api/v1/find/all?query=read").names(); !slices.Equal(got, []string{"team:readers"}) {
			t.Errorf("organisation admin: %v", got)
		}
		for _, c := range []*client{e.anon(), bob.basic()} {
			if got := search(t, c, "/api/v1/find/all?query=read").names(); len(got) != 0 {
				t.Errorf("outsider finds teams: %v", got)
			}
		}
	})

	t.Run("Robots", func(t *testing.T) {
		rname, _ := makeOrgRobot(t, alice, org, "searchbot")
		// Robots are found by those who administer their namespace.
		got := search(t, dave.basic(), "/api/v1/find/all?query=searchb").Results
		if len(got) != 1 || got[0].Kind != "robot" || got[0].Name != rname || got[0].Avatar != nil {
			t.Errorf("organisation admin: %+v", got)
		}
		for _, c := range []*client{e.anon(), bob.basic(), carol.basic()} {
			if got := search(t, c, "/api/v1/find/all?query=searchb").names(); len(got) != 0 {
				t.Errorf("robot found by a non-admin: %v", got)
			}
		}
		// The entity picker shows them to the organisation's members.
		q := "/api/v1/entities/searchb?namespace=" + org
		if got := search(t, carol.basic(), q).Results; len(got) != 1 || got[0].Name != rname || !got[0].IsRobot {
			t.Errorf("member's entities: %+v", got)
		}
		if got := search(t, bob.basic(), q).names(); len(got) != 0 {
			t.Errorf("outsider's entities: %v", got)
		}
	})
	t.Run("Entities", func(t *testing.T) { testEntities(t, e, org, alice, bob, carol) })
}

func testEntities(t *testing.T, e *env, org string, alice, bob, carol *user) {
	ent := func(c *client, prefix string, q url.Values) searchPage {
		t.Helper()
		return search(t, c, "/api/v1/entities/"+url.PathEscape(prefix)+"?"+q.Encode())
	}
	e.anon().do(t, http.MethodGet, "/api/v1/entities/"+alice.name, nil).wantProblem(t, http.StatusUnauthorized, "invalid_token", "")

	p := ent(bob.basic(), alice.name, nil)
	if len(p.Results) != 1 || p.Results[0].Kind != "user" || p.Results[0].Name != alice.name || p.Results[0].IsRobot ||
		p.Results[0].IsOrgMember != nil || p.Results[0].Avatar == nil {
		t.Errorf("user entity: %+v", p.Results)
	}
	withOrg := url.Values{"namespace": {org}, "includeTeams": {"true"}, "includeOrgs": {"true"}}
	if got := ent(carol.basic(), "read", withOrg).names(); !slices.Equal(got, []string{"team:readers"}) {
		t.Errorf("member's team entities: %v", got)
	}
	if got := ent(bob.basic(), "read", withOrg).names(); len(got) != 0 {
		t.Errorf("outsider sees the organisation's teams: %v", got)
	}
	if got := ent(alice.basic(), org, withOrg).names(); !slices.Contains(got, "org:"+org) {
		t.Errorf("admin does not see the organisation: %v", got)
	}
	if got := ent(carol.basic(), org, withOrg).names(); slices.Contains(got, "org:"+org) {
		t.Errorf("member sees the organisation: %v", got)
	}
	for who, want := range map[*user]bool{carol: true, bob: false} {
		p := ent(alice.basic(), who.name, url.Values{"namespace": {org}})
		if len(p.Results) != 1 || p.Results[0].IsOrgMember == nil || *p.Results[0].IsOrgMember != want {
			t.Errorf("%s in %s: %+v, want is_org_member %v", who.name, org, p.Results, want)
		}
	}
	// Spaces are dropped and case does not matter.
	if got := ent(bob.basic(), " "+alice.name[:3]+" "+alice.name[3:], nil).names(); !slices.Contains(got, "user:"+alice.name) {
		t.Errorf("prefix with spaces: %v", got)
	}
}
