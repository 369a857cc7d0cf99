package e2e

import (
	"net/http"
	"testing"
)

// TestQuayRobotAdministersNothing checks that a robot in an
// organisation's admin team keeps the admin role on the organisation's
// repositories but administers nothing of the organisation itself: not
// its robots (whose tokens would let it act as them), teams, members,
// default permissions, applications or settings. Quay lets no robot call
// its API at all.
func TestQuayRobotAdministersNothing(t *testing.T) {
	forEachBackendNoServer(t, func(t *testing.T, b backend) {
		e := newEnv(t, b.opt)
		owner, other := e.newUser(t, false), e.newUser(t, false)
		org := owner.createOrg(t)
		oc := owner.basic()
		botName, bot := makeOrgRobot(t, owner, org, "ci")
		makeOrgRobot(t, owner, org, "deploy")
		oc.do(t, http.MethodPut, "/api/v1/organization/"+org+"/team/owners/members/"+botName, nil).want(t, http.StatusOK)
		createQuayRepo(t, oc, org, "app", "private")

		// The robot administers the organisation's repositories.
		bot.do(t, http.MethodGet, "/api/v1/repository/"+org+"/app/permissions/user/", nil).want(t, http.StatusOK)

		// It may list the robots as any member, without their tokens.
		var list struct {
			Robots []quayRobot `json:"robots"`
		}
		bot.do(t, http.MethodGet, "/api/v1/organization/"+org+"/robots?token=true", nil).want(t, http.StatusOK).decode(t, &list)
		if len(list.Robots) != 2 {
			t.Fatalf("robots %+v", list.Robots)
		}
		for _, rb := range list.Robots {
			if rb.Token != nil {
				t.Errorf("a robot sees the token of %s", rb.Name)
			}
		}
		for _, c := range []struct{ method, path, body string }{
			{http.MethodGet, "/organization/" + org + "/robots/deploy", ""},
			{http.MethodPost, "/organization/" + org + "/robots/deploy/regenerate", ""},
			{http.MethodPut, "/organization/" + org + "/robots/more", "{}"},
			{http.MethodPut, "/organization/" + org + "/team/owners/members/" + other.name, ""},
			{http.MethodPut, "/organization/" + org + "/team/builders", `{"role": "admin"}`},
			{http.MethodGet, "/organization/" + org + "/members", ""},
			{http.MethodGet, "/organization/" + org + "/prototypes", ""},
			{http.MethodGet, "/organization/" + org + "/applications", ""},
			{http.MethodPut, "/organization/" + org, `{"email": "x@example.com"}`},
			{http.MethodDelete, "/organization/" + org, ""},
		} {
			var body any
			if c.body != "" {
				body = c.body
			}
			bot.do(t, c.method, "/api/v1"+c.path, body).wantRefused(t, false)
		}
		var view map[string]any
		bot.do(t, http.MethodGet, "/api/v1/organization/"+org, nil).want(t, http.StatusOK).decode(t, &view)
		if view["is_admin"] != false || view["email"] != "" {
			t.Errorf("a robot's view of its organisation: %v", view)
		}
	})
}
