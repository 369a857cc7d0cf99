package habitat

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"wharf/internal/depot"
	"wharf/internal/format/hab"
	"wharf/internal/meta"
)

func TestAgentTarget(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ ua, want string }{
		{"hab/1.6.0/20240101000000 (x86_64-windows; 10.0.17763)", "x86_64-windows"},
		{"hab/1.6.0/20240101000000 (aarch64-linux; 6.1.0)", "aarch64-linux"},
		{"hab/1.6.0/20240101000000 (x86_64-linux-kernel2; 2.6.32)", "x86_64-linux-kernel2"},
		{"hab/1.6.0/20240101000000 (bogus-target; 6.1.0)", hab.DefaultTarget},
		{"hab/1.6.0/20240101000000", hab.DefaultTarget},
		{"curl/8.0 (x86_64-windows)", hab.DefaultTarget},
		{"", hab.DefaultTarget},
	} {
		if got := agentTarget(tc.ua); got != tc.want {
			t.Errorf("agentTarget(%q) = %q, want %q", tc.ua, got, tc.want)
		}
	}
}

func TestTargetOf(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest("GET", "/v1/x?target=aarch64-darwin", nil)
	r.Header.Set("User-Agent", "hab/1.6.0/1 (x86_64-windows; 10.0)")
	if got, err := targetOf(r); err != nil || got != "aarch64-darwin" {
		t.Errorf("query target: %q, %v", got, err)
	}
	r = httptest.NewRequest("GET", "/v1/x", nil)
	r.Header.Set("User-Agent", "hab/1.6.0/1 (x86_64-windows; 10.0)")
	if got, err := targetOf(r); err != nil || got != "x86_64-windows" {
		t.Errorf("agent target: %q, %v", got, err)
	}
	r = httptest.NewRequest("GET", "/v1/x?target=nope", nil)
	_, err := targetOf(r)
	if he, ok := err.(*httpError); !ok || he.status != http.StatusUnprocessableEntity || he.msg != "Invalid package target 'nope'" {
		t.Errorf("bad target: %v", err)
	}
}

func TestTriggerOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ ua, referer, want string }{
		{"hab/1.6.0/1 (x86_64-linux; 5.1)", "https://builder.example/", "HabClient"},
		{"Mozilla/5.0", "https://builder.example/#/pkgs", "BuilderUi"},
		{"Mozilla/5.0", "", "Unknown"},
		{"curl/8.0", "builder", "Unknown"},
	} {
		r := httptest.NewRequest("PUT", "/", nil)
		r.Header.Set("User-Agent", tc.ua)
		if tc.referer != "" {
			r.Header.Set("Referer", tc.referer)
		}
		if got := triggerOf(r); got != tc.want {
			t.Errorf("triggerOf(%q, %q) = %q, want %q", tc.ua, tc.referer, got, tc.want)
		}
	}
}

func TestRanges(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		q                 string
		offset, limit     int
		given, pageOffset int
	}{
		{"", 0, 50, 0, 0},
		{"range=0", 0, 50, 0, 0},
		{"range=7", 7, 50, 7, 0},
		{"range=50", 50, 50, 50, 50},
		{"range=99", 99, 50, 99, 50},
		{"range=120", 120, 50, 120, 100},
		{"range=-1", 0, 0, 0, 0},
	} {
		r := httptest.NewRequest("GET", "/?"+tc.q, nil)
		offset, limit, err := exactRange(r)
		if err != nil || offset != tc.offset || limit != tc.limit {
			t.Errorf("exactRange(%q) = %d, %d, %v; want %d, %d", tc.q, offset, limit, err, tc.offset, tc.limit)
		}
		given, pageOffset, err := pageRange(r)
		if err != nil || given != tc.given || pageOffset != tc.pageOffset {
			t.Errorf("pageRange(%q) = %d, %d, %v; want %d, %d", tc.q, given, pageOffset, err, tc.given, tc.pageOffset)
		}
	}
	if _, _, err := exactRange(httptest.NewRequest("GET", "/?range=x", nil)); err == nil {
		t.Error("exactRange accepted range=x")
	}
}

func TestDateParam(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v    string
		want time.Time
		ok   bool
	}{
		{"2025-03-05", time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC), true},
		{"2025-3-5", time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC), true},
		{"2025-12-31", time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), true},
		{"2025-13-1", time.Time{}, false},
		{"2025-2-30", time.Time{}, false},
		{"25-1-1", time.Time{}, false},
		{"2025-01-01T00:00:00", time.Time{}, false},
		{"", time.Time{}, false},
	} {
		r := httptest.NewRequest("GET", "/?from_date="+tc.v, nil)
		got, err := dateParam(r, "from_date")
		if tc.ok != (err == nil) || !got.Equal(tc.want) {
			t.Errorf("dateParam(%q) = %v, %v", tc.v, got, err)
		}
		if err != nil && err.(*httpError).status != http.StatusBadRequest {
			t.Errorf("dateParam(%q): status %d", tc.v, err.(*httpError).status)
		}
	}
}

// TestRoutes checks that the patterns register without conflict and that
// each path reaches the route Builder would route it to.
func TestRoutes(t *testing.T) {
	t.Parallel()
	h := NewHandler(Options{})
	const rel = "/v1/depot/pkgs/core/redis/7.0.0/20230101000000"
	const crel = "/v1/depot/channels/core/stable/pkgs/redis/7.0.0/20230101000000"
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/v1/depot/pkgs/core", "GET /v1/depot/pkgs/{origin}"},
		{"GET", "/v1/depot/pkgs/core/redis", "GET /v1/depot/pkgs/{origin}/{pkg}"},
		{"GET", "/v1/depot/pkgs/core/redis/7.0.0", "GET /v1/depot/pkgs/{origin}/{pkg}/{version}"},
		{"GET", "/v1/depot/pkgs/core/redis/latest", "GET /v1/depot/pkgs/{origin}/{pkg}/latest"},
		{"GET", "/v1/depot/pkgs/core/redis/versions", "GET /v1/depot/pkgs/{origin}/{pkg}/versions"},
		{"GET", "/v1/depot/pkgs/core/redis/7.0.0/latest", "GET /v1/depot/pkgs/{origin}/{pkg}/{version}/latest"},
		{"GET", rel, "GET /v1/depot/pkgs/{origin}/{pkg}/{version}/{release}"},
		{"POST", rel, "POST /v1/depot/pkgs/{origin}/{pkg}/{version}/{release}"},
		{"DELETE", rel, "DELETE /v1/depot/pkgs/{origin}/{pkg}/{version}/{release}"},
		{"GET", rel + "/download", "GET /v1/depot/pkgs/{origin}/{pkg}/{version}/{release}/download"},
		{"HEAD", rel + "/download", "GET /v1/depot/pkgs/{origin}/{pkg}/{version}/{release}/download"},
		{"GET", rel + "/channels", "GET /v1/depot/pkgs/{origin}/{pkg}/{version}/{release}/channels"},
		{"PATCH", rel + "/private", "PATCH /v1/depot/pkgs/{origin}/{pkg}/{version}/{release}/{visibility}"},
		{"GET", "/v1/depot/pkgs/search/core%2Fredis", "GET /v1/depot/pkgs/search/{query}"},
		{"GET", "/v1/depot/pkgs/search/redis", "GET /v1/depot/pkgs/search/{query}"},
		{"GET", "/v1/depot/core/pkgs", "GET /v1/depot/{origin}/{leaf}"},
		{"GET", "/v1/rdeps/core/openssl", "GET /v1/rdeps/{origin}/{pkg}"},
		{"GET", "/v1/depot/events", "GET /v1/depot/events"},
		{"GET", "/v1/depot/events/saas", "GET /v1/depot/events/saas"},
		{"GET", "/v1/depot/channels/core", "GET /v1/depot/channels/{origin}"},
		{"POST", "/v1/depot/channels/core/foo", "POST /v1/depot/channels/{origin}/{channel}"},
		{"DELETE", "/v1/depot/channels/core/foo", "DELETE /v1/depot/channels/{origin}/{channel}"},
		{"GET", "/v1/depot/channels/core/stable/pkgs", "GET /v1/depot/channels/{origin}/{channel}/pkgs"},
		{"GET", "/v1/depot/channels/core/stable/pkgs/_latest", "GET /v1/depot/channels/{origin}/{channel}/pkgs/_latest"},
		{"GET", "/v1/depot/channels/core/stable/pkgs/redis", "GET /v1/depot/channels/{origin}/{channel}/pkgs/{pkg}"},
		{"GET", "/v1/depot/channels/core/stable/pkgs/redis/latest", "GET /v1/depot/channels/{origin}/{channel}/pkgs/{pkg}/latest"},
		{"GET", "/v1/depot/channels/core/stable/pkgs/redis/7.0.0", "GET /v1/depot/channels/{origin}/{channel}/pkgs/{pkg}/{version}"},
		{"GET", "/v1/depot/channels/core/stable/pkgs/redis/7.0.0/latest", "GET /v1/depot/channels/{origin}/{channel}/pkgs/{pkg}/{version}/latest"},
		{"GET", crel, "GET /v1/depot/channels/{origin}/{channel}/pkgs/{pkg}/{version}/{release}"},
		{"PUT", crel + "/promote", "PUT /v1/depot/channels/{origin}/{channel}/pkgs/{pkg}/{version}/{release}/promote"},
		{"PUT", crel + "/demote", "PUT /v1/depot/channels/{origin}/{channel}/pkgs/{pkg}/{version}/{release}/demote"},
		{"PUT", "/v1/depot/channels/core/stable/pkgs/promote", "PUT /v1/depot/channels/{origin}/{channel}/pkgs/promote"},
		{"PUT", "/v1/depot/channels/core/stable/pkgs/demote", "PUT /v1/depot/channels/{origin}/{channel}/pkgs/demote"},
	} {
		_, got := h.mux.Handler(httptest.NewRequest(tc.method, tc.path, nil))
		if got != tc.want {
			t.Errorf("%s %s routes to %q, want %q", tc.method, tc.path, got, tc.want)
		}
	}
}

// TestSearchQueryUnescaped checks that the search pattern takes a query
// whose '/' hab sends as %2F as one segment and hands it back decoded.
func TestSearchQueryUnescaped(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	var got string
	mux.HandleFunc("GET /v1/depot/pkgs/search/{query}", func(w http.ResponseWriter, r *http.Request) { got = r.PathValue("query") })
	mux.HandleFunc("GET /v1/depot/pkgs/{origin}/{pkg}/{version}", func(w http.ResponseWriter, r *http.Request) { got = "wrong route" })
	mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/v1/depot/pkgs/search/core%2Fred%20is%2F", nil))
	if got != "core/red is/" {
		t.Errorf("query = %q", got)
	}
}

// TestRefusedBeforeTheDepot sends requests the front refuses on its own:
// the handler has no depot, so reaching it would panic.
func TestRefusedBeforeTheDepot(t *testing.T) {
	t.Parallel()
	h := NewHandler(Options{})
	const rel = "/v1/depot/pkgs/core/redis/7.0.0/20230101000000"
	const crel = "/v1/depot/channels/core/stable/pkgs/redis/7.0.0/20230101000000"
	for _, tc := range []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/v1/depot/pkgs/core/redis/latest?target=x86_64-beos", 422, "Invalid package target 'x86_64-beos'"},
		{"GET", rel + "/download?target=nope", 422, "Invalid package target 'nope'"},
		{"DELETE", rel + "?target=nope", 422, "Invalid package target 'nope'"},
		{"GET", rel + "/channels?target=nope", 422, "Invalid package target 'nope'"},
		{"PUT", crel + "/promote?target=nope", 422, "Invalid package target 'nope'"},
		{"GET", "/v1/rdeps/core/openssl?target=nope", 422, "Invalid package target 'nope'"},
		{"PATCH", rel + "/hidden", 422, "Not allowed to set packages to 'hidden'"},
		{"GET", "/v1/depot/pkgs/core?range=abc", 400, "invalid range"},
		{"GET", "/v1/depot/pkgs/search/core?range=abc", 400, "invalid range"},
		{"GET", "/v1/depot/channels/core/stable/pkgs/_latest", 400, "missing target"},
		{"PUT", "/v1/depot/channels/core/unstable/pkgs/redis/7.0.0/20230101000000/demote", 403, ""},
		{"PUT", "/v1/depot/channels/core/stable/pkgs/promote", 400, "missing channel"},
		{"PUT", "/v1/depot/channels/core/stable/pkgs/demote?channel=", 400, "missing channel"},
		{"GET", "/v1/depot/events?to_date=2025-1-1", 400, "missing from_date"},
		{"GET", "/v1/depot/events?from_date=2025-1-1", 400, "missing to_date"},
		{"GET", "/v1/depot/events?from_date=2025-1-1&to_date=2025-1-32", 400, "invalid to_date"},
		{"GET", "/v1/depot/events/saas?from_date=2025-1-1&to_date=2025-1-2", 501, ""},
		{"GET", "/v1/depot/core/other", 404, ""},
	} {
		w := httptest.NewRecorder()
		h.mux.ServeHTTP(w, httptest.NewRequest(tc.method, tc.path, nil))
		if w.Code != tc.status || w.Body.String() != tc.body {
			t.Errorf("%s %s = %d %q, want %d %q", tc.method, tc.path, w.Code, w.Body.String(), tc.status, tc.body)
		}
	}
}

func TestPackageJSON(t *testing.T) {
	t.Parallel()
	created := time.Date(2017, 12, 5, 0, 32, 13, 123456000, time.UTC)
	p := depot.Package{
		Release: meta.Release{VersionID: 1018374098325094400, OwnerID: 7, Origin: "neurosis", Name: "testapp",
			Version: "0.1.3", Release: "20171205003213", Target: "x86_64-linux", Checksum: "ab",
			Visibility: "public", PackageType: "standard", Created: created, Updated: created},
		Manifest: "# testapp\npkg_exposes", Config: "port = 1",
		Deps:    []hab.Ident{{Origin: "core", Name: "glibc", Version: "2.27", Release: "20190115002733"}},
		Exposes: []uint16{6379}, Size: 1569, Channels: []string{"unstable"}, IsAService: true,
	}
	var full map[string]any
	body, _ := json.Marshal(packageOf(p))
	if err := json.Unmarshal(body, &full); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{
		"id": "1018374098325094400", "owner_id": "7", "package_type": "Standard", "manifest": "# testapp\npkg_exposes",
		"config": "port = 1", "created_at": "2017-12-05T00:32:13.123456", "is_a_service": true,
	} {
		if full[k] != want {
			t.Errorf("%s = %#v, want %#v", k, full[k], want)
		}
	}
	if _, has := full["size"]; has {
		t.Error("channel package JSON has size")
	}
	for _, want := range []string{
		`"ident":{"origin":"neurosis","name":"testapp","version":"0.1.3","release":"20171205003213"}`,
		`"ident_array":["neurosis","testapp","0.1.3","20171205003213"]`,
		`"deps":[{"origin":"core","name":"glibc","version":"2.27","release":"20190115002733"}]`,
		`"tdeps":[]`, `"build_deps":[]`, `"build_tdeps":[]`, `"exposes":[6379]`, `"channels":["unstable"]`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("package JSON lacks %s: %s", want, body)
		}
	}
	body, _ = json.Marshal(depotPackageOf(p))
	for _, want := range []string{`"manifest":""`, `"config":""`, `"size":1569`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("depot package JSON lacks %s: %s", want, body)
		}
	}
	body, _ = json.Marshal(identOf(hab.Ident{Origin: "core", Name: "redis"}))
	if string(body) != `{"origin":"core","name":"redis","version":null,"release":null}` {
		t.Errorf("partial ident: %s", body)
	}
}
