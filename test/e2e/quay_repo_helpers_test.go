package e2e

import (
	"net/http"
	"testing"
)

// This file holds helpers of the tests of the Quay API's repository,
// robot, permission, star and repository-token endpoints.

// quayAPI returns a client calling the Quay API as u with a new API
// token of u carrying the given scopes (none: every right of u).
func (u *user) quayAPI(t *testing.T, scopes ...string) *client {
	t.Helper()
	return u.e.withAuth("Bearer " + u.apiToken(t, scopes...))
}

// quayProblem is the problem document of a Quay API error.
type quayProblem struct {
	Status       int    `json:"status"`
	Detail       string `json:"detail"`
	ErrorMessage string `json:"error_message"`
	Title        string `json:"title"`
	ErrorType    string `json:"error_type"`
	Type         string `json:"type"`
}

// wantProblem checks a problem-document answer: its status, its error
// type and, when detail is not empty, its detail.
func (r *response) wantProblem(t testing.TB, status int, errType, detail string) *response {
	t.Helper()
	r.want(t, status)
	var p quayProblem
	r.decode(t, &p)
	if p.Status != status || p.Title != errType || p.ErrorType != errType || p.Detail != p.ErrorMessage {
		t.Errorf("%s %s: problem document %+v, want status %d and type %s", r.method, r.target, p, status, errType)
	}
	if detail != "" && p.Detail != detail {
		t.Errorf("%s %s: detail %q, want %q", r.method, r.target, p.Detail, detail)
	}
	return r
}

// wantMessage checks a {"message": …} answer.
func (r *response) wantMessage(t testing.TB, status int, msg string) *response {
	t.Helper()
	r.want(t, status)
	var b struct {
		Message string `json:"message"`
	}
	r.decode(t, &b)
	if b.Message != msg {
		t.Errorf("%s %s: message %q, want %q", r.method, r.target, b.Message, msg)
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

// createQuayRepo creates the repository ns/name through the API.
func createQuayRepo(t *testing.T, c *client, ns, name, visibility string) {
	t.Helper()
	c.do(t, http.MethodPost, "/api/v1/repository", mustJSON(t, map[string]any{
		"namespace": ns, "repository": name, "visibility": visibility, "description": "",
	}), "Content-Type", "application/json").want(t, http.StatusCreated)
}
