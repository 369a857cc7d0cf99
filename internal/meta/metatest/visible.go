package metatest

import (
	"fmt"
	"testing"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// world is a small organisation model that visibility and roles are
// checked against:
//
//	namespaces  alice (person, public), bob (person, private),
//	            carol (person, public), acme (org, public),
//	            hidden (org, private)
//	teams       acme: admins (admin: alice), creators (creator: bob,
//	            acme+ci), members (member: bob, carol);
//	            hidden: owners (admin: carol)
//	robot       acme+ci
//
// Repositories, in the order of their IDs, with the permissions on them:
//
//	oci     alice/pub      public
//	oci     alice/priv
//	oci     bob/pub        public (in a private namespace)
//	oci     bob/priv
//	oci     acme/app       public
//	oci     acme/secret    creators: write
//	oci     acme/lib       bob: read
//	oci     acme/team      members: read, bob: write
//	oci     acme/none
//	oci     acme/50%off    public
//	oci     acme/x_y       public
//	oci     acme/xzy       acme+ci: read
//	oci     hidden/pub     public (in a private namespace)
//	oci     hidden/priv    bob: admin
//	oci     carol/pub      public
//	oci     carol/priv     alice: write
//	generic alice/pkg      public
//
// Stars: alice on acme/none and carol/pub; bob on acme/app, acme/lib and
// alice/priv (which he cannot see); acme+ci on acme/xzy.
type world struct {
	alice, bob, carol, robot  meta.User
	acme, hidden              meta.Namespace
	admins, creators, members meta.Team
	repos                     map[string]meta.Repository
	nsByName                  map[string]meta.Namespace
	usersByName               map[string]meta.User
	hiddenOwners              meta.Team
}

// newWorld builds the world on f's store.
func newWorld(f *fixture) *world {
	f.t.Helper()
	w := &world{repos: map[string]meta.Repository{}}
	w.alice = f.person("alice", true)
	w.bob = f.person("bob", false)
	w.carol = f.person("carol", true)
	w.acme = f.org("acme", true)
	w.hidden = f.org("hidden", false)
	w.robot = f.robot(w.acme, "ci")
	w.nsByName = map[string]meta.Namespace{"acme": w.acme, "hidden": w.hidden}
	for _, u := range []meta.User{w.alice, w.bob, w.carol} {
		w.nsByName[u.Name] = meta.Namespace{ID: u.NamespaceID, Name: u.Name}
	}
	w.usersByName = map[string]meta.User{"alice": w.alice, "bob": w.bob, "carol": w.carol, "robot": w.robot}

	w.admins = f.team(w.acme.ID, "admins", meta.TeamAdmin)
	w.creators = f.team(w.acme.ID, "creators", meta.TeamCreator)
	w.members = f.team(w.acme.ID, "members", meta.TeamMember)
	w.hiddenOwners = f.team(w.hidden.ID, "owners", meta.TeamAdmin)
	f.members(w.admins.ID, w.alice)
	f.members(w.creators.ID, w.bob, w.robot)
	f.members(w.members.ID, w.bob, w.carol)
	f.members(w.hiddenOwners.ID, w.carol)

	for _, r := range []struct {
		typ, ns, name string
		public        bool
	}{
		{"oci", "alice", "pub", true}, {"oci", "alice", "priv", false},
		{"oci", "bob", "pub", true}, {"oci", "bob", "priv", false},
		{"oci", "acme", "app", true}, {"oci", "acme", "secret", false}, {"oci", "acme", "lib", false},
		{"oci", "acme", "team", false}, {"oci", "acme", "none", false}, {"oci", "acme", "50%off", true},
		{"oci", "acme", "x_y", true}, {"oci", "acme", "xzy", false},
		{"oci", "hidden", "pub", true}, {"oci", "hidden", "priv", false},
		{"oci", "carol", "pub", true}, {"oci", "carol", "priv", false},
		{"generic", "alice", "pkg", true},
	} {
		repo := f.repoIn(w.nsByName[r.ns], r.typ, r.name, r.public)
		w.repos[repo.Name] = repo
	}
	f.grant(w.repo("acme/secret"), 0, w.creators.ID, meta.RoleWrite)
	f.grant(w.repo("acme/lib"), w.bob.ID, 0, meta.RoleRead)
	f.grant(w.repo("acme/team"), 0, w.members.ID, meta.RoleRead)
	f.grant(w.repo("acme/team"), w.bob.ID, 0, meta.RoleWrite)
	f.grant(w.repo("acme/xzy"), w.robot.ID, 0, meta.RoleRead)
	f.grant(w.repo("hidden/priv"), w.bob.ID, 0, meta.RoleAdmin)
	f.grant(w.repo("carol/priv"), w.alice.ID, 0, meta.RoleWrite)

	for _, s := range []struct {
		u    meta.User
		repo string
	}{
		{w.alice, "acme/none"}, {w.alice, "carol/pub"},
		{w.bob, "acme/app"}, {w.bob, "acme/lib"}, {w.bob, "alice/priv"},
		{w.robot, "acme/xzy"},
	} {
		f.ok(f.s.Star(f.ctx, s.u.ID, w.repo(s.repo)))
	}
	return w
}

// repo returns the ID of the repository named name.
func (w *world) repo(name string) int64 {
	r, ok := w.repos[name]
	if !ok {
		panic("no repository " + name + " in the world")
	}
	return r.ID
}

// user returns the ID of the user named name, 0 for "anonymous".
func (w *world) user(name string) int64 {
	if name == "anonymous" {
		return 0
	}
	u, ok := w.usersByName[name]
	if !ok {
		panic("no user " + name + " in the world")
	}
	return u.ID
}

// visibleCase is one ListVisibleRepos question and its answer, the
// repositories' names in ID order.
type visibleCase struct {
	user string // a name of world.usersByName or "anonymous"
	f    meta.RepoFilter
	ns   string // sets f.NamespaceID
	want []string
}

// check asks the store and compares.
func (w *world) check(t *testing.T, f *fixture, c visibleCase) {
	t.Helper()
	filter := c.f
	filter.UserID = w.user(c.user)
	if filter.Type == "" {
		filter.Type = "oci"
	}
	if c.ns != "" {
		filter.NamespaceID = w.nsByName[c.ns].ID
	}
	got, err := f.s.ListVisibleRepos(f.ctx, filter)
	if err != nil {
		t.Errorf("ListVisibleRepos(%s, %+v): %v", c.user, c.f, err)
		return
	}
	want := []meta.Repository{}
	for _, n := range c.want {
		want = append(want, w.repos[n])
	}
	if len(got) == 0 {
		got = []meta.Repository{}
	}
	wantEqual(t, fmt.Sprintf("ListVisibleRepos(%s, ns %q, %+v)", c.user, c.ns, c.f), got, want)
}

func visibilityTests() []test {
	return []test{
		{"ListVisibleRepos", testVisibleRepos},
		{"Paging", testVisiblePaging},
		{"Changes", testVisibleChanges},
		{"Roles", testRoles},
		{"NoType", func(t *testing.T, f *fixture) {
			u := f.user("alice")
			_, err := f.s.ListVisibleRepos(f.ctx, meta.RepoFilter{UserID: u.ID, Public: true})
			wantKind(t, "ListVisibleRepos without a type", err, errs.Invalid)
		}},
	}
}
