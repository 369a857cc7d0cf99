package e2e

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

// TestHabMembers checks origin members and roles (reference §2.4, §9.2):
// the member list, reading and changing roles with Builder's
// restrictions, removal, ownership transfer, departure, and what each
// role may do on representative routes.
func TestHabMembers(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testHabMembers(t, newEnv(t, b.opt))
		})
	}
}

func testHabMembers(t *testing.T, e *env) {
	t.Run("ListAndRoles", func(t *testing.T) {
		t.Parallel()
		owner, admin, maint, member, reader := e.habUser(t), e.habUser(t), e.habUser(t), e.habUser(t), e.habUser(t)
		origin := owner.createOrigin(t, "")
		owner.addMember(t, origin, admin, "administrator")
		owner.addMember(t, origin, maint, "maintainer")
		owner.addMember(t, origin, member, "member")
		owner.addMember(t, origin, reader, "readonly_member")

		want := sortedNames(owner, admin, maint, member, reader)
		wantStrings(t, "members as owner", owner.members(t, origin), want...)
		wantStrings(t, "members as a read-only member", reader.members(t, origin), want...)

		for who, role := range map[*habActor]string{owner: "owner", admin: "administrator", maint: "maintainer", member: "member", reader: "readonly_member"} {
			if got := member.roleOf(t, origin, who.name); got != role {
				t.Errorf("role of %s = %q, want %q", who.name, got, role)
			}
		}
		// Reading roles needs member.
		reader.do(t, http.MethodGet, originPath(origin, "users", owner.name, "role"), nil).want(t, http.StatusForbidden)
		owner.do(t, http.MethodGet, originPath(origin, "users", e.habUser(t).name, "role"), nil).want(t, http.StatusNotFound)
		owner.do(t, http.MethodGet, originPath(origin, "users", "nosuch"+randHex(t, 4), "role"), nil).want(t, http.StatusNotFound)

		setRole := func(a *habActor, whom, role string) *response {
			return a.do(t, http.MethodPut, originPath(origin, "users", whom, "role")+"?role="+role, nil)
		}
		setRole(owner, reader.name, "bogus").want(t, http.StatusUnprocessableEntity).wantText(t, "Invalid member role 'bogus'")
		setRole(owner, reader.name, "").want(t, http.StatusUnprocessableEntity)
		setRole(owner, reader.name, "owner").want(t, http.StatusForbidden)
		setRole(admin, admin.name, "maintainer").want(t, http.StatusForbidden)
		setRole(owner, owner.name, "member").want(t, http.StatusForbidden)
		setRole(admin, owner.name, "member").want(t, http.StatusForbidden)
		setRole(owner, e.habUser(t).name, "member").want(t, http.StatusNotFound)
		setRole(maint, reader.name, "member").want(t, http.StatusForbidden)
		setRole(member, reader.name, "member").want(t, http.StatusForbidden)
		habDo(t, e.anon(), http.MethodPut, originPath(origin, "users", reader.name, "role")+"?role=member", nil).want(t, http.StatusUnauthorized)
		if got := owner.roleOf(t, origin, reader.name); got != "readonly_member" {
			t.Errorf("after refused changes, role %q", got)
		}
		// An administrator changes others' roles, up to administrator.
		setRole(admin, reader.name, "maintainer").want(t, http.StatusNoContent)
		if got := owner.roleOf(t, origin, reader.name); got != "maintainer" {
			t.Errorf("role after change %q", got)
		}
		setRole(admin, reader.name, "administrator").want(t, http.StatusNoContent)
		setRole(owner, reader.name, "readonly_member").want(t, http.StatusNoContent)
		if got := owner.roleOf(t, origin, reader.name); got != "readonly_member" {
			t.Errorf("role after change back %q", got)
		}
	})

	t.Run("Remove", func(t *testing.T) {
		t.Parallel()
		owner, admin, member := e.habUser(t), e.habUser(t), e.habUser(t)
		origin := owner.createOrigin(t, "")
		owner.addMember(t, origin, admin, "administrator")
		owner.addMember(t, origin, member, "member")
		// Effectively owner-only.
		admin.do(t, http.MethodDelete, originPath(origin, "users", member.name), nil).want(t, http.StatusForbidden)
		member.do(t, http.MethodDelete, originPath(origin, "users", admin.name), nil).want(t, http.StatusForbidden)
		owner.do(t, http.MethodDelete, originPath(origin, "users", owner.name), nil).want(t, http.StatusUnprocessableEntity).wantNonEmptyText(t)
		habDo(t, e.anon(), http.MethodDelete, originPath(origin, "users", member.name), nil).want(t, http.StatusUnauthorized)
		wantStrings(t, "members", owner.members(t, origin), sortedNames(owner, admin, member)...)

		owner.do(t, http.MethodDelete, originPath(origin, "users", member.name), nil).want(t, http.StatusNoContent)
		wantStrings(t, "members after removal", owner.members(t, origin), sortedNames(owner, admin)...)
		member.do(t, http.MethodGet, originPath(origin, "users"), nil).want(t, http.StatusForbidden)
		owner.do(t, http.MethodGet, originPath(origin, "users", member.name, "role"), nil).want(t, http.StatusNotFound)
	})

	t.Run("Transfer", func(t *testing.T) {
		t.Parallel()
		owner, admin, stranger := e.habUser(t), e.habUser(t), e.habUser(t)
		origin := owner.createOrigin(t, "")
		owner.addMember(t, origin, admin, "administrator")
		transfer := func(a *habActor, to string) *response {
			return a.do(t, http.MethodPost, originPath(origin, "transfer", to), nil)
		}
		transfer(owner, owner.name).want(t, http.StatusUnprocessableEntity).wantText(t, "Cannot transfer origin ownership to self")
		transfer(owner, stranger.name).want(t, http.StatusForbidden)
		transfer(admin, admin.name).want(t, http.StatusForbidden)
		habDo(t, e.anon(), http.MethodPost, originPath(origin, "transfer", admin.name), nil).want(t, http.StatusUnauthorized)

		transfer(owner, admin.name).want(t, http.StatusNoContent)
		if got := admin.roleOf(t, origin, admin.name); got != "owner" {
			t.Errorf("recipient's role %q, want owner", got)
		}
		if got := admin.roleOf(t, origin, owner.name); got != "maintainer" {
			t.Errorf("old owner's role %q, want maintainer", got)
		}
		o, _ := getOrigin(t, e.anon(), origin)
		if o.OwnerAccount == nil || *o.OwnerAccount != admin.name {
			t.Errorf("owner_account after transfer %v, want %q", o.OwnerAccount, admin.name)
		}
		// The old owner lost the owner's rights.
		transfer(owner, admin.name).want(t, http.StatusForbidden)
		owner.do(t, http.MethodDelete, originPath(origin), nil).want(t, http.StatusForbidden)
		owner.do(t, http.MethodPut, originPath(origin), map[string]any{"default_package_visibility": "private"}).want(t, http.StatusForbidden)
		// And may now leave.
		owner.do(t, http.MethodPost, originPath(origin, "depart"), nil).want(t, http.StatusNoContent)
		wantStrings(t, "members", admin.members(t, origin), admin.name)
	})

	t.Run("Depart", func(t *testing.T) {
		t.Parallel()
		owner, member, stranger := e.habUser(t), e.habUser(t), e.habUser(t)
		origin := owner.createOrigin(t, "")
		owner.addMember(t, origin, member, "maintainer")
		owner.do(t, http.MethodPost, originPath(origin, "depart"), nil).want(t, http.StatusForbidden).wantText(t, "Departing the owner from the origin is not allowed")
		stranger.do(t, http.MethodPost, originPath(origin, "depart"), nil).want(t, http.StatusUnprocessableEntity).wantText(t, "Do not have access to the origin '"+origin+"'")
		stranger.do(t, http.MethodPost, originPath("nosuch"+randHex(t, 4), "depart"), nil).want(t, http.StatusUnprocessableEntity)
		habDo(t, e.anon(), http.MethodPost, originPath(origin, "depart"), nil).want(t, http.StatusUnauthorized)
		member.do(t, http.MethodPost, originPath(origin, "depart"), nil).want(t, http.StatusNoContent)
		wantStrings(t, "members", owner.members(t, origin), owner.name)
		member.do(t, http.MethodPost, originPath(origin, "depart"), nil).want(t, http.StatusUnprocessableEntity)
		member.do(t, http.MethodGet, originPath(origin, "users"), nil).want(t, http.StatusForbidden)
	})

	t.Run("ScopedTokens", func(t *testing.T) {
		t.Parallel()
		// A token's scopes cap the role (docs/api/habitat.md): pull at
		// readonly_member, push at maintainer.
		owner := e.habUser(t)
		origin := owner.createOrigin(t, "")
		pull := e.withAuth("Bearer " + owner.apiToken(t, "pull"))
		push := e.withAuth("Bearer " + owner.apiToken(t, "push"))
		habDo(t, pull, http.MethodGet, originPath(origin, "users"), nil).want(t, http.StatusOK)
		habDo(t, pull, http.MethodGet, originPath(origin, "secret_keys", "latest"), nil).want(t, http.StatusForbidden)
		habDo(t, pull, http.MethodPost, originPath(origin, "users", e.habUser(t).name, "invitations"), nil).want(t, http.StatusForbidden)
		habDo(t, push, http.MethodPost, originPath(origin, "users", e.habUser(t).name, "invitations"), nil).want(t, http.StatusCreated)
		habDo(t, push, http.MethodPut, originPath(origin), map[string]any{"default_package_visibility": "private"}).want(t, http.StatusForbidden)
		habDo(t, push, http.MethodDelete, originPath(origin), nil).want(t, http.StatusForbidden)
		owner.do(t, http.MethodPut, originPath(origin), map[string]any{"default_package_visibility": "private"}).want(t, http.StatusNoContent)
	})

	t.Run("RoleTable", func(t *testing.T) {
		t.Parallel()
		owner := e.habUser(t)
		origin := owner.createOrigin(t, "")
		roles := []string{"readonly_member", "member", "maintainer", "administrator"}
		actors := map[string]*habActor{"owner": owner}
		for _, role := range roles {
			actors[role] = e.habUser(t)
			owner.addMember(t, origin, actors[role], role)
		}
		actors["stranger"] = e.habUser(t)
		// A secret signing key, so that downloading it can succeed.
		owner.do(t, http.MethodPost, originPath(origin, "keys"), nil).want(t, http.StatusCreated)

		rank := map[string]int{"stranger": 0, "readonly_member": 1, "member": 2, "maintainer": 3, "administrator": 4, "owner": 5}
		for i, who := range []string{"stranger", "readonly_member", "member", "maintainer", "administrator", "owner"} {
			a := actors[who]
			check := func(min string, ok, denied int, method, path string, body any) {
				t.Helper()
				want := denied
				if rank[who] >= rank[min] {
					want = ok
				}
				r := a.do(t, method, path, body)
				if r.Status != want {
					t.Errorf("%s (%s): want %d, got:\n%s", who, min, want, r)
				}
			}
			forbidden := http.StatusForbidden
			check("readonly_member", 200, forbidden, http.MethodGet, originPath(origin, "users"), nil)
			check("readonly_member", 200, forbidden, http.MethodGet, originPath(origin, "invitations"), nil)
			check("readonly_member", 200, forbidden, http.MethodGet, originPath(origin, "integrations"), nil)
			check("readonly_member", 200, forbidden, http.MethodGet, originPath(origin, "encryption_key"), nil)
			check("member", 200, forbidden, http.MethodGet, originPath(origin, "users", owner.name, "role"), nil)
			check("member", 200, forbidden, http.MethodGet, originPath(origin, "secret_keys", "latest"), nil)
			// Channel routes refuse with 401, as Builder's do.
			check("maintainer", 201, http.StatusUnauthorized, http.MethodPost, "/v1/depot/channels/"+origin+"/c"+who, nil)
			check("maintainer", 201, forbidden, http.MethodPost, originPath(origin, "users", e.habUser(t).name, "invitations"), nil)
			check("maintainer", 201, forbidden, http.MethodPost, "/v1/settings/"+origin+"/p"+who, nil)
			check("maintainer", 201, forbidden, http.MethodPut, originPath(origin, "integrations", "docker", "r"+who), map[string]any{"username": "u", "password": "p"})
			check("administrator", 204, forbidden, http.MethodPut, originPath(origin), map[string]any{"default_package_visibility": "public"})
			check("administrator", 200, forbidden, http.MethodGet, originPath(origin, "secret"), nil)
			pub, _ := keyAt(t, origin, time.Date(2010, 1, 1, 0, 0, i, 0, time.UTC))
			check("administrator", 201, forbidden, http.MethodPost, originPath(origin, "keys", pub.Revision), pub.String())
			// Only the owner gets past the role check, to be told that
			// the origin is theirs already.
			check("owner", http.StatusUnprocessableEntity, forbidden, http.MethodPost, originPath(origin, "transfer", owner.name), nil)
		}
	})
}

// sortedNames returns the names of actors in byte order.
func sortedNames(actors ...*habActor) []string {
	out := make([]string, len(actors))
	for i, a := range actors {
		out[i] = a.name
	}
	slices.Sort(out)
	return out
}
