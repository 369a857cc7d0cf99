package metatest

import (
	"slices"
	"testing"

	"wharf/internal/meta"
)

// The repositories of the world each caller sees, in ID order.
var (
	aliceSees    = []string{"alice/pub", "alice/priv", "acme/app", "acme/secret", "acme/lib", "acme/team", "acme/none", "acme/50%off", "acme/x_y", "acme/xzy", "carol/priv"}
	acmeAll      = []string{"acme/app", "acme/secret", "acme/lib", "acme/team", "acme/none", "acme/50%off", "acme/x_y", "acme/xzy"}
	publicRepos  = []string{"alice/pub", "acme/app", "acme/50%off", "acme/x_y", "carol/pub"}
	bobSees      = []string{"bob/pub", "bob/priv", "acme/secret", "acme/lib", "acme/team", "hidden/priv"}
	bobSeesAll   = []string{"alice/pub", "bob/pub", "bob/priv", "acme/app", "acme/secret", "acme/lib", "acme/team", "acme/50%off", "acme/x_y", "hidden/priv", "carol/pub"}
	carolSees    = []string{"acme/team", "hidden/pub", "hidden/priv", "carol/pub", "carol/priv"}
	carolSeesAll = []string{"alice/pub", "acme/app", "acme/team", "acme/50%off", "acme/x_y", "hidden/pub", "hidden/priv", "carol/pub", "carol/priv"}
	robotSees    = []string{"acme/secret", "acme/xzy"}
	robotSeesAll = []string{"alice/pub", "acme/app", "acme/secret", "acme/50%off", "acme/x_y", "acme/xzy", "carol/pub"}
)

func testVisibleRepos(t *testing.T, f *fixture) {
	w := newWorld(f)
	pub := meta.RepoFilter{Public: true}
	cases := []visibleCase{
		// Who sees what.
		{user: "anonymous", want: nil},
		{user: "anonymous", f: pub, want: publicRepos},
		{user: "alice", want: aliceSees},
		{user: "alice", f: pub, want: []string{"alice/pub", "alice/priv", "acme/app", "acme/secret", "acme/lib", "acme/team", "acme/none", "acme/50%off", "acme/x_y", "acme/xzy", "carol/pub", "carol/priv"}},
		{user: "bob", want: bobSees},
		{user: "bob", f: pub, want: bobSeesAll},
		{user: "carol", want: carolSees},
		{user: "carol", f: pub, want: carolSeesAll},
		{user: "robot", want: robotSees},
		{user: "robot", f: pub, want: robotSeesAll},

		// One namespace.
		{user: "anonymous", f: pub, ns: "acme", want: []string{"acme/app", "acme/50%off", "acme/x_y"}},
		{user: "anonymous", f: pub, ns: "hidden", want: nil},
		{user: "anonymous", f: pub, ns: "bob", want: nil},
		{user: "alice", ns: "acme", want: acmeAll},
		{user: "alice", ns: "carol", want: []string{"carol/priv"}},
		{user: "alice", f: pub, ns: "carol", want: []string{"carol/pub", "carol/priv"}},
		{user: "bob", ns: "hidden", want: []string{"hidden/priv"}},
		{user: "bob", f: pub, ns: "hidden", want: []string{"hidden/priv"}},
		{user: "bob", ns: "alice", want: nil},
		{user: "bob", f: pub, ns: "alice", want: []string{"alice/pub"}},
		{user: "carol", ns: "hidden", want: []string{"hidden/pub", "hidden/priv"}},
		{user: "robot", ns: "acme", want: robotSees},
		{user: "robot", f: pub, ns: "acme", want: []string{"acme/app", "acme/secret", "acme/50%off", "acme/x_y", "acme/xzy"}},

		// Another type.
		{user: "anonymous", f: meta.RepoFilter{Type: "generic", Public: true}, want: []string{"alice/pkg"}},
		{user: "alice", f: meta.RepoFilter{Type: "generic"}, want: []string{"alice/pkg"}},
		{user: "bob", f: meta.RepoFilter{Type: "generic"}, want: nil},
		{user: "bob", f: meta.RepoFilter{Type: "generic", Public: true}, want: []string{"alice/pkg"}},
		{user: "alice", f: meta.RepoFilter{Type: "habitat", Public: true}, want: nil},

		// Stars, of visible repositories only.
		{user: "alice", f: meta.RepoFilter{Starred: true}, want: []string{"acme/none"}},
		{user: "alice", f: meta.RepoFilter{Starred: true, Public: true}, want: []string{"acme/none", "carol/pub"}},
		{user: "bob", f: meta.RepoFilter{Starred: true}, want: []string{"acme/lib"}},
		{user: "bob", f: meta.RepoFilter{Starred: true, Public: true}, want: []string{"acme/app", "acme/lib"}},
		{user: "bob", f: meta.RepoFilter{Starred: true, Public: true}, ns: "alice", want: nil},
		{user: "robot", f: meta.RepoFilter{Starred: true, Public: true}, want: []string{"acme/xzy"}},
		{user: "carol", f: meta.RepoFilter{Starred: true, Public: true}, want: nil},
		{user: "anonymous", f: meta.RepoFilter{Starred: true, Public: true}, want: nil},

		// Names.
		{user: "alice", f: meta.RepoFilter{NamePrefix: "acme/"}, want: acmeAll},
		{user: "alice", f: meta.RepoFilter{NamePrefix: "acme/x"}, want: []string{"acme/x_y", "acme/xzy"}},
		{user: "alice", f: meta.RepoFilter{NamePrefix: "acme/x_"}, want: []string{"acme/x_y"}},
		{user: "anonymous", f: meta.RepoFilter{Public: true, NamePrefix: "acme/5"}, want: []string{"acme/50%off"}},
		{user: "anonymous", f: meta.RepoFilter{Public: true, NamePrefix: "acme/%"}, want: nil},
		{user: "anonymous", f: meta.RepoFilter{Public: true, NamePrefix: "alice"}, want: []string{"alice/pub"}},
		{user: "bob", f: meta.RepoFilter{Public: true, NamePrefix: "c"}, want: []string{"carol/pub"}},
		{user: "alice", f: meta.RepoFilter{NameContains: "%"}, want: []string{"acme/50%off"}},
		{user: "alice", f: meta.RepoFilter{NameContains: "0%O"}, want: []string{"acme/50%off"}},
		{user: "alice", f: meta.RepoFilter{NameContains: "_"}, want: []string{"acme/x_y"}},
		{user: "alice", f: meta.RepoFilter{NameContains: "X_Y"}, want: []string{"acme/x_y"}},
		{user: "alice", f: meta.RepoFilter{NameContains: "p"}, want: []string{"alice/pub", "alice/priv", "acme/app", "carol/priv"}},
		{user: "alice", f: meta.RepoFilter{NameContains: "ACME/"}, want: acmeAll},
		{user: "alice", f: meta.RepoFilter{NamePrefix: "acme/", NameContains: "o"}, want: []string{"acme/none", "acme/50%off"}},
		{user: "bob", f: meta.RepoFilter{Public: true, NameContains: "pub"}, want: []string{"alice/pub", "bob/pub", "carol/pub"}},
		{user: "carol", f: meta.RepoFilter{NameContains: "priv"}, want: []string{"hidden/priv", "carol/priv"}},
		{user: "anonymous", f: meta.RepoFilter{Public: true, NameContains: "_"}, want: []string{"acme/x_y"}},
		{user: "anonymous", f: meta.RepoFilter{Public: true, NameContains: "%"}, want: []string{"acme/50%off"}},
		{user: "anonymous", f: meta.RepoFilter{Public: true, NameContains: "secret"}, want: nil},
	}
	for _, c := range cases {
		w.check(t, f, c)
	}
}

func testVisiblePaging(t *testing.T, f *fixture) {
	w := newWorld(f)
	cases := []visibleCase{
		{user: "alice", f: meta.RepoFilter{Limit: 4}, want: aliceSees[:4]},
		{user: "alice", f: meta.RepoFilter{Limit: 4, AfterID: w.repo("acme/secret")}, want: aliceSees[4:8]},
		{user: "alice", f: meta.RepoFilter{Limit: 4, AfterID: w.repo("acme/50%off")}, want: aliceSees[8:]},
		{user: "alice", f: meta.RepoFilter{Limit: 4, AfterID: w.repo("carol/priv")}, want: nil},
		{user: "alice", f: meta.RepoFilter{AfterID: w.repo("acme/none")}, want: aliceSees[7:]},
		{user: "alice", f: meta.RepoFilter{Limit: -1}, want: aliceSees},
		{user: "alice", f: meta.RepoFilter{NameContains: "p", AfterID: w.repo("alice/priv"), Limit: 5}, want: []string{"acme/app", "carol/priv"}},
		// AfterID need not name a visible repository.
		{user: "anonymous", f: meta.RepoFilter{Public: true, Limit: 2, AfterID: w.repo("acme/secret")}, want: []string{"acme/50%off", "acme/x_y"}},
		{user: "robot", f: meta.RepoFilter{Limit: 1, AfterID: w.repo("acme/secret")}, want: []string{"acme/xzy"}},
	}
	for _, c := range cases {
		w.check(t, f, c)
	}

	// Walking pages of 3 gives every repository once.
	var got []meta.Repository
	filter := meta.RepoFilter{UserID: w.bob.ID, Type: "oci", Public: true, Limit: 3}
	for range 10 {
		page, err := f.s.ListVisibleRepos(f.ctx, filter)
		f.ok(err)
		if len(page) > 3 {
			t.Fatalf("page of %d, limit 3", len(page))
		}
		if len(page) == 0 {
			break
		}
		got = append(got, page...)
		filter.AfterID = page[len(page)-1].ID
	}
	var want []meta.Repository
	for _, n := range bobSeesAll {
		want = append(want, w.repos[n])
	}
	wantEqual(t, "bob's repositories page by page", got, want)

	// By name: the same set in lower-cased name order, paged by name.
	byName := slices.Clone(bobSeesAll)
	slices.Sort(byName)
	w.check(t, f, visibleCase{user: "bob", f: meta.RepoFilter{Public: true, ByName: true}, want: byName})
	w.check(t, f, visibleCase{user: "bob", f: meta.RepoFilter{Public: true, ByName: true, AfterName: "ACME/SECRET", Limit: 3},
		want: byName[slices.Index(byName, "acme/secret")+1:][:3]})
	w.check(t, f, visibleCase{user: "anonymous", f: meta.RepoFilter{Public: true, ByName: true, AfterName: "b"},
		want: []string{"carol/pub"}})
}

func testVisibleChanges(t *testing.T, f *fixture) {
	w := newWorld(f)
	f.ok(f.s.DeletePermission(f.ctx, w.repo("acme/lib"), w.bob.ID, 0))
	w.check(t, f, visibleCase{user: "bob", want: []string{"bob/pub", "bob/priv", "acme/secret", "acme/team", "hidden/priv"}})
	w.check(t, f, visibleCase{user: "bob", f: meta.RepoFilter{Starred: true}, want: nil})

	f.ok(f.s.RemoveTeamMember(f.ctx, w.members.ID, w.carol.ID))
	w.check(t, f, visibleCase{user: "carol", want: []string{"hidden/pub", "hidden/priv", "carol/pub", "carol/priv"}})

	f.ok(f.s.DeleteTeam(f.ctx, w.creators.ID))
	w.check(t, f, visibleCase{user: "robot", want: []string{"acme/xzy"}})
	w.check(t, f, visibleCase{user: "bob", want: []string{"bob/pub", "bob/priv", "acme/team", "hidden/priv"}})

	f.ok(f.s.RemoveTeamMember(f.ctx, w.admins.ID, w.alice.ID))
	w.check(t, f, visibleCase{user: "alice", want: []string{"alice/pub", "alice/priv", "carol/priv"}})

	f.ok(f.s.AddTeamMember(f.ctx, w.admins.ID, w.carol.ID))
	w.check(t, f, visibleCase{user: "carol", want: []string{"acme/app", "acme/secret", "acme/lib", "acme/team", "acme/none",
		"acme/50%off", "acme/x_y", "acme/xzy", "hidden/pub", "hidden/priv", "carol/pub", "carol/priv"}})

	hidden, err := f.s.GetNamespaceByID(f.ctx, w.hidden.ID)
	f.ok(err)
	hidden.Public = true
	f.ok(f.s.UpdateNamespace(f.ctx, hidden))
	w.check(t, f, visibleCase{user: "anonymous", f: meta.RepoFilter{Public: true},
		want: []string{"alice/pub", "acme/app", "acme/50%off", "acme/x_y", "hidden/pub", "carol/pub"}})

	f.ok(f.s.SetRepoPublic(f.ctx, w.repo("carol/pub"), false))
	acme, err := f.s.GetNamespaceByID(f.ctx, w.acme.ID)
	f.ok(err)
	acme.Public = false
	f.ok(f.s.UpdateNamespace(f.ctx, acme))
	w.check(t, f, visibleCase{user: "anonymous", f: meta.RepoFilter{Public: true}, want: []string{"alice/pub", "hidden/pub"}})
	w.check(t, f, visibleCase{user: "robot", f: meta.RepoFilter{Public: true}, want: []string{"alice/pub", "acme/xzy", "hidden/pub"}})
}

func testRoles(t *testing.T, f *fixture) {
	w := newWorld(f)
	for _, c := range []struct {
		user, repo string
		want       []string
	}{
		{"alice", "acme/none", nil}, // an admin team's members see it, but hold no role on it
		{"alice", "carol/priv", []string{meta.RoleWrite}},
		{"alice", "alice/priv", nil},
		{"bob", "acme/team", []string{meta.RoleRead, meta.RoleWrite}},
		{"bob", "acme/lib", []string{meta.RoleRead}},
		{"bob", "acme/secret", []string{meta.RoleWrite}},
		{"bob", "hidden/priv", []string{meta.RoleAdmin}},
		{"bob", "acme/app", nil},
		{"carol", "acme/team", []string{meta.RoleRead}},
		{"carol", "acme/secret", nil},
		{"robot", "acme/secret", []string{meta.RoleWrite}},
		{"robot", "acme/xzy", []string{meta.RoleRead}},
		{"robot", "acme/team", nil},
		{"anonymous", "acme/app", nil},
	} {
		got, err := f.s.RepoRoles(f.ctx, w.user(c.user), w.repo(c.repo))
		f.ok(err)
		wantEqual(t, "RepoRoles("+c.user+", "+c.repo+")", sorted(got), c.want)
	}
	for _, c := range []struct {
		user, ns string
		want     []string
	}{
		{"alice", "acme", []string{meta.TeamAdmin}},
		{"alice", "hidden", nil},
		{"bob", "acme", []string{meta.TeamCreator, meta.TeamMember}},
		{"bob", "bob", nil},
		{"carol", "acme", []string{meta.TeamMember}},
		{"carol", "hidden", []string{meta.TeamAdmin}},
		{"robot", "acme", []string{meta.TeamCreator}},
		{"anonymous", "acme", nil},
	} {
		got, err := f.s.TeamRoles(f.ctx, w.user(c.user), w.nsByName[c.ns].ID)
		f.ok(err)
		wantEqual(t, "TeamRoles("+c.user+", "+c.ns+")", sorted(got), c.want)
	}
}
