package metatest

import (
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func repoSettingTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, f *fixture) {
			r := meta.Repository{NamespaceID: f.owner().ID, Type: "oci", Name: "owner/app",
				Description: "# App\nbuilds things", TrustEnabled: true}
			f.ok(f.s.CreateRepo(f.ctx, &r))
			got, err := f.s.GetRepoByID(f.ctx, r.ID)
			f.ok(err)
			wantEqual(t, "GetRepoByID", got, r)
			got, err = f.s.GetRepo(f.ctx, "oci", "OWNER/APP")
			f.ok(err)
			wantEqual(t, "GetRepo", got, r)
		}},
		{"Update", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "owner/app")
			other := f.repo("oci", "owner/other")
			upd := meta.Repository{ID: r.ID, NamespaceID: r.NamespaceID + 1, Type: "generic", Name: "owner/renamed",
				Public: true, Created: r.Created.Add(time.Hour), Description: "described", TrustEnabled: true}
			f.ok(f.s.UpdateRepo(f.ctx, upd))
			want := r
			want.Description, want.TrustEnabled = "described", true
			got, err := f.s.GetRepo(f.ctx, "oci", "owner/app")
			f.ok(err)
			wantEqual(t, "updated repository", got, want)
			list, err := f.s.ListRepos(f.ctx, "oci", meta.Page{})
			f.ok(err)
			wantEqual(t, "ListRepos", list, []meta.Repository{want, other})

			want.Description, want.TrustEnabled = "", false
			f.ok(f.s.UpdateRepo(f.ctx, want))
			got, err = f.s.GetRepoByID(f.ctx, r.ID)
			f.ok(err)
			wantEqual(t, "repository updated back", got, want)
			upd.ID = other.ID + 1000
			wantKind(t, "UpdateRepo(missing)", f.s.UpdateRepo(f.ctx, upd), errs.NotFound)
		}},
		{"DeleteRemovesPermissionsAndStars", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			u := f.person("bob", false)
			team := f.team(acme.ID, "readers", meta.TeamMember)
			f.members(team.ID, u)
			r := f.repoIn(acme, "oci", "doomed", false)
			kept := f.repoIn(acme, "oci", "kept", false)
			for _, repo := range []meta.Repository{r, kept} {
				f.grant(repo.ID, u.ID, 0, meta.RoleWrite)
				f.grant(repo.ID, 0, team.ID, meta.RoleRead)
				f.ok(f.s.Star(f.ctx, u.ID, repo.ID))
			}

			f.ok(f.s.DeleteRepo(f.ctx, r.ID))

			perms, err := f.s.ListUserPermissions(f.ctx, u.ID)
			f.ok(err)
			if len(perms) != 1 || perms[0].RepoID != kept.ID {
				t.Errorf("ListUserPermissions = %+v, want only the kept repository", perms)
			}
			perms, err = f.s.ListTeamPermissions(f.ctx, team.ID)
			f.ok(err)
			if len(perms) != 1 || perms[0].RepoID != kept.ID {
				t.Errorf("ListTeamPermissions = %+v, want only the kept repository", perms)
			}
			got, err := f.s.GetTeam(f.ctx, acme.ID, "readers")
			f.ok(err)
			if got.RepoCount != 1 {
				t.Errorf("RepoCount = %d, want 1", got.RepoCount)
			}
			starred, err := f.s.Starred(f.ctx, u.ID, r.ID)
			if starred || (err != nil && !errs.Is(err, errs.NotFound)) {
				t.Errorf("Starred(deleted repository) = %v, %v; want false", starred, err)
			}
			vis, err := f.s.ListVisibleRepos(f.ctx, meta.RepoFilter{UserID: u.ID, Type: "oci", Starred: true})
			f.ok(err)
			wantEqual(t, "starred repositories", vis, []meta.Repository{kept})
			roles, err := f.s.RepoRoles(f.ctx, u.ID, r.ID)
			f.ok(err)
			if len(roles) != 0 {
				t.Errorf("RepoRoles(deleted repository) = %v, want none", roles)
			}
		}},
	}
}

func starTests() []test {
	return []test{
		{"StarUnstar", func(t *testing.T, f *fixture) {
			a := f.user("alice")
			b := f.user("bob")
			r := f.repo("oci", "owner/app")
			other := f.repo("oci", "owner/other")
			count := func(repoID int64, want int) {
				t.Helper()
				n, err := f.s.CountStars(f.ctx, repoID)
				f.ok(err)
				if n != want {
					t.Errorf("CountStars(%d) = %d, want %d", repoID, n, want)
				}
			}
			starred := func(u meta.User, repoID int64, want bool) {
				t.Helper()
				got, err := f.s.Starred(f.ctx, u.ID, repoID)
				f.ok(err)
				if got != want {
					t.Errorf("Starred(%s, %d) = %v, want %v", u.Name, repoID, got, want)
				}
			}
			count(r.ID, 0)
			starred(a, r.ID, false)
			f.ok(f.s.Star(f.ctx, a.ID, r.ID))
			f.ok(f.s.Star(f.ctx, a.ID, r.ID))
			f.ok(f.s.Star(f.ctx, b.ID, r.ID))
			starred(a, r.ID, true)
			starred(a, other.ID, false)
			count(r.ID, 2)
			count(other.ID, 0)
			f.ok(f.s.Unstar(f.ctx, a.ID, r.ID))
			f.ok(f.s.Unstar(f.ctx, a.ID, r.ID))
			f.ok(f.s.Unstar(f.ctx, a.ID, other.ID))
			starred(a, r.ID, false)
			starred(b, r.ID, true)
			count(r.ID, 1)
		}},
		{"NotFound", func(t *testing.T, f *fixture) {
			u := f.user("alice")
			r := f.repo("oci", "owner/app")
			wantKind(t, "Star(missing repository)", f.s.Star(f.ctx, u.ID, r.ID+1000), errs.NotFound)
			wantKind(t, "Star(missing user)", f.s.Star(f.ctx, u.ID+1000, r.ID), errs.NotFound)
			if n, err := f.s.CountStars(f.ctx, r.ID); err != nil || n != 0 {
				t.Errorf("CountStars = %d, %v; want 0", n, err)
			}
		}},
	}
}
