package metatest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// permissionTests cover writing and listing permissions; what they grant
// is in visibilityTests.
func permissionTests() []test {
	return []test{
		{"ListRepo", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			bea, adam := f.user("Bea"), f.user("adam")
			bot := f.robot(acme, "bot")
			writers := f.team(acme.ID, "Writers", meta.TeamCreator)
			auditors := f.team(acme.ID, "auditors", meta.TeamMember)
			r := f.repoIn(acme, "oci", "app", false)
			other := f.repoIn(acme, "oci", "other", false)
			before := time.Now()
			f.grant(r.ID, 0, writers.ID, meta.RoleWrite)
			f.grant(r.ID, bea.ID, 0, meta.RoleAdmin)
			f.grant(r.ID, bot.ID, 0, meta.RoleRead)
			f.grant(r.ID, 0, auditors.ID, meta.RoleRead)
			f.grant(r.ID, adam.ID, 0, meta.RoleWrite)
			f.grant(other.ID, adam.ID, 0, meta.RoleRead)

			got, err := f.s.ListRepoPermissions(f.ctx, r.ID)
			f.ok(err)
			want := []meta.Permission{
				{RepoID: r.ID, UserID: bot.ID, Role: meta.RoleRead, UserName: bot.Name, Robot: true},
				{RepoID: r.ID, UserID: adam.ID, Role: meta.RoleWrite, UserName: "adam"},
				{RepoID: r.ID, UserID: bea.ID, Role: meta.RoleAdmin, UserName: "Bea"},
				{RepoID: r.ID, TeamID: auditors.ID, Role: meta.RoleRead, TeamName: "auditors"},
				{RepoID: r.ID, TeamID: writers.ID, Role: meta.RoleWrite, TeamName: "Writers"},
			}
			wantEqual(t, "ListRepoPermissions", got, want,
				cmpopts.IgnoreFields(meta.Permission{}, "Created", "RepoName", "Public"))
			for _, p := range got {
				wantStamp(t, "Created", p.Created, before)
			}

			// Putting again replaces the role.
			f.grant(r.ID, adam.ID, 0, meta.RoleAdmin)
			f.grant(r.ID, 0, writers.ID, meta.RoleRead)
			want[1].Role, want[4].Role = meta.RoleAdmin, meta.RoleRead
			got, err = f.s.ListRepoPermissions(f.ctx, r.ID)
			f.ok(err)
			wantEqual(t, "ListRepoPermissions after replacing", got, want,
				cmpopts.IgnoreFields(meta.Permission{}, "Created", "RepoName", "Public"))
			none, err := f.s.ListRepoPermissions(f.ctx, other.ID+1000)
			f.ok(err)
			if len(none) != 0 {
				t.Errorf("ListRepoPermissions(missing) = %v, want none", none)
			}
		}},
		{"ListUserTeam", func(t *testing.T, f *fixture) {
			acme := f.org("acme", true)
			u := f.user("bob")
			team := f.team(acme.ID, "devs", meta.TeamMember)
			f.members(team.ID, u)
			zeta := f.repoIn(acme, "oci", "zeta", true)
			alpha := f.repoIn(acme, "generic", "alpha", false)
			mid := f.repoIn(acme, "oci", "mid", false)
			f.grant(zeta.ID, u.ID, 0, meta.RoleRead)
			f.grant(alpha.ID, u.ID, 0, meta.RoleAdmin)
			f.grant(mid.ID, 0, team.ID, meta.RoleWrite)
			f.grant(zeta.ID, 0, team.ID, meta.RoleRead)
			ignore := cmpopts.IgnoreFields(meta.Permission{}, "Created", "UserName", "Robot", "TeamName")

			got, err := f.s.ListUserPermissions(f.ctx, u.ID)
			f.ok(err)
			wantEqual(t, "ListUserPermissions", got, []meta.Permission{
				{RepoID: alpha.ID, UserID: u.ID, Role: meta.RoleAdmin, RepoName: "acme/alpha"},
				{RepoID: zeta.ID, UserID: u.ID, Role: meta.RoleRead, RepoName: "acme/zeta", Public: true},
			}, ignore)
			got, err = f.s.ListTeamPermissions(f.ctx, team.ID)
			f.ok(err)
			wantEqual(t, "ListTeamPermissions", got, []meta.Permission{
				{RepoID: mid.ID, TeamID: team.ID, Role: meta.RoleWrite, RepoName: "acme/mid"},
				{RepoID: zeta.ID, TeamID: team.ID, Role: meta.RoleRead, RepoName: "acme/zeta", Public: true},
			}, ignore)
		}},
		{"Errors", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			u := f.user("bob")
			team := f.team(acme.ID, "devs", meta.TeamMember)
			r := f.repoIn(acme, "oci", "app", false)
			for _, c := range []struct {
				what string
				p    meta.Permission
				kind errs.Kind
			}{
				{"missing repository", meta.Permission{RepoID: r.ID + 1000, UserID: u.ID, Role: meta.RoleRead}, errs.NotFound},
				{"missing user", meta.Permission{RepoID: r.ID, UserID: u.ID + 1000, Role: meta.RoleRead}, errs.NotFound},
				{"missing team", meta.Permission{RepoID: r.ID, TeamID: team.ID + 1000, Role: meta.RoleRead}, errs.NotFound},
				{"user and team", meta.Permission{RepoID: r.ID, UserID: u.ID, TeamID: team.ID, Role: meta.RoleRead}, errs.Invalid},
				{"neither user nor team", meta.Permission{RepoID: r.ID, Role: meta.RoleRead}, errs.Invalid},
				{"unknown role", meta.Permission{RepoID: r.ID, UserID: u.ID, Role: "owner"}, errs.Invalid},
				{"no role", meta.Permission{RepoID: r.ID, TeamID: team.ID}, errs.Invalid},
			} {
				wantKind(t, "PutPermission("+c.what+")", f.s.PutPermission(f.ctx, c.p), c.kind)
			}
			got, err := f.s.ListRepoPermissions(f.ctx, r.ID)
			f.ok(err)
			if len(got) != 0 {
				t.Errorf("refused permissions were written: %+v", got)
			}
		}},
		{"Delete", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			u := f.user("bob")
			team := f.team(acme.ID, "devs", meta.TeamMember)
			f.members(team.ID, u)
			r := f.repoIn(acme, "oci", "app", false)
			f.grant(r.ID, u.ID, 0, meta.RoleWrite)
			f.grant(r.ID, 0, team.ID, meta.RoleRead)

			f.ok(f.s.DeletePermission(f.ctx, r.ID, u.ID, 0))
			roles, err := f.s.RepoRoles(f.ctx, u.ID, r.ID)
			f.ok(err)
			wantEqual(t, "RepoRoles after deleting the user's", sorted(roles), []string{meta.RoleRead})
			wantKind(t, "DeletePermission(user) again", f.s.DeletePermission(f.ctx, r.ID, u.ID, 0), errs.NotFound)

			f.ok(f.s.DeletePermission(f.ctx, r.ID, 0, team.ID))
			roles, err = f.s.RepoRoles(f.ctx, u.ID, r.ID)
			f.ok(err)
			if len(roles) != 0 {
				t.Errorf("RepoRoles after deleting both = %v, want none", roles)
			}
			wantKind(t, "DeletePermission(team) again", f.s.DeletePermission(f.ctx, r.ID, 0, team.ID), errs.NotFound)
			wantKind(t, "DeletePermission(missing repository)", f.s.DeletePermission(f.ctx, r.ID+1000, u.ID, 0), errs.NotFound)
		}},
	}
}
