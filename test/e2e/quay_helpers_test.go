package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"wharf/internal/testserver"
)

// This file holds the helpers every test of the Quay API uses: requests,
// checks of Quay's error shapes, and making organisations, teams,
// robots and repositories.

// quayDo sends a request to the Quay API under /api/v1/; body, when not
// nil, is sent as JSON (a string is sent as it is).
func (c *client) quayDo(t testing.TB, method, path string, body any) *response {
	t.Helper()
	var b any
	switch v := body.(type) {
	case nil:
	case string:
		b = v
	default:
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		b = data
	}
	if b == nil {
		return c.do(t, method, "/api/v1/"+path, nil)
	}
	return c.do(t, method, "/api/v1/"+path, b, "Content-Type", "application/json")
}

// quayAPI returns a client calling the Quay API as u with a new API
// token of u carrying the given scopes (none: every right of u).
func (u *user) quayAPI(t *testing.T, scopes ...string) *client {
	t.Helper()
	return u.e.withAuth("Bearer " + u.apiToken(t, scopes...))
}

// wantProblem checks a Quay problem document: the status and error type
// in every key that carries them, a detail repeated as error_message,
// the type's URL and, when detail is not empty, the detail itself.
func (r *response) wantProblem(t testing.TB, status int, errType, detail string) *response {
	t.Helper()
	r.want(t, status)
	var doc map[string]any
	r.decode(t, &doc)
	if doc["status"] != float64(status) || doc["error_type"] != errType || doc["title"] != errType {
		t.Errorf("%s %s: problem document %v, want status %d and type %s", r.method, r.target, doc, status, errType)
	}
	d, _ := doc["detail"].(string)
	if d == "" || doc["error_message"] != d {
		t.Errorf("%s %s: problem document %v lacks a detail", r.method, r.target, doc)
	}
	if detail != "" && d != detail {
		t.Errorf("%s %s: detail %q, want %q", r.method, r.target, d, detail)
	}
	if u, _ := doc["type"].(string); !strings.HasSuffix(u, "/api/v1/error/"+errType) {
		t.Errorf("%s %s: type %v, want a URL of /api/v1/error/%s", r.method, r.target, doc["type"], errType)
	}
	return r
}

// wantMessage checks Quay's {"message": …} answer: its status and its
// message, which must be msg or, when msg is empty, any text.
func (r *response) wantMessage(t testing.TB, status int, msg string) *response {
	t.Helper()
	r.want(t, status)
	var b struct {
		Message string `json:"message"`
	}
	r.decode(t, &b)
	if b.Message == "" || msg != "" && b.Message != msg {
		t.Errorf("%s %s: message %q, want %q (any text when empty)", r.method, r.target, b.Message, msg)
	}
	return r
}

// wantRefused checks Quay's answer to a caller without the right: 401
// invalid_token for the anonymous caller, 403 insufficient_scope for the
// others.
func (r *response) wantRefused(t testing.TB, anonymous bool) *response {
	t.Helper()
	if anonymous {
		return r.wantProblem(t, http.StatusUnauthorized, "invalid_token", "")
	}
	return r.wantProblem(t, http.StatusForbidden, "insufficient_scope", "")
}

// jsonObject decodes a JSON object body.
func (r *response) jsonObject(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.decode(t, &m)
	return m
}

// createOrg creates an organisation owned by u, with the e-mail address
// <name>@example.com, and returns its name.
func (u *user) createOrg(t testing.TB) string {
	t.Helper()
	name := testserver.RandomName("org")
	u.basic().quayDo(t, http.MethodPost, "organization/", map[string]any{"name": name, "email": name + "@example.com"}).
		want(t, http.StatusCreated)
	return name
}

// putTeam creates or changes a team of org as c.
func (c *client) putTeam(t testing.TB, org, team, role string) {
	t.Helper()
	c.quayDo(t, http.MethodPut, "organization/"+org+"/team/"+team, map[string]any{"role": role}).want(t, http.StatusOK)
}

// join puts member in a team of org: the admin c adds them, and when that
// makes an invitation, member accepts it.
func (c *client) join(t testing.TB, org, team string, member *user) {
	t.Helper()
	var v struct {
		Invited bool `json:"invited"`
	}
	c.quayDo(t, http.MethodPut, "organization/"+org+"/team/"+team+"/members/"+member.name, nil).want(t, http.StatusOK).decode(t, &v)
	if v.Invited {
		code := member.inviteCode(t, org, team)
		member.basic().quayDo(t, http.MethodPut, "teaminvite/"+code, nil).want(t, http.StatusOK)
	}
}

// inviteCode returns the code of u's pending invitation to a team, from
// their notifications.
func (u *user) inviteCode(t testing.TB, org, team string) string {
	t.Helper()
	var v struct {
		Notifications []struct {
			Kind     string `json:"kind"`
			Metadata struct {
				Code, Org, Team string
			} `json:"metadata"`
		} `json:"notifications"`
	}
	u.basic().quayDo(t, http.MethodGet, "user/notifications", nil).want(t, http.StatusOK).decode(t, &v)
	for _, n := range v.Notifications {
		if n.Kind == "org_team_invite" && n.Metadata.Org == org && n.Metadata.Team == team {
			return n.Metadata.Code
		}
	}
	t.Fatalf("%s has no invitation to %s/%s: %+v", u.name, org, team, v)
	return ""
}

// keys returns the keys of a JSON object.
func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// putTeamMember makes a team of org with role (creating it) and puts
// member in it, as the org's owner u.
func putTeamMember(t *testing.T, u *user, org, team, role string, member *user) {
	t.Helper()
	u.basic().putTeam(t, org, team, role)
	u.basic().join(t, org, team, member)
}

// makeOrgRobot creates the robot org+short as the org's owner u and
// returns its full name and a client signing in with its token.
func makeOrgRobot(t *testing.T, u *user, org, short string) (string, *client) {
	t.Helper()
	var rb struct {
		Name  string `json:"name"`
		Token string `json:"token"`
	}
	u.basic().do(t, http.MethodPut, "/api/v1/organization/"+org+"/robots/"+short, mustJSON(t, map[string]any{})).
		want(t, http.StatusCreated).decode(t, &rb)
	if rb.Name != org+"+"+short || rb.Token == "" {
		t.Fatalf("robot %+v", rb)
	}
	return rb.Name, u.e.withAuth(basicAuth(rb.Name, rb.Token))
}

// createQuayRepo creates the repository ns/name through the API.
func createQuayRepo(t *testing.T, c *client, ns, name, visibility string) {
	t.Helper()
	c.do(t, http.MethodPost, "/api/v1/repository", mustJSON(t, map[string]any{
		"namespace": ns, "repository": name, "visibility": visibility, "description": "",
	}), "Content-Type", "application/json").want(t, http.StatusCreated)
}
