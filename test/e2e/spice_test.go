package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/testserver/fakegithub"
)

const generatePath = "/v1/packages/generate"

// demoSHA is the commit the fake GitHub serves fakegithub.SpiceDemo at.
var demoSHA = strings.Repeat("5f3a9c01", 5)

// spiceEnv is a server configured to fetch from its own fake GitHub,
// which serves fakegithub.SpiceDemo as acme/taxi at demoSHA and on main.
// Its limits fit the demo exactly: 16 files.
type spiceEnv struct {
	*env
	gh *fakegithub.Server
}

func newSpiceEnv(t *testing.T, b backend, extra ...string) *spiceEnv {
	t.Helper()
	gh := fakegithub.New(t)
	gh.Add(fakegithub.SpiceDemo("acme", "taxi", demoSHA))
	gh.Add(fakegithub.SpiceDemo("acme", "taxi", "main"))
	opt := b.opt
	opt.Env = append(append([]string{
		"WHARF_GITHUB_API_URL=" + gh.APIURL, "WHARF_GITHUB_RAW_URL=" + gh.RawURL,
		"WHARF_GENERATE_MAX_FILES=16", "WHARF_GENERATE_MAX_BYTES=100000",
		"WHARF_GENERATE_TIMEOUT=4s", "WHARF_GENERATE_RATE=0",
	}, opt.Env...), extra...)
	return &spiceEnv{env: newEnv(t, opt), gh: gh}
}

// generateBody is a request body for from with a token ("" for none)
// and, when not empty, a raw JSON publish object.
func generateBody(from, token, publish string) string {
	params := "{}"
	if token != "" {
		params = `{"github_token": ` + jsonString(token) + `}`
	}
	b := `{"from": ` + jsonString(from) + `, "params": ` + params
	if publish != "" {
		b += `, "publish": ` + publish
	}
	return b + "}"
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// generate posts a JSON body to the generate endpoint.
func (c *client) generate(t testing.TB, body string, hdr ...string) *response {
	t.Helper()
	return c.do(t, http.MethodPost, generatePath, body, append([]string{"Content-Type", "application/json"}, hdr...)...)
}

// wantJSONError checks the status and the {"error": msg} body.
func (r *response) wantJSONError(t testing.TB, status int, msg string) *response {
	t.Helper()
	r.want(t, status)
	r.wantHeader(t, "Content-Type", "application/json")
	var body struct {
		Error string `json:"error"`
	}
	r.decode(t, &body)
	if body.Error != msg {
		t.Errorf("%s %s: error %q, want %q", r.method, r.target, body.Error, msg)
	}
	return r
}

// zipTool returns the path of a command-line tool of Debian's zip and
// unzip packages. When it is missing the test fails if WHARF_TEST_TOOLS=1
// and is skipped otherwise.
func zipTool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	msg := name + " is not installed; run scripts/test-deps.sh"
	if os.Getenv("WHARF_TEST_TOOLS") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// TestSpiceGenerate generates the demo package from a commit SHA with a
// GitHub token: the zip has Spice's entries and the upstream bytes, GitHub
// was asked at that commit with the token, the token never reaches the
// log, a second identical request is served from the cache once GitHub
// confirms the token still reads the manifest, and zip and
// unzip read the package.
func TestSpiceGenerate(t *testing.T) {
	t.Parallel()
	forEachBackendNoServer(t, func(t *testing.T, b backend) {
		e := newSpiceEnv(t, b)
		u := e.newUser(t, false)
		const token = "ghp_e2eSecretToken0123456789"
		body := generateBody("github:acme/taxi/"+demoSHA+"/spicepod.yaml", token, "")
		r := u.basic().generate(t, body).want(t, http.StatusOK)
		r.wantHeader(t, "Content-Type", "application/zip")
		r.wantHeader(t, "Content-Length", fmt.Sprint(len(r.Body)))
		r.wantHeader(t, "X-Wharf-Cache", "miss")
		fakegithub.WantSpiceDemo(t, r.Body)

		reqs := e.gh.Requests()
		if len(reqs) != 18 {
			t.Errorf("GitHub got %d requests, want 18 (17 files tried and one tree listing)", len(reqs))
		}
		for _, q := range reqs {
			if q.Authorization != "token "+token {
				t.Errorf("%s: Authorization %q, want the token", q.Path, q.Authorization)
			}
			raw := strings.HasPrefix(q.Path, "/raw/acme/taxi/"+demoSHA+"/")
			tree := q.Path == "/api/repos/acme/taxi/git/trees/"+demoSHA && q.Query == "recursive=1"
			if !raw && !tree {
				t.Errorf("GitHub was asked for %s?%s, not at the commit", q.Path, q.Query)
			}
		}
		e.gh.Reset()
		again := u.basic().generate(t, body).want(t, http.StatusOK)
		again.wantHeader(t, "X-Wharf-Cache", "hit").wantBody(t, r.Body)
		if reqs := e.gh.Requests(); len(reqs) != 1 || reqs[0].Path != "/raw/acme/taxi/"+demoSHA+"/spicepod.yaml" {
			t.Errorf("a cached package asked GitHub %v, want only the manifest, to check the token", reqs)
		}
		// Another token must not see what this one fetched.
		e.gh.Reset()
		u.basic().generate(t, generateBody("github:acme/taxi/"+demoSHA+"/spicepod.yaml", "", "")).
			want(t, http.StatusOK).wantHeader(t, "X-Wharf-Cache", "miss")

		// A branch is fetched every time; Spice's X-API-Key carries a token.
		tok := u.apiToken(t)
		for range 2 {
			br := e.anon().generate(t, generateBody("github:acme/taxi/main/spicepod.yaml", "", ""), "X-API-Key", tok).
				want(t, http.StatusOK).wantHeader(t, "X-Wharf-Cache", "miss")
			fakegithub.WantSpiceDemo(t, br.Body)
		}

		file := filepath.Join(t.TempDir(), "spicepod.zip")
		if err := os.WriteFile(file, r.Body, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(zipTool(t, "zip"), "-T", file).CombinedOutput(); err != nil || !strings.Contains(string(out), "OK") {
			t.Errorf("zip -T: %v\n%s", err, out)
		}
		out, err := exec.Command(zipTool(t, "unzip"), "-l", file).CombinedOutput()
		if err != nil {
			t.Fatalf("unzip -l: %v\n%s", err, out)
		}
		for _, name := range fakegithub.SpiceDemoEntries {
			if !strings.Contains(string(out), " "+name+"\n") {
				t.Errorf("unzip -l does not list %s:\n%s", name, out)
			}
		}
		dir := t.TempDir()
		if out, err := exec.Command(zipTool(t, "unzip"), "-q", file, "-d", dir).CombinedOutput(); err != nil {
			t.Fatalf("unzip: %v\n%s", err, out)
		}
		got, err := os.ReadFile(filepath.Join(dir, "data", "taxi_trips.parquet"))
		if err != nil || string(got) != fakegithub.SpiceDemo("", "", "").Files["data/taxi_trips.parquet"] {
			t.Errorf("unzipped data/taxi_trips.parquet = %q, %v", got, err)
		}

		if err := e.srv.Stop(); err != nil { // flushes the log
			t.Fatal(err)
		}
		if strings.Contains(e.srv.Logs(), token) {
			t.Error("the GitHub token appears in the server log")
		}
	})
}

// TestSpicePublish generates a package and publishes it as a generic
// package in the same request, then downloads it from the generic
// registry; publishing is refused without the right.
func TestSpicePublish(t *testing.T) {
	t.Parallel()
	forEachBackendNoServer(t, func(t *testing.T, b backend) {
		e := newSpiceEnv(t, b)
		u := e.newUser(t, false)
		other := e.newUser(t, false)
		from := "github:acme/taxi/" + demoSHA + "/spicepod.yaml"
		zipped := u.basic().generate(t, generateBody(from, "", "")).want(t, http.StatusOK).Body

		pub := fmt.Sprintf(`{"owner": %q, "name": "taxi-analytics", "version": "1.0.0"}`, u.name)
		r := u.basic().generate(t, generateBody(from, "", pub)).want(t, http.StatusCreated)
		loc := pkgPath(u.name, "taxi-analytics", "1.0.0", "spicepod.zip")
		r.wantHeader(t, "Location", loc)
		var got map[string]any
		r.decode(t, &got)
		want := map[string]any{"owner": u.name, "name": "taxi-analytics", "version": "1.0.0", "file": "spicepod.zip",
			"size": float64(len(zipped)), "sha256": sha256Hex(zipped), "url": loc}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("publish answer mismatch (-want +got):\n%s", diff)
		}
		wantDownload(t, u.basic(), loc, "spicepod.zip", zipped)

		u.basic().generate(t, generateBody(from, "", pub)).
			wantJSONError(t, http.StatusConflict, `publish: the package version already has a file "spicepod.zip"`)
		named := fmt.Sprintf(`{"owner": %q, "name": "taxi-analytics", "version": "1.0.0", "file": "taxi.zip"}`, u.name)
		u.basic().generate(t, generateBody("github:acme/taxi/main/spicepod.yaml", "", named)).want(t, http.StatusCreated)
		wantDownload(t, u.basic(), pkgPath(u.name, "taxi-analytics", "1.0.0", "taxi.zip"), "taxi.zip", zipped)

		other.basic().generate(t, generateBody(from, "", pub)).
			wantJSONError(t, http.StatusForbidden, "no right to publish to "+u.name+"/taxi-analytics")
		u.basic().generate(t, generateBody(from, "", `{"owner": "nobody-here", "name": "p", "version": "1"}`)).
			wantJSONError(t, http.StatusNotFound, `publish.owner: no owner named "nobody-here"`)
		u.basic().generate(t, generateBody(from, "", fmt.Sprintf(`{"owner": %q, "name": "a b", "version": "1"}`, u.name))).
			wantJSONError(t, http.StatusBadRequest, "publish.name: invalid package name")
	})
}

// TestSpicePublic checks a server where anyone may generate packages:
// anonymous callers pass but may not publish, the rate limit counts them
// per address and each user apart, and an unexpected failure is a generic
// 500 with the detail in the log only.
func TestSpicePublic(t *testing.T) {
	t.Parallel()
	forEachBackendNoServer(t, func(t *testing.T, b backend) {
		// A temporary directory that does not exist makes every
		// generation fail unexpectedly.
		e := newSpiceEnv(t, b, "WHARF_GENERATE_PUBLIC=true", "WHARF_GENERATE_RATE=1", "WHARF_GENERATE_BURST=2",
			"TMPDIR="+filepath.Join(t.TempDir(), "missing"))
		body := generateBody("github:acme/taxi/main/spicepod.yaml", "", "")
		e.anon().generate(t, body).wantJSONError(t, http.StatusInternalServerError, "An unexpected error occurred")
		e.anon().generate(t, generateBody("github:acme/taxi/main/spicepod.yaml", "", `{"owner": "x", "name": "y", "version": "1"}`)).
			wantJSONError(t, http.StatusUnauthorized, "sign in to publish packages")
		r := e.anon().generate(t, body).wantJSONError(t, http.StatusTooManyRequests, "too many package generations; retry later")
		r.wantHeader(t, "Retry-After", "60")
		u := e.newUser(t, false)
		u.basic().generate(t, body).wantJSONError(t, http.StatusInternalServerError, "An unexpected error occurred")
		if err := e.srv.Stop(); err != nil { // flushes the log
			t.Fatal(err)
		}
		if logs := e.srv.Logs(); !strings.Contains(logs, "package generation failed") || !strings.Contains(logs, "missing") {
			t.Errorf("the log does not tell why generation failed:\n%s", logs)
		}
	})
}

func sha256Hex(b []byte) string { return strings.TrimPrefix(sha256Digest(b), "sha256:") }
