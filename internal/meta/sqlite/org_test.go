package sqlite

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

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
	order []string // repository names in ID order
}

func newOrg(t *testing.T, s meta.Store) *org {
	o := &org{t: t, ctx: context.Background(), s: s, ns: map[string]meta.Namespace{},
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
		o.order = append(o.order, r.name)
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

func TestListVisibleRepos(t *testing.T) {
	t.Parallel()
	o := newOrg(t, open(t))
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

func TestRoles(t *testing.T) {
	t.Parallel()
	o := newOrg(t, open(t))
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

func TestDeleteNamespace(t *testing.T) {
	t.Parallel()
	o := newOrg(t, open(t))
	wantKind := func(what string, err error, k errs.Kind) {
		t.Helper()
		if !errs.Is(err, k) {
			t.Errorf("%s: %v, want kind %v", what, err, k)
		}
	}
	wantKind("with repositories", o.s.DeleteNamespace(o.ctx, o.ns["acme"].ID), errs.Conflict)
	wantKind("of a person", o.s.DeleteNamespace(o.ctx, o.ns["carol"].ID), errs.Conflict)
	wantKind("missing", o.s.DeleteNamespace(o.ctx, o.ns["hidden"].ID+1000), errs.NotFound)

	gone := meta.Namespace{Name: "gone", Kind: meta.KindOrg}
	o.ok(o.s.CreateNamespace(o.ctx, &gone))
	bot := meta.User{Name: "gone+bot", NamespaceID: gone.ID, Robot: true}
	o.ok(o.s.CreateUser(o.ctx, &bot))
	tm := meta.Team{NamespaceID: gone.ID, Name: "t", Role: meta.TeamMember}
	o.ok(o.s.CreateTeam(o.ctx, &tm))
	o.ok(o.s.AddTeamMember(o.ctx, tm.ID, bot.ID))
	o.ok(o.s.AddTeamMember(o.ctx, tm.ID, o.users["carol"].ID))
	o.ok(o.s.AddTeamMember(o.ctx, o.teams["readers"].ID, bot.ID)) // a robot in another organisation's team
	app := meta.App{NamespaceID: gone.ID, ClientID: "c", SealedSecret: []byte("s"), Name: "a"}
	o.ok(o.s.CreateApp(o.ctx, &app))
	tok := meta.Token{UserID: o.users["carol"].ID, Hash: "oauth", Kind: meta.TokenOAuth, AppID: app.ID}
	o.ok(o.s.CreateToken(o.ctx, &tok))
	p := meta.Prototype{UUID: "u", NamespaceID: gone.ID, DelegateTeamID: tm.ID, Role: meta.RoleRead}
	o.ok(o.s.CreatePrototype(o.ctx, &p))

	// Inside a transaction a refusal leaves the transaction usable.
	err := o.s.Tx(o.ctx, func(q meta.Queries) error {
		wantKind("in a transaction, with repositories", q.DeleteNamespace(o.ctx, o.ns["acme"].ID), errs.Conflict)
		return q.DeleteNamespace(o.ctx, gone.ID)
	})
	o.ok(err)

	_, err = o.s.GetNamespaceByID(o.ctx, gone.ID)
	wantKind("GetNamespaceByID", err, errs.NotFound)
	_, err = o.s.GetUserByID(o.ctx, bot.ID)
	wantKind("robot", err, errs.NotFound)
	_, err = o.s.GetTeamByID(o.ctx, tm.ID)
	wantKind("team", err, errs.NotFound)
	_, err = o.s.GetAppByID(o.ctx, app.ID)
	wantKind("app", err, errs.NotFound)
	_, err = o.s.GetTokenByHash(o.ctx, "oauth")
	wantKind("app token", err, errs.NotFound)
	_, err = o.s.GetPrototype(o.ctx, gone.ID, "u")
	wantKind("prototype", err, errs.NotFound)
	readers, err := o.s.GetTeamByID(o.ctx, o.teams["readers"].ID)
	o.ok(err)
	if readers.MemberCount != 1 {
		t.Errorf("readers has %d members, want 1 once the robot is gone", readers.MemberCount)
	}
	if _, err := o.s.GetUserByID(o.ctx, o.users["carol"].ID); err != nil {
		t.Errorf("a member of a deleted team: %v", err)
	}
	wantKind("again", o.s.DeleteNamespace(o.ctx, gone.ID), errs.NotFound)
}

func TestDeleteUser(t *testing.T) {
	t.Parallel()
	o := newOrg(t, open(t))
	carol := o.users["carol"]
	priv := o.repos["acme/priv"]
	v := meta.Version{RepoID: priv.ID, Version: "1.0", CreatorID: carol.ID}
	o.ok(o.s.CreateVersion(o.ctx, &v, nil))
	o.ok(o.s.CreateToken(o.ctx, &meta.Token{UserID: carol.ID, Hash: "carol"}))
	o.ok(o.s.Star(o.ctx, carol.ID, priv.ID))
	inv := meta.Invite{TeamID: o.teams["admins"].ID, UserID: o.users["bob"].ID, InviterID: carol.ID, Code: "x"}
	o.ok(o.s.CreateInvite(o.ctx, &inv))

	o.ok(o.s.DeleteUser(o.ctx, carol.ID))
	if err := o.s.DeleteUser(o.ctx, carol.ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("DeleteUser again: %v, want errs.NotFound", err)
	}
	got, err := o.s.GetVersionByID(o.ctx, v.ID)
	o.ok(err)
	if got.CreatorID != 0 {
		t.Errorf("CreatorID = %d, want 0", got.CreatorID)
	}
	if _, err := o.s.GetNamespaceByID(o.ctx, carol.NamespaceID); err != nil {
		t.Errorf("the person's namespace: %v, want it kept", err)
	}
	inv, err = o.s.GetInvite(o.ctx, "x")
	o.ok(err)
	if inv.InviterID != 0 {
		t.Errorf("InviterID = %d, want 0", inv.InviterID)
	}
	if n, err := o.s.CountStars(o.ctx, priv.ID); err != nil || n != 0 {
		t.Errorf("CountStars = %d, %v; want 0", n, err)
	}
	roles, err := o.s.RepoRoles(o.ctx, carol.ID, priv.ID)
	o.ok(err)
	if len(roles) != 0 {
		t.Errorf("roles of a deleted user: %q", roles)
	}
	readers, err := o.s.GetTeamByID(o.ctx, o.teams["readers"].ID)
	o.ok(err)
	if readers.MemberCount != 0 || readers.RepoCount != 1 {
		t.Errorf("readers = %+v, want no members and one repository", readers)
	}
}

func TestTakeGrantCode(t *testing.T) {
	t.Parallel()
	o := newOrg(t, open(t))
	app := meta.App{NamespaceID: o.ns["acme"].ID, ClientID: "cid", SealedSecret: []byte{1}, Name: "app"}
	o.ok(o.s.CreateApp(o.ctx, &app))
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	c := meta.GrantCode{Hash: "h", AppID: app.ID, UserID: o.users["bob"].ID, Scopes: []string{"repo:read"},
		RedirectURI: "https://example.com/cb", Created: at, Expires: at.Add(time.Minute)}
	o.ok(o.s.CreateGrantCode(o.ctx, c))
	if err := o.s.CreateGrantCode(o.ctx, c); !errs.Is(err, errs.Exists) {
		t.Errorf("CreateGrantCode again: %v, want errs.Exists", err)
	}
	got, err := o.s.TakeGrantCode(o.ctx, "h", at.Add(time.Minute))
	o.ok(err)
	if !slices.Equal(got.Scopes, c.Scopes) || !got.Expires.Equal(c.Expires) || got.UserID != c.UserID ||
		got.RedirectURI != c.RedirectURI || !got.Created.Equal(at) {
		t.Errorf("TakeGrantCode = %+v, want %+v", got, c)
	}
	if _, err := o.s.TakeGrantCode(o.ctx, "h", at); !errs.Is(err, errs.NotFound) {
		t.Errorf("TakeGrantCode again: %v, want errs.NotFound", err)
	}
	c.Hash = "old"
	o.ok(o.s.CreateGrantCode(o.ctx, c))
	if _, err := o.s.TakeGrantCode(o.ctx, "old", at.Add(time.Hour)); !errs.Is(err, errs.NotFound) {
		t.Errorf("TakeGrantCode(expired): %v, want errs.NotFound", err)
	}
	if _, err := o.s.TakeGrantCode(o.ctx, "old", at); !errs.Is(err, errs.NotFound) {
		t.Errorf("TakeGrantCode(expired, taken before): %v, want errs.NotFound", err)
	}
}

func TestListLogs(t *testing.T) {
	t.Parallel()
	o := newOrg(t, open(t))
	acme := o.ns["acme"].ID
	base := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	var es []meta.LogEntry
	for i, kind := range []string{"push", "pull", "push", "delete"} {
		e := meta.LogEntry{Kind: kind, NamespaceID: acme, PerformerID: o.users["dave"].ID,
			Metadata: []byte(`{"i":1}`), Created: base.Add(time.Duration(i) * time.Hour)}
		o.ok(o.s.AddLog(o.ctx, &e))
		es = append(es, e)
	}
	o.ok(o.s.AddLog(o.ctx, &meta.LogEntry{Kind: "push", NamespaceID: o.ns["bob"].ID}))
	ids := func(f meta.LogFilter) []int64 {
		t.Helper()
		got, err := o.s.ListLogs(o.ctx, f)
		o.ok(err)
		var out []int64
		for _, e := range got {
			out = append(out, e.ID)
		}
		return out
	}
	for _, c := range []struct {
		name string
		f    meta.LogFilter
		want []int64
	}{
		{"namespace", meta.LogFilter{NamespaceID: acme}, []int64{es[3].ID, es[2].ID, es[1].ID, es[0].ID}},
		{"kinds", meta.LogFilter{NamespaceID: acme, Kinds: []string{"push", "delete"}},
			[]int64{es[3].ID, es[2].ID, es[0].ID}},
		{"range", meta.LogFilter{PerformerID: o.users["dave"].ID, Start: base.Add(time.Hour), End: base.Add(3 * time.Hour)},
			[]int64{es[2].ID, es[1].ID}},
		{"start within a microsecond", meta.LogFilter{NamespaceID: acme, Start: base.Add(time.Hour + time.Nanosecond)},
			[]int64{es[3].ID, es[2].ID}},
		{"before and limit", meta.LogFilter{NamespaceID: acme, BeforeID: es[3].ID, Limit: 2}, []int64{es[2].ID, es[1].ID}},
		{"both", meta.LogFilter{NamespaceID: acme, PerformerID: o.users["bob"].ID}, nil},
	} {
		if got := ids(c.f); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
	got, err := o.s.ListLogs(o.ctx, meta.LogFilter{NamespaceID: acme, Limit: 1})
	o.ok(err)
	if len(got) != 1 || string(got[0].Metadata) != `{"i":1}` || !got[0].Created.Equal(es[3].Created) {
		t.Errorf("ListLogs = %+v, want %+v", got, es[3])
	}
	if _, err := o.s.ListLogs(o.ctx, meta.LogFilter{Kinds: []string{"push"}}); !errs.Is(err, errs.Invalid) {
		t.Errorf("ListLogs without a subject: %v, want errs.Invalid", err)
	}
}

// seedOrgs records 20 organisations of 500 repositories, a third of them
// public, and 100 people: person i administers organisation i, is in the
// member team of three and has a permission of their own on a few
// repositories. It returns the people and the organisations.
func seedOrgs(b *testing.B, s meta.Store) ([]meta.User, []meta.Namespace) {
	b.Helper()
	ctx := context.Background()
	var users []meta.User
	var orgs []meta.Namespace
	err := s.Tx(ctx, func(q meta.Queries) error {
		for i := range 100 {
			n := meta.Namespace{Name: fmt.Sprintf("user%d", i), Kind: meta.KindUser, Public: true}
			if err := q.CreateNamespace(ctx, &n); err != nil {
				return err
			}
			u := meta.User{Name: n.Name, NamespaceID: n.ID}
			if err := q.CreateUser(ctx, &u); err != nil {
				return err
			}
			users = append(users, u)
		}
		for i := range 20 {
			n := meta.Namespace{Name: fmt.Sprintf("org%d", i), Kind: meta.KindOrg, Public: true}
			if err := q.CreateNamespace(ctx, &n); err != nil {
				return err
			}
			orgs = append(orgs, n)
			admins := meta.Team{NamespaceID: n.ID, Name: "admins", Role: meta.TeamAdmin}
			members := meta.Team{NamespaceID: n.ID, Name: "members", Role: meta.TeamMember}
			for _, tm := range []*meta.Team{&admins, &members} {
				if err := q.CreateTeam(ctx, tm); err != nil {
					return err
				}
			}
			if err := q.AddTeamMember(ctx, admins.ID, users[i].ID); err != nil {
				return err
			}
			for j := range 15 {
				if err := q.AddTeamMember(ctx, members.ID, users[(i*5+j)%100].ID); err != nil {
					return err
				}
			}
			for j := range 500 {
				r := meta.Repository{NamespaceID: n.ID, Type: "oci", Name: fmt.Sprintf("%s/r%d", n.Name, j), Public: j%3 == 0}
				if err := q.CreateRepo(ctx, &r); err != nil {
					return err
				}
				p := meta.Permission{RepoID: r.ID, TeamID: members.ID, Role: meta.RoleRead}
				if j%25 == 1 {
					p = meta.Permission{RepoID: r.ID, UserID: users[(i+j)%100].ID, Role: meta.RoleWrite}
				}
				if j%25 <= 1 {
					if err := q.PutPermission(ctx, p); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return users, orgs
}

// BenchmarkListVisibleRepos lists among 10,000 repositories what a person
// who administers none of them sees.
func BenchmarkListVisibleRepos(b *testing.B) {
	s := open(b)
	users, orgs := seedOrgs(b, s)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		f    meta.RepoFilter
	}{
		{"PublicPage", meta.RepoFilter{Type: "oci", UserID: users[50].ID, Public: true, Limit: 50}},
		{"Private", meta.RepoFilter{Type: "oci", UserID: users[50].ID}},
		{"Namespace", meta.RepoFilter{Type: "oci", UserID: users[50].ID, Public: true, NamespaceID: orgs[9].ID}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.ListVisibleRepos(ctx, c.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRepoRoles measures the question every authorization decision
// on a repository asks.
func BenchmarkRepoRoles(b *testing.B) {
	s := open(b)
	users, _ := seedOrgs(b, s)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := s.RepoRoles(ctx, users[i%100].ID, int64(i%10000+1)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
