package metatest

import (
	"slices"
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func orgSceneDeleteNamespace(t *testing.T, f *fixture) {
	o := newOrg(t, f.s)
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
	_, err = o.s.GetApp(o.ctx, app.ClientID)
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

func orgSceneDeleteUser(t *testing.T, f *fixture) {
	o := newOrg(t, f.s)
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

func orgSceneTakeGrantCode(t *testing.T, f *fixture) {
	o := newOrg(t, f.s)
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

func orgSceneListLogs(t *testing.T, f *fixture) {
	o := newOrg(t, f.s)
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
