package auth

import (
	"strings"
	"testing"
)

func TestPrincipalAccountRights(t *testing.T) {
	person := Principal{UserID: 1, Name: "alice"}
	with := func(f func(p *Principal)) Principal { p := person; f(&p); return p }
	caps := func(scopes ...string) Principal {
		_, c, err := ParseOAuthScopes(strings.Join(scopes, " "))
		if err != nil {
			t.Fatal(err)
		}
		return with(func(p *Principal) { p.Caps = &c })
	}
	global, err := ParseScope("*")
	if err != nil {
		t.Fatal(err)
	}
	repoOnly, err := ParseScope("repository:alice/app:pull")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name                 string
		p                    Principal
		admin, read, allRepo bool
	}{
		{"anonymous", Principal{}, false, false, true},
		{"person", person, true, true, true},
		{"robot", with(func(p *Principal) { p.Robot = true }), false, false, true},
		{"global scoped token", with(func(p *Principal) { p.Restricted, p.Grants = true, []Grant{global} }), true, true, true},
		{"repository token", with(func(p *Principal) { p.Restricted, p.Grants = true, []Grant{repoOnly} }), false, true, true},
		{"user:read", caps("user:read"), false, true, false},
		{"user:admin", caps("user:admin"), true, true, false},
		{"user:admin repo:write repo:create", caps("user:admin", "repo:write", "repo:create"), true, true, false},
		{"user:admin repo:admin repo:create", caps("user:admin", "repo:admin", "repo:create"), true, true, true},
		{"repo:admin", caps("repo:admin"), false, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.AdministersAccount(); got != tt.admin {
				t.Errorf("AdministersAccount = %v, want %v", got, tt.admin)
			}
			if got := tt.p.ReadsAccount(); got != tt.read {
				t.Errorf("ReadsAccount = %v, want %v", got, tt.read)
			}
			if got := tt.p.HoldsAllRepoRights(); got != tt.allRepo {
				t.Errorf("HoldsAllRepoRights = %v, want %v", got, tt.allRepo)
			}
		})
	}
}
