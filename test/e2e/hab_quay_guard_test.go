package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"wharf/internal/format/hab"
)

// TestHabQuayGuard checks that the Quay API keeps Habitat's rule of one
// owner per origin (reference §2.4, §9.2) on an organisation made as an
// origin: only the owner (or a superuser) deletes it, and not while it
// holds packages; the owner cannot be removed from it; the owner's
// account cannot be deleted until their origins pass to another member.
func TestHabQuayGuard(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testHabQuayGuard(t, newEnv(t, b.opt))
		})
	}
}

func testHabQuayGuard(t *testing.T, e *env) {
	t.Run("DeleteOrg", func(t *testing.T) {
		t.Parallel()
		owner, admin := e.habUser(t), e.habUser(t)
		origin := owner.createOrigin(t, "")
		owner.addMember(t, origin, admin, "administrator")
		pkg := habPkg{ident: ident(origin, "thing", "1.0.0", "20240101000000")}
		owner.publish(t, pkg)
		createQuayRepo(t, owner.c, origin, "image", "private")

		stays := func(why string) {
			t.Helper()
			habDo(t, e.anon(), http.MethodGet, originPath(origin), nil).want(t, http.StatusOK)
			habDo(t, e.anon(), http.MethodGet, identPath(pkg.ident), nil).want(t, http.StatusOK)
			owner.c.quayDo(t, http.MethodGet, "repository/"+origin+"/image", nil).want(t, http.StatusOK)
			if got := owner.roleOf(t, origin, admin.name); got != "administrator" {
				t.Errorf("after %s: role of the administrator %q", why, got)
			}
		}
		// An administrator administers the organisation, but Habitat lets
		// only the owner delete the origin.
		admin.c.quayDo(t, http.MethodDelete, "organization/"+origin, nil).wantProblem(t, http.StatusForbidden, "insufficient_scope",
			fmt.Sprintf("%s is a Habitat origin owned by %s: only its owner (or a superuser) may delete it", origin, owner.name))
		stays("the administrator's delete")

		// The owner, and a superuser, are refused while packages remain;
		// nothing goes, not even the organisation's other repositories.
		busy := fmt.Sprintf("%s is a Habitat origin still holding packages (1 releases): delete them, then the origin with DELETE /v1/depot/origins/%s",
			origin, origin)
		owner.c.quayDo(t, http.MethodDelete, "organization/"+origin, nil).wantMessage(t, http.StatusBadRequest, busy)
		stays("the owner's delete")
		root := e.newUser(t, true)
		root.basic().quayDo(t, http.MethodDelete, "organization/"+origin, nil).wantMessage(t, http.StatusBadRequest, busy)
		stays("the superuser's delete")

		owner.do(t, http.MethodDelete, identPath(pkg.ident)+"?target="+hab.DefaultTarget, nil).want(t, http.StatusNoContent)
		admin.c.quayDo(t, http.MethodDelete, "organization/"+origin, nil).want(t, http.StatusForbidden)
		owner.c.quayDo(t, http.MethodDelete, "organization/"+origin, nil).want(t, http.StatusNoContent)
		habDo(t, e.anon(), http.MethodGet, originPath(origin), nil).want(t, http.StatusNotFound)
		owner.c.quayDo(t, http.MethodGet, "organization/"+origin, nil).want(t, http.StatusNotFound)
		root.basic().quayDo(t, http.MethodGet, "repository/"+origin+"/image", nil).want(t, http.StatusNotFound)
	})

	t.Run("SuperuserDeletesOrigin", func(t *testing.T) {
		t.Parallel()
		owner := e.habUser(t)
		origin := owner.createOrigin(t, "")
		root := e.newUser(t, true)
		root.basic().quayDo(t, http.MethodDelete, "organization/"+origin, nil).want(t, http.StatusNoContent)
		habDo(t, e.anon(), http.MethodGet, originPath(origin), nil).want(t, http.StatusNotFound)
	})

	t.Run("RemoveOwner", func(t *testing.T) {
		t.Parallel()
		owner, admin, member := e.habUser(t), e.habUser(t), e.habUser(t)
		origin := owner.createOrigin(t, "")
		owner.addMember(t, origin, admin, "administrator")
		owner.addMember(t, origin, member, "member")
		want := fmt.Sprintf("Cannot remove %s as they own the Habitat origin %s: transfer the origin to another member first", owner.name, origin)
		for _, c := range []*habActor{admin, owner} {
			c.c.quayDo(t, http.MethodDelete, "organization/"+origin+"/members/"+owner.name, nil).wantMessage(t, http.StatusBadRequest, want)
		}
		if got := member.roleOf(t, origin, owner.name); got != "owner" {
			t.Errorf("owner's role after the refusals: %q", got)
		}
		wantStrings(t, "members after the refusals", owner.members(t, origin), sortedNames(owner, admin, member)...)
		// The others can go.
		admin.c.quayDo(t, http.MethodDelete, "organization/"+origin+"/members/"+member.name, nil).want(t, http.StatusNoContent)
		wantStrings(t, "members after a removal", owner.members(t, origin), sortedNames(owner, admin)...)
		// After a transfer, the old owner is a maintainer and can be removed.
		owner.do(t, http.MethodPost, originPath(origin, "transfer", admin.name), nil).want(t, http.StatusNoContent)
		admin.c.quayDo(t, http.MethodDelete, "organization/"+origin+"/members/"+owner.name, nil).want(t, http.StatusNoContent)
		wantStrings(t, "members after the old owner's removal", admin.members(t, origin), admin.name)
	})

	t.Run("DeleteOwnerAccount", func(t *testing.T) {
		t.Parallel()
		owner, heir := e.habUser(t), e.habUser(t)
		origins := []string{owner.createOrigin(t, ""), owner.createOrigin(t, "")}
		for _, o := range origins {
			owner.addMember(t, o, heir, "member")
		}
		createQuayRepo(t, owner.c, owner.name, "mine", "private")
		sc := e.newUser(t, true).basic()

		sorted := slices.Sorted(slices.Values(origins))
		sc.quayDo(t, http.MethodDelete, "superuser/users/"+owner.name, nil).wantMessage(t, http.StatusBadRequest,
			fmt.Sprintf("Cannot delete user %s as they own the Habitat origins %s: transfer each origin to another member first",
				owner.name, strings.Join(sorted, ", ")))
		// Nothing of the account went: its repository, its origins.
		owner.c.quayDo(t, http.MethodGet, "repository/"+owner.name+"/mine", nil).want(t, http.StatusOK)
		owner.c.quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusOK)
		for _, o := range origins {
			if got := heir.roleOf(t, o, owner.name); got != "owner" {
				t.Errorf("owner's role in %s after the refusal: %q", o, got)
			}
		}

		owner.do(t, http.MethodPost, originPath(origins[0], "transfer", heir.name), nil).want(t, http.StatusNoContent)
		sc.quayDo(t, http.MethodDelete, "superuser/users/"+owner.name, nil).wantMessage(t, http.StatusBadRequest,
			fmt.Sprintf("Cannot delete user %s as they own the Habitat origin %s: transfer the origin to another member first",
				owner.name, origins[1]))
		owner.do(t, http.MethodPost, originPath(origins[1], "transfer", heir.name), nil).want(t, http.StatusNoContent)

		sc.quayDo(t, http.MethodDelete, "superuser/users/"+owner.name, nil).want(t, http.StatusNoContent)
		sc.quayDo(t, http.MethodGet, "superuser/users/"+owner.name, nil).want(t, http.StatusNotFound)
		for _, o := range origins {
			if got := heir.roleOf(t, o, heir.name); got != "owner" {
				t.Errorf("heir's role in %s: %q", o, got)
			}
			wantStrings(t, "members of "+o+" after the old owner's deletion", heir.members(t, o), heir.name)
		}
	})
}
