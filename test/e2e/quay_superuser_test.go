package e2e

import (
	"net/http"
	"testing"
	"time"

	"wharf/internal/testserver"
)

// TestQuaySuperuser covers the superuser's management of accounts and
// organisations, and that nobody else reaches it.
func TestQuaySuperuser(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testQuaySuperuser(t, newEnv(t, b.opt))
		})
	}
}

type superUser struct {
	Kind, Name, Username, Email string
	Verified                    bool
	SuperUser                   bool `json:"super_user"`
	Enabled                     bool
	Avatar                      struct{ Kind string }
}

// superUsers lists the accounts as the superuser sc sees them, by name.
func superUsers(t *testing.T, sc *client, query string) map[string]superUser {
	t.Helper()
	var v struct{ Users []superUser }
	sc.quayDo(t, http.MethodGet, "superuser/users/"+query, nil).want(t, http.StatusOK).decode(t, &v)
	out := map[string]superUser{}
	for _, u := range v.Users {
		out[u.Username] = u
	}
	return out
}

func testQuaySuperuser(t *testing.T, e *env) {
	oc := newOrgCast(t, e)
	sc := oc.super.basic()

	all := superUsers(t, sc, "")
	got, ok := all[oc.member.name]
	if !ok || got.Kind != "user" || got.Name != oc.member.name || got.Email != oc.member.name+"@example.com" ||
		got.SuperUser || !got.Enabled || !got.Verified || got.Avatar.Kind != "user" {
		t.Errorf("member as listed: %+v", got)
	}
	if !all[oc.super.name].SuperUser {
		t.Errorf("superuser as listed: %+v", all[oc.super.name])
	}
	var orgs struct {
		Organizations []struct{ Name, Email string }
	}
	sc.quayDo(t, http.MethodGet, "superuser/organizations/", nil).want(t, http.StatusOK).decode(t, &orgs)
	found := false
	for _, o := range orgs.Organizations {
		found = found || o.Name == oc.org
		if o.Name == oc.owner.name {
			t.Errorf("a person's namespace is listed as an organization")
		}
	}
	if !found {
		t.Errorf("organizations %+v lack %s", orgs, oc.org)
	}

	// Creating an account answers its generated password.
	name := testserver.RandomName("n")
	var created struct{ Username, Email, Password string }
	sc.quayDo(t, http.MethodPost, "superuser/users/", map[string]any{"username": name, "email": name + "@example.com"}).
		want(t, http.StatusOK).decode(t, &created)
	if created.Username != name || created.Email != name+"@example.com" || len(created.Password) < 16 {
		t.Errorf("created: %+v", created)
	}
	nu := &user{e: e, name: name, pass: created.Password}
	nu.basic().quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusOK)
	for _, bad := range []any{nil, map[string]any{"email": "x@example.com"}, map[string]any{"username": name + "z"},
		map[string]any{"username": name, "email": "y@example.com"}, map[string]any{"username": "Bad Name", "email": "y@example.com"}} {
		sc.quayDo(t, http.MethodPost, "superuser/users/", bad).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
	}

	var one superUser
	sc.quayDo(t, http.MethodGet, "superuser/users/"+name, nil).want(t, http.StatusOK).decode(t, &one)
	if one.Username != name || !one.Enabled {
		t.Errorf("one user: %+v", one)
	}
	sc.quayDo(t, http.MethodGet, "superuser/users/nosuchuser1", nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	sc.quayDo(t, http.MethodGet, "superuser/users/"+oc.org, nil).wantProblem(t, http.StatusNotFound, "not_found", "")

	// Changes: address, password, disabling; a superuser cannot be changed.
	sc.quayDo(t, http.MethodPut, "superuser/users/"+name, map[string]any{"email": "new-" + name + "@example.com", "password": "another-secret"}).
		want(t, http.StatusOK).decode(t, &one)
	if one.Email != "new-"+name+"@example.com" {
		t.Errorf("changed address: %+v", one)
	}
	nu.pass = "another-secret"
	nu.basic().quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusOK)
	for _, bad := range []any{nil, map[string]any{"password": "short"}, map[string]any{"email": "nope"}, map[string]any{"enabled": "no"}} {
		sc.quayDo(t, http.MethodPut, "superuser/users/"+name, bad).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
	}
	sc.quayDo(t, http.MethodPut, "superuser/users/"+oc.super.name, map[string]any{"enabled": false}).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
	sc.quayDo(t, http.MethodPut, "superuser/users/nosuchuser1", map[string]any{"enabled": false}).wantProblem(t, http.StatusNotFound, "not_found", "")
	// The server keeps a successful password check for a minute; a
	// disabled account is refused all the same.
	oc.other.basic().quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusOK)
	sc.quayDo(t, http.MethodPut, "superuser/users/"+oc.other.name, map[string]any{"enabled": false}).want(t, http.StatusOK).decode(t, &one)
	if one.Enabled {
		t.Errorf("disabled user: %+v", one)
	}
	oc.other.basic().quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusUnauthorized)
	oc.other.basic().quayDo(t, http.MethodPost, "organization/", map[string]any{"name": oc.org + "d"}).want(t, http.StatusUnauthorized)
	oc.other.basic().quayDo(t, http.MethodGet, "user/notifications", nil).want(t, http.StatusUnauthorized)
	if _, listed := superUsers(t, sc, "?disabled=false")[oc.other.name]; listed {
		t.Errorf("disabled=false lists a disabled user")
	}
	if _, listed := superUsers(t, sc, "?disabled=true")[oc.other.name]; !listed {
		t.Errorf("disabled=true leaves a disabled user out")
	}
	sc.quayDo(t, http.MethodPut, "superuser/users/"+oc.other.name, map[string]any{"enabled": true}).want(t, http.StatusOK)
	oc.other.basic().quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusOK)

	// A promoted user reaches the superuser endpoints.
	nu.basic().quayDo(t, http.MethodGet, "superuser/users/", nil).wantRefused(t, false)
	sc.quayDo(t, http.MethodPut, "superuser/users/"+name, map[string]any{"superuser": true}).want(t, http.StatusOK).decode(t, &one)
	if !one.SuperUser {
		t.Errorf("promoted user: %+v", one)
	}
	// Access decisions reread an account within auth.user_cache_ttl (2s).
	deadline := time.Now().Add(10 * time.Second)
	for nu.basic().quayDo(t, http.MethodGet, "superuser/users/", nil).Status != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("a promoted user does not reach the superuser endpoints")
		}
		time.Sleep(200 * time.Millisecond)
	}

	// Deleting an account deletes its repositories and namespace.
	victim := e.newUser(t, false)
	victim.basic().do(t, http.MethodPut, pkgPath(victim.name, "tool", "1", "f.bin"), randBytes(t, 16)).want(t, http.StatusCreated)
	sc.quayDo(t, http.MethodDelete, "superuser/users/"+oc.super.name, nil).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
	sc.quayDo(t, http.MethodDelete, "superuser/users/nosuchuser1", nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	sc.quayDo(t, http.MethodDelete, "superuser/users/"+victim.name, nil).want(t, http.StatusNoContent)
	sc.quayDo(t, http.MethodGet, "superuser/users/"+victim.name, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	victim.basic().quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusUnauthorized)
	sc.do(t, http.MethodGet, pkgPath(victim.name, "tool", "1", "f.bin"), nil).want(t, http.StatusNotFound)

	// Nobody else reaches any of it; permission comes before existence.
	callers := []struct {
		name string
		c    *client
		anon bool
	}{
		{"anonymous", e.anon(), true},
		{"org owner", oc.ownerC, false},
		{"org admin", oc.adminC, false},
		{"member", oc.membC, false},
		{"superuser's pull token", e.withAuth("Bearer " + oc.super.apiToken(t, "pull")), false},
		{"robot", oc.robotC, false},
	}
	for _, who := range callers {
		for _, op := range []struct {
			method, path string
			body         any
		}{
			{http.MethodGet, "superuser/users/", nil},
			{http.MethodPost, "superuser/users/", map[string]any{"username": name + "q", "email": "q@example.com"}},
			{http.MethodGet, "superuser/users/" + oc.member.name, nil},
			{http.MethodGet, "superuser/users/nosuchuser1", nil},
			{http.MethodPut, "superuser/users/" + oc.member.name, map[string]any{"enabled": false}},
			{http.MethodDelete, "superuser/users/" + oc.member.name, nil},
			{http.MethodDelete, "superuser/users/nosuchuser1", nil},
			{http.MethodGet, "superuser/organizations/", nil},
		} {
			t.Run(who.name+" "+op.method+" "+op.path, func(t *testing.T) {
				who.c.quayDo(t, op.method, op.path, op.body).wantRefused(t, who.anon)
			})
		}
	}
	oc.membC.quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusOK)
}
