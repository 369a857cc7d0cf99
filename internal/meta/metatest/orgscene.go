package metatest

import (
	"context"
	"slices"
	"testing"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// orgSceneTests run on one small organisation model, built by newOrg,
// the questions authorization and administration ask of it.
func orgSceneTests() []test {
	return []test{
		{"ListVisibleRepos", orgSceneListVisibleRepos},
		{"Roles", orgSceneRoles},
		{"DeleteNamespace", orgSceneDeleteNamespace},
		{"DeleteUser", orgSceneDeleteUser},
		{"TakeGrantCode", orgSceneTakeGrantCode},
		{"ListLogs", orgSceneListLogs},
	}
}

// org is a small organisation model: people, a robot, an organisation with
// an admin team and a member team, and repositories of each kind of
// visibility.
type org struct {
	t     *testing.T
	ctx   context.Context
	s     meta.Store
	ns    map[string]meta.Namespace
	users map[string]meta.User
	repos map[string]meta.Repository
	teams map[string]meta.Team
}

func newOrg(t *testing.T, s meta.Store) *org {
	o := &org{t: t, ctx: t.Context(), s: s, ns: map[string]meta.Namespace{},
		users: map[string]meta.User{}, repos: map[string]meta.Repository{}, teams: map[string]meta.Team{}}
	for _, n := range []meta.Namespace{
		{Name: "alice", Kind: meta.KindUser, Public: true},
		{Name: "bob", Kind: meta.KindUser},
		{Name: "carol", Kind: meta.KindUser},
		{Name: "dave", Kind: meta.KindUser},
		{Name: "acme", Kind: meta.KindOrg, Public: true},
		{Name: "hidden", Kind: meta.KindOrg},
	} {
		o.ok(s.CreateNamespace(o.ctx, &n))
		o.ns[n.Name] = n
	}
	for _, name := range []string{"alice", "bob", "carol", "dave"} {
		o.user(meta.User{Name: name, NamespaceID: o.ns[name].ID})
	}
	o.user(meta.User{Name: "acme+bot", NamespaceID: o.ns["acme"].ID, Robot: true, SecretHash: "h"})
	for _, r := range []struct {
		ns, name string
		public   bool
	}{
		{"alice", "alice/own", false},
		{"alice", "alice/pub", true},
		{"acme", "acme/pub", true},
		{"acme", "acme/priv", false},
		{"acme", "acme/other", false},
		{"hidden", "hidden/pub", true},
		{"bob", "bob/a_b", false},
		{"bob", "bob/axb", false},
	} {
		repo := meta.Repository{NamespaceID: o.ns[r.ns].ID, Type: "oci", Name: r.name, Public: r.public}
		o.ok(s.CreateRepo(o.ctx, &repo))
		o.repos[r.name] = repo
	}
	gen := meta.Repository{NamespaceID: o.ns["alice"].ID, Type: "generic", Name: "alice/gen"}
	o.ok(s.CreateRepo(o.ctx, &gen))
	o.repos["alice/gen"] = gen

	o.team("admins", meta.TeamAdmin, "dave")
	o.team("readers", meta.TeamMember, "carol")
	o.ok(s.PutPermission(o.ctx, meta.Permission{RepoID: o.repos["acme/priv"].ID,
		TeamID: o.teams["readers"].ID, Role: meta.RoleRead}))
	o.ok(s.PutPermission(o.ctx, meta.Permission{RepoID: o.repos["acme/priv"].ID,
		UserID: o.users["carol"].ID, Role: meta.RoleWrite}))
	o.ok(s.PutPermission(o.ctx, meta.Permission{RepoID: o.repos["acme/priv"].ID,
		UserID: o.users["acme+bot"].ID, Role: meta.RoleRead}))
	return o
}

func (o *org) ok(err error) {
	o.t.Helper()
	if err != nil {
		o.t.Fatal(err)
	}
}

func (o *org) user(u meta.User) {
	o.t.Helper()
	o.ok(o.s.CreateUser(o.ctx, &u))
	o.users[u.Name] = u
}

func (o *org) team(name, role string, members ...string) {
	o.t.Helper()
	tm := meta.Team{NamespaceID: o.ns["acme"].ID, Name: name, Role: role}
	o.ok(o.s.CreateTeam(o.ctx, &tm))
	for _, m := range members {
		o.ok(o.s.AddTeamMember(o.ctx, tm.ID, o.users[m].ID))
	}
	o.teams[name] = tm
}

// names returns the names of rs, failing unless they are in ID order.
func names(t *testing.T, rs []meta.Repository) []string {
	t.Helper()
	var out []string
	for i, r := range rs {
		if i > 0 && rs[i-1].ID >= r.ID {
			t.Errorf("repositories not in ID order: %d before %d", rs[i-1].ID, r.ID)
		}
		out = append(out, r.Name)
	}
	return out
}

func orgSceneListVisibleRepos(t *testing.T, f *fixture) {
	o := newOrg(t, f.s)
	o.ok(o.s.Star(o.ctx, o.users["alice"].ID, o.repos["acme/pub"].ID))
	o.ok(o.s.Star(o.ctx, o.users["alice"].ID, o.repos["hidden/pub"].ID))
	o.ok(o.s.Star(o.ctx, o.users["alice"].ID, o.repos["alice/own"].ID))
	id := func(name string) int64 { return o.users[name].ID }
	for _, c := range []struct {
		name string
		f    meta.RepoFilter
		want []string
	}{
		{"anonymous public", meta.RepoFilter{Public: true}, []string{"alice/pub", "acme/pub"}},
		{"anonymous private", meta.RepoFilter{}, nil},
		{"anonymous starred", meta.RepoFilter{Public: true, Starred: true}, nil},
		{"own namespace", meta.RepoFilter{UserID: id("alice")}, []string{"alice/own", "alice/pub"}},
		{"own and public", meta.RepoFilter{UserID: id("alice"), Public: true},
			[]string{"alice/own", "alice/pub", "acme/pub"}},
		{"user and team permissions", meta.RepoFilter{UserID: id("carol")}, []string{"acme/priv"}},
		{"admin team", meta.RepoFilter{UserID: id("dave")}, []string{"acme/pub", "acme/priv", "acme/other"}},
		{"robot is not its namespace", meta.RepoFilter{UserID: id("acme+bot")}, []string{"acme/priv"}},
		{"robot and public", meta.RepoFilter{UserID: id("acme+bot"), Public: true},
			[]string{"alice/pub", "acme/pub", "acme/priv"}},
		{"namespace", meta.RepoFilter{UserID: id("alice"), Public: true, NamespaceID: o.ns["acme"].ID},
			[]string{"acme/pub"}},
		{"contains literally", meta.RepoFilter{UserID: id("bob"), NameContains: "A_B"}, []string{"bob/a_b"}},
		{"contains wildcard", meta.RepoFilter{UserID: id("bob"), NameContains: "%"}, nil},
		{"contains", meta.RepoFilter{UserID: id("bob"), NameContains: "B"}, []string{"bob/a_b", "bob/axb"}},
		{"prefix", meta.RepoFilter{UserID: id("dave"), Public: true, NamePrefix: "ACME/P"},
			[]string{"acme/pub", "acme/priv"}},
		{"prefix is not contains", meta.RepoFilter{UserID: id("dave"), Public: true, NamePrefix: "pub"}, nil},
		{"starred and visible", meta.RepoFilter{UserID: id("alice"), Public: true, Starred: true},
			[]string{"alice/own", "acme/pub"}},
		{"starred, private only", meta.RepoFilter{UserID: id("alice"), Starred: true}, []string{"alice/own"}},
		{"limit", meta.RepoFilter{UserID: id("dave"), Public: true, Limit: 2}, []string{"alice/pub", "acme/pub"}},
		{"after", meta.RepoFilter{UserID: id("dave"), Public: true, AfterID: o.repos["acme/pub"].ID, Limit: 2},
			[]string{"acme/priv", "acme/other"}},
		{"type", meta.RepoFilter{UserID: id("alice"), Public: true, Type: "generic"}, []string{"alice/gen"}},
	} {
		if c.f.Type == "" {
			c.f.Type = "oci"
		}
		rs, err := o.s.ListVisibleRepos(o.ctx, c.f)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := names(t, rs); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	_, err := o.s.ListVisibleRepos(o.ctx, meta.RepoFilter{UserID: id("alice")})
	if !errs.Is(err, errs.Invalid) {
		t.Errorf("no type: %v, want errs.Invalid", err)
	}
	rs, err := o.s.ListVisibleRepos(o.ctx, meta.RepoFilter{UserID: id("alice"), Type: "oci", NamePrefix: "alice/own"})
	o.ok(err)
	if len(rs) != 1 || rs[0] != o.repos["alice/own"] {
		t.Errorf("ListVisibleRepos = %+v, want %+v", rs, o.repos["alice/own"])
	}
}

func orgSceneRoles(t *testing.T, f *fixture) {
	o := newOrg(t, f.s)
	priv := o.repos["acme/priv"].ID
	for _, c := range []struct {
		user string
		want []string
	}{
		{"carol", []string{meta.RoleRead, meta.RoleWrite}},
		{"dave", nil}, // the admin team's reach is not a repository role
		{"acme+bot", []string{meta.RoleRead}},
		{"alice", nil},
	} {
		got, err := o.s.RepoRoles(o.ctx, o.users[c.user].ID, priv)
		o.ok(err)
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("RepoRoles(%s) = %q, want %q", c.user, got, c.want)
		}
	}
	for _, c := range []struct {
		user string
		want []string
	}{
		{"dave", []string{meta.TeamAdmin}},
		{"carol", []string{meta.TeamMember}},
		{"alice", nil},
	} {
		got, err := o.s.TeamRoles(o.ctx, o.users[c.user].ID, o.ns["acme"].ID)
		o.ok(err)
		if !slices.Equal(got, c.want) {
			t.Errorf("TeamRoles(%s) = %q, want %q", c.user, got, c.want)
		}
	}
	// Replacing a role and removing a team's permission show at once.
	o.ok(o.s.PutPermission(o.ctx, meta.Permission{RepoID: priv, UserID: o.users["carol"].ID, Role: meta.RoleAdmin}))
	o.ok(o.s.DeletePermission(o.ctx, priv, 0, o.teams["readers"].ID))
	got, err := o.s.RepoRoles(o.ctx, o.users["carol"].ID, priv)
	o.ok(err)
	if !slices.Equal(got, []string{meta.RoleAdmin}) {
		t.Errorf("RepoRoles(carol) after changes = %q, want [admin]", got)
	}
	ps, err := o.s.ListRepoPermissions(o.ctx, priv)
	o.ok(err)
	var who []string
	for _, p := range ps {
		who = append(who, p.UserName+p.TeamName)
	}
	if !slices.Equal(who, []string{"acme+bot", "carol"}) || !ps[0].Robot || ps[0].RepoName != "acme/priv" {
		t.Errorf("ListRepoPermissions = %+v", ps)
	}
}
