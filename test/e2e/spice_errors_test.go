package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"wharf/internal/testserver/fakegithub"
)

const invalidFrom = "Invalid `from` field, specify a github source and retry (e.g. github:{org}/{repo}/{sha}/{path_to_spicepod.yaml})"

// TestSpiceErrors checks every refusal of the generate endpoint, each in
// its status and {"error": …} body: bad requests as Spice answers them,
// missing upstream files as 404s naming the path, GitHub's failures as
// 502/503, the limits as 413/504, and callers without credentials.
func TestSpiceErrors(t *testing.T) {
	t.Parallel()
	forEachBackendNoServer(t, func(t *testing.T, b backend) {
		e := newSpiceEnv(t, b)
		c := e.newUser(t, false).basic()
		ok := generateBody("github:acme/taxi/main/spicepod.yaml", "", "")

		t.Run("Request", func(t *testing.T) {
			for _, from := range []string{
				"acme/taxi/main/spicepod.yaml",
				"gitlab:acme/taxi/main/spicepod.yaml",
				"github:acme/taxi/main",
				"github:acme/taxi/main/../secrets.yaml",
				"github:acme/taxi/main/a//spicepod.yaml",
				"github:acme/taxi/main/",
			} {
				c.generate(t, generateBody(from, "", "")).wantJSONError(t, http.StatusBadRequest, invalidFrom)
			}
			c.generate(t, `{"from": "github:acme/taxi/main/spicepod.yaml", "params": {`).
				want(t, http.StatusBadRequest).wantHeader(t, "Content-Type", "application/json")
			c.generate(t, `{"from": "github:acme/taxi/main/spicepod.yaml"}`).
				wantJSONError(t, http.StatusUnprocessableEntity, "missing field `params`")
			c.generate(t, `{"params": {}}`).wantJSONError(t, http.StatusUnprocessableEntity, "missing field `from`")
			c.generate(t, `{"from": "github:acme/taxi/main/spicepod.yaml", "params": {"github_token": 1}}`).
				wantJSONError(t, http.StatusUnprocessableEntity, "params: expected a string, found a JSON number")
			c.do(t, http.MethodPost, generatePath, ok, "Content-Type", "text/plain").
				wantJSONError(t, http.StatusUnsupportedMediaType, "Expected request with `Content-Type: application/json`")
			c.do(t, http.MethodPost, generatePath, ok).want(t, http.StatusUnsupportedMediaType)
			c.generate(t, generateBody("github:acme/taxi/main/spicepod.yaml", "bad\ttoken\x01", "")).
				wantJSONError(t, http.StatusBadRequest, "An invalid GitHub token was provided.")
			c.do(t, http.MethodGet, generatePath, nil).
				wantJSONError(t, http.StatusMethodNotAllowed, "method not allowed").wantHeader(t, "Allow", "POST")
		})

		t.Run("Credentials", func(t *testing.T) {
			r := e.anon().generate(t, ok).wantJSONError(t, http.StatusUnauthorized, "sign in to generate packages")
			r.wantHeader(t, "WWW-Authenticate", `Basic realm="Wharf"`)
			e.withAuth(basicAuth("nobody", "wrong")).generate(t, ok).wantJSONError(t, http.StatusUnauthorized, "invalid credentials")
			e.anon().generate(t, ok, "X-API-Key", "wharf_not_a_token").wantJSONError(t, http.StatusUnauthorized, "invalid credentials")
		})

		t.Run("Upstream", func(t *testing.T) {
			raw := "/raw/acme/taxi/main/"
			c.generate(t, generateBody("github:acme/taxi/main/nope.yaml", "", "")).
				wantJSONError(t, http.StatusNotFound, `file "nope.yaml" not found in acme/taxi@main`)
			c.generate(t, generateBody("github:acme/taxi/0000000000000000000000000000000000000000/spicepod.yaml", "", "")).
				wantJSONError(t, http.StatusNotFound, `file "spicepod.yaml" not found in acme/taxi@0000000000000000000000000000000000000000`)

			e.gh.Fail(raw+"data/zones.csv", fakegithub.Fault{Status: http.StatusNotFound})
			c.generate(t, ok).wantJSONError(t, http.StatusNotFound, `file "data/zones.csv" not found in acme/taxi@main`)
			e.gh.Reset()
			e.gh.Fail(raw+"views/daily/view.yaml", fakegithub.Fault{Status: http.StatusNotFound})
			c.generate(t, ok).wantJSONError(t, http.StatusNotFound,
				`file "views/daily/view.yaml" or "views/daily/view.yml" not found in acme/taxi@main`)
			e.gh.Reset()

			e.gh.Fail(raw+"spicepod.yaml", fakegithub.Fault{Status: http.StatusUnauthorized})
			c.generate(t, generateBody("github:acme/taxi/main/spicepod.yaml", "ghp_revoked", "")).wantJSONError(t, http.StatusBadGateway,
				"GitHub rejected the credentials (401): check params.github_token")
			e.gh.Fail(raw+"spicepod.yaml", fakegithub.Fault{Status: http.StatusForbidden})
			c.generate(t, ok).wantJSONError(t, http.StatusBadGateway,
				"GitHub denied access (403): the token may lack access to the repository")
			reset := strconv.FormatInt(time.Now().Add(42*time.Second).Unix(), 10)
			e.gh.Fail(raw+"spicepod.yaml", fakegithub.Fault{Status: http.StatusForbidden,
				Header: http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {reset}}})
			r := c.generate(t, ok).wantJSONError(t, http.StatusServiceUnavailable, "GitHub's rate limit was reached; retry later")
			if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 38 || s > 43 {
				t.Errorf("Retry-After %q, want about 42 seconds", r.Header.Get("Retry-After"))
			}
			e.gh.Fail(raw+"spicepod.yaml", fakegithub.Fault{Status: http.StatusInternalServerError})
			c.generate(t, ok).wantJSONError(t, http.StatusBadGateway, "GitHub answered 500")
			e.gh.Reset()
		})

		t.Run("Content", func(t *testing.T) {
			e.gh.Add(fakegithub.Repo{Org: "acme", Name: "bad", Ref: "main", Files: map[string]string{
				"spicepod.yaml":  "version: v1\nkind: Spicepod\n",
				"escape.yaml":    "version: v1\nkind: Spicepod\nname: x\ndatasets:\n  - ref: ../../etc\n",
				"folder.yaml":    "version: v1\nkind: Spicepod\nname: x\ndatasets:\n  - from: file:data/none\n    name: n\n",
				"many.yaml":      "version: v1\nkind: Spicepod\nname: x\ndatasets:\n  - from: file:data/many\n    name: n\n",
				"big.yaml":       "version: v1\nkind: Spicepod\nname: x\ndatasets:\n  - from: file:data/big.csv\n    name: n\n",
				"slow.yaml":      "version: v1\nkind: Spicepod\nname: x\nviews:\n  - name: v\n    sql_ref: slow.sql\n",
				"slow.sql":       "select 1",
				"data/big.csv":   strings.Repeat("0123456789\n", 10000),
				"data/many/0.md": "", "data/many/1.md": "", "data/many/2.md": "", "data/many/3.md": "", "data/many/4.md": "",
				"data/many/5.md": "", "data/many/6.md": "", "data/many/7.md": "", "data/many/8.md": "", "data/many/9.md": "",
				"data/many/a.md": "", "data/many/b.md": "", "data/many/c.md": "", "data/many/d.md": "", "data/many/e.md": "",
				"data/many/f.md": "",
			}})
			from := func(p string) string { return generateBody("github:acme/bad/main/"+p, "", "") }
			c.generate(t, from("spicepod.yaml")).wantJSONError(t, http.StatusUnprocessableEntity, "spicepod.yaml: name is required")
			c.generate(t, from("escape.yaml")).wantJSONError(t, http.StatusUnprocessableEntity,
				`escape.yaml: datasets[0].ref: path has a "." or ".." segment`)
			c.generate(t, from("folder.yaml")).wantJSONError(t, http.StatusNotFound, `folder "data/none" not found in acme/bad@main`)
			c.generate(t, from("many.yaml")).wantJSONError(t, http.StatusRequestEntityTooLarge,
				"the package would hold more than 16 files (limit)")
			c.generate(t, from("big.yaml")).wantJSONError(t, http.StatusRequestEntityTooLarge,
				"the package would hold more than 100000 bytes of files (limit)")
			e.gh.Fail("/raw/acme/bad/main/slow.sql", fakegithub.Fault{Delay: 30 * time.Second})
			start := time.Now()
			c.generate(t, from("slow.yaml")).wantJSONError(t, http.StatusGatewayTimeout, "package generation took longer than allowed")
			if d := time.Since(start); d < 4*time.Second || d > 20*time.Second {
				t.Errorf("the 4s limit answered after %v", d)
			}
		})
	})
}
