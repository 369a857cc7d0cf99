package auth

import (
	"context"
	"fmt"
	"testing"

	"wharf/internal/meta"
)

func TestAuthorizerMatrix(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	alice := addUser(t, s, "alice", false, false)
	bob := addUser(t, s, "bob", false, false)
	root := addUser(t, s, "root1", true, false)
	dave := addUser(t, s, "dave", false, true)
	rootOff := addUser(t, s, "root2", true, true)
	addRepo(t, s, "oci", "alice/pub", true)
	addRepo(t, s, "oci", "alice/priv", false)
	addRepo(t, s, "generic", "alice/gen", true)
	a := NewAuthorizer(s, 0)

	principals := map[string]Principal{
		"owner":              {UserID: alice.ID, Name: alice.Name},
		"other":              {UserID: bob.ID, Name: bob.Name},
		"anonymous":          {},
		"superuser":          {UserID: root.ID, Name: root.Name, Superuser: true},
		"disabled":           {UserID: dave.ID, Name: dave.Name},
		"disabled superuser": {UserID: rootOff.ID, Name: rootOff.Name, Superuser: true},
		"deleted":            {UserID: 9999, Name: "ghost"},
		// Principals claim nothing beyond the store: flags come from there.
		"claims superuser": {UserID: bob.ID, Name: bob.Name, Superuser: true},
	}
	repos := []string{"alice/pub", "alice/priv", "alice/missing"}
	acts := []Action{Pull, Push, Delete, Admin}

	// want[principal][repo] lists the allowed actions.
	all := []Action{Pull, Push, Delete, Admin}
	want := map[string]map[string][]Action{
		"owner":              {"alice/pub": all, "alice/priv": all, "alice/missing": all},
		"other":              {"alice/pub": {Pull}},
		"anonymous":          {"alice/pub": {Pull}},
		"superuser":          {"alice/pub": all, "alice/priv": all, "alice/missing": all},
		"disabled":           {},
		"disabled superuser": {},
		"deleted":            {},
		"claims superuser":   {"alice/pub": {Pull}},
	}
	for pname, p := range principals {
		for _, repo := range repos {
			for _, act := range acts {
				wantOK := false
				for _, w := range want[pname][repo] {
					wantOK = wantOK || w == act
				}
				got, err := a.Can(ctx, p, act, "oci", repo)
				if err != nil {
					t.Fatalf("Can(%s, %s, %s): %v", pname, act, repo, err)
				}
				if got != wantOK {
					t.Errorf("Can(%s, %s, %s) = %v, want %v", pname, act, repo, got, wantOK)
				}
			}
		}
	}
}

func TestAuthorizerRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	alice := addUser(t, s, "alice", false, false)
	bob := addUser(t, s, "bob", false, false)
	root := addUser(t, s, "root1", true, false)
	addRepo(t, s, "oci", "alice/pub", true)
	addRepo(t, s, "oci", "alice/priv", false)
	addRepo(t, s, "generic", "alice/gen", true)
	// A private organization namespace hides even public repositories.
	ns := meta.Namespace{Name: "corp", Kind: meta.KindOrg, Public: false}
	if err := s.CreateNamespace(ctx, &ns); err != nil {
		t.Fatal(err)
	}
	addRepo(t, s, "oci", "corp/app", true)
	a := NewAuthorizer(s, 0)

	owner := Principal{UserID: alice.ID, Name: "alice"}
	restrict := func(p Principal, scopes ...string) Principal {
		p.Restricted = true
		for _, sc := range scopes {
			g, err := ParseScope(sc)
			if err != nil {
				t.Fatal(err)
			}
			p.Grants = append(p.Grants, g)
		}
		return p
	}
	tests := []struct {
		name      string
		p         Principal
		act       Action
		typ, repo string
		want      bool
	}{
		{"owner pull-only token cannot push", restrict(owner, "pull"), Push, "oci", "alice/pub", false},
		{"owner pull-only token pulls private", restrict(owner, "pull"), Pull, "oci", "alice/priv", true},
		{"owner repo token in scope", restrict(owner, "repository:alice/priv:push"), Push, "oci", "alice/priv", true},
		{"owner repo token out of scope", restrict(owner, "repository:alice/priv:push"), Push, "oci", "alice/new", false},
		{"owner prefix token", restrict(owner, "repository:alice/*:*"), Delete, "oci", "alice/new", true},
		{"owner restricted no grants reads public as anyone", restrict(owner), Pull, "oci", "alice/pub", true},
		{"owner restricted no grants", restrict(owner), Pull, "oci", "alice/priv", false},
		{"owner write alias", restrict(owner, "write:package"), Delete, "oci", "alice/priv", true},
		{"grant does not widen rights", restrict(Principal{UserID: bob.ID, Name: "bob"}, "*"), Push, "oci", "alice/pub", false},
		{"grant does not widen to private", restrict(Principal{UserID: bob.ID, Name: "bob"}, "*"), Pull, "oci", "alice/priv", false},
		{"restricted superuser", restrict(Principal{UserID: root.ID, Name: "root1"}, "pull"), Push, "oci", "bob/x", false},
		{"restricted superuser in grant", restrict(Principal{UserID: root.ID, Name: "root1"}, "pull"), Pull, "oci", "alice/priv", true},
		{"anonymous jwt grants", restrict(Principal{}, "repository:alice/pub:pull"), Pull, "oci", "alice/pub", true},
		{"anonymous jwt without grant", restrict(Principal{}, "repository:alice/other:pull"), Pull, "oci", "alice/pub", false},
		{"type matters", Principal{}, Pull, "generic", "alice/pub", false},
		{"generic public", Principal{}, Pull, "generic", "alice/gen", true},
		{"case-insensitive namespace", owner, Push, "oci", "Alice/New", true},
		{"case-insensitive repo", Principal{}, Pull, "oci", "ALICE/PUB", true},
		{"private namespace hides public repo", Principal{}, Pull, "oci", "corp/app", false},
		{"private namespace, other user", Principal{UserID: bob.ID, Name: "bob"}, Pull, "oci", "corp/app", false},
		{"superuser in org", Principal{UserID: root.ID, Name: "root1"}, Push, "oci", "corp/app", true},
		{"owner of other namespace", owner, Push, "oci", "bob/app", false},
		{"name prefix is not the namespace", owner, Push, "oci", "alicex/app", false},
		{"empty name", owner, Push, "oci", "", false},
		{"leading slash", owner, Push, "oci", "/alice/app", false},
		{"bare namespace", owner, Push, "generic", "alice", true},
	}
	for _, tt := range tests {
		got, err := a.Can(ctx, tt.p, tt.act, tt.typ, tt.repo)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got != tt.want {
			t.Errorf("%s: Can(%s, %s %s) = %v, want %v", tt.name, tt.act, tt.typ, tt.repo, got, tt.want)
		}
	}
}

func TestAuthorizerSeesChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	addUser(t, s, "alice", false, false)
	bob := addUser(t, s, "bob", false, false)
	repo := addRepo(t, s, "oci", "alice/app", true)
	a := NewAuthorizer(s, 0)
	p := Principal{UserID: bob.ID, Name: "bob"}

	check := func(step string, act Action, want bool) {
		t.Helper()
		got, err := a.Can(ctx, p, act, "oci", "alice/app")
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if got != want {
			t.Errorf("%s: Can(bob, %s, alice/app) = %v, want %v", step, act, got, want)
		}
	}
	check("public", Pull, true)
	if err := s.SetRepoPublic(ctx, repo.ID, false); err != nil {
		t.Fatal(err)
	}
	check("made private", Pull, false)
	bob.Superuser = true
	if err := s.UpdateUser(ctx, bob); err != nil {
		t.Fatal(err)
	}
	check("promoted", Delete, true)
	bob.Disabled = true
	if err := s.UpdateUser(ctx, bob); err != nil {
		t.Fatal(err)
	}
	check("disabled", Pull, false)
}

func BenchmarkAuthorizerCanPublicPull(b *testing.B) {
	ctx := context.Background()
	s := newStore(b)
	addUser(b, s, "alice", false, false)
	addRepo(b, s, "oci", "alice/app", true)
	a := NewAuthorizer(s, 0)
	b.ReportAllocs()
	for b.Loop() {
		ok, err := a.Can(ctx, Principal{}, Pull, "oci", "alice/app")
		if err != nil || !ok {
			b.Fatal(fmt.Sprint(ok, err))
		}
	}
}
