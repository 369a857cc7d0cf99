package metatest

import (
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func robotTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			before := time.Now()
			u := meta.User{Name: "acme+Deploy", NamespaceID: acme.ID, Robot: true, Description: "deploys",
				Metadata: []byte(`{"team":"ops"}`), SealedSecret: []byte{0, 1, 2, 0xff}, SecretHash: "abc123",
				LastAccessed: at(0)}
			f.ok(f.s.CreateUser(f.ctx, &u))
			if u.ID == 0 {
				t.Fatal("CreateUser did not set ID")
			}
			wantStamp(t, "Created", u.Created, before)
			for _, name := range []string{"acme+Deploy", "ACME+deploy"} {
				got, err := f.s.GetUser(f.ctx, name)
				f.ok(err)
				wantEqual(t, "GetUser("+name+")", got, u)
			}
			got, err := f.s.GetUserByID(f.ctx, u.ID)
			f.ok(err)
			wantEqual(t, "GetUserByID", got, u)
			wantUTC(t, "LastAccessed", got.LastAccessed)
		}},
		{"PersonHasNoRobotFields", func(t *testing.T, f *fixture) {
			u := f.user("erin")
			got, err := f.s.GetUserByID(f.ctx, u.ID)
			f.ok(err)
			if got.Robot || got.Description != "" || got.Metadata != nil || got.SealedSecret != nil ||
				got.SecretHash != "" || !got.LastAccessed.IsZero() {
				t.Errorf("person has robot fields: %+v", got)
			}
		}},
		{"Update", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			bot := f.robot(acme, "ci")
			upd := bot
			upd.Robot = false
			upd.Description = "builds"
			upd.Metadata = []byte(`{"k":[1,2]}`)
			upd.SealedSecret = []byte("resealed")
			upd.SecretHash = "new-hash"
			upd.LastAccessed = at(5)
			f.ok(f.s.UpdateUser(f.ctx, upd))
			want := upd
			want.Robot = true
			got, err := f.s.GetUserByID(f.ctx, bot.ID)
			f.ok(err)
			wantEqual(t, "updated robot", got, want)

			upd = want
			upd.Metadata, upd.SealedSecret, upd.LastAccessed, upd.Description = nil, nil, time.Time{}, ""
			f.ok(f.s.UpdateUser(f.ctx, upd))
			got, err = f.s.GetUserByID(f.ctx, bot.ID)
			f.ok(err)
			wantEqual(t, "robot with fields cleared", got, upd)

			p := f.user("frank")
			p.Robot = true
			f.ok(f.s.UpdateUser(f.ctx, p))
			got, err = f.s.GetUserByID(f.ctx, p.ID)
			f.ok(err)
			if got.Robot {
				t.Error("UpdateUser made a person a robot")
			}
		}},
		{"List", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			other := f.org("other", false)
			people := map[string]meta.User{}
			for _, n := range []string{"Zoe", "bert", "adam"} {
				people[n] = f.user(n)
			}
			robots := map[string]meta.User{}
			for _, n := range []string{"zed", "ci", "a_b", "axb"} {
				r := f.robot(acme, n)
				robots[r.Name] = r
			}
			ob := f.robot(other, "bot")
			robots[ob.Name] = ob
			cases := []struct {
				name string
				f    meta.UserFilter
				want []string
			}{
				{"people", meta.UserFilter{Limit: 100}, []string{"adam", "bert", "Zoe"}},
				{"people limit", meta.UserFilter{Limit: 2}, []string{"adam", "bert"}},
				{"people after", meta.UserFilter{After: "adam", Limit: 100}, []string{"bert", "Zoe"}},
				{"people after, limit", meta.UserFilter{After: "adam", Limit: 1}, []string{"bert"}},
				{"people prefix", meta.UserFilter{Prefix: "z", Limit: 100}, []string{"Zoe"}},
				{"people prefix of none", meta.UserFilter{Prefix: "acme", Limit: 100}, nil},
				{"robots", meta.UserFilter{Robots: true, Limit: 100}, []string{"acme+a_b", "acme+axb", "acme+ci", "acme+zed", "other+bot"}},
				{"robots of a namespace", meta.UserFilter{Robots: true, NamespaceID: other.ID, Limit: 100}, []string{"other+bot"}},
				{"robots of a namespace, after", meta.UserFilter{Robots: true, NamespaceID: acme.ID, After: "acme+axb", Limit: 1}, []string{"acme+ci"}},
				{"robots underscore literal", meta.UserFilter{Robots: true, Prefix: "acme+a_", Limit: 100}, []string{"acme+a_b"}},
				{"robots prefix", meta.UserFilter{Robots: true, Prefix: "acme+", Limit: 2}, []string{"acme+a_b", "acme+axb"}},
			}
			for _, c := range cases {
				got, err := f.s.ListUsers(f.ctx, c.f)
				f.ok(err)
				var want []meta.User
				for _, n := range c.want {
					u, ok := people[n]
					if !ok {
						u = robots[n]
					}
					want = append(want, u)
				}
				wantEqual(t, "ListUsers "+c.name, got, want)
			}
		}},
	}
}

func deleteUserTests() []test {
	return []test{
		{"Cascades", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			victim := f.person("victim", false)
			keep := f.person("keep", false)
			carol := f.person("carol", false)
			tok := meta.Token{UserID: victim.ID, Hash: "victim-token"}
			f.ok(f.s.CreateToken(f.ctx, &tok))
			team := f.team(acme.ID, "owners", meta.TeamAdmin)
			f.members(team.ID, victim, keep)
			invited := meta.Invite{TeamID: team.ID, UserID: victim.ID, InviterID: keep.ID, Code: "to-victim"}
			f.ok(f.s.CreateInvite(f.ctx, &invited))
			sent := meta.Invite{TeamID: team.ID, UserID: carol.ID, InviterID: victim.ID, Code: "from-victim"}
			f.ok(f.s.CreateInvite(f.ctx, &sent))
			r := f.repoIn(acme, "generic", "pkg", false)
			f.grant(r.ID, victim.ID, 0, meta.RoleWrite)
			f.grant(r.ID, keep.ID, 0, meta.RoleRead)
			delegate := meta.Prototype{UUID: "p-delegate", NamespaceID: acme.ID, DelegateUserID: victim.ID, Role: meta.RoleRead}
			f.ok(f.s.CreatePrototype(f.ctx, &delegate))
			activating := meta.Prototype{UUID: "p-activating", NamespaceID: acme.ID, ActivatingUserID: victim.ID,
				DelegateTeamID: team.ID, Role: meta.RoleWrite}
			f.ok(f.s.CreatePrototype(f.ctx, &activating))
			kept := meta.Prototype{UUID: "p-kept", NamespaceID: acme.ID, DelegateUserID: keep.ID, Role: meta.RoleAdmin}
			f.ok(f.s.CreatePrototype(f.ctx, &kept))
			f.ok(f.s.Star(f.ctx, victim.ID, r.ID))
			f.ok(f.s.Star(f.ctx, keep.ID, r.ID))
			v := meta.Version{RepoID: r.ID, Version: "1.0", CreatorID: victim.ID}
			f.ok(f.s.CreateVersion(f.ctx, &v, nil))

			f.ok(f.s.DeleteUser(f.ctx, victim.ID))

			_, err := f.s.GetUserByID(f.ctx, victim.ID)
			wantKind(t, "GetUserByID", err, errs.NotFound)
			_, err = f.s.GetUser(f.ctx, "victim")
			wantKind(t, "GetUser", err, errs.NotFound)
			_, err = f.s.GetTokenByHash(f.ctx, tok.Hash)
			wantKind(t, "token", err, errs.NotFound)
			members, err := f.s.ListTeamMembers(f.ctx, team.ID)
			f.ok(err)
			wantEqual(t, "team members", userNames(members), []string{"keep"})
			got, err := f.s.GetTeam(f.ctx, acme.ID, "owners")
			f.ok(err)
			if got.MemberCount != 1 {
				t.Errorf("MemberCount = %d, want 1", got.MemberCount)
			}
			_, err = f.s.GetInvite(f.ctx, invited.Code)
			wantKind(t, "invitation of the user", err, errs.NotFound)
			inv, err := f.s.GetInvite(f.ctx, sent.Code)
			f.ok(err)
			sent.InviterID = 0
			wantEqual(t, "invitation the user sent", inv, sent)
			perms, err := f.s.ListRepoPermissions(f.ctx, r.ID)
			f.ok(err)
			if len(perms) != 1 || perms[0].UserID != keep.ID {
				t.Errorf("permissions = %+v, want only keep's", perms)
			}
			protos, err := f.s.ListPrototypes(f.ctx, acme.ID)
			f.ok(err)
			wantEqual(t, "prototypes", protos, []meta.Prototype{kept})
			if n, err := f.s.CountStars(f.ctx, r.ID); err != nil || n != 1 {
				t.Errorf("CountStars = %d, %v; want 1", n, err)
			}
			gotV, err := f.s.GetVersionByID(f.ctx, v.ID)
			f.ok(err)
			v.CreatorID = 0
			wantEqual(t, "version the user created", gotV, v)
			if _, err := f.s.GetNamespaceByID(f.ctx, victim.NamespaceID); err != nil {
				t.Errorf("the user's namespace: %v", err)
			}
			wantKind(t, "DeleteUser again", f.s.DeleteUser(f.ctx, victim.ID), errs.NotFound)
		}},
		{"Robot", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			bot := f.robot(acme, "ci")
			other := f.robot(acme, "cd")
			team := f.team(acme.ID, "builders", meta.TeamCreator)
			f.members(team.ID, bot, other)
			f.ok(f.s.DeleteUser(f.ctx, bot.ID))
			robots, err := f.s.ListUsers(f.ctx, meta.UserFilter{Robots: true, NamespaceID: acme.ID, Limit: 10})
			f.ok(err)
			wantEqual(t, "robots", robots, []meta.User{other})
			members, err := f.s.ListTeamMembers(f.ctx, team.ID)
			f.ok(err)
			wantEqual(t, "members", members, []meta.User{other})
		}},
	}
}
