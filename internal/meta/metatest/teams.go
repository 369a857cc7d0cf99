package metatest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// ignoreCounts compares teams without the counts only some reads fill.
var ignoreCounts = cmpopts.IgnoreFields(meta.Team{}, "MemberCount", "RepoCount")

func teamTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			before := time.Now()
			team := meta.Team{NamespaceID: acme.ID, Name: "Owners", Description: "run it", Role: meta.TeamAdmin}
			f.ok(f.s.CreateTeam(f.ctx, &team))
			if team.ID == 0 {
				t.Fatal("CreateTeam did not set ID")
			}
			wantStamp(t, "Created", team.Created, before)
			for _, name := range []string{"Owners", "owners", "OWNERS"} {
				got, err := f.s.GetTeam(f.ctx, acme.ID, name)
				f.ok(err)
				wantEqual(t, "GetTeam("+name+")", got, team)
			}
			got, err := f.s.GetTeamByID(f.ctx, team.ID)
			f.ok(err)
			wantEqual(t, "GetTeamByID", got, team, ignoreCounts)
		}},
		{"Errors", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			other := f.org("other", false)
			team := f.team(acme.ID, "owners", meta.TeamAdmin)
			dup := meta.Team{NamespaceID: acme.ID, Name: "OWNERS", Role: meta.TeamMember}
			wantKind(t, "duplicate", f.s.CreateTeam(f.ctx, &dup), errs.Exists)
			f.team(other.ID, "Owners", meta.TeamMember) // the same name in another namespace is fine
			orphan := meta.Team{NamespaceID: other.ID + 1000, Name: "x", Role: meta.TeamMember}
			wantKind(t, "missing namespace", f.s.CreateTeam(f.ctx, &orphan), errs.NotFound)
			for _, role := range []string{"", "owner", "Admin"} {
				bad := meta.Team{NamespaceID: acme.ID, Name: "r" + role, Role: role}
				wantKind(t, "role "+role, f.s.CreateTeam(f.ctx, &bad), errs.Invalid)
			}
			wantKind(t, "empty name", f.s.CreateTeam(f.ctx, &meta.Team{NamespaceID: acme.ID, Role: meta.TeamMember}), errs.Invalid)
			_, err := f.s.GetTeam(f.ctx, acme.ID, "readers")
			wantKind(t, "GetTeam(missing)", err, errs.NotFound)
			_, err = f.s.GetTeam(f.ctx, acme.ID+1000, "owners")
			wantKind(t, "GetTeam(other namespace)", err, errs.NotFound)
			_, err = f.s.GetTeamByID(f.ctx, team.ID+1000)
			wantKind(t, "GetTeamByID(missing)", err, errs.NotFound)
		}},
		{"ListCounts", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			other := f.org("other", false)
			a, b := f.user("a"), f.user("b")
			bot := f.robot(acme, "ci")
			zeta := f.team(acme.ID, "zeta", meta.TeamCreator)
			tick()
			alpha := f.team(acme.ID, "alpha", meta.TeamMember)
			tick()
			empty := f.team(acme.ID, "empty", meta.TeamAdmin)
			f.team(other.ID, "elsewhere", meta.TeamMember)
			f.members(zeta.ID, a, b, bot)
			f.members(alpha.ID, a)
			r1 := f.repoIn(acme, "oci", "one", false)
			r2 := f.repoIn(acme, "generic", "two", false)
			f.grant(r1.ID, 0, zeta.ID, meta.RoleWrite)
			f.grant(r2.ID, 0, zeta.ID, meta.RoleRead)
			f.grant(r1.ID, 0, alpha.ID, meta.RoleRead)
			f.grant(r2.ID, a.ID, 0, meta.RoleAdmin) // a user's permission counts for no team
			zeta.MemberCount, zeta.RepoCount = 3, 2
			alpha.MemberCount, alpha.RepoCount = 1, 1
			got, err := f.s.ListTeams(f.ctx, acme.ID)
			f.ok(err)
			wantEqual(t, "ListTeams", got, []meta.Team{zeta, alpha, empty})
			one, err := f.s.GetTeam(f.ctx, acme.ID, "zeta")
			f.ok(err)
			wantEqual(t, "GetTeam", one, zeta)
			none, err := f.s.ListTeams(f.ctx, other.ID+1000)
			f.ok(err)
			if len(none) != 0 {
				t.Errorf("ListTeams(missing namespace) = %v, want none", none)
			}
		}},
		{"Update", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			team := f.team(acme.ID, "owners", meta.TeamMember)
			upd := team
			upd.Name, upd.NamespaceID, upd.Created = "renamed", acme.ID+1, team.Created.Add(time.Hour)
			upd.Description, upd.Role = "new words", meta.TeamAdmin
			f.ok(f.s.UpdateTeam(f.ctx, upd))
			want := team
			want.Description, want.Role = "new words", meta.TeamAdmin
			got, err := f.s.GetTeamByID(f.ctx, team.ID)
			f.ok(err)
			wantEqual(t, "updated team", got, want, ignoreCounts)
			bad := want
			bad.Role = "owner"
			wantKind(t, "UpdateTeam(bad role)", f.s.UpdateTeam(f.ctx, bad), errs.Invalid)
			got, err = f.s.GetTeamByID(f.ctx, team.ID)
			f.ok(err)
			if got.Role != meta.TeamAdmin {
				t.Errorf("refused update changed the role to %q", got.Role)
			}
			want.ID += 1000
			wantKind(t, "UpdateTeam(missing)", f.s.UpdateTeam(f.ctx, want), errs.NotFound)
		}},
		{"Members", testTeamMembers},
		{"DeleteCascades", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			u := f.person("bob", false)
			carol := f.person("carol", false)
			doomed := f.team(acme.ID, "doomed", meta.TeamAdmin)
			kept := f.team(acme.ID, "kept", meta.TeamMember)
			f.members(doomed.ID, u)
			f.members(kept.ID, u)
			inv := meta.Invite{TeamID: doomed.ID, UserID: carol.ID, Code: "c1"}
			f.ok(f.s.CreateInvite(f.ctx, &inv))
			mail := meta.Invite{TeamID: doomed.ID, Email: "x@example.com", Code: "c2"}
			f.ok(f.s.CreateInvite(f.ctx, &mail))
			r := f.repoIn(acme, "oci", "app", false)
			f.grant(r.ID, 0, doomed.ID, meta.RoleAdmin)
			f.grant(r.ID, 0, kept.ID, meta.RoleRead)

			f.ok(f.s.DeleteTeam(f.ctx, doomed.ID))

			_, err := f.s.GetTeamByID(f.ctx, doomed.ID)
			wantKind(t, "GetTeamByID", err, errs.NotFound)
			_, err = f.s.GetTeam(f.ctx, acme.ID, "doomed")
			wantKind(t, "GetTeam", err, errs.NotFound)
			teams, err := f.s.ListUserTeams(f.ctx, u.ID, 0)
			f.ok(err)
			wantEqual(t, "ListUserTeams", teamIDs(teams), []int64{kept.ID})
			for _, c := range []string{inv.Code, mail.Code} {
				_, err = f.s.GetInvite(f.ctx, c)
				wantKind(t, "GetInvite("+c+")", err, errs.NotFound)
			}
			invs, err := f.s.ListUserInvites(f.ctx, carol.ID, "x@example.com")
			f.ok(err)
			if len(invs) != 0 {
				t.Errorf("ListUserInvites = %v, want none", invs)
			}
			perms, err := f.s.ListRepoPermissions(f.ctx, r.ID)
			f.ok(err)
			if len(perms) != 1 || perms[0].TeamID != kept.ID {
				t.Errorf("ListRepoPermissions = %+v, want only kept's", perms)
			}
			roles, err := f.s.RepoRoles(f.ctx, u.ID, r.ID)
			f.ok(err)
			wantEqual(t, "RepoRoles", sorted(roles), []string{meta.RoleRead})
			roles, err = f.s.TeamRoles(f.ctx, u.ID, acme.ID)
			f.ok(err)
			wantEqual(t, "TeamRoles", sorted(roles), []string{meta.TeamMember})
			if _, err := f.s.GetUserByID(f.ctx, u.ID); err != nil {
				t.Errorf("member of a deleted team: %v", err)
			}
			wantKind(t, "DeleteTeam again", f.s.DeleteTeam(f.ctx, doomed.ID), errs.NotFound)
		}},
	}
}

// testTeamMembers adds, lists and removes team members.
func testTeamMembers(t *testing.T, f *fixture) {
	acme := f.org("acme", false)
	other := f.org("other", false)
	zoe, adam, bert := f.user("Zoe"), f.user("adam"), f.user("bert")
	bot := f.robot(acme, "ci")
	team := f.team(acme.ID, "devs", meta.TeamMember)
	tick()
	theirs := f.team(other.ID, "theirs", meta.TeamCreator)
	tick()
	second := f.team(acme.ID, "ops", meta.TeamCreator)
	f.members(team.ID, zoe, bot, adam)
	f.members(theirs.ID, adam)
	f.members(second.ID, adam)

	got, err := f.s.ListTeamMembers(f.ctx, team.ID)
	f.ok(err)
	wantEqual(t, "ListTeamMembers", got, []meta.User{bot, adam, zoe})

	wantKind(t, "AddTeamMember twice", f.s.AddTeamMember(f.ctx, team.ID, zoe.ID), errs.Exists)
	wantKind(t, "AddTeamMember(missing team)", f.s.AddTeamMember(f.ctx, second.ID+1000, bert.ID), errs.NotFound)
	wantKind(t, "AddTeamMember(missing user)", f.s.AddTeamMember(f.ctx, team.ID, bot.ID+1000), errs.NotFound)

	teams, err := f.s.ListUserTeams(f.ctx, adam.ID, 0)
	f.ok(err)
	wantEqual(t, "ListUserTeams(adam, every namespace)", teamIDs(teams), []int64{team.ID, theirs.ID, second.ID})
	wantEqual(t, "ListUserTeams(adam, every namespace)", teams, []meta.Team{team, theirs, second}, ignoreCounts)
	teams, err = f.s.ListUserTeams(f.ctx, adam.ID, acme.ID)
	f.ok(err)
	wantEqual(t, "ListUserTeams(adam, acme)", teamIDs(teams), []int64{team.ID, second.ID})
	teams, err = f.s.ListUserTeams(f.ctx, bert.ID, 0)
	f.ok(err)
	if len(teams) != 0 {
		t.Errorf("ListUserTeams(bert) = %v, want none", teams)
	}

	f.ok(f.s.RemoveTeamMember(f.ctx, team.ID, adam.ID))
	wantKind(t, "RemoveTeamMember again", f.s.RemoveTeamMember(f.ctx, team.ID, adam.ID), errs.NotFound)
	wantKind(t, "RemoveTeamMember(not a member)", f.s.RemoveTeamMember(f.ctx, team.ID, bert.ID), errs.NotFound)
	got, err = f.s.ListTeamMembers(f.ctx, team.ID)
	f.ok(err)
	wantEqual(t, "ListTeamMembers after remove", got, []meta.User{bot, zoe})
	teams, err = f.s.ListUserTeams(f.ctx, adam.ID, acme.ID)
	f.ok(err)
	wantEqual(t, "ListUserTeams(adam, acme) after remove", teamIDs(teams), []int64{second.ID})
	n, err := f.s.GetTeam(f.ctx, acme.ID, "devs")
	f.ok(err)
	if n.MemberCount != 2 {
		t.Errorf("MemberCount = %d, want 2", n.MemberCount)
	}
}
