package e2e

import (
	"net/http"
	"slices"
	"testing"
)

// TestQuayOrgRepositories drives the repository, permission and robot
// endpoints in an organisation: who may create, what admin, creator and
// member teams, robots and outsiders may do, team permissions, default
// permissions applied on creation, and the organisation's robots.
func TestQuayOrgRepositories(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testQuayOrgRepositories(t, newEnv(t, b.opt))
		})
	}
}

func testQuayOrgRepositories(t *testing.T, e *env) {
	owner, orgAdmin, creator, member, stranger := e.newUser(t, false), e.newUser(t, false), e.newUser(t, false), e.newUser(t, false), e.newUser(t, false)
	org := owner.createOrg(t)
	oc := owner.quayAPI(t)
	oc.putTeam(t, org, "admins", "admin")
	oc.putTeam(t, org, "builders", "creator")
	oc.putTeam(t, org, "readers", "member")
	oc.join(t, org, "admins", orgAdmin)
	oc.join(t, org, "builders", creator)
	oc.join(t, org, "readers", member)
	ac, cc, mc, sc, anon := orgAdmin.quayAPI(t), creator.quayAPI(t), member.quayAPI(t), stranger.quayAPI(t), e.anon()

	// Creating: admins and creators may, members and outsiders may not.
	createQuayRepo(t, oc, org, "app", "private")
	createQuayRepo(t, ac, org, "by-admin", "private")
	for _, c := range []*client{mc, sc, anon} {
		c.do(t, http.MethodPost, "/api/v1/repository", `{"namespace": "`+org+`", "repository": "nope", "visibility": "public", "description": ""}`).
			wantRefused(t, c == anon)
	}
	// A default permission gives the readers team read on what the
	// creator makes; the creator becomes its admin.
	oc.do(t, http.MethodPost, "/api/v1/organization/"+org+"/prototypes",
		`{"role": "read", "delegate": {"name": "readers", "kind": "team"}, "activating_user": {"name": "`+creator.name+`"}}`).want(t, http.StatusOK)
	createQuayRepo(t, cc, org, "built", "private")
	built := "/api/v1/repository/" + org + "/built"
	var users struct {
		Permissions map[string]userPerm `json:"permissions"`
	}
	cc.do(t, http.MethodGet, built+"/permissions/user/", nil).want(t, http.StatusOK).decode(t, &users)
	if p := users.Permissions[creator.name]; p.Role != "admin" || p.IsOrgMember == nil || !*p.IsOrgMember {
		t.Errorf("creator's permission on the new repository: %+v", users.Permissions)
	}
	var teams struct {
		Permissions map[string]map[string]any `json:"permissions"`
	}
	cc.do(t, http.MethodGet, built+"/permissions/team/", nil).want(t, http.StatusOK).decode(t, &teams)
	if p := teams.Permissions["readers"]; p["role"] != "read" || p["name"] != "readers" || p["avatar"] == nil {
		t.Errorf("team permissions of the new repository: %v", teams.Permissions)
	}
	if r := mc.do(t, http.MethodGet, built, nil).want(t, http.StatusOK).jsonObject(t); r["is_organization"] != true || r["can_write"] != false {
		t.Errorf("member's view of the repository the default permission opened: %v", r)
	}
	// The creator role gives nothing on repositories made by others.
	cc.do(t, http.MethodGet, "/api/v1/repository/"+org+"/app", nil).wantRefused(t, false)

	// Team permissions on app.
	app := "/api/v1/repository/" + org + "/app"
	tp := app + "/permissions/team/"
	r := oc.do(t, http.MethodPut, tp+"readers", `{"role": "write"}`).want(t, http.StatusOK).jsonObject(t)
	if r["role"] != "write" || r["name"] != "readers" || r["avatar"] == nil {
		t.Errorf("PUT team permission answered %v", r)
	}
	oc.do(t, http.MethodGet, tp+"readers", nil).want(t, http.StatusOK).wantText(t, `{"role":"write"}`)
	oc.do(t, http.MethodGet, tp+"admins", nil).wantMessage(t, http.StatusBadRequest, "Team does not have permission for repo.")
	oc.do(t, http.MethodPut, tp+"ghosts", `{"role": "read"}`).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "No team ghosts in organization "+org)
	oc.do(t, http.MethodPut, tp+"readers", `{"role": "owner"}`).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
	mc.do(t, http.MethodPut, app, `{"description": "members write"}`).want(t, http.StatusOK)
	var tr struct {
		Permissions []map[string]string `json:"permissions"`
	}
	oc.do(t, http.MethodGet, app+"/permissions/user/"+member.name+"/transitive", nil).want(t, http.StatusOK).decode(t, &tr)
	if len(tr.Permissions) != 1 || tr.Permissions[0]["role"] != "write" {
		t.Errorf("member's transitive roles through the team: %v", tr.Permissions)
	}

	// Outside collaborators and members in the user list.
	oc.do(t, http.MethodPut, app+"/permissions/user/"+stranger.name, `{"role": "read"}`).want(t, http.StatusOK)
	oc.do(t, http.MethodPut, app+"/permissions/user/"+member.name, `{"role": "read"}`).want(t, http.StatusOK)
	users.Permissions = nil
	oc.do(t, http.MethodGet, app+"/permissions/user/", nil).want(t, http.StatusOK).decode(t, &users)
	if p := users.Permissions[stranger.name]; p.IsOrgMember == nil || *p.IsOrgMember {
		t.Errorf("outside collaborator: %+v", p)
	}
	if p := users.Permissions[member.name]; p.IsOrgMember == nil || !*p.IsOrgMember {
		t.Errorf("team member: %+v", p)
	}
	oc.do(t, http.MethodDelete, app+"/permissions/user/"+stranger.name, nil).want(t, http.StatusNoContent)

	// Robots of the organisation.
	robots := "/api/v1/organization/" + org + "/robots"
	bot := ac.do(t, http.MethodPut, robots+"/ci", `{"description": "builds"}`).want(t, http.StatusCreated).robot(t)
	if bot.Name != org+"+ci" || bot.Token == nil {
		t.Fatalf("org robot: %+v", bot)
	}
	oc.join(t, org, "builders", &user{e: e, name: bot.Name})
	oc.do(t, http.MethodPut, app+"/permissions/user/"+bot.Name, `{"role": "write"}`).want(t, http.StatusOK)
	var list struct {
		Robots []quayRobot `json:"robots"`
	}
	oc.do(t, http.MethodGet, robots+"?permissions=true", nil).want(t, http.StatusOK).decode(t, &list)
	if len(list.Robots) != 1 || list.Robots[0].Token == nil || len(list.Robots[0].Teams) != 1 ||
		list.Robots[0].Teams[0].Name != "builders" || !slices.Equal(list.Robots[0].Repositories, []string{"app"}) {
		t.Errorf("org robots with permissions, as an admin: %+v", list.Robots)
	}
	list.Robots = nil
	mc.do(t, http.MethodGet, robots+"?permissions=true", nil).want(t, http.StatusOK).decode(t, &list)
	if len(list.Robots) != 1 || list.Robots[0].Token != nil || list.Robots[0].Teams != nil {
		t.Errorf("org robots as a member: %+v", list.Robots)
	}
	mc.do(t, http.MethodGet, robots+"/ci", nil).wantRefused(t, false)
	mc.do(t, http.MethodPut, robots+"/other", nil).wantRefused(t, false)
	mc.do(t, http.MethodPost, robots+"/ci/regenerate", nil).wantRefused(t, false)
	sc.do(t, http.MethodGet, robots, nil).wantRefused(t, false)
	anon.do(t, http.MethodGet, robots, nil).wantRefused(t, true)
	sc.do(t, http.MethodGet, "/api/v1/organization/no-such-org-"+org+"/robots", nil).wantRefused(t, false)
	oc.do(t, http.MethodGet, "/api/v1/organization/"+owner.name+"/robots", nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	ac.do(t, http.MethodGet, robots+"/missing", nil).wantMessage(t, http.StatusBadRequest, "Could not find robot with specified username")
	// As a team member with the creator role the robot may create
	// repositories; with its permission it pushes to app.
	botc := e.withAuth(basicAuth(bot.Name, *bot.Token))
	createQuayRepo(t, botc, org, "robot-made", "private")
	_, rc := e.basicRegistryLogin(t, bot.Name, *bot.Token, scope(org+"/app", "pull,push"))
	pushedImage(t, rc, org+"/app", "ci")

	// What each caller may do to app.
	callers := []struct {
		name string
		c    *client
		rank int
		anon bool
	}{
		{"anonymous", anon, 0, true},
		{"stranger", sc, 0, false},
		{"creator", cc, 0, false},
		{"member", mc, 2, false}, // read of its own, write through its team
		{"robot", botc, 2, false},
		{"org admin", ac, 3, false},
		{"owner", oc, 3, false},
	}
	for _, cl := range callers {
		check := func(r *response, need int) {
			t.Helper()
			if cl.rank >= need {
				r.want(t, http.StatusOK)
			} else {
				r.wantRefused(t, cl.anon)
			}
		}
		check(cl.c.do(t, http.MethodGet, app, nil), 1)
		check(cl.c.do(t, http.MethodPut, app, `{"description": "by `+cl.name+`"}`), 2)
		check(cl.c.do(t, http.MethodGet, app+"/permissions/user/", nil), 3)
		check(cl.c.do(t, http.MethodPut, tp+"readers", `{"role": "write"}`), 3)
		check(cl.c.do(t, http.MethodPost, app+"/changevisibility", `{"visibility": "private"}`), 3)
		names, _ := repoNames(t, cl.c.do(t, http.MethodGet, "/api/v1/repository?namespace="+org, nil).want(t, http.StatusOK))
		if slices.Contains(names, org+"/app") != (cl.rank >= 1) {
			t.Errorf("%s: list of %s = %v", cl.name, org, names)
		}
	}

	// Removing the team's permission takes the member's write away.
	oc.do(t, http.MethodDelete, tp+"readers", nil).want(t, http.StatusNoContent)
	oc.do(t, http.MethodDelete, tp+"readers", nil).wantProblem(t, http.StatusBadRequest, "invalid_request", "Team does not have permission for repo.")
	mc.do(t, http.MethodPut, app, `{"description": "no more"}`).wantRefused(t, false)

	// The robot goes: regenerate, then delete, by an org admin.
	fresh := ac.do(t, http.MethodPost, robots+"/ci/regenerate", nil).want(t, http.StatusOK).robot(t)
	if st, _ := e.basicRegistryLogin(t, bot.Name, *bot.Token); st != http.StatusUnauthorized {
		t.Errorf("old org robot token after regenerate: %d", st)
	}
	ac.do(t, http.MethodDelete, robots+"/ci", nil).want(t, http.StatusNoContent)
	if st, _ := e.basicRegistryLogin(t, bot.Name, *fresh.Token); st != http.StatusUnauthorized {
		t.Errorf("deleted org robot's token: %d", st)
	}
	// An org admin deletes a repository of the organisation.
	ac.do(t, http.MethodDelete, app, nil).want(t, http.StatusNoContent)
	ac.do(t, http.MethodGet, app, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
}
