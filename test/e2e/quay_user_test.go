package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"wharf/internal/testserver"
)

// TestQuayUser covers the signed-in user's view, other users' views and
// sign-up, which is off by default.
func TestQuayUser(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.opt)
			t.Run("self", func(t *testing.T) { testQuayUserSelf(t, e) })
			t.Run("others", func(t *testing.T) { testQuayUserOthers(t, e) })
			t.Run("sign-up off", func(t *testing.T) {
				e.anon().quayDo(t, http.MethodPost, "user/", map[string]any{
					"username": "newcomer", "password": "long enough password", "email": "n@example.com",
				}).wantProblem(t, http.StatusNotFound, "not_found", "")
				e.anon().quayDo(t, http.MethodGet, "users/newcomer", nil).wantMessage(t, http.StatusNotFound, "")
			})
			opt := b.opt
			opt.Env = append(slices.Clone(opt.Env), "WHARF_SIGN_UP=true")
			t.Run("sign-up on", func(t *testing.T) {
				e := newEnv(t, opt)
				testQuaySignUp(t, e)
				testQuaySignUpInvites(t, e)
			})
		})
	}
}

type orgEntry struct {
	Name          string
	CanCreateRepo bool  `json:"can_create_repo"`
	IsOrgAdmin    *bool `json:"is_org_admin"`
	Public        *bool
}

type userView struct {
	Anonymous     *bool
	Username      string
	Email         *string
	IsMe          *bool `json:"is_me"`
	SuperUser     *bool `json:"super_user"`
	Avatar        struct{ Kind string }
	Organizations *[]orgEntry
}

func testQuayUserSelf(t *testing.T, e *env) {
	oc := newOrgCast(t, e)
	doc := e.anon().quayDo(t, http.MethodGet, "user/", nil).wantProblem(t, http.StatusUnauthorized, "invalid_token", "").jsonObject(t)
	if doc["session_required"] != false {
		t.Errorf("anonymous GET /user/: %v", doc)
	}

	var v userView
	oc.ownerC.quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusOK).decode(t, &v)
	if v.Username != oc.owner.name || v.Anonymous == nil || *v.Anonymous || v.Email == nil || *v.Email != oc.owner.name+"@example.com" ||
		v.IsMe == nil || !*v.IsMe || v.SuperUser != nil || v.Avatar.Kind != "user" || v.Organizations == nil {
		t.Errorf("owner's view: %+v", v)
	}
	wantOrgs := func(who string, v userView, admin, create bool) {
		t.Helper()
		if v.Organizations == nil || len(*v.Organizations) != 1 {
			t.Fatalf("%s's organizations: %+v", who, v.Organizations)
		}
		o := (*v.Organizations)[0]
		if o.Name != oc.org || o.CanCreateRepo != create || o.Public == nil || o.IsOrgAdmin == nil || *o.IsOrgAdmin != admin {
			t.Errorf("%s's organization: %+v", who, o)
		}
	}
	wantOrgs("owner", v, true, true)
	oc.creatorC.quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusOK).decode(t, &v)
	wantOrgs("creator", v, false, true)
	oc.membC.quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusOK).decode(t, &v)
	wantOrgs("member", v, false, false)
	v = userView{}
	oc.other.basic().quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusOK).decode(t, &v)
	if v.Organizations == nil || len(*v.Organizations) != 0 {
		t.Errorf("outsider's organizations: %+v", v.Organizations)
	}

	v = userView{}
	oc.super.basic().quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusOK).decode(t, &v)
	if v.SuperUser == nil || !*v.SuperUser {
		t.Errorf("superuser's view: %+v", v)
	}
	// A token restricted to pulling reads the account but not its
	// settings.
	v = userView{}
	e.withAuth("Bearer "+oc.owner.apiToken(t, "pull")).quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusOK).decode(t, &v)
	if v.Username != oc.owner.name || v.Email != nil || v.IsMe != nil || v.Organizations == nil {
		t.Errorf("view through a pull token: %+v", v)
	}
	oc.robotC.quayDo(t, http.MethodGet, "user/", nil).wantRefused(t, false)
	e.withAuth("Bearer nosuchtoken00000000000000000000000000").quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusUnauthorized)
}

func testQuayUserOthers(t *testing.T, e *env) {
	alice, bob := e.newUser(t, false), e.newUser(t, true)
	for _, c := range []*client{e.anon(), bob.basic()} {
		v := c.quayDo(t, http.MethodGet, "users/"+alice.name, nil).want(t, http.StatusOK).jsonObject(t)
		ks := keys(v)
		slices.Sort(ks)
		want := []string{"anonymous", "avatar", "username"}
		if c.authz != "" {
			want = []string{"anonymous", "avatar", "super_user", "username"}
		}
		if !slices.Equal(ks, want) || v["username"] != alice.name || v["anonymous"] != false || (c.authz != "" && v["super_user"] != false) {
			t.Errorf("alice as seen by %q: %v", c.authz, v)
		}
	}
	var v userView
	alice.basic().quayDo(t, http.MethodGet, "users/"+alice.name, nil).want(t, http.StatusOK).decode(t, &v)
	if v.Email == nil || v.IsMe == nil || !*v.IsMe {
		t.Errorf("alice's own view: %+v", v)
	}
	alice.basic().quayDo(t, http.MethodGet, "users/nosuchuser1", nil).wantMessage(t, http.StatusNotFound, "")
	org := alice.createOrg(t)
	alice.basic().quayDo(t, http.MethodGet, "users/"+org, nil).wantMessage(t, http.StatusNotFound, "")
}

func testQuaySignUp(t *testing.T, e *env) {
	name := testserver.RandomName("s")
	body := map[string]any{"username": name, "password": "correct horse", "email": name + "@example.com"}
	for _, bad := range []map[string]any{
		{"password": "longenough1", "email": "x@example.com"},
		{"username": name, "email": "x@example.com"},
		{"username": name, "password": "longenough1"},
		{"username": name, "password": "short", "email": "x@example.com"},
		{"username": name, "password": "has white space", "email": "x@example.com"},
		{"username": "Bad Name", "password": "longenough1", "email": "x@example.com"},
		{"username": name, "password": "longenough1", "email": "nope"},
	} {
		e.anon().quayDo(t, http.MethodPost, "user/", bad).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
	}
	e.anon().quayDo(t, http.MethodPost, "user/", nil).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
	body["password"] = "correct-horse"
	var v userView
	e.anon().quayDo(t, http.MethodPost, "user/", body).want(t, http.StatusOK).decode(t, &v)
	if v.Username != name || v.Email == nil || *v.Email != name+"@example.com" || v.IsMe == nil || !*v.IsMe {
		t.Errorf("new account's view: %+v", v)
	}
	u := &user{e: e, name: name, pass: "correct-horse"}
	// The usage log is read from SQLite's file; the account that signed up
	// is the performer of its creation.
	if _, err := os.Stat(filepath.Join(e.srv.DataDir, "wharf.db")); err == nil {
		openUsageLog(t, e).check(t, name, nil, []logWant{{"user_create", []string{"username", "email"}, 0}})
	}
	u.basic().quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusOK).decode(t, &v)
	if v.Username != name {
		t.Errorf("signed in as %q", v.Username)
	}
	doc := e.anon().quayDo(t, http.MethodPost, "user/", body).wantProblem(t, http.StatusBadRequest, "invalid_request", "").jsonObject(t)
	if doc["detail"] != "The username already exists" {
		t.Errorf("duplicate sign-up: %v", doc)
	}
	org := u.createOrg(t)
	body["username"] = org
	e.anon().quayDo(t, http.MethodPost, "user/", body).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
}

// testQuaySignUpInvites checks that with sign-up on, where anyone may
// claim any e-mail address, an invitation of an address is not shown to
// whoever claims it: the organisation's admin hands its code out, and a
// person with that address accepts it with the code.
func testQuaySignUpInvites(t *testing.T, e *env) {
	owner := e.newUser(t, false)
	org := owner.createOrg(t)
	addr := testserver.RandomName("victim") + "@example.com"
	inv := owner.basic().quayDo(t, http.MethodPut, "organization/"+org+"/team/owners/invite/"+addr, nil).
		want(t, http.StatusOK).jsonObject(t)
	code, _ := inv["code"].(string)
	if code == "" {
		t.Fatalf("the admin's view of an e-mail invitation has no code: %v", inv)
	}
	name := testserver.RandomName("s")
	e.anon().quayDo(t, http.MethodPost, "user/", map[string]any{"username": name, "password": "correct-horse", "email": addr}).
		want(t, http.StatusOK)
	claimer := &user{e: e, name: name, pass: "correct-horse"}
	var n struct {
		Notifications []map[string]any `json:"notifications"`
	}
	claimer.basic().quayDo(t, http.MethodGet, "user/notifications", nil).want(t, http.StatusOK).decode(t, &n)
	if len(n.Notifications) != 0 {
		t.Fatalf("an address claimed at sign-up shows the invitation: %v", n.Notifications)
	}
	// Someone without the address cannot use the code; the address's
	// holder can.
	e.newUser(t, false).basic().quayDo(t, http.MethodPut, "teaminvite/"+code, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	claimer.basic().quayDo(t, http.MethodPut, "teaminvite/"+code, nil).want(t, http.StatusOK)
	owner.basic().quayDo(t, http.MethodGet, "organization/"+org+"/members/"+name, nil).want(t, http.StatusOK)
}
