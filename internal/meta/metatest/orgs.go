package metatest

import (
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func orgTests() []test {
	return []test{
		{"Settings", func(t *testing.T, f *fixture) {
			n := meta.Namespace{Name: "acme", Kind: meta.KindOrg, Public: true, Email: "ops@acme.example",
				InvoiceEmail: true, InvoiceEmailAddress: "billing@acme.example", TagExpirationSecs: 3600}
			f.ok(f.s.CreateNamespace(f.ctx, &n))
			got, err := f.s.GetNamespace(f.ctx, "ACME")
			f.ok(err)
			wantEqual(t, "GetNamespace", got, n)
			got, err = f.s.GetNamespaceByID(f.ctx, n.ID)
			f.ok(err)
			wantEqual(t, "GetNamespaceByID", got, n)
		}},
		{"DefaultTagExpiration", func(t *testing.T, f *fixture) {
			n := f.org("acme", false)
			got, err := f.s.GetNamespaceByID(f.ctx, n.ID)
			f.ok(err)
			if got.TagExpirationSecs != meta.DefaultTagExpirationSecs {
				t.Errorf("TagExpirationSecs of a new namespace = %d, want %d", got.TagExpirationSecs, meta.DefaultTagExpirationSecs)
			}
			if got.Email != "" || got.InvoiceEmail || got.InvoiceEmailAddress != "" {
				t.Errorf("new namespace has settings: %+v", got)
			}
		}},
		{"Update", func(t *testing.T, f *fixture) {
			n := f.org("acme", false)
			other := f.org("other", false)
			upd := meta.Namespace{ID: n.ID, Name: "renamed", Kind: meta.KindUser, Public: true,
				Created: n.Created.Add(time.Hour), Email: "a@acme.example", InvoiceEmail: true,
				InvoiceEmailAddress: "inv@acme.example", TagExpirationSecs: 60}
			f.ok(f.s.UpdateNamespace(f.ctx, upd))
			want := upd
			want.Name, want.Kind, want.Created = n.Name, n.Kind, n.Created
			got, err := f.s.GetNamespace(f.ctx, "acme")
			f.ok(err)
			wantEqual(t, "updated namespace", got, want)

			want.Public, want.Email, want.InvoiceEmail, want.InvoiceEmailAddress, want.TagExpirationSecs = false, "", false, "", 0
			f.ok(f.s.UpdateNamespace(f.ctx, want))
			got, err = f.s.GetNamespaceByID(f.ctx, n.ID)
			f.ok(err)
			wantEqual(t, "namespace updated back", got, want)
			got, err = f.s.GetNamespaceByID(f.ctx, other.ID)
			f.ok(err)
			wantEqual(t, "other namespace", got, other)

			upd.ID = other.ID + 1000
			wantKind(t, "UpdateNamespace(missing)", f.s.UpdateNamespace(f.ctx, upd), errs.NotFound)
		}},
		{"DeleteRemovesOrganisation", testDeleteOrg},
		{"DeleteConflict", func(t *testing.T, f *fixture) {
			alice := f.person("alice", false)
			bot := f.robot(meta.Namespace{ID: alice.NamespaceID, Name: "alice"}, "bot")
			wantKind(t, "DeleteNamespace(a person's)", f.s.DeleteNamespace(f.ctx, alice.NamespaceID), errs.Conflict)

			acme := f.org("acme", false)
			team := f.team(acme.ID, "owners", meta.TeamAdmin)
			r := f.repoIn(acme, "oci", "app", false)
			wantKind(t, "DeleteNamespace(with a repository)", f.s.DeleteNamespace(f.ctx, acme.ID), errs.Conflict)
			if _, err := f.s.GetTeamByID(f.ctx, team.ID); err != nil {
				t.Errorf("refused DeleteNamespace removed a team: %v", err)
			}
			if _, err := f.s.GetNamespaceByID(f.ctx, acme.ID); err != nil {
				t.Errorf("refused DeleteNamespace removed the namespace: %v", err)
			}
			_, err := f.s.DeleteRepo(f.ctx, r.ID)
			f.ok(err)
			f.ok(f.s.DeleteNamespace(f.ctx, acme.ID))

			if _, err := f.s.GetUserByID(f.ctx, alice.ID); err != nil {
				t.Errorf("refused DeleteNamespace removed the person: %v", err)
			}
			f.ok(f.s.DeleteUser(f.ctx, alice.ID))
			f.ok(f.s.DeleteNamespace(f.ctx, alice.NamespaceID))
			_, err = f.s.GetUserByID(f.ctx, bot.ID)
			wantKind(t, "robot of a deleted namespace", err, errs.NotFound)
			wantKind(t, "DeleteNamespace(missing)", f.s.DeleteNamespace(f.ctx, acme.ID), errs.NotFound)
		}},
		{"List", func(t *testing.T, f *fixture) {
			byName := map[string]meta.Namespace{}
			for _, c := range []struct {
				name string
				kind meta.NamespaceKind
			}{{"delta", meta.KindOrg}, {"bravo", meta.KindUser}, {"echo", meta.KindUser}, {"alpha", meta.KindOrg},
				{"charlie", meta.KindOrg}, {"x_y", meta.KindOrg}, {"xzy", meta.KindOrg}, {"x%z", meta.KindUser}} {
				n := meta.Namespace{Name: c.name, Kind: c.kind}
				f.ok(f.s.CreateNamespace(f.ctx, &n))
				byName[c.name] = n
			}
			cases := []struct {
				name string
				f    meta.NamespaceFilter
				want []string
			}{
				{"orgs", meta.NamespaceFilter{Kind: meta.KindOrg, Limit: 100}, []string{"alpha", "charlie", "delta", "x_y", "xzy"}},
				{"users", meta.NamespaceFilter{Kind: meta.KindUser, Limit: 100}, []string{"bravo", "echo", "x%z"}},
				{"limit", meta.NamespaceFilter{Limit: 3}, []string{"alpha", "bravo", "charlie"}},
				{"after", meta.NamespaceFilter{After: "charlie", Limit: 2}, []string{"delta", "echo"}},
				{"after a missing name", meta.NamespaceFilter{After: "c", Limit: 2}, []string{"charlie", "delta"}},
				{"kind after", meta.NamespaceFilter{Kind: meta.KindOrg, After: "bravo", Limit: 2}, []string{"charlie", "delta"}},
				{"prefix", meta.NamespaceFilter{Prefix: "ch", Limit: 100}, []string{"charlie"}},
				{"underscore literal", meta.NamespaceFilter{Prefix: "x_", Limit: 100}, []string{"x_y"}},
				{"percent literal", meta.NamespaceFilter{Prefix: "x%", Limit: 100}, []string{"x%z"}},
				{"prefix and kind", meta.NamespaceFilter{Kind: meta.KindUser, Prefix: "x", Limit: 100}, []string{"x%z"}},
				{"past the end", meta.NamespaceFilter{After: "zulu", Limit: 100}, nil},
			}
			for _, c := range cases {
				got, err := f.s.ListNamespaces(f.ctx, c.f)
				f.ok(err)
				var want []meta.Namespace
				for _, n := range c.want {
					want = append(want, byName[n])
				}
				wantEqual(t, "ListNamespaces "+c.name, got, want)
			}
		}},
	}
}

// testDeleteOrg deletes an organisation with everything it holds.
func testDeleteOrg(t *testing.T, f *fixture) {
	acme := f.org("acme", true)
	bob := f.person("bob", false)
	carol := f.person("carol", false)
	bot := f.robot(acme, "ci")
	botTok := meta.Token{UserID: bot.ID, Hash: "robot-token"}
	f.ok(f.s.CreateToken(f.ctx, &botTok))
	owners := f.team(acme.ID, "owners", meta.TeamAdmin)
	f.members(owners.ID, bob, bot)
	userInv := meta.Invite{TeamID: owners.ID, UserID: carol.ID, InviterID: bob.ID, Code: "inv-user"}
	f.ok(f.s.CreateInvite(f.ctx, &userInv))
	mailInv := meta.Invite{TeamID: owners.ID, Email: "Carol@Example.com", InviterID: bob.ID, Code: "inv-mail"}
	f.ok(f.s.CreateInvite(f.ctx, &mailInv))
	proto := meta.Prototype{UUID: "proto-1", NamespaceID: acme.ID, DelegateTeamID: owners.ID, Role: meta.RoleWrite}
	f.ok(f.s.CreatePrototype(f.ctx, &proto))
	app := f.app(acme.ID, "client-1")
	oauth := meta.Token{UserID: bob.ID, Hash: "oauth-token", Kind: meta.TokenOAuth, AppID: app.ID}
	f.ok(f.s.CreateToken(f.ctx, &oauth))
	code := meta.GrantCode{Hash: "code-1", AppID: app.ID, UserID: bob.ID, Created: at(0), Expires: time.Now().Add(time.Hour)}
	f.ok(f.s.CreateGrantCode(f.ctx, code))
	bobRepo := f.repoIn(meta.Namespace{ID: bob.NamespaceID, Name: "bob"}, "oci", "app", false)
	f.grant(bobRepo.ID, bot.ID, 0, meta.RoleRead)
	f.ok(f.s.Star(f.ctx, bot.ID, bobRepo.ID))
	entry := meta.LogEntry{Kind: "org_create", NamespaceID: acme.ID, PerformerID: bob.ID, Metadata: []byte(`{"namespace":"acme"}`)}
	f.ok(f.s.AddLog(f.ctx, &entry))

	f.ok(f.s.DeleteNamespace(f.ctx, acme.ID))

	_, err := f.s.GetNamespaceByID(f.ctx, acme.ID)
	wantKind(t, "GetNamespaceByID", err, errs.NotFound)
	_, err = f.s.GetNamespace(f.ctx, "acme")
	wantKind(t, "GetNamespace", err, errs.NotFound)
	_, err = f.s.GetUserByID(f.ctx, bot.ID)
	wantKind(t, "GetUserByID(robot)", err, errs.NotFound)
	_, err = f.s.GetUser(f.ctx, bot.Name)
	wantKind(t, "GetUser(robot)", err, errs.NotFound)
	_, err = f.s.GetTokenByHash(f.ctx, botTok.Hash)
	wantKind(t, "robot's token", err, errs.NotFound)
	_, err = f.s.GetTeamByID(f.ctx, owners.ID)
	wantKind(t, "GetTeamByID", err, errs.NotFound)
	teams, err := f.s.ListUserTeams(f.ctx, bob.ID, 0)
	f.ok(err)
	if len(teams) != 0 {
		t.Errorf("ListUserTeams(bob) = %v, want none", teams)
	}
	for _, c := range []string{userInv.Code, mailInv.Code} {
		_, err = f.s.GetInvite(f.ctx, c)
		wantKind(t, "GetInvite("+c+")", err, errs.NotFound)
	}
	invs, err := f.s.ListUserInvites(f.ctx, carol.ID, carol.Email)
	f.ok(err)
	if len(invs) != 0 {
		t.Errorf("ListUserInvites(carol) = %v, want none", invs)
	}
	_, err = f.s.GetPrototype(f.ctx, acme.ID, proto.UUID)
	wantKind(t, "GetPrototype", err, errs.NotFound)
	protos, err := f.s.ListPrototypes(f.ctx, acme.ID)
	f.ok(err)
	if len(protos) != 0 {
		t.Errorf("ListPrototypes = %v, want none", protos)
	}
	_, err = f.s.GetApp(f.ctx, app.ClientID)
	wantKind(t, "GetApp", err, errs.NotFound)
	_, err = f.s.GetTokenByHash(f.ctx, oauth.Hash)
	wantKind(t, "token the application issued", err, errs.NotFound)
	_, err = f.s.TakeGrantCode(f.ctx, code.Hash, time.Now())
	wantKind(t, "code of the application", err, errs.NotFound)
	perms, err := f.s.ListRepoPermissions(f.ctx, bobRepo.ID)
	f.ok(err)
	if len(perms) != 0 {
		t.Errorf("robot's permission outlived it: %v", perms)
	}
	if n, err := f.s.CountStars(f.ctx, bobRepo.ID); err != nil || n != 0 {
		t.Errorf("CountStars = %d, %v; want the robot's star gone", n, err)
	}

	for _, u := range []meta.User{bob, carol} {
		if _, err := f.s.GetUserByID(f.ctx, u.ID); err != nil {
			t.Errorf("member %s: %v", u.Name, err)
		}
	}
	logs, err := f.s.ListLogs(f.ctx, meta.LogFilter{NamespaceID: acme.ID, Start: time.Now().Add(-time.Hour),
		End: time.Now().Add(time.Hour), Limit: 10})
	f.ok(err)
	wantEqual(t, "log of the deleted namespace", logs, []meta.LogEntry{entry})
	wantKind(t, "DeleteNamespace again", f.s.DeleteNamespace(f.ctx, acme.ID), errs.NotFound)
	again := meta.Namespace{Name: "acme", Kind: meta.KindOrg}
	f.ok(f.s.CreateNamespace(f.ctx, &again))
}
