package metatest

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// raceTests run writes of the organisation model at the same time and
// check that each keeps its contract.
func raceTests() []test {
	const n = 8
	return []test{
		{"TakeGrantCodeOnce", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			u := f.user("bob")
			a := f.app(acme.ID, "client")
			f.ok(f.s.CreateGrantCode(f.ctx, meta.GrantCode{Hash: "h", AppID: a.ID, UserID: u.ID, Created: at(0), Expires: at(10)}))
			var taken, missing atomic.Int32
			var wg sync.WaitGroup
			for range n {
				wg.Go(func() {
					_, err := f.s.TakeGrantCode(f.ctx, "h", at(1))
					switch {
					case err == nil:
						taken.Add(1)
					case errs.Is(err, errs.NotFound):
						missing.Add(1)
					default:
						t.Errorf("TakeGrantCode: %v", err)
					}
				})
			}
			wg.Wait()
			if taken.Load() != 1 {
				t.Errorf("the code was taken %d times (%d found none), want once", taken.Load(), missing.Load())
			}
		}},
		{"IdempotentWrites", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			u := f.user("bob")
			team := f.team(acme.ID, "devs", meta.TeamMember)
			r := f.repoIn(acme, "oci", "app", false)
			var added atomic.Int32
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					if err := f.s.Star(f.ctx, u.ID, r.ID); err != nil {
						t.Errorf("Star: %v", err)
					}
					role := []string{meta.RoleRead, meta.RoleWrite}[i%2]
					if err := f.s.PutPermission(f.ctx, meta.Permission{RepoID: r.ID, UserID: u.ID, Role: role}); err != nil {
						t.Errorf("PutPermission: %v", err)
					}
					if err := f.s.PutPermission(f.ctx, meta.Permission{RepoID: r.ID, TeamID: team.ID, Role: role}); err != nil {
						t.Errorf("PutPermission(team): %v", err)
					}
					switch err := f.s.AddTeamMember(f.ctx, team.ID, u.ID); {
					case err == nil:
						added.Add(1)
					case !errs.Is(err, errs.Exists):
						t.Errorf("AddTeamMember: %v", err)
					}
				})
			}
			wg.Wait()
			if added.Load() != 1 {
				t.Errorf("AddTeamMember succeeded %d times, want once", added.Load())
			}
			if c, err := f.s.CountStars(f.ctx, r.ID); err != nil || c != 1 {
				t.Errorf("CountStars = %d, %v; want 1", c, err)
			}
			perms, err := f.s.ListRepoPermissions(f.ctx, r.ID)
			f.ok(err)
			if len(perms) != 2 {
				t.Errorf("permissions = %+v, want one of the user and one of the team", perms)
			}
		}},
		{"DeleteNamespaceWhileCreating", func(t *testing.T, f *fixture) {
			for i := range n {
				org := f.org(fmt.Sprintf("org%d", i), false)
				person := f.namespace(fmt.Sprintf("person%d", i))
				var repoErr, userErr, orgErr, personErr error
				var wg sync.WaitGroup
				wg.Go(func() {
					repoErr = f.s.CreateRepo(f.ctx, &meta.Repository{NamespaceID: org.ID, Type: "oci", Name: org.Name + "/app"})
				})
				wg.Go(func() { orgErr = f.s.DeleteNamespace(f.ctx, org.ID) })
				wg.Go(func() {
					userErr = f.s.CreateUser(f.ctx, &meta.User{Name: person.Name, NamespaceID: person.ID})
				})
				wg.Go(func() { personErr = f.s.DeleteNamespace(f.ctx, person.ID) })
				wg.Wait()
				raced(t, "repository", repoErr, orgErr)
				raced(t, "person", userErr, personErr)
			}
		}},
	}
}

// raced fails the test unless exactly one of a create in a namespace and
// the namespace's deletion won, and the loser failed as the contract says.
func raced(t *testing.T, what string, createErr, deleteErr error) {
	t.Helper()
	switch {
	case createErr == nil && deleteErr == nil:
		t.Errorf("%s created and its namespace deleted", what)
	case createErr == nil && !errs.Is(deleteErr, errs.Conflict):
		t.Errorf("namespace deletion lost to a %s: %v, want errs.Conflict", what, deleteErr)
	case deleteErr == nil && !errs.Is(createErr, errs.NotFound):
		t.Errorf("%s creation lost to the namespace's deletion: %v, want errs.NotFound", what, createErr)
	case createErr != nil && deleteErr != nil:
		t.Errorf("both failed: %s %v, deletion %v", what, createErr, deleteErr)
	}
}
