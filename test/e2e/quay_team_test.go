package e2e

import (
	"net/http"
	"slices"
	"testing"
)

// TestQuayTeam covers teams, their members, invitations and permissions,
// with an access matrix.
func TestQuayTeam(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.opt)
			t.Run("teams", func(t *testing.T) { testQuayTeams(t, e) })
			t.Run("members", func(t *testing.T) { testQuayTeamMembers(t, e) })
			t.Run("invitations", func(t *testing.T) { testQuayTeamInvites(t, e) })
			t.Run("access", func(t *testing.T) { testQuayTeamAccess(t, e) })
		})
	}
}

// teamMemberNames lists a team's members as c sees them, with pending
// invitations when pending is set: names, or e-mail addresses of e-mail
// invitations, each marked "+" when invited. admin says whether c
// administers the organisation, which can_edit must tell.
func teamMemberNames(t *testing.T, c *client, org, team string, pending, admin bool) []string {
	t.Helper()
	path := "organization/" + org + "/team/" + team + "/members"
	if pending {
		path += "?includePending=true"
	}
	var v struct {
		Name    string
		CanEdit bool `json:"can_edit"`
		Members []struct {
			Name, Email, Kind string
			Invited           bool
		}
	}
	c.quayDo(t, http.MethodGet, path, nil).want(t, http.StatusOK).decode(t, &v)
	if v.Name != team {
		t.Errorf("members of %s: name %q", team, v.Name)
	}
	if v.CanEdit != admin {
		t.Errorf("members of %s: can_edit %v", team, v.CanEdit)
	}
	var out []string
	for _, m := range v.Members {
		n := m.Name
		if m.Kind == "invite" {
			n = m.Email
		}
		if m.Invited {
			n += "+"
		}
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

func testQuayTeams(t *testing.T, e *env) {
	owner := e.newUser(t, false)
	oc := owner.basic()
	org := owner.createOrg(t)
	path := "organization/" + org + "/team/"

	v := oc.quayDo(t, http.MethodPut, path+"builders", map[string]any{"role": "member", "description": "builds"}).want(t, http.StatusOK).jsonObject(t)
	if v["name"] != "builders" || v["role"] != "member" || v["description"] != "builds" || v["new_team"] != true || v["can_view"] != true {
		t.Errorf("new team: %v", v)
	}
	if av, _ := v["avatar"].(map[string]any); av["kind"] != "team" {
		t.Errorf("team avatar: %v", v["avatar"])
	}
	v = oc.quayDo(t, http.MethodPut, path+"builders", map[string]any{"role": "creator"}).want(t, http.StatusOK).jsonObject(t)
	if v["role"] != "creator" || v["description"] != "builds" || v["new_team"] != false {
		t.Errorf("changed team: %v", v)
	}
	org1 := oc.quayDo(t, http.MethodGet, "organization/"+org, nil).want(t, http.StatusOK).jsonObject(t)
	if got, _ := org1["ordered_teams"].([]any); !slices.Equal(got, []any{"owners", "builders"}) {
		t.Errorf("ordered_teams = %v", org1["ordered_teams"])
	}
	if b, _ := org1["teams"].(map[string]any)["builders"].(map[string]any); b["role"] != "creator" || b["description"] != "builds" {
		t.Errorf("team in the organisation's view: %v", b)
	}

	for _, bad := range []any{nil, map[string]any{}, map[string]any{"role": "boss"}, map[string]any{"role": 1}} {
		oc.quayDo(t, http.MethodPut, path+"builders", bad).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
	}
	oc.quayDo(t, http.MethodPut, path+"Bad%20Team", map[string]any{"role": "member"}).wantProblem(t, http.StatusBadRequest, "invalid_request", "")

	// The caller's last admin team keeps its role and stays.
	oc.quayDo(t, http.MethodPut, path+"owners", map[string]any{"role": "member"}).wantMessage(t, http.StatusBadRequest, "")
	oc.quayDo(t, http.MethodDelete, path+"owners", nil).wantMessage(t, http.StatusBadRequest, "")
	oc.quayDo(t, http.MethodPut, path+"owners", map[string]any{"role": "admin", "description": "all"}).want(t, http.StatusOK)

	oc.quayDo(t, http.MethodDelete, path+"builders", nil).want(t, http.StatusNoContent)
	oc.quayDo(t, http.MethodDelete, path+"builders", nil).wantMessage(t, http.StatusBadRequest, "")
	oc.quayDo(t, http.MethodGet, path+"builders/members", nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	org1 = oc.quayDo(t, http.MethodGet, "organization/"+org, nil).want(t, http.StatusOK).jsonObject(t)
	if got, _ := org1["ordered_teams"].([]any); !slices.Equal(got, []any{"owners"}) {
		t.Errorf("ordered_teams after delete = %v", org1["ordered_teams"])
	}
}

func testQuayTeamMembers(t *testing.T, e *env) {
	oc := newOrgCast(t, e)
	path := "organization/" + oc.org + "/team/"
	newbie := e.newUser(t, false)

	// Someone outside the organisation is invited; someone in it is added.
	v := oc.ownerC.quayDo(t, http.MethodPut, path+"readers/members/"+newbie.name, nil).want(t, http.StatusOK).jsonObject(t)
	if v["name"] != newbie.name || v["invited"] != true || v["kind"] != "user" || v["is_robot"] != false {
		t.Errorf("invited member: %v", v)
	}
	v = oc.ownerC.quayDo(t, http.MethodPut, path+"readers/members/"+oc.creator.name, nil).want(t, http.StatusOK).jsonObject(t)
	if v["invited"] != false {
		t.Errorf("added member: %v", v)
	}
	if got, want := teamMemberNames(t, oc.ownerC, oc.org, "readers", false, true), sorted(oc.member.name, oc.robotName, oc.creator.name); !slices.Equal(got, want) {
		t.Errorf("members %v, want %v", got, want)
	}
	if got, want := teamMemberNames(t, oc.ownerC, oc.org, "readers", true, true), sorted(oc.member.name, oc.robotName, oc.creator.name, newbie.name+"+"); !slices.Equal(got, want) {
		t.Errorf("members with pending %v, want %v", got, want)
	}
	// A member of the team sees its members but not its invitations.
	if got, want := teamMemberNames(t, oc.membC, oc.org, "readers", true, false), sorted(oc.member.name, oc.robotName, oc.creator.name); !slices.Equal(got, want) {
		t.Errorf("members as a member %v, want %v", got, want)
	}

	oc.ownerC.quayDo(t, http.MethodPut, path+"readers/members/nosuchuser1", nil).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
	oc.ownerC.quayDo(t, http.MethodPut, path+"readers/members/"+oc.member.name, nil).wantMessage(t, http.StatusBadRequest, "")
	oc.ownerC.quayDo(t, http.MethodPut, path+"nosuchteam/members/"+oc.member.name, nil).wantProblem(t, http.StatusNotFound, "not_found", "")

	// Deleting the invited user withdraws the invitation.
	oc.ownerC.quayDo(t, http.MethodDelete, path+"readers/members/"+newbie.name, nil).want(t, http.StatusNoContent)
	if got, want := teamMemberNames(t, oc.ownerC, oc.org, "readers", true, true), sorted(oc.member.name, oc.robotName, oc.creator.name); !slices.Equal(got, want) {
		t.Errorf("members after withdrawing %v, want %v", got, want)
	}
	oc.ownerC.quayDo(t, http.MethodDelete, path+"readers/members/"+oc.creator.name, nil).want(t, http.StatusNoContent)
	oc.ownerC.quayDo(t, http.MethodDelete, path+"readers/members/"+oc.creator.name, nil).wantMessage(t, http.StatusBadRequest, "")
	oc.ownerC.quayDo(t, http.MethodDelete, path+"readers/members/nosuchuser1", nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	oc.ownerC.quayDo(t, http.MethodDelete, path+"owners/members/"+oc.owner.name, nil).wantMessage(t, http.StatusBadRequest, "")
	// With another admin team, leaving owners is allowed.
	oc.ownerC.join(t, oc.org, "admins", oc.owner)
	oc.ownerC.quayDo(t, http.MethodDelete, path+"owners/members/"+oc.owner.name, nil).want(t, http.StatusNoContent)

	// Team permissions come from the default permissions of new
	// repositories.
	oc.ownerC.quayDo(t, http.MethodPost, "organization/"+oc.org+"/prototypes", map[string]any{
		"role": "write", "delegate": map[string]any{"kind": "team", "name": "readers"},
	}).want(t, http.StatusOK)
	oc.ownerC.do(t, http.MethodPut, pkgPath(oc.org, "tool", "1.0", "tool.bin"), randBytes(t, 32)).want(t, http.StatusCreated)
	var perms struct {
		Permissions []struct {
			Repository struct {
				Name     string
				IsPublic *bool `json:"is_public"`
			}
			Role string
		}
	}
	oc.ownerC.quayDo(t, http.MethodGet, path+"readers/permissions", nil).want(t, http.StatusOK).decode(t, &perms)
	if len(perms.Permissions) != 1 || perms.Permissions[0].Repository.Name != "tool" || perms.Permissions[0].Role != "write" ||
		perms.Permissions[0].Repository.IsPublic == nil {
		t.Errorf("team permissions: %+v", perms)
	}
	oc.ownerC.quayDo(t, http.MethodGet, path+"admins/permissions", nil).want(t, http.StatusOK).decode(t, &perms)
	if len(perms.Permissions) != 0 {
		t.Errorf("admins' permissions: %+v", perms)
	}
	// The member now writes through the team.
	oc.membC.do(t, http.MethodPut, pkgPath(oc.org, "tool", "1.0", "more.bin"), randBytes(t, 32)).want(t, http.StatusCreated)
	oc.creatorC.do(t, http.MethodPut, pkgPath(oc.org, "tool", "1.0", "other.bin"), randBytes(t, 32)).want(t, http.StatusUnauthorized, http.StatusForbidden)
}

func sorted(s ...string) []string {
	slices.Sort(s)
	return s
}

func testQuayTeamInvites(t *testing.T, e *env) {
	oc := newOrgCast(t, e)
	path := "organization/" + oc.org + "/team/readers/"
	alice, bob := e.newUser(t, false), e.newUser(t, false)

	// An e-mail invitation is accepted by whoever has that address.
	v := oc.ownerC.quayDo(t, http.MethodPut, path+"invite/"+alice.name+"@example.com", nil).want(t, http.StatusOK).jsonObject(t)
	if v["email"] != alice.name+"@example.com" || v["kind"] != "invite" || v["invited"] != true {
		t.Errorf("e-mail invitation: %v", v)
	}
	oc.ownerC.quayDo(t, http.MethodPut, path+"invite/"+alice.name+"@example.com", nil).wantMessage(t, http.StatusBadRequest, "")
	oc.ownerC.quayDo(t, http.MethodPut, path+"invite/not-an-address", nil).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
	if got, want := teamMemberNames(t, oc.ownerC, oc.org, "readers", true, true), sorted(oc.member.name, oc.robotName, alice.name+"@example.com+"); !slices.Equal(got, want) {
		t.Errorf("members with pending %v, want %v", got, want)
	}
	code := alice.inviteCode(t, oc.org, "readers")
	// Nobody else can use or see the code.
	bob.basic().quayDo(t, http.MethodPut, "teaminvite/"+code, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	bob.basic().quayDo(t, http.MethodDelete, "teaminvite/"+code, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	e.anon().quayDo(t, http.MethodPut, "teaminvite/"+code, nil).wantRefused(t, true)
	e.anon().quayDo(t, http.MethodGet, "user/notifications", nil).wantRefused(t, true)
	alice.basic().quayDo(t, http.MethodPut, "teaminvite/nosuchcode", nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	v = alice.basic().quayDo(t, http.MethodPut, "teaminvite/"+code, nil).want(t, http.StatusOK).jsonObject(t)
	if v["org"] != oc.org || v["team"] != "readers" {
		t.Errorf("accepted invitation: %v", v)
	}
	alice.basic().quayDo(t, http.MethodPut, "teaminvite/"+code, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	if got, want := teamMemberNames(t, oc.ownerC, oc.org, "readers", true, true), sorted(oc.member.name, oc.robotName, alice.name); !slices.Equal(got, want) {
		t.Errorf("members after accepting %v, want %v", got, want)
	}

	// A declined invitation is gone; a withdrawn one too.
	oc.ownerC.quayDo(t, http.MethodPut, path+"members/"+bob.name, nil).want(t, http.StatusOK)
	code = bob.inviteCode(t, oc.org, "readers")
	bob.basic().quayDo(t, http.MethodDelete, "teaminvite/"+code, nil).want(t, http.StatusNoContent)
	bob.basic().quayDo(t, http.MethodPut, "teaminvite/"+code, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	if got, want := teamMemberNames(t, oc.ownerC, oc.org, "readers", true, true), sorted(oc.member.name, oc.robotName, alice.name); !slices.Equal(got, want) {
		t.Errorf("members after declining %v, want %v", got, want)
	}
	oc.ownerC.quayDo(t, http.MethodPut, path+"invite/someone@example.org", nil).want(t, http.StatusOK)
	oc.ownerC.quayDo(t, http.MethodDelete, path+"invite/SOMEONE@example.org", nil).want(t, http.StatusNoContent)
	oc.ownerC.quayDo(t, http.MethodDelete, path+"invite/someone@example.org", nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	if got, want := teamMemberNames(t, oc.ownerC, oc.org, "readers", true, true), sorted(oc.member.name, oc.robotName, alice.name); !slices.Equal(got, want) {
		t.Errorf("members after withdrawing %v, want %v", got, want)
	}
}

// testQuayTeamAccess runs every caller against every team endpoint of an
// organisation that exists and of one that does not.
func testQuayTeamAccess(t *testing.T, e *env) {
	oc := newOrgCast(t, e)
	newbie := e.newUser(t, false)
	callers := []struct {
		name        string
		c           *client
		admin, anon bool
		super       bool
		readsReader bool // may list the members of readers
	}{
		{name: "anonymous", c: e.anon(), anon: true},
		{name: "owner", c: oc.ownerC, admin: true, readsReader: true},
		{name: "org admin", c: oc.adminC, admin: true, readsReader: true},
		{name: "creator", c: oc.creatorC},
		{name: "member", c: oc.membC, readsReader: true},
		{name: "other user", c: oc.other.basic()},
		{name: "superuser", c: oc.super.basic(), admin: true, super: true, readsReader: true},
		{name: "owner's pull token", c: e.withAuth("Bearer " + oc.owner.apiToken(t, "pull"))},
		{name: "robot in readers", c: oc.robotC, readsReader: true},
	}
	for i, who := range callers {
		t.Run(who.name, func(t *testing.T) {
			team := "t" + string(rune('a'+i))
			ops := []struct {
				method, path string
				body         any
				ok           int
			}{
				{http.MethodPut, "team/" + team, map[string]any{"role": "member"}, http.StatusOK},
				{http.MethodGet, "team/" + team + "/members", nil, http.StatusOK},
				{http.MethodPut, "team/" + team + "/members/" + newbie.name, nil, http.StatusOK},
				{http.MethodDelete, "team/" + team + "/members/" + newbie.name, nil, http.StatusNoContent},
				{http.MethodPut, "team/" + team + "/invite/" + team + "@example.com", nil, http.StatusOK},
				{http.MethodDelete, "team/" + team + "/invite/" + team + "@example.com", nil, http.StatusNoContent},
				{http.MethodGet, "team/" + team + "/permissions", nil, http.StatusOK},
				{http.MethodDelete, "team/" + team, nil, http.StatusNoContent},
			}
			for _, op := range ops {
				r := who.c.quayDo(t, op.method, "organization/"+oc.org+"/"+op.path, op.body)
				if who.admin {
					r.want(t, op.ok)
				} else {
					r.wantRefused(t, who.anon)
				}
				// Permission comes before existence.
				r = who.c.quayDo(t, op.method, "organization/nosuchorg1/"+op.path, op.body)
				if who.super {
					r.wantProblem(t, http.StatusNotFound, "not_found", "")
				} else {
					r.wantRefused(t, who.anon)
				}
			}
			r := who.c.quayDo(t, http.MethodGet, "organization/"+oc.org+"/team/readers/members", nil)
			if who.readsReader {
				r.want(t, http.StatusOK)
			} else {
				r.wantRefused(t, who.anon)
			}
			r = who.c.quayDo(t, http.MethodGet, "organization/"+oc.org+"/team/nosuchteam/members", nil)
			switch {
			case who.admin:
				r.wantProblem(t, http.StatusNotFound, "not_found", "")
			default:
				r.wantRefused(t, who.anon)
			}
			if !who.admin {
				who.c.quayDo(t, http.MethodDelete, "organization/"+oc.org+"/team/readers", nil).wantRefused(t, who.anon)
				who.c.quayDo(t, http.MethodDelete, "organization/"+oc.org+"/team/readers/members/"+oc.member.name, nil).wantRefused(t, who.anon)
			}
		})
	}
	if got, want := teamMemberNames(t, oc.ownerC, oc.org, "readers", true, true), sorted(oc.member.name, oc.robotName); !slices.Equal(got, want) {
		t.Errorf("readers after the matrix: %v, want %v", got, want)
	}
}
