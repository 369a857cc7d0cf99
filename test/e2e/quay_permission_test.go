package e2e

import (
	"net/http"
	"slices"
	"testing"
)

// TestQuayPermissions drives the repository permission endpoints on a
// user's repository and checks what each role lets a caller do through
// the repository endpoints and the registry.
func TestQuayPermissions(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testQuayPermissions(t, newEnv(t, b.opt))
		})
	}
}

// userPerm is Quay's view of a user's permission.
type userPerm struct {
	Role        string         `json:"role"`
	Name        string         `json:"name"`
	IsRobot     bool           `json:"is_robot"`
	Avatar      map[string]any `json:"avatar"`
	IsOrgMember *bool          `json:"is_org_member"`
}

func testQuayPermissions(t *testing.T, e *env) {
	owner, reader, writer, admin, stranger := e.newUser(t, false), e.newUser(t, false), e.newUser(t, false), e.newUser(t, false), e.newUser(t, false)
	oc, sc := owner.quayAPI(t), stranger.quayAPI(t)
	ns := owner.name
	repo := ns + "/perm"
	base := "/api/v1/repository/" + repo + "/permissions/"
	createQuayRepo(t, oc, ns, "perm", "private")
	bot := oc.do(t, http.MethodPut, "/api/v1/user/robots/bot", nil).want(t, http.StatusCreated).robot(t)
	foreign := sc.do(t, http.MethodPut, "/api/v1/user/robots/bot", nil).want(t, http.StatusCreated).robot(t)

	for _, g := range []struct{ who, role string }{
		{reader.name, "read"}, {writer.name, "write"}, {admin.name, "admin"}, {bot.Name, "write"},
	} {
		var p userPerm
		oc.do(t, http.MethodPut, base+"user/"+g.who, `{"role": "`+g.role+`"}`).want(t, http.StatusOK).decode(t, &p)
		if p.Role != g.role || p.Name != g.who || p.IsRobot != (g.who == bot.Name) || p.Avatar == nil || p.IsOrgMember != nil {
			t.Errorf("PUT permission of %s: %+v", g.who, p)
		}
	}

	var all struct {
		Permissions map[string]userPerm `json:"permissions"`
	}
	oc.do(t, http.MethodGet, base+"user/", nil).want(t, http.StatusOK).decode(t, &all)
	want := map[string]string{owner.name: "admin", reader.name: "read", writer.name: "write", admin.name: "admin", bot.Name: "write"}
	if len(all.Permissions) != len(want) {
		t.Errorf("permission list %v, want %v", all.Permissions, want)
	}
	for who, role := range want {
		if all.Permissions[who].Role != role || all.Permissions[who].Name != who {
			t.Errorf("permission list: %s has %+v, want %s", who, all.Permissions[who], role)
		}
	}
	var one userPerm
	oc.do(t, http.MethodGet, base+"user/"+reader.name, nil).want(t, http.StatusOK).decode(t, &one)
	if one.Role != "read" || one.Name != reader.name {
		t.Errorf("GET permission of the reader: %+v", one)
	}
	oc.do(t, http.MethodGet, base+"user/"+stranger.name, nil).wantMessage(t, http.StatusBadRequest, "User does not have permission for repo.")
	oc.do(t, http.MethodGet, base+"user/nobody-"+ns, nil).wantMessage(t, http.StatusBadRequest, "User does not have permission for repo.")

	// Validation.
	oc.do(t, http.MethodPut, base+"user/"+owner.name, `{"role": "read"}`).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "Namespace owner must always be admin.")
	oc.do(t, http.MethodPut, base+"user/nobody-"+ns, `{"role": "read"}`).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "Invalid username: nobody-"+ns)
	oc.do(t, http.MethodPut, base+"user/"+foreign.Name, `{"role": "read"}`).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "Cannot add robot "+foreign.Name+" under namespace "+ns)
	oc.do(t, http.MethodPut, base+"user/"+stranger.name, `{"role": "owner"}`).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "'owner' is not one of ['read', 'write', 'admin']")
	oc.do(t, http.MethodPut, base+"user/"+stranger.name, `{}`).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "'role' is a required property")
	oc.do(t, http.MethodPut, base+"user/"+stranger.name, nil).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "Missing JSON body")

	// Transitive roles.
	var tr struct {
		Permissions []struct {
			Role string `json:"role"`
		} `json:"permissions"`
	}
	oc.do(t, http.MethodGet, base+"user/"+writer.name+"/transitive", nil).want(t, http.StatusOK).decode(t, &tr)
	if len(tr.Permissions) != 1 || tr.Permissions[0].Role != "write" {
		t.Errorf("transitive roles of the writer: %+v", tr.Permissions)
	}
	oc.do(t, http.MethodGet, base+"user/"+owner.name+"/transitive", nil).want(t, http.StatusOK).decode(t, &tr)
	if len(tr.Permissions) == 0 || tr.Permissions[0].Role != "admin" {
		t.Errorf("transitive roles of the owner: %+v", tr.Permissions)
	}
	oc.do(t, http.MethodGet, base+"user/"+stranger.name+"/transitive", nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	oc.do(t, http.MethodGet, base+"user/nobody-"+ns+"/transitive", nil).wantProblem(t, http.StatusNotFound, "not_found", "")

	// A personal namespace has no teams.
	var teams struct {
		Permissions map[string]any `json:"permissions"`
	}
	oc.do(t, http.MethodGet, base+"team/", nil).want(t, http.StatusOK).decode(t, &teams)
	if teams.Permissions == nil || len(teams.Permissions) != 0 {
		t.Errorf("team permissions of a personal repository: %v", teams.Permissions)
	}
	noTeam := "No team devs in organization " + ns
	oc.do(t, http.MethodGet, base+"team/devs", nil).wantMessage(t, http.StatusBadRequest, noTeam)
	oc.do(t, http.MethodPut, base+"team/devs", `{"role": "read"}`).wantProblem(t, http.StatusBadRequest, "invalid_request", noTeam)
	oc.do(t, http.MethodDelete, base+"team/devs", nil).wantProblem(t, http.StatusBadRequest, "invalid_request", noTeam)

	// What each caller may do.
	botc := e.withAuth(basicAuth(bot.Name, *bot.Token))
	callers := []struct {
		name string
		c    *client
		rank int // 0 none, 1 read, 2 write, 3 admin
		anon bool
	}{
		{"anonymous", e.anon(), 0, true},
		{"stranger", sc, 0, false},
		{"reader", reader.quayAPI(t), 1, false},
		{"writer", writer.quayAPI(t), 2, false},
		{"robot", botc, 2, false},
		{"admin", admin.quayAPI(t), 3, false},
		{"owner", oc, 3, false},
	}
	itemPath := "/api/v1/repository/" + repo
	for _, cl := range callers {
		check := func(r *response, need int) {
			t.Helper()
			if cl.rank >= need {
				r.want(t, http.StatusOK)
			} else {
				r.wantRefused(t, cl.anon)
			}
		}
		r := cl.c.do(t, http.MethodGet, itemPath, nil)
		check(r, 1)
		if r.Status == http.StatusOK {
			m := r.jsonObject(t)
			if m["can_write"] != (cl.rank >= 2) || m["can_admin"] != (cl.rank >= 3) {
				t.Errorf("%s: can_write %v, can_admin %v", cl.name, m["can_write"], m["can_admin"])
			}
		}
		check(cl.c.do(t, http.MethodPut, itemPath, `{"description": "by `+cl.name+`"}`), 2)
		check(cl.c.do(t, http.MethodGet, base+"user/", nil), 3)
		check(cl.c.do(t, http.MethodGet, base+"team/", nil), 3)
		check(cl.c.do(t, http.MethodGet, base+"user/"+reader.name, nil), 3)
		check(cl.c.do(t, http.MethodGet, base+"user/"+reader.name+"/transitive", nil), 3)
		check(cl.c.do(t, http.MethodPut, base+"user/"+reader.name, `{"role": "read"}`), 3)
		check(cl.c.do(t, http.MethodPost, itemPath+"/changetrust", `{"trust_enabled": false}`), 3)
		check(cl.c.do(t, http.MethodPost, itemPath+"/changevisibility", `{"visibility": "private"}`), 3)
		names, _ := repoNames(t, cl.c.do(t, http.MethodGet, "/api/v1/repository?namespace="+ns, nil).want(t, http.StatusOK))
		if slices.Contains(names, repo) != (cl.rank >= 1) {
			t.Errorf("%s: repository list of %s = %v", cl.name, ns, names)
		}
	}

	// The robot pushes where it may write and nowhere else.
	_, rc := e.basicRegistryLogin(t, bot.Name, *bot.Token, scope(repo, "pull,push"))
	pushedImage(t, rc, repo, "from-robot")
	createQuayRepo(t, oc, ns, "not-granted", "private")
	_, rc = e.basicRegistryLogin(t, bot.Name, *bot.Token, scope(ns+"/not-granted", "pull,push"))
	rc.do(t, http.MethodPost, "/v2/"+ns+"/not-granted/blobs/uploads/", nil).wantDenied(t)
	var rp struct {
		Permissions []struct {
			Repository struct {
				Name     string `json:"name"`
				IsPublic bool   `json:"is_public"`
			} `json:"repository"`
			Role string `json:"role"`
		} `json:"permissions"`
	}
	oc.do(t, http.MethodGet, "/api/v1/user/robots/bot/permissions", nil).want(t, http.StatusOK).decode(t, &rp)
	if len(rp.Permissions) != 1 || rp.Permissions[0].Repository.Name != "perm" || rp.Permissions[0].Role != "write" {
		t.Errorf("robot permissions: %+v", rp.Permissions)
	}

	// Delete: the reader loses access at once.
	oc.do(t, http.MethodDelete, base+"user/"+reader.name, nil).want(t, http.StatusNoContent)
	callers[2].c.do(t, http.MethodGet, itemPath, nil).wantRefused(t, false)
	oc.do(t, http.MethodDelete, base+"user/"+reader.name, nil).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "User does not have permission for repo.")
	oc.do(t, http.MethodDelete, base+"user/"+owner.name, nil).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "Namespace owner must always be admin.")
	callers[3].c.do(t, http.MethodDelete, itemPath, nil).wantRefused(t, false)
	callers[5].c.do(t, http.MethodDelete, itemPath, nil).want(t, http.StatusNoContent)

	// On a missing repository, callers without a right there are refused
	// and the owner learns it is missing.
	sc.do(t, http.MethodGet, "/api/v1/repository/"+ns+"/gone/permissions/user/", nil).wantRefused(t, false)
	oc.do(t, http.MethodGet, "/api/v1/repository/"+ns+"/gone/permissions/user/", nil).wantProblem(t, http.StatusNotFound, "not_found", "")
}
