package e2e

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// robotTokenRE is the form of a robot token Quay's clients know.
var robotTokenRE = regexp.MustCompile(`^[A-Z0-9]{64}$`)

// quayRobot is a robot as the API shows it.
type quayRobot struct {
	Name         string         `json:"name"`
	Created      *string        `json:"created"`
	LastAccessed *string        `json:"last_accessed"`
	Description  string         `json:"description"`
	Token        *string        `json:"token"`
	Metadata     map[string]any `json:"unstructured_metadata"`
	Teams        []struct {
		Name string `json:"name"`
	} `json:"teams"`
	Repositories []string `json:"repositories"`
}

func (r *response) robot(t testing.TB) quayRobot {
	t.Helper()
	var rb quayRobot
	r.decode(t, &rb)
	return rb
}

// basicRegistryLogin asks the token endpoint for a token with Basic
// credentials the way docker login and docker push do, and returns the
// status and, on 200, a client presenting the token.
func (e *env) basicRegistryLogin(t testing.TB, name, secret string, scopes ...string) (int, *client) {
	t.Helper()
	q := url.Values{"service": {e.base.Host}}
	for _, s := range scopes {
		q.Add("scope", s)
	}
	r := e.withAuth(basicAuth(name, secret)).do(t, http.MethodGet, "/v2/auth?"+q.Encode(), nil)
	if r.Status != http.StatusOK {
		return r.Status, nil
	}
	var body struct {
		Token string `json:"token"`
	}
	r.decode(t, &body)
	return r.Status, e.withAuth("Bearer " + body.Token)
}

// TestQuayUserRobots drives the robots of a user's namespace: create,
// read, list, permissions, regenerate and delete, and the robot signing
// in to the registry with its token.
func TestQuayUserRobots(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testQuayUserRobots(t, newEnv(t, b.opt))
		})
	}
}

func testQuayUserRobots(t *testing.T, e *env) {
	owner, other := e.newUser(t, false), e.newUser(t, false)
	oc, xc, anon := owner.quayAPI(t), other.quayAPI(t), e.anon()
	base := "/api/v1/user/robots"

	rb := oc.do(t, http.MethodPut, base+"/bot", `{"description": "ci", "unstructured_metadata": {"team": "infra"}}`).
		want(t, http.StatusCreated).robot(t)
	if rb.Name != owner.name+"+bot" || rb.Token == nil || !robotTokenRE.MatchString(*rb.Token) ||
		rb.Description != "ci" || rb.Metadata["team"] != "infra" || rb.Created == nil {
		t.Fatalf("created robot: %+v", rb)
	}
	token := *rb.Token
	bare := oc.do(t, http.MethodPut, base+"/bare", nil).want(t, http.StatusCreated).robot(t)
	if bare.Description != "" || len(bare.Metadata) != 0 || bare.Token == nil {
		t.Errorf("robot created without a body: %+v", bare)
	}

	oc.do(t, http.MethodPut, base+"/bot", nil).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "Existing robot with name: "+owner.name+"+bot")
	for _, short := range []string{"Bad", "x", "a..b", "-x"} {
		oc.do(t, http.MethodPut, base+"/"+short, nil).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
	}
	oc.do(t, http.MethodPut, base+"/long", `{"description": "`+strings.Repeat("d", 256)+`"}`).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "")
	oc.do(t, http.MethodPut, base+"/meta", `{"unstructured_metadata": [1]}`).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "")
	oc.do(t, http.MethodPut, base+"/broken", `{"description":`).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "")

	got := oc.do(t, http.MethodGet, base+"/bot", nil).want(t, http.StatusOK).robot(t)
	if got.Token == nil || *got.Token != token || got.Metadata["team"] != "infra" {
		t.Errorf("GET robot: %+v", got)
	}
	oc.do(t, http.MethodGet, base+"/missing", nil).
		wantMessage(t, http.StatusBadRequest, "Could not find robot with specified username")

	var list struct {
		Robots []quayRobot `json:"robots"`
	}
	oc.do(t, http.MethodGet, base, nil).want(t, http.StatusOK).decode(t, &list)
	if len(list.Robots) != 2 || list.Robots[0].Name != owner.name+"+bare" || list.Robots[1].Token == nil ||
		*list.Robots[1].Token != token || list.Robots[1].Metadata != nil {
		t.Errorf("robot list: %+v", list.Robots)
	}
	list.Robots = nil
	oc.do(t, http.MethodGet, base+"?token=false&permissions=true&limit=1", nil).want(t, http.StatusOK).decode(t, &list)
	if len(list.Robots) != 1 || list.Robots[0].Token != nil || list.Robots[0].Teams == nil || list.Robots[0].Repositories == nil {
		t.Errorf("robot list without tokens, with permissions, limit 1: %+v", list.Robots)
	}
	oc.do(t, http.MethodGet, base+"?limit=many", nil).wantProblem(t, http.StatusBadRequest, "invalid_request", "")

	// Everyone else sees only their own robots; the anonymous caller and
	// robots themselves may not use these endpoints.
	list.Robots = nil
	xc.do(t, http.MethodGet, base, nil).want(t, http.StatusOK).decode(t, &list)
	if len(list.Robots) != 0 {
		t.Errorf("another user's robot list: %+v", list.Robots)
	}
	xc.do(t, http.MethodGet, base+"/bot", nil).wantMessage(t, http.StatusBadRequest, "Could not find robot with specified username")
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
		anon.do(t, m, base+"/bot", nil).wantRefused(t, true)
	}
	anon.do(t, http.MethodGet, base, nil).wantRefused(t, true)
	robotAPI := e.withAuth(basicAuth(rb.Name, token))
	robotAPI.do(t, http.MethodGet, base, nil).wantRefused(t, false)
	// A token limited to repositories administers no robots.
	owner.quayAPI(t, scope(owner.name+"/x", "*")).do(t, http.MethodGet, base, nil).wantRefused(t, false)

	// The robot signs in to the registry; it may push nowhere it was not
	// granted.
	createQuayRepo(t, oc, owner.name, "robot-target", "private")
	if st, _ := e.basicRegistryLogin(t, rb.Name, token); st != http.StatusOK {
		t.Fatalf("robot login: status %d", st)
	}
	if st, _ := e.basicRegistryLogin(t, rb.Name, strings.Repeat("A", 64)); st != http.StatusUnauthorized {
		t.Errorf("robot login with a wrong token: status %d, want 401", st)
	}
	_, rc := e.basicRegistryLogin(t, rb.Name, token, scope(owner.name+"/robot-target", "pull,push"))
	rc.do(t, http.MethodPost, repoPath(owner.name+"/robot-target", "blobs/uploads/"), nil).wantDenied(t)

	var perms struct {
		Permissions []any `json:"permissions"`
	}
	oc.do(t, http.MethodGet, base+"/bot/permissions", nil).want(t, http.StatusOK).decode(t, &perms)
	if perms.Permissions == nil || len(perms.Permissions) != 0 {
		t.Errorf("permissions of a robot without any: %v", perms.Permissions)
	}

	// Regenerating refuses the old token at once.
	fresh := oc.do(t, http.MethodPost, base+"/bot/regenerate", nil).want(t, http.StatusOK).robot(t)
	if fresh.Token == nil || *fresh.Token == token || !robotTokenRE.MatchString(*fresh.Token) {
		t.Fatalf("regenerated robot: %+v", fresh)
	}
	if st, _ := e.basicRegistryLogin(t, rb.Name, token); st != http.StatusUnauthorized {
		t.Errorf("login with the old token after regenerate: status %d, want 401", st)
	}
	if st, _ := e.basicRegistryLogin(t, rb.Name, *fresh.Token); st != http.StatusOK {
		t.Errorf("login with the new token: status %d, want 200", st)
	}
	if got := oc.do(t, http.MethodGet, base+"/bot", nil).want(t, http.StatusOK).robot(t); *got.Token != *fresh.Token {
		t.Errorf("GET after regenerate shows token %q, want the new one", *got.Token)
	}
	oc.do(t, http.MethodPost, base+"/missing/regenerate", nil).
		wantMessage(t, http.StatusBadRequest, "Could not find robot with specified username")

	oc.do(t, http.MethodDelete, base+"/bot", nil).want(t, http.StatusNoContent)
	oc.do(t, http.MethodGet, base+"/bot", nil).wantMessage(t, http.StatusBadRequest, "Could not find robot with specified username")
	oc.do(t, http.MethodDelete, base+"/bot", nil).wantMessage(t, http.StatusBadRequest, "Could not find robot with specified username")
	if st, _ := e.basicRegistryLogin(t, rb.Name, *fresh.Token); st != http.StatusUnauthorized {
		t.Errorf("login of a deleted robot: status %d, want 401", st)
	}
}
