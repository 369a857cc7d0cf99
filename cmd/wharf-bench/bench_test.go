package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/registry"
)

// authMode selects how the test registry guards its API.
type authMode int

const (
	authNone authMode = iota
	authBasic
	authBearer
)

// testRegistry is an in-memory registry behind optional authentication. In
// bearer mode /token issues "tok:<scope>" to user u with password p, and the
// API accepts a token only if its scope names the repository in the path;
// the token "tok:*" is accepted everywhere.
type testRegistry struct {
	srv         *httptest.Server
	tokenCalls  atomic.Int64
	unauthCalls atomic.Int64
}

func newTestRegistry(t *testing.T, mode authMode) *testRegistry {
	t.Helper()
	tr := &testRegistry{}
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	mux := http.NewServeMux()
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		tr.tokenCalls.Add(1)
		if u, p, ok := r.BasicAuth(); !ok || u != "u" || p != "p" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"token": "tok:" + r.URL.Query().Get("scope")})
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if !tr.authorized(mode, r) {
			tr.unauthCalls.Add(1)
			switch mode {
			case authBasic:
				w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			case authBearer:
				w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer realm="%s/token",service="test"`, tr.srv.URL))
			}
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		reg.ServeHTTP(w, r)
	})
	tr.srv = httptest.NewServer(mux)
	t.Cleanup(tr.srv.Close)
	return tr
}

func (tr *testRegistry) authorized(mode authMode, r *http.Request) bool {
	switch mode {
	case authBasic:
		u, p, ok := r.BasicAuth()
		return ok && u == "u" && p == "p"
	case authBearer:
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer tok:")
		if !ok {
			return false
		}
		if r.URL.Path == "/v2/" || tok == "*" {
			return true
		}
		// Repository names may contain "blobs", so match from the tail.
		path := strings.TrimPrefix(r.URL.Path, "/v2/")
		for _, sep := range []string{"/blobs/uploads", "/blobs/", "/manifests/"} {
			if i := strings.LastIndex(path, sep); i > 0 {
				return strings.HasPrefix(tok, "repository:"+path[:i]+":")
			}
		}
		return false
	}
	return true
}

func testConfig(t *testing.T, url string) config {
	t.Helper()
	u, err := parseRegistry(url)
	if err != nil {
		t.Fatal(err)
	}
	return config{
		registry: u, repo: "bench", sizes: []int64{3<<20 + 5, 1000}, chunk: 1 << 20,
		duration: 200 * time.Millisecond, concurrency: []int{1, 3}, images: 6, workers: 2,
		skip: map[string]bool{}, seed: 42,
	}
}

func TestRunAgainstRegistry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		mode authMode
		user string
	}{
		{"anonymous", authNone, ""},
		{"basic", authBasic, "u"},
		{"bearer", authBearer, "u"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr := newTestRegistry(t, tt.mode)
			cfg := testConfig(t, tr.srv.URL)
			cfg.user, cfg.password = tt.user, "p"
			cfg.pid = os.Getpid()
			rep, err := run(context.Background(), cfg, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, rep, cfg)
			if tt.mode == authBearer {
				// One token per scope: ping, blobs push+pull, manifest
				// push+pull, images push.
				if n := tr.tokenCalls.Load(); n > 6 {
					t.Errorf("token endpoint called %d times, want at most 6 (tokens are cached per scope)", n)
				}
			}
			// Besides one rejection per scope, requests that were already
			// in flight when a scope was first challenged are rejected too.
			if n, limit := tr.unauthCalls.Load(), int64(6+cfg.workers); n > limit {
				t.Errorf("%d requests were rejected, want at most %d", n, limit)
			}
			// The pushed images are really there.
			for i := range cfg.images {
				resp, err := http.Get(fmt.Sprintf("%s/v2/bench/images/manifests/img-%d", tr.srv.URL, i))
				if tt.mode != authNone {
					break // reading back needs auth; covered by the pull section
				}
				if err != nil || resp.StatusCode != http.StatusOK {
					t.Fatalf("image %d not stored: %v %v", i, err, resp.Status)
				}
				resp.Body.Close()
			}
		})
	}
}

func checkReport(t *testing.T, rep *report, cfg config) {
	t.Helper()
	if len(rep.Push) != 2*len(cfg.sizes) || len(rep.Pull) != len(rep.Push) {
		t.Fatalf("got %d pushes and %d pulls, want %d each", len(rep.Push), len(rep.Pull), 2*len(cfg.sizes))
	}
	for i, p := range rep.Push {
		if p.Digest != rep.Pull[i].Digest || p.Size != rep.Pull[i].Size || p.MiBps <= 0 {
			t.Errorf("push %+v does not match pull %+v", p, rep.Pull[i])
		}
		if p.ServerPeakRSSKiB <= 0 {
			t.Errorf("push %d: no server RSS sampled", i)
		}
	}
	if rep.Push[0].Digest == rep.Push[1].Digest {
		t.Error("monolithic and chunked pushes sent the same blob")
	}
	if len(rep.Manifest) != 2*len(cfg.concurrency) {
		t.Fatalf("got %d manifest runs, want %d", len(rep.Manifest), 2*len(cfg.concurrency))
	}
	for _, m := range rep.Manifest {
		if m.Requests == 0 || m.Errors != 0 || m.P50Ms <= 0 || m.P99Ms < m.P50Ms || m.MaxMs < m.P99Ms {
			t.Errorf("implausible manifest result %+v", m)
		}
	}
	if rep.Images == nil || rep.Images.Images != cfg.images || rep.Images.PerSecond <= 0 {
		t.Errorf("images result %+v", rep.Images)
	}
	if len(rep.Memory) != 4 {
		t.Errorf("got memory for %d sections, want 4", len(rep.Memory))
	}
	var table strings.Builder
	if err := rep.writeTable(&table); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"blob push", "blob pull", "chunked", "HEAD", "small images", "server memory"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
}

func TestRunRejectedCredentials(t *testing.T) {
	t.Parallel()
	for _, mode := range []authMode{authBasic, authBearer} {
		tr := newTestRegistry(t, mode)
		cfg := testConfig(t, tr.srv.URL)
		cfg.user, cfg.password = "u", "wrong"
		if _, err := run(context.Background(), cfg, io.Discard); err == nil {
			t.Errorf("mode %d: run succeeded with a wrong password", mode)
		}
	}
	tr := newTestRegistry(t, authBasic)
	if _, err := run(context.Background(), testConfig(t, tr.srv.URL), io.Discard); err == nil ||
		!strings.Contains(err.Error(), "requires credentials") {
		t.Errorf("anonymous run against a Basic registry: err = %v", err)
	}
}

func TestRunSkipAndJSON(t *testing.T) {
	t.Parallel()
	tr := newTestRegistry(t, authNone)
	cfg := testConfig(t, tr.srv.URL)
	cfg.skip = map[string]bool{secPush: true, secManifest: true}
	cfg.jsonOut = filepath.Join(t.TempDir(), "out.json")
	rep, err := run(context.Background(), cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.writeJSON(cfg.jsonOut); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(cfg.jsonOut)
	if err != nil {
		t.Fatal(err)
	}
	var got report
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Push)+len(got.Pull)+len(got.Manifest) != 0 || got.Images == nil {
		t.Errorf("sections in JSON: push %d pull %d manifest %d images %v", len(got.Push), len(got.Pull), len(got.Manifest), got.Images)
	}
	want := []string{"push", "pull (nothing pushed)", "manifest"}
	if strings.Join(got.Skipped, ",") != strings.Join(want, ",") {
		t.Errorf("skipped = %q, want %q", got.Skipped, want)
	}
}

func TestParseFlags(t *testing.T) {
	t.Parallel()
	cfg, err := parseFlags([]string{"--registry", "http://h:1", "--sizes", "1MiB", "--concurrency", "4", "--skip", "pull"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.registry.Host != "h:1" || cfg.sizes[0] != 1<<20 || cfg.concurrency[0] != 4 || !cfg.skip["pull"] || cfg.chunk != 16<<20 {
		t.Errorf("parseFlags = %+v", cfg)
	}
	for _, args := range [][]string{
		{"--duration", "0s"},
		{"--images", "0"},
		{"--token", "x", "--user", "u"},
		{"--chunk", "big"},
		{"--skip", "everything"},
		{"extra"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted invalid flags", args)
		}
	}
}

func TestRunStaticToken(t *testing.T) {
	t.Parallel()
	tr := newTestRegistry(t, authBearer)
	cfg := testConfig(t, tr.srv.URL)
	cfg.skip = map[string]bool{secPull: true, secManifest: true}
	cfg.token = "tok:*"
	if _, err := run(context.Background(), cfg, io.Discard); err != nil {
		t.Fatal(err)
	}
	if n := tr.tokenCalls.Load(); n != 0 {
		t.Errorf("token endpoint called %d times with a fixed token", n)
	}
	cfg.token = "bad"
	if _, err := run(context.Background(), cfg, io.Discard); err == nil || !strings.Contains(err.Error(), "rejected the --token") {
		t.Errorf("bad token: err = %v", err)
	}
}
