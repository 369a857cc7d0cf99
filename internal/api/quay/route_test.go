package quay

import (
	"maps"
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
