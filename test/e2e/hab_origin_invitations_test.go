package e2e

import (
	"net/http"
	"testing"
)

// TestHabInvitations checks origin invitations (reference §2.4, §2.10,
// §3.7, §13.9): who may send and list them, the invitee's view with the
// timestamps hab parses, accepting (by the invitee only), ignoring and
// rescinding; and /v1/user/origins.
func TestHabInvitations(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testHabInvitations(t, newEnv(t, b.opt))
		})
	}
}

// userInvitations returns the invitations /v1/user/invitations lists for
// a, checking their shape.
func (a *habActor) userInvitations(t testing.TB) []habInvitation {
	t.Helper()
	r := a.do(t, http.MethodGet, "/v1/user/invitations", nil).want(t, http.StatusOK)
	var invs []habInvitation
	r.decode(t, &invs)
	if invs == nil {
		t.Errorf("/v1/user/invitations is not an array: %s", r.Body)
	}
	var raw []map[string]any
	r.decode(t, &raw)
	for i, inv := range invs {
		wantStamp(t, "created_at", inv.CreatedAt)
		wantStamp(t, "updated_at", inv.UpdatedAt)
		wantDigits(t, "id", raw[i]["id"])
		wantDigits(t, "account_id", raw[i]["account_id"])
		wantDigits(t, "owner_id", raw[i]["owner_id"])
		if inv.AccountName != a.name || inv.Ignored {
			t.Errorf("invitation for %s: %+v", a.name, inv)
		}
	}
	return invs
}

// originInvitations returns the invitations of origin as a sees them.
func (a *habActor) originInvitations(t testing.TB, origin string) []habInvitation {
	t.Helper()
	var v struct {
		Origin      string          `json:"origin"`
		Invitations []habInvitation `json:"invitations"`
	}
	a.do(t, http.MethodGet, originPath(origin, "invitations"), nil).want(t, http.StatusOK).decode(t, &v)
	if v.Origin != origin || v.Invitations == nil {
		t.Errorf("invitations of %s: %+v", origin, v)
	}
	return v.Invitations
}

func testHabInvitations(t *testing.T, e *env) {
	t.Run("SendAndAccept", func(t *testing.T) {
		t.Parallel()
		owner, maint, member, reader, invitee, other := e.habUser(t), e.habUser(t), e.habUser(t), e.habUser(t), e.habUser(t), e.habUser(t)
		origin := owner.createOrigin(t, "")
		owner.addMember(t, origin, maint, "maintainer")
		owner.addMember(t, origin, member, "member")
		owner.addMember(t, origin, reader, "readonly_member")

		// Sending needs maintainer.
		member.do(t, http.MethodPost, originPath(origin, "users", invitee.name, "invitations"), nil).want(t, http.StatusForbidden)
		reader.do(t, http.MethodPost, originPath(origin, "users", invitee.name, "invitations"), nil).want(t, http.StatusForbidden)
		habDo(t, e.anon(), http.MethodPost, originPath(origin, "users", invitee.name, "invitations"), nil).want(t, http.StatusUnauthorized)
		maint.do(t, http.MethodPost, originPath(origin, "users", "nosuch"+randHex(t, 4), "invitations"), nil).want(t, http.StatusNotFound)

		r := maint.do(t, http.MethodPost, originPath(origin, "users", invitee.name, "invitations"), nil).want(t, http.StatusCreated)
		var inv habInvitation
		r.decode(t, &inv)
		raw := r.jsonObject(t)
		wantDigits(t, "id", raw["id"])
		wantDigits(t, "account_id", raw["account_id"])
		wantDigits(t, "owner_id", raw["owner_id"])
		wantStamp(t, "created_at", inv.CreatedAt)
		wantStamp(t, "updated_at", inv.UpdatedAt)
		if inv.Origin != origin || inv.AccountName != invitee.name || inv.Ignored {
			t.Errorf("invitation %s", r.Body)
		}
		maint.do(t, http.MethodPost, originPath(origin, "users", invitee.name, "invitations"), nil).want(t, http.StatusConflict)
		owner.do(t, http.MethodPost, originPath(origin, "users", invitee.name, "invitations"), nil).want(t, http.StatusConflict)

		// Listed for the origin's members, down to read-only ones.
		for _, a := range []*habActor{owner, reader} {
			invs := a.originInvitations(t, origin)
			if len(invs) != 1 || invs[0].ID != inv.ID || invs[0].AccountName != invitee.name {
				t.Errorf("invitations of the origin as %s: %+v", a.name, invs)
			}
		}
		invitee.do(t, http.MethodGet, originPath(origin, "invitations"), nil).want(t, http.StatusForbidden)
		habDo(t, e.anon(), http.MethodGet, originPath(origin, "invitations"), nil).want(t, http.StatusUnauthorized)

		// And for the invitee.
		mine := invitee.userInvitations(t)
		if len(mine) != 1 || mine[0].ID != inv.ID || mine[0].Origin != origin {
			t.Errorf("invitee's invitations: %+v", mine)
		}
		if got := other.userInvitations(t); len(got) != 0 {
			t.Errorf("another user's invitations: %+v", got)
		}
		habDo(t, e.anon(), http.MethodGet, "/v1/user/invitations", nil).want(t, http.StatusUnauthorized)

		// Only the invitee accepts.
		for _, a := range []*habActor{other, owner, maint} {
			r := a.do(t, http.MethodPut, originPath(origin, "invitations", inv.ID), nil)
			if r.Status < 400 || r.Status >= 500 {
				t.Errorf("%s accepting someone else's invitation: want a 4xx, got:\n%s", a.name, r)
			}
		}
		if got := owner.members(t, origin); len(got) != 4 {
			t.Errorf("members after refused accepts: %q", got)
		}
		invitee.do(t, http.MethodPut, originPath(origin, "invitations", "abc"), nil).want(t, http.StatusUnprocessableEntity)
		invitee.do(t, http.MethodPut, originPath(origin, "invitations", inv.ID), nil).want(t, http.StatusNoContent)
		if got := owner.roleOf(t, origin, invitee.name); got != "readonly_member" {
			t.Errorf("role after accepting %q, want readonly_member", got)
		}
		wantStrings(t, "members", owner.members(t, origin), sortedNames(owner, maint, member, reader, invitee)...)
		if got := invitee.userInvitations(t); len(got) != 0 {
			t.Errorf("accepted invitation still listed: %+v", got)
		}
		if got := owner.originInvitations(t, origin); len(got) != 0 {
			t.Errorf("accepted invitation still in the origin's list: %+v", got)
		}
	})

	t.Run("IgnoreAndRescind", func(t *testing.T) {
		t.Parallel()
		owner, invitee, rescinded, other := e.habUser(t), e.habUser(t), e.habUser(t), e.habUser(t)
		origin := owner.createOrigin(t, "")
		inv := owner.invite(t, origin, invitee)
		inv2 := owner.invite(t, origin, rescinded)

		// Ignoring is the invitee's: it hides the invitation from them
		// and keeps it in the origin's list.
		r := other.do(t, http.MethodPut, originPath(origin, "invitations", inv.ID, "ignore"), nil)
		if r.Status < 400 || r.Status >= 500 {
			t.Errorf("ignoring someone else's invitation: want a 4xx, got:\n%s", r)
		}
		if got := invitee.userInvitations(t); len(got) != 1 {
			t.Errorf("after another user's ignore: %+v", got)
		}
		invitee.do(t, http.MethodPut, originPath(origin, "invitations", inv.ID, "ignore"), nil).want(t, http.StatusNoContent)
		if got := invitee.userInvitations(t); len(got) != 0 {
			t.Errorf("ignored invitation still listed for the invitee: %+v", got)
		}
		var ignored *habInvitation
		for _, i := range owner.originInvitations(t, origin) {
			if i.ID == inv.ID {
				ignored = &i
			}
		}
		if ignored == nil || !ignored.Ignored {
			t.Errorf("origin's list: ignored invitation %+v, want it with ignored=true", ignored)
		}
		// An ignored invitation can still be accepted.
		invitee.do(t, http.MethodPut, originPath(origin, "invitations", inv.ID), nil).want(t, http.StatusNoContent)
		if got := owner.roleOf(t, origin, invitee.name); got != "readonly_member" {
			t.Errorf("role after accepting an ignored invitation %q", got)
		}

		// Rescinding removes it.
		r = other.do(t, http.MethodDelete, originPath(origin, "invitations", inv2.ID), nil)
		if r.Status < 400 || r.Status >= 500 {
			t.Errorf("a stranger rescinding an invitation: want a 4xx, got:\n%s", r)
		}
		owner.do(t, http.MethodDelete, originPath(origin, "invitations", inv2.ID), nil).want(t, http.StatusNoContent)
		if got := rescinded.userInvitations(t); len(got) != 0 {
			t.Errorf("rescinded invitation still listed: %+v", got)
		}
		if got := owner.originInvitations(t, origin); len(got) != 0 {
			t.Errorf("origin's invitations after rescind: %+v", got)
		}
		r = rescinded.do(t, http.MethodPut, originPath(origin, "invitations", inv2.ID), nil)
		if r.Status != http.StatusNotFound && r.Status != http.StatusUnprocessableEntity {
			t.Errorf("accepting a rescinded invitation: want 404 or 422, got:\n%s", r)
		}
		rescinded.do(t, http.MethodGet, originPath(origin, "users"), nil).want(t, http.StatusForbidden)
		// Ids of one origin do not work under another.
		o2 := owner.createOrigin(t, "")
		inv3 := owner.invite(t, o2, other)
		r = other.do(t, http.MethodPut, originPath(origin, "invitations", inv3.ID), nil)
		if r.Status == http.StatusNoContent {
			t.Errorf("an invitation to %s accepted under %s", o2, origin)
		}
	})

	t.Run("UserOrigins", func(t *testing.T) {
		t.Parallel()
		owner, member := e.habUser(t), e.habUser(t)
		a := owner.createOrigin(t, "")
		b := owner.createOrigin(t, "private")
		owner.addMember(t, b, member, "member")
		member.publish(t, habPkg{ident: ident(b, "one", "1.0", "20240101000000")})
		member.publish(t, habPkg{ident: ident(b, "two", "1.0", "20240101000000")})
		member.publish(t, habPkg{ident: ident(b, "two", "1.1", "20240102000000")})

		list := func(u *habActor) []map[string]any {
			var v []map[string]any
			u.do(t, http.MethodGet, "/v1/user/origins", nil).want(t, http.StatusOK).decode(t, &v)
			return v
		}
		got := list(owner)
		names := []string{}
		for _, o := range got {
			names = append(names, o["name"].(string))
			wantDigits(t, "owner_id", o["owner_id"])
		}
		want := []string{a, b}
		if b < a {
			want = []string{b, a}
		}
		wantStrings(t, "owner's origins", names, want...)
		for _, o := range got {
			switch o["name"] {
			case a:
				if o["package_count"] != float64(0) || o["default_package_visibility"] != "public" {
					t.Errorf("origin %s: %v", a, o)
				}
			case b:
				// Builder counts package names (its origins_with_stats
				// view: count(DISTINCT name) of the package settings),
				// not releases.
				if o["package_count"] != float64(2) {
					t.Errorf("origin %s: package_count %v, want 2 packages (of 3 releases)", b, o["package_count"])
				}
				if o["default_package_visibility"] != "private" {
					t.Errorf("origin %s: %v", b, o)
				}
			}
		}
		mine := list(member)
		if len(mine) != 1 || mine[0]["name"] != b {
			t.Errorf("member's origins: %v", mine)
		}
		if got := list(e.habUser(t)); len(got) != 0 {
			t.Errorf("a new user's origins: %v", got)
		}
	})
}
