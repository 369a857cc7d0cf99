package e2e

import (
	"net/http"
	"slices"
	"testing"
)

// TestQuayStars stars and unstars repositories and checks the starred
// list, the is_starred flags and that stars reveal nothing private.
func TestQuayStars(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testQuayStars(t, newEnv(t, b.opt))
		})
	}
}

func testQuayStars(t *testing.T, e *env) {
	owner, fan := e.newUser(t, false), e.newUser(t, false)
	oc, fc, anon := owner.quayAPI(t), fan.quayAPI(t), e.anon()
	ns := owner.name
	createQuayRepo(t, oc, ns, "shiny", "public")
	createQuayRepo(t, oc, ns, "secret", "private")
	createQuayRepo(t, oc, ns, "shared", "private")
	oc.do(t, http.MethodPut, "/api/v1/repository/"+ns+"/shared/permissions/user/"+fan.name, `{"role": "read"}`).want(t, http.StatusOK)

	star := func(c *client, repo string) *response {
		return c.do(t, http.MethodPost, "/api/v1/user/starred", `{"namespace": "`+ns+`", "repository": "`+repo+`"}`)
	}
	r := star(fc, "shiny").want(t, http.StatusCreated).jsonObject(t)
	if r["namespace"] != ns || r["repository"] != "shiny" {
		t.Errorf("star answered %v", r)
	}
	star(fc, "shiny").want(t, http.StatusCreated) // starring twice is fine
	star(fc, "shared").want(t, http.StatusCreated)
	star(fc, "secret").wantRefused(t, false)
	star(fc, "missing").wantRefused(t, false)
	star(oc, "missing").wantProblem(t, http.StatusNotFound, "not_found", "")
	star(anon, "shiny").wantRefused(t, true)
	fc.do(t, http.MethodPost, "/api/v1/user/starred", `{"namespace": "`+ns+`"}`).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "'repository' is a required property")
	fc.do(t, http.MethodPost, "/api/v1/user/starred", `{"repository": "shiny"}`).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "'namespace' is a required property")

	starred := func(c *client) []string {
		t.Helper()
		names, _ := repoNames(t, c.do(t, http.MethodGet, "/api/v1/user/starred", nil).want(t, http.StatusOK))
		return names
	}
	if got := starred(fc); !slices.Equal(got, []string{ns + "/shiny", ns + "/shared"}) {
		t.Errorf("starred list %v", got)
	}
	if got := starred(oc); len(got) != 0 {
		t.Errorf("owner starred nothing, list %v", got)
	}
	anon.do(t, http.MethodGet, "/api/v1/user/starred", nil).wantRefused(t, true)

	// is_starred in the repository view and the list, starred=true filter.
	if r := fc.do(t, http.MethodGet, "/api/v1/repository/"+ns+"/shiny", nil).want(t, http.StatusOK).jsonObject(t); r["is_starred"] != true {
		t.Errorf("is_starred of a starred repository: %v", r["is_starred"])
	}
	if r := oc.do(t, http.MethodGet, "/api/v1/repository/"+ns+"/shiny", nil).want(t, http.StatusOK).jsonObject(t); r["is_starred"] != false {
		t.Errorf("is_starred for someone else: %v", r["is_starred"])
	}
	names, items := repoNames(t, fc.do(t, http.MethodGet, "/api/v1/repository?starred=true", nil).want(t, http.StatusOK))
	if !slices.Equal(names, []string{ns + "/shiny", ns + "/shared"}) {
		t.Errorf("starred=true list %v", names)
	}
	if it, _ := items[ns+"/shared"].(map[string]any); it["is_starred"] != true {
		t.Errorf("starred=true entry %v", it)
	}

	// Losing access hides the star; unstarring is idempotent.
	oc.do(t, http.MethodDelete, "/api/v1/repository/"+ns+"/shared/permissions/user/"+fan.name, nil).want(t, http.StatusNoContent)
	if got := starred(fc); !slices.Equal(got, []string{ns + "/shiny"}) {
		t.Errorf("starred list after losing access: %v", got)
	}
	fc.do(t, http.MethodDelete, "/api/v1/user/starred/"+ns+"/shiny", nil).want(t, http.StatusNoContent)
	fc.do(t, http.MethodDelete, "/api/v1/user/starred/"+ns+"/shiny", nil).want(t, http.StatusNoContent)
	fc.do(t, http.MethodDelete, "/api/v1/user/starred/"+ns+"/missing", nil).want(t, http.StatusNoContent)
	anon.do(t, http.MethodDelete, "/api/v1/user/starred/"+ns+"/shiny", nil).wantRefused(t, true)
	if got := starred(fc); len(got) != 0 {
		t.Errorf("starred list after unstarring: %v", got)
	}
}
