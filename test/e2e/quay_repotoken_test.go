package e2e

import (
	"net/http"
	"testing"
)

// TestQuayRepoTokens checks the retired repository token endpoints: 410
// for a repository admin once the body is valid, refusals for others.
func TestQuayRepoTokens(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.opt)
			owner, reader := e.newUser(t, false), e.newUser(t, false)
			oc := owner.quayAPI(t)
			createQuayRepo(t, oc, owner.name, "app", "public")
			oc.do(t, http.MethodPut, "/api/v1/repository/"+owner.name+"/app/permissions/user/"+reader.name, `{"role": "write"}`).want(t, http.StatusOK)
			base := "/api/v1/repository/" + owner.name + "/app/tokens/"
			const gone, noMore = "Handling of access tokens is no longer supported", "Creation of access tokens is no longer supported"

			oc.do(t, http.MethodGet, base, nil).wantMessage(t, http.StatusGone, gone)
			oc.do(t, http.MethodPost, base, `{"friendlyName": "ci"}`).wantMessage(t, http.StatusGone, noMore)
			oc.do(t, http.MethodPost, base, `{}`).wantProblem(t, http.StatusBadRequest, "invalid_request", "'friendlyName' is a required property")
			oc.do(t, http.MethodGet, base+"abc", nil).wantMessage(t, http.StatusGone, gone)
			oc.do(t, http.MethodPut, base+"abc", `{"role": "read"}`).wantMessage(t, http.StatusGone, gone)
			oc.do(t, http.MethodPut, base+"abc", `{"role": "boss"}`).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
			oc.do(t, http.MethodDelete, base+"abc", nil).wantMessage(t, http.StatusGone, gone)
			oc.do(t, http.MethodGet, "/api/v1/repository/"+owner.name+"/missing/tokens/", nil).wantProblem(t, http.StatusNotFound, "not_found", "")

			// A public repository readable by all is still refused to
			// non-admins.
			for _, c := range []*client{e.anon(), reader.quayAPI(t)} {
				anon := c.authz == ""
				c.do(t, http.MethodGet, base, nil).wantRefused(t, anon)
				c.do(t, http.MethodPost, base, `{"friendlyName": "ci"}`).wantRefused(t, anon)
				c.do(t, http.MethodDelete, base+"abc", nil).wantRefused(t, anon)
			}
		})
	}
}
