package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

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

// quayProblem checks a Quay problem document: the status and error type
// in every key that carries them.
func (r *response) quayProblem(t testing.TB, status int, typ string) map[string]any {
	t.Helper()
	r.want(t, status)
	var doc map[string]any
	r.decode(t, &doc)
	if doc["status"] != float64(status) || doc["error_type"] != typ || doc["title"] != typ {
		t.Errorf("%s %s: problem document %v, want status %d and type %s", r.method, r.target, doc, status, typ)
	}
	if d, _ := doc["detail"].(string); d == "" || doc["error_message"] != d {
		t.Errorf("%s %s: problem document %v lacks a detail", r.method, r.target, doc)
	}
	if u, _ := doc["type"].(string); !strings.HasSuffix(u, "/api/v1/error/"+typ) {
		t.Errorf("%s %s: type %v, want a URL of /api/v1/error/%s", r.method, r.target, doc["type"], typ)
	}
	return doc
}

// quayMessage checks Quay's {"message": …} answer and returns the message.
func (r *response) quayMessage(t testing.TB, status int) string {
	t.Helper()
	r.want(t, status)
	var doc map[string]any
	r.decode(t, &doc)
	msg, _ := doc["message"].(string)
	if msg == "" {
		t.Errorf("%s %s: want a message, got %s", r.method, r.target, r.Body)
	}
	return msg
}

// quayDenied checks Quay's refusal of a caller: 401 invalid_token for the
// anonymous caller, 403 insufficient_scope for anyone else.
func (r *response) quayDenied(t testing.TB, anonymous bool) {
	t.Helper()
	if anonymous {
		r.quayProblem(t, http.StatusUnauthorized, "invalid_token")
		return
	}
	r.quayProblem(t, http.StatusForbidden, "insufficient_scope")
}

// object decodes a JSON object body.
func (r *response) object(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.decode(t, &m)
	return m
}

// createOrg creates an organisation owned by u and returns its name.
func (u *user) createOrg(t testing.TB) string {
	t.Helper()
	name := strings.Replace(u.name, "u", "o", 1) + "x"
	u.basic().quayDo(t, http.MethodPost, "organization/", map[string]any{"name": name}).want(t, http.StatusCreated)
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
