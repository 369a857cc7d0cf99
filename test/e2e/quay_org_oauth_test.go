package e2e

import (
	"net/http"
	"testing"
)

// TestQuayOrgOAuthScopes checks that OAuth access tokens reach the
// organisation, team, default-permission, user and superuser endpoints
// only as far as their scopes allow, on top of the user's own rights.
func TestQuayOrgOAuthScopes(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testQuayOrgOAuthScopes(t, newEnv(t, b.opt))
		})
	}
}

func testQuayOrgOAuthScopes(t *testing.T, e *env) {
	oc := newOrgCast(t, e)
	app := makeApp(t, oc.ownerC, oc.org, "https://client.example/cb")
	token := func(u *user, scope string) *client {
		t.Helper()
		return e.withAuth("Bearer " + oauthToken(t, e, app, u, scope))
	}
	orgPath := "organization/" + oc.org

	// org:admin administers the organisation.
	admin := token(oc.owner, "org:admin")
	admin.quayDo(t, http.MethodPut, orgPath, map[string]any{"tag_expiration_s": 0}).want(t, http.StatusOK)
	admin.quayDo(t, http.MethodGet, orgPath+"/members", nil).want(t, http.StatusOK)
	admin.quayDo(t, http.MethodGet, orgPath+"/prototypes", nil).want(t, http.StatusOK)
	admin.quayDo(t, http.MethodPut, orgPath+"/team/viaoauth", map[string]any{"role": "member"}).want(t, http.StatusOK)
	admin.quayDo(t, http.MethodGet, orgPath+"/team/readers/members", nil).want(t, http.StatusOK)
	// It does not act for the user's account.
	admin.quayDo(t, http.MethodGet, "user/", nil).wantRefused(t, false)
	admin.quayDo(t, http.MethodPost, "organization/", map[string]any{"name": oc.org + "o1"}).wantRefused(t, false)

	// Without org:admin the owner is only a member.
	reader := token(oc.owner, "repo:read user:read")
	v := reader.quayDo(t, http.MethodGet, orgPath, nil).want(t, http.StatusOK).jsonObject(t)
	if v["is_admin"] != false || v["is_member"] != true {
		t.Errorf("view through repo:read user:read: %v", v)
	}
	reader.quayDo(t, http.MethodPut, orgPath, map[string]any{"tag_expiration_s": 0}).wantRefused(t, false)
	reader.quayDo(t, http.MethodGet, orgPath+"/members", nil).wantRefused(t, false)
	reader.quayDo(t, http.MethodGet, orgPath+"/prototypes", nil).wantRefused(t, false)
	reader.quayDo(t, http.MethodPut, orgPath+"/team/viaoauth", map[string]any{"role": "admin"}).wantRefused(t, false)
	reader.quayDo(t, http.MethodGet, orgPath+"/team/owners/members", nil).wantRefused(t, false)
	// user:read reads the account, without its settings; creating an
	// organisation needs user:admin.
	var self userView
	reader.quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusOK).decode(t, &self)
	if self.Username != oc.owner.name || self.Email != nil || self.Organizations == nil || len(*self.Organizations) != 1 {
		t.Errorf("GET /user/ through user:read: %+v", self)
	}
	reader.quayDo(t, http.MethodPost, "organization/", map[string]any{"name": oc.org + "o2"}).wantRefused(t, false)
	reader.quayDo(t, http.MethodGet, "user/notifications", nil).wantRefused(t, false)
	token(oc.owner, "repo:read").quayDo(t, http.MethodGet, "user/", nil).wantRefused(t, false)

	userAdmin := token(oc.owner, "user:admin")
	userAdmin.quayDo(t, http.MethodPost, "organization/", map[string]any{"name": oc.org + "o3"}).want(t, http.StatusCreated)
	userAdmin.quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusOK).decode(t, &self)
	if self.Email == nil || self.IsMe == nil || !*self.IsMe {
		t.Errorf("GET /user/ through user:admin: %+v", self)
	}

	// A team member reads their team's members only with org:admin.
	token(oc.member, "org:admin").quayDo(t, http.MethodGet, orgPath+"/team/readers/members", nil).want(t, http.StatusOK)
	token(oc.member, "user:read").quayDo(t, http.MethodGet, orgPath+"/team/readers/members", nil).wantRefused(t, false)
	// org:admin gives a member no more than the member's rights.
	token(oc.member, "org:admin").quayDo(t, http.MethodPut, orgPath, map[string]any{"tag_expiration_s": 0}).wantRefused(t, false)

	// Superuser powers need super:user.
	token(oc.super, "super:user").quayDo(t, http.MethodGet, "superuser/users/", nil).want(t, http.StatusOK)
	token(oc.super, "org:admin user:admin").quayDo(t, http.MethodGet, "superuser/users/", nil).wantRefused(t, false)
	token(oc.super, "super:user").quayDo(t, http.MethodGet, "organization/nosuchorg1/members", nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	token(oc.super, "user:read").quayDo(t, http.MethodGet, "organization/nosuchorg1/members", nil).wantRefused(t, false)
}
