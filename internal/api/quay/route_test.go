package quay

import (
	"maps"
	"net/http"
	"slices"
	"testing"
)

func TestMatch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pattern, path string
		want          map[string]string // nil: no match
	}{
		{"user/", "user/", map[string]string{}},
		{"user/", "user", nil},
		{"users/{username}", "users/alice", map[string]string{"username": "alice"}},
		{"users/{username}", "users/", nil},
		{"repository/{repository...}", "repository/ns/app", map[string]string{"repository": "ns/app"}},
		{"repository/{repository...}", "repository/ns/a/b/c", map[string]string{"repository": "ns/a/b/c"}},
		{"repository/{repository...}", "repository/ns", nil},
		{"repository/{repository...}", "repository/ns//app", nil},
		{"repository/{repository...}/permissions/user/{username}", "repository/ns/a/b/permissions/user/bob",
			map[string]string{"repository": "ns/a/b", "username": "bob"}},
		{"repository/{repository...}/permissions/user/", "repository/ns/app/permissions/user/",
			map[string]string{"repository": "ns/app"}},
		{"repository/{repository...}/changevisibility", "repository/ns/changevisibility", nil},
		{"organization/{orgname}/team/{teamname}/members/{membername}", "organization/o/team/t/members/m",
			map[string]string{"orgname": "o", "teamname": "t", "membername": "m"}},
	} {
		segs, _ := splitPath("/"+tc.path, "/")
		got, ok := match(tc.pattern, segs)
		if tc.want == nil {
			if ok {
				t.Errorf("match(%q, %q) = %v, want no match", tc.pattern, tc.path, got)
			}
			continue
		}
		if !ok || !maps.Equal(got, tc.want) {
			t.Errorf("match(%q, %q) = %v, %v; want %v", tc.pattern, tc.path, got, ok, tc.want)
		}
	}
}

func TestPick(t *testing.T) {
	t.Parallel()
	none := func(http.ResponseWriter, *http.Request, *call) error { return nil }
	// The catch-all comes first on purpose: order must not matter.
	routes := []route{
		{http.MethodGet, "repository/{repository...}", none},
		{http.MethodDelete, "repository/{repository...}", none},
		{http.MethodGet, "repository/{repository...}/tag/", none},
		{http.MethodPut, "repository/{repository...}/tag/{tag}", none},
		{http.MethodDelete, "repository/{repository...}/tag/{tag}", none},
	}
	for _, tc := range []struct {
		method, path string
		want         string // pattern picked, "" for none
		repo         string
		allowed      []string
	}{
		{http.MethodGet, "repository/ns/app", "repository/{repository...}", "ns/app", []string{"GET", "DELETE"}},
		{http.MethodHead, "repository/ns/a/b", "repository/{repository...}", "ns/a/b", []string{"GET", "DELETE"}},
		{http.MethodDelete, "repository/ns/app/tag/v1", "repository/{repository...}/tag/{tag}", "ns/app", []string{"PUT", "DELETE"}},
		{http.MethodGet, "repository/ns/app/tag/v1", "", "", []string{"PUT", "DELETE"}},
		{http.MethodGet, "repository/ns/a/b/tag/", "repository/{repository...}/tag/", "ns/a/b", []string{"GET"}},
		{http.MethodGet, "repository/ns/tag/v1", "repository/{repository...}", "ns/tag/v1", []string{"GET", "DELETE"}},
		{http.MethodGet, "user/", "", "", nil},
	} {
		segs, _ := splitPath("/"+tc.path, "/")
		got, vars, allowed := pick(routes, segs, tc.method)
		switch {
		case tc.want == "" && got != nil:
			t.Errorf("%s %s picked %q, want none", tc.method, tc.path, got.pattern)
		case tc.want != "" && (got == nil || got.pattern != tc.want || vars["repository"] != tc.repo):
			t.Errorf("%s %s picked %v %v, want %q with repository %q", tc.method, tc.path, got, vars, tc.want, tc.repo)
		}
		if !slices.Equal(allowed, tc.allowed) {
			t.Errorf("%s %s allows %v, want %v", tc.method, tc.path, allowed, tc.allowed)
		}
	}
}
