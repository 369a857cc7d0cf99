package e2e

import (
	"net/http"
	"slices"
	"testing"
)

// TestQuayOrganization covers creating, reading, changing and deleting
// organisations, their members and collaborators, with an access matrix.
func TestQuayOrganization(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testQuayOrganization(t, newEnv(t, b.opt))
		})
	}
}

// orgCast is an organisation with a caller in every role.
type orgCast struct {
	org                             string
	owner, admin, creator, member   *user
	other, super                    *user
	ownerC, adminC, creatorC, membC *client
	robotName                       string
	robotC                          *client // the organisation's robot, in readers
}

// newOrgCast creates an organisation of a new owner with teams admins
// (admin), creators (creator) and readers (member), one user in each and
// a robot of the organisation in readers, a user outside it and a
// superuser.
func newOrgCast(t *testing.T, e *env) *orgCast {
	t.Helper()
	oc := &orgCast{owner: e.newUser(t, false), admin: e.newUser(t, false), creator: e.newUser(t, false),
		member: e.newUser(t, false), other: e.newUser(t, false), super: e.newUser(t, true)}
	oc.org = oc.owner.createOrg(t)
	oc.ownerC, oc.adminC, oc.creatorC, oc.membC = oc.owner.basic(), oc.admin.basic(), oc.creator.basic(), oc.member.basic()
	for _, m := range []struct {
		team, role string
		u          *user
	}{{"admins", "admin", oc.admin}, {"creators", "creator", oc.creator}, {"readers", "member", oc.member}} {
		oc.ownerC.putTeam(t, oc.org, m.team, m.role)
		oc.ownerC.join(t, oc.org, m.team, m.u)
	}
	var rb struct{ Name, Token string }
	oc.ownerC.quayDo(t, http.MethodPut, "organization/"+oc.org+"/robots/bot", map[string]any{}).want(t, http.StatusCreated).decode(t, &rb)
	if rb.Name != oc.org+"+bot" || rb.Token == "" {
		t.Fatalf("robot: %+v", rb)
	}
	oc.robotName, oc.robotC = rb.Name, e.withAuth(basicAuth(rb.Name, rb.Token))
	v := oc.ownerC.quayDo(t, http.MethodPut, "organization/"+oc.org+"/team/readers/members/"+rb.Name, nil).want(t, http.StatusOK).jsonObject(t)
	if v["invited"] != false || v["is_robot"] != true {
		t.Fatalf("robot added to readers: %v", v)
	}
	return oc
}

func testQuayOrganization(t *testing.T, e *env) {
	owner := e.newUser(t, false)
	oc := owner.basic()
	org := owner.createOrg(t)

	t.Run("create", func(t *testing.T) {
		r := oc.quayDo(t, http.MethodPost, "organization/", map[string]any{"name": org + "b", "email": "b@example.com"})
		r.want(t, http.StatusCreated).wantText(t, `"Created"`)
		oc.quayDo(t, http.MethodPost, "organization/", nil).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
		oc.quayDo(t, http.MethodPost, "organization/", "{").wantProblem(t, http.StatusBadRequest, "invalid_request", "")
		oc.quayDo(t, http.MethodPost, "organization/", map[string]any{}).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
		oc.quayDo(t, http.MethodPost, "organization/", map[string]any{"name": 5}).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
		oc.quayDo(t, http.MethodPost, "organization/", map[string]any{"name": "Bad Name"}).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
		oc.quayDo(t, http.MethodPost, "organization/", map[string]any{"name": org + "c", "email": "nope"}).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
		doc := oc.quayDo(t, http.MethodPost, "organization/", map[string]any{"name": org}).wantProblem(t, http.StatusBadRequest, "invalid_request", "").jsonObject(t)
		if doc["detail"] != "A user or organization with this name already exists" {
			t.Errorf("duplicate organization: detail %v", doc["detail"])
		}
		oc.quayDo(t, http.MethodPost, "organization/", map[string]any{"name": owner.name}).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
		e.anon().quayDo(t, http.MethodPost, "organization/", map[string]any{"name": org + "d"}).wantRefused(t, true)
		// A token restricted to pulling may not create organisations.
		e.withAuth("Bearer "+owner.apiToken(t, "pull")).quayDo(t, http.MethodPost, "organization/", map[string]any{"name": org + "e"}).wantRefused(t, false)
		var rb struct{ Name, Token string }
		oc.quayDo(t, http.MethodPut, "user/robots/maker", map[string]any{}).want(t, http.StatusCreated).decode(t, &rb)
		e.withAuth(basicAuth(rb.Name, rb.Token)).quayDo(t, http.MethodPost, "organization/", map[string]any{"name": org + "e"}).wantRefused(t, false)
		oc.quayDo(t, http.MethodGet, "organization/"+org+"e", nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	})

	t.Run("get", func(t *testing.T) {
		v := oc.quayDo(t, http.MethodGet, "organization/"+org, nil).want(t, http.StatusOK).jsonObject(t)
		if v["name"] != org || v["is_admin"] != true || v["is_member"] != true || v["tag_expiration_s"] != float64(1209600) ||
			v["is_free_account"] != true || v["invoice_email"] != false {
			t.Errorf("owner's view: %v", v)
		}
		if got, _ := v["ordered_teams"].([]any); !slices.Equal(got, []any{"owners"}) {
			t.Errorf("ordered_teams = %v", v["ordered_teams"])
		}
		owners, _ := v["teams"].(map[string]any)["owners"].(map[string]any)
		if owners["role"] != "admin" || owners["member_count"] != float64(1) || owners["can_view"] != true || owners["is_synced"] != false {
			t.Errorf("owners team: %v", owners)
		}
		anon := e.anon().quayDo(t, http.MethodGet, "organization/"+org, nil).want(t, http.StatusOK).jsonObject(t)
		ks := keys(anon)
		slices.Sort(ks)
		if !slices.Equal(ks, []string{"avatar", "email", "is_admin", "is_member", "name"}) || anon["email"] != "" || anon["is_member"] != false {
			t.Errorf("anonymous view: %v", anon)
		}
		oc.quayDo(t, http.MethodGet, "organization/nosuchorg1", nil).wantProblem(t, http.StatusNotFound, "not_found", "")
		oc.quayDo(t, http.MethodGet, "organization/"+owner.name, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	})

	t.Run("update", func(t *testing.T) {
		v := oc.quayDo(t, http.MethodPut, "organization/"+org, map[string]any{
			"email": "org@example.com", "tag_expiration_s": 86400, "invoice_email": true, "invoice_email_address": "bills@example.com",
		}).want(t, http.StatusOK).jsonObject(t)
		if v["email"] != "org@example.com" || v["tag_expiration_s"] != float64(86400) || v["invoice_email"] != true ||
			v["invoice_email_address"] != "bills@example.com" {
			t.Errorf("updated view: %v", v)
		}
		v = oc.quayDo(t, http.MethodGet, "organization/"+org, nil).want(t, http.StatusOK).jsonObject(t)
		if v["email"] != "org@example.com" || v["tag_expiration_s"] != float64(86400) {
			t.Errorf("view after update: %v", v)
		}
		v = oc.quayDo(t, http.MethodPut, "organization/"+org, map[string]any{"invoice_email_address": nil}).want(t, http.StatusOK).jsonObject(t)
		if v["invoice_email_address"] != nil || v["email"] != "org@example.com" {
			t.Errorf("view after clearing the invoice address: %v", v)
		}
		for _, bad := range []any{nil, map[string]any{"tag_expiration_s": 5}, map[string]any{"tag_expiration_s": -1},
			map[string]any{"tag_expiration_s": "x"}, map[string]any{"email": "nope"}, map[string]any{"invoice_email": "yes"}} {
			oc.quayDo(t, http.MethodPut, "organization/"+org, bad).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
		}
	})

	t.Run("delete", func(t *testing.T) {
		name := org + "b"
		data := randBytes(t, 64)
		oc.do(t, http.MethodPut, pkgPath(name, "tool", "1.0", "tool.bin"), data).want(t, http.StatusCreated)
		pushedImage(t, owner.bearer(t, scope(name+"/app", "pull,push")), name+"/app", "v1")
		e.anon().quayDo(t, http.MethodDelete, "organization/"+name, nil).wantRefused(t, true)
		e.newUser(t, false).basic().quayDo(t, http.MethodDelete, "organization/"+name, nil).wantRefused(t, false)
		oc.quayDo(t, http.MethodDelete, "organization/"+name, nil).want(t, http.StatusNoContent)
		oc.quayDo(t, http.MethodGet, "organization/"+name, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
		oc.do(t, http.MethodGet, pkgPath(name, "tool", "1.0", "tool.bin"), nil).want(t, http.StatusNotFound)
		// The name is free again, and nothing of the old organisation
		// comes back with it.
		oc.quayDo(t, http.MethodPost, "organization/", map[string]any{"name": name}).want(t, http.StatusCreated)
		oc.do(t, http.MethodGet, pkgPath(name, "tool", "1.0", "tool.bin"), nil).want(t, http.StatusNotFound)
		oc.quayDo(t, http.MethodDelete, "organization/"+name, nil).want(t, http.StatusNoContent)
		oc.quayDo(t, http.MethodDelete, "organization/"+owner.name, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	})

	t.Run("members", func(t *testing.T) { testQuayOrgMembers(t, e) })
	t.Run("access", func(t *testing.T) { testQuayOrgAccess(t, e) })
}

func testQuayOrgMembers(t *testing.T, e *env) {
	oc := newOrgCast(t, e)
	// A default permission gives the member and an outsider their own
	// permissions on every new repository.
	for _, u := range []*user{oc.member, oc.other} {
		oc.ownerC.quayDo(t, http.MethodPost, "organization/"+oc.org+"/prototypes", map[string]any{
			"role": "read", "delegate": map[string]any{"kind": "user", "name": u.name},
		}).want(t, http.StatusOK)
	}
	oc.ownerC.do(t, http.MethodPut, pkgPath(oc.org, "tool", "1.0", "tool.bin"), randBytes(t, 32)).want(t, http.StatusCreated)

	var list struct {
		Members []struct {
			Name, Kind   string
			Teams        []struct{ Name string }
			Repositories []string
		}
	}
	oc.ownerC.quayDo(t, http.MethodGet, "organization/"+oc.org+"/members", nil).want(t, http.StatusOK).decode(t, &list)
	got := map[string][]string{}
	for _, m := range list.Members {
		var teams []string
		for _, tm := range m.Teams {
			teams = append(teams, tm.Name)
		}
		got[m.Name] = teams
		if m.Kind != "user" {
			t.Errorf("member %s has kind %s", m.Name, m.Kind)
		}
		wantRepos := []string{}
		if m.Name == oc.member.name || m.Name == oc.owner.name {
			wantRepos = []string{"tool"}
		}
		if !slices.Equal(m.Repositories, wantRepos) {
			t.Errorf("member %s: repositories %v, want %v", m.Name, m.Repositories, wantRepos)
		}
	}
	want := map[string][]string{oc.owner.name: {"owners"}, oc.admin.name: {"admins"}, oc.creator.name: {"creators"}, oc.member.name: {"readers"}}
	if len(got) != len(want) {
		t.Errorf("members %v, want %v", got, want)
	}
	for n, ts := range want {
		if !slices.Equal(got[n], ts) {
			t.Errorf("member %s in teams %v, want %v", n, got[n], ts)
		}
	}

	m := oc.adminC.quayDo(t, http.MethodGet, "organization/"+oc.org+"/members/"+oc.member.name, nil).want(t, http.StatusOK).jsonObject(t)
	if m["name"] != oc.member.name || m["kind"] != "user" {
		t.Errorf("member view: %v", m)
	}
	m = oc.ownerC.quayDo(t, http.MethodGet, "organization/"+oc.org+"/members/"+oc.robotName, nil).want(t, http.StatusOK).jsonObject(t)
	if m["name"] != oc.robotName || m["kind"] != "robot" {
		t.Errorf("robot member view: %v", m)
	}
	oc.ownerC.quayDo(t, http.MethodDelete, "organization/"+oc.org+"/members/"+oc.robotName, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	oc.ownerC.quayDo(t, http.MethodGet, "organization/"+oc.org+"/members/"+oc.other.name, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	oc.ownerC.quayDo(t, http.MethodGet, "organization/"+oc.org+"/members/nosuchuser1", nil).wantProblem(t, http.StatusNotFound, "not_found", "")

	var collab struct {
		Collaborators []struct {
			Kind, Name   string
			Repositories []string
		}
	}
	oc.ownerC.quayDo(t, http.MethodGet, "organization/"+oc.org+"/collaborators", nil).want(t, http.StatusOK).decode(t, &collab)
	if len(collab.Collaborators) != 1 || collab.Collaborators[0].Name != oc.other.name ||
		!slices.Equal(collab.Collaborators[0].Repositories, []string{"tool"}) || collab.Collaborators[0].Kind != "user" {
		t.Errorf("collaborators: %+v", collab)
	}

	// Removing a member takes them out of every team and their own
	// permissions.
	oc.membC.quayDo(t, http.MethodDelete, "organization/"+oc.org+"/members/"+oc.creator.name, nil).wantRefused(t, false)
	oc.ownerC.quayDo(t, http.MethodDelete, "organization/"+oc.org+"/members/"+oc.member.name, nil).want(t, http.StatusNoContent)
	oc.ownerC.quayDo(t, http.MethodGet, "organization/"+oc.org+"/members/"+oc.member.name, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	oc.ownerC.quayDo(t, http.MethodDelete, "organization/"+oc.org+"/members/nosuchuser1", nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	v := oc.membC.quayDo(t, http.MethodGet, "organization/"+oc.org, nil).want(t, http.StatusOK).jsonObject(t)
	if v["is_member"] != false {
		t.Errorf("removed member's view: %v", v)
	}
	// The last admin cannot be removed.
	oc.ownerC.quayDo(t, http.MethodDelete, "organization/"+oc.org+"/members/"+oc.admin.name, nil).want(t, http.StatusNoContent)
	oc.ownerC.quayDo(t, http.MethodDelete, "organization/"+oc.org+"/members/"+oc.owner.name, nil).wantMessage(t, http.StatusBadRequest, "")
}

// testQuayOrgAccess runs every caller against every organisation
// endpoint, on an organisation that exists and on one that does not.
func testQuayOrgAccess(t *testing.T, e *env) {
	oc := newOrgCast(t, e)
	readToken := e.withAuth("Bearer " + oc.owner.apiToken(t, "pull"))
	callers := []struct {
		name   string
		c      *client
		admin  bool // administers the organisation
		member bool
		anon   bool
		super  bool
	}{
		{name: "anonymous", c: e.anon(), anon: true},
		{name: "owner", c: oc.ownerC, admin: true, member: true},
		{name: "org admin", c: oc.adminC, admin: true, member: true},
		{name: "creator", c: oc.creatorC, member: true},
		{name: "member", c: oc.membC, member: true},
		{name: "other user", c: oc.other.basic()},
		{name: "superuser", c: oc.super.basic(), admin: true, super: true},
		{name: "owner's pull token", c: readToken, member: true},
		{name: "robot in readers", c: oc.robotC, member: true},
	}
	adminGets := []string{"", "/members", "/members/" + oc.member.name, "/collaborators", "/prototypes"}
	for _, who := range callers {
		t.Run(who.name, func(t *testing.T) {
			v := who.c.quayDo(t, http.MethodGet, "organization/"+oc.org, nil).want(t, http.StatusOK).jsonObject(t)
			if v["is_admin"] != who.admin || v["is_member"] != (who.member || who.super) {
				t.Errorf("view: is_admin %v is_member %v", v["is_admin"], v["is_member"])
			}
			if _, ok := v["teams"]; ok != (who.member || who.super) {
				t.Errorf("view shows teams: %v", ok)
			}
			for _, p := range adminGets[1:] {
				r := who.c.quayDo(t, http.MethodGet, "organization/"+oc.org+p, nil)
				if who.admin {
					r.want(t, http.StatusOK)
				} else {
					r.wantRefused(t, who.anon)
				}
			}
			r := who.c.quayDo(t, http.MethodPut, "organization/"+oc.org, map[string]any{"tag_expiration_s": 604800})
			if who.admin {
				r.want(t, http.StatusOK)
			} else {
				r.wantRefused(t, who.anon)
			}
			// Permission comes before existence: only a superuser learns
			// that an organisation is missing.
			for _, p := range adminGets {
				method, body := http.MethodGet, any(nil)
				if p == "" {
					method, body = http.MethodPut, map[string]any{}
				}
				r := who.c.quayDo(t, method, "organization/nosuchorg1"+p, body)
				if who.super {
					r.wantProblem(t, http.StatusNotFound, "not_found", "")
				} else {
					r.wantRefused(t, who.anon)
				}
			}
			r = who.c.quayDo(t, http.MethodDelete, "organization/nosuchorg1", nil)
			if who.super {
				r.wantProblem(t, http.StatusNotFound, "not_found", "")
			} else {
				r.wantRefused(t, who.anon)
			}
			if !who.admin {
				who.c.quayDo(t, http.MethodDelete, "organization/"+oc.org, nil).wantRefused(t, who.anon)
				who.c.quayDo(t, http.MethodDelete, "organization/"+oc.org+"/members/"+oc.member.name, nil).wantRefused(t, who.anon)
			}
		})
	}
	// Everyone refused, the organisation and its members are intact.
	var list struct{ Members []struct{ Name string } }
	oc.ownerC.quayDo(t, http.MethodGet, "organization/"+oc.org+"/members", nil).want(t, http.StatusOK).decode(t, &list)
	if len(list.Members) != 4 {
		t.Errorf("members after the matrix: %+v", list.Members)
	}
}
