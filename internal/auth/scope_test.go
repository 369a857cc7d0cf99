package auth

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/errs"
)

func TestParseScope(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Grant
	}{
		{"pull", Grant{Actions: []Action{Pull}}},
		{"push", Grant{Actions: []Action{Push}}},
		{"delete", Grant{Actions: []Action{Delete}}},
		{"*", Grant{Actions: []Action{Admin}}},
		{"read", Grant{Actions: []Action{Pull}}},
		{"read:package", Grant{Actions: []Action{Pull}}},
		{"write", Grant{Actions: []Action{Push, Delete}}},
		{"write:package", Grant{Actions: []Action{Push, Delete}}},
		{" pull ", Grant{Actions: []Action{Pull}}},
		{"pull,push", Grant{Actions: []Action{Pull, Push}}},
		{"read:package,write:package", Grant{Actions: []Action{Pull, Push, Delete}}},
		{"write,push", Grant{Actions: []Action{Push, Delete}}},
		{"repository:alice/app:pull", Grant{Type: "repository", Name: "alice/app", Actions: []Action{Pull}}},
		{"repository:alice/app:pull,push", Grant{Type: "repository", Name: "alice/app", Actions: []Action{Pull, Push}}},
		{"repository:alice/app:pull,pull,delete", Grant{Type: "repository", Name: "alice/app", Actions: []Action{Pull, Delete}}},
		{"repository:Alice/App:*", Grant{Type: "repository", Name: "alice/app", Actions: []Action{Admin}}},
		{"repository:alice/*:push", Grant{Type: "repository", Name: "alice/", Prefix: true, Actions: []Action{Push}}},
		{"repository:alice*:pull", Grant{Type: "repository", Name: "alice", Prefix: true, Actions: []Action{Pull}}},
		{"repository:*:pull", Grant{Type: "repository", Name: "", Prefix: true, Actions: []Action{Pull}}},
		{"repository:alice/pkg+x_1.0:pull", Grant{Type: "repository", Name: "alice/pkg+x_1.0", Actions: []Action{Pull}}},
	}
	for _, tt := range tests {
		got, err := ParseScope(tt.in)
		if err != nil {
			t.Errorf("ParseScope(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseScope(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
		// The canonical form parses back to the same grant.
		again, err := ParseScope(got.String())
		if err != nil {
			t.Errorf("ParseScope(%q) (from %q): %v", got.String(), tt.in, err)
		} else if diff := cmp.Diff(got, again); diff != "" {
			t.Errorf("round trip of %q mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseScopeInvalid(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"", "PULL", "pul", "admin", "read:packages", "write:repo",
		"repository", "repository:", "repository:alice/app", "repository:alice/app:",
		"repository::pull", "repository:alice/app:pull,", "repository:alice/app:fetch",
		"repository:alice/a*b:pull", "repository:alice app:pull", "repository:a,b:pull",
		"registry:catalog:*", "image:alice/app:pull", "repository:alice/app:Pull",
		"repository:**:pull", "repository:a\x00b:pull", "pull,", ",pull", "pull, push",
	} {
		g, err := ParseScope(in)
		if !errs.Is(err, errs.Invalid) {
			t.Errorf("ParseScope(%q) = %+v, %v; want invalid", in, g, err)
		}
	}
}

func TestGrantString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		g    Grant
		want string
	}{
		{Grant{Actions: []Action{Pull}}, "pull"},
		{Grant{Actions: []Action{Push, Delete}}, "push,delete"},
		{Grant{Type: "repository", Name: "alice/app", Actions: []Action{Pull, Push}}, "repository:alice/app:pull,push"},
		{Grant{Type: "repository", Name: "alice/", Prefix: true, Actions: []Action{Admin}}, "repository:alice/*:*"},
	}
	for _, tt := range tests {
		if got := tt.g.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.g, got, tt.want)
		}
	}
}

func TestParseRequestScopes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params []string
		want   []Grant
	}{
		{"none", nil, nil},
		{"empty param", []string{""}, nil},
		{"one", []string{"repository:alice/app:pull"},
			[]Grant{{Type: "repository", Name: "alice/app", Actions: []Action{Pull}}}},
		{"two actions", []string{"repository:alice/app:pull,push"},
			[]Grant{{Type: "repository", Name: "alice/app", Actions: []Action{Pull, Push}}}},
		{"space separated", []string{"repository:alice/app:pull repository:bob/lib:pull"},
			[]Grant{
				{Type: "repository", Name: "alice/app", Actions: []Action{Pull}},
				{Type: "repository", Name: "bob/lib", Actions: []Action{Pull}},
			}},
		{"merged across params", []string{"repository:alice/app:pull", "repository:alice/app:push,pull"},
			[]Grant{{Type: "repository", Name: "alice/app", Actions: []Action{Pull, Push}}}},
		{"class ignored", []string{"repository(plugin):alice/plug:pull"},
			[]Grant{{Type: "repository", Name: "alice/plug", Actions: []Action{Pull}}}},
		{"catalog", []string{"registry:catalog:*"},
			[]Grant{{Type: "registry", Name: "catalog", Actions: []Action{Admin}}}},
		{"unknown type skipped", []string{"image:alice/app:pull repository:alice/app:delete"},
			[]Grant{{Type: "repository", Name: "alice/app", Actions: []Action{Delete}}}},
		{"unknown action skipped", []string{"repository:alice/app:pull,fly"},
			[]Grant{{Type: "repository", Name: "alice/app", Actions: []Action{Pull}}}},
		{"name with port", []string{"repository:localhost:5000/alice/app:pull"},
			[]Grant{{Type: "repository", Name: "localhost:5000/alice/app", Actions: []Action{Pull}}}},
		{"star is literal", []string{"repository:alice/*:pull"},
			[]Grant{{Type: "repository", Name: "alice/*", Actions: []Action{Pull}}}},
		{"no actions", []string{"repository:alice/app:"},
			[]Grant{{Type: "repository", Name: "alice/app"}}},
	}
	for _, tt := range tests {
		got, err := ParseRequestScopes(tt.params)
		if err != nil {
			t.Errorf("%s: ParseRequestScopes(%q): %v", tt.name, tt.params, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: ParseRequestScopes(%q) mismatch (-want +got):\n%s", tt.name, tt.params, diff)
		}
	}
}

func TestParseRequestScopesInvalid(t *testing.T) {
	t.Parallel()
	for _, p := range []string{
		"repository", "repository:alice/app", ":alice/app:pull", "repository::pull",
		"repository(plugin:alice/app:pull", "repositoryplugin):alice/app:pull",
		"(plugin):alice/app:pull", "repository((x)):a:pull",
		"repository:alice/app:pull garbage",
	} {
		if g, err := ParseRequestScopes([]string{p}); !errs.Is(err, errs.Invalid) {
			t.Errorf("ParseRequestScopes(%q) = %+v, %v; want invalid", p, g, err)
		}
	}
}

func TestPermits(t *testing.T) {
	t.Parallel()
	repoGrant := Grant{Type: "repository", Name: "alice/app", Actions: []Action{Pull, Push}}
	prefixGrant := Grant{Type: "repository", Name: "alice/", Prefix: true, Actions: []Action{Pull}}
	tests := []struct {
		name string
		p    Principal
		act  Action
		repo string
		want bool
	}{
		{"unrestricted", Principal{UserID: 1}, Delete, "x/y", true},
		{"unrestricted ignores grants", Principal{UserID: 1, Grants: []Grant{repoGrant}}, Delete, "x/y", true},
		{"restricted no grants", Principal{UserID: 1, Restricted: true}, Pull, "alice/app", false},
		{"exact", Principal{Restricted: true, Grants: []Grant{repoGrant}}, Push, "alice/app", true},
		{"exact case-insensitive", Principal{Restricted: true, Grants: []Grant{repoGrant}}, Pull, "Alice/App", true},
		{"exact wrong action", Principal{Restricted: true, Grants: []Grant{repoGrant}}, Delete, "alice/app", false},
		{"exact other repo", Principal{Restricted: true, Grants: []Grant{repoGrant}}, Pull, "alice/app2", false},
		{"prefix", Principal{Restricted: true, Grants: []Grant{prefixGrant}}, Pull, "alice/tools/x", true},
		{"prefix miss", Principal{Restricted: true, Grants: []Grant{prefixGrant}}, Pull, "alicex/app", false},
		{"prefix shorter name", Principal{Restricted: true, Grants: []Grant{prefixGrant}}, Pull, "alice", false},
		{"global pull", Principal{Restricted: true, Grants: []Grant{{Actions: []Action{Pull}}}}, Pull, "any/thing", true},
		{"global pull no push", Principal{Restricted: true, Grants: []Grant{{Actions: []Action{Pull}}}}, Push, "any/thing", false},
		{"admin covers all", Principal{Restricted: true, Grants: []Grant{{Actions: []Action{Admin}}}}, Delete, "any/thing", true},
		{"repo admin", Principal{Restricted: true, Grants: []Grant{{Type: "repository", Name: "a/b", Actions: []Action{Admin}}}}, Delete, "a/b", true},
		{"pull does not give admin", Principal{Restricted: true, Grants: []Grant{{Actions: []Action{Pull, Push, Delete}}}}, Admin, "a/b", false},
		{"registry grant is not a repo grant", Principal{Restricted: true, Grants: []Grant{{Type: "registry", Name: "catalog", Actions: []Action{Admin}}}}, Pull, "catalog", false},
		{"several grants", Principal{Restricted: true, Grants: []Grant{prefixGrant, repoGrant}}, Push, "alice/app", true},
	}
	for _, tt := range tests {
		if got := tt.p.Permits(tt.act, tt.repo); got != tt.want {
			t.Errorf("%s: Permits(%s, %s) = %v, want %v", tt.name, tt.act, tt.repo, got, tt.want)
		}
	}
}

func TestPermitsResource(t *testing.T) {
	t.Parallel()
	catalog := Principal{Restricted: true, Grants: []Grant{{Type: "registry", Name: "catalog", Actions: []Action{Admin}}}}
	if !catalog.PermitsResource(GrantRegistry, "catalog", Admin) {
		t.Errorf("catalog grant does not permit the catalog")
	}
	if (Principal{Restricted: true, Grants: []Grant{{Type: "repository", Name: "catalog", Actions: []Action{Admin}}}}).PermitsResource(GrantRegistry, "catalog", Admin) {
		t.Errorf("repository grant permits the registry catalog")
	}
	if (Principal{Restricted: true}).PermitsResource(GrantRegistry, "catalog", Admin) {
		t.Errorf("no grants permit the catalog")
	}
}

func TestAnonymous(t *testing.T) {
	t.Parallel()
	if !(Principal{}).Anonymous() {
		t.Errorf("zero Principal is not anonymous")
	}
	if (Principal{UserID: 3, Name: "alice"}).Anonymous() {
		t.Errorf("user principal is anonymous")
	}
}
