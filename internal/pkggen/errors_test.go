package pkggen_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/pkggen"
	"wharf/internal/testserver/fakegithub"
)

const mainRaw = "/raw/acme/taxi/main/"

// TestGenerateErrors checks every way a generation fails: the kind of the
// error and that its client message names what went wrong.
func TestGenerateErrors(t *testing.T) {
	t.Parallel()
	const from = "github:acme/taxi/main/spicepod.yaml"
	tests := []struct {
		name    string
		opt     pkggen.Options
		setup   func(gh *fakegithub.Server)
		from    string
		kind    errs.Kind
		message string // a part of the client message
	}{
		{name: "missing root", from: "github:acme/taxi/main/nope/spicepod.yaml",
			kind: errs.NotFound, message: `file "nope/spicepod.yaml" not found in acme/taxi@main`},
		{name: "unknown revision", from: "github:acme/taxi/v9/spicepod.yaml",
			kind: errs.NotFound, message: `file "spicepod.yaml" not found in acme/taxi@v9`},
		{name: "missing data file", setup: func(gh *fakegithub.Server) { gh.Fail(mainRaw+"data/trips.csv", fakegithub.Fault{Status: 404}) },
			kind: errs.NotFound, message: `file "data/trips.csv" not found`},
		{name: "missing component", setup: func(gh *fakegithub.Server) {
			gh.Fail(mainRaw+"models/forecaster/model.yaml", fakegithub.Fault{Status: 404})
		}, kind: errs.NotFound, message: `file "models/forecaster/model.yaml" or "models/forecaster/model.yml" not found`},
		{name: "missing dependency", setup: func(gh *fakegithub.Server) {
			gh.Fail(mainRaw+"spicepods/spiceai/quickstart/spicepod.yaml", fakegithub.Fault{Status: 404})
		}, kind: errs.NotFound, message: `"spicepods/spiceai/quickstart/spicepod.yaml" not found`},
		{name: "missing folder", setup: func(gh *fakegithub.Server) {
			gh.Add(fakegithub.Repo{Org: "acme", Name: "empty", Ref: "main", Files: map[string]string{
				"spicepod.yaml": "version: v1\nkind: Spicepod\nname: e\ndatasets:\n  - from: file:data/none\n    name: n\n"}})
		}, from: "github:acme/empty/main/spicepod.yaml", kind: errs.NotFound, message: `folder "data/none" not found in acme/empty@main`},
		{name: "invalid root", setup: func(gh *fakegithub.Server) {
			gh.Add(fakegithub.Repo{Org: "acme", Name: "bad", Ref: "main", Files: map[string]string{"spicepod.yaml": "version: v9\nkind: Spicepod\nname: x\n"}})
		}, from: "github:acme/bad/main/spicepod.yaml", kind: errs.Invalid, message: "spicepod.yaml: version must be v1 or v2"},
		{name: "escaping ref", setup: func(gh *fakegithub.Server) {
			gh.Add(fakegithub.Repo{Org: "acme", Name: "bad", Ref: "main", Files: map[string]string{
				"spicepod.yaml": "version: v1\nkind: Spicepod\nname: x\ndatasets:\n  - ref: ../../etc\n"}})
		}, from: "github:acme/bad/main/spicepod.yaml", kind: errs.Invalid, message: `datasets[0].ref: path has a "." or ".." segment`},
		{name: "invalid component", setup: func(gh *fakegithub.Server) {
			gh.Add(fakegithub.Repo{Org: "acme", Name: "bad", Ref: "main", Files: map[string]string{
				"spicepod.yaml": "version: v1\nkind: Spicepod\nname: x\nviews:\n  - ref: v\n",
				"v/view.yaml":   "- not a mapping\n",
			}})
		}, from: "github:acme/bad/main/spicepod.yaml", kind: errs.Invalid, message: "v/view.yaml: the document is not a mapping"},
		{name: "file and folder", setup: func(gh *fakegithub.Server) {
			gh.Add(fakegithub.Repo{Org: "acme", Name: "bad", Ref: "main", Files: map[string]string{
				"spicepod.yaml":  "version: v1\nkind: Spicepod\nname: x\ndatasets:\n  - ref: d\n  - from: file:d/dataset.yaml/x.csv\n    name: y\n",
				"d/dataset.yaml": "name: d\nfrom: s3://x\n", "d/dataset.yaml/x.csv": "1",
			}})
		}, from: "github:acme/bad/main/spicepod.yaml", kind: errs.Invalid, message: `"d/dataset.yaml" is both a file and a folder`},
		{name: "tree entry escaping", setup: func(gh *fakegithub.Server) {
			gh.Add(fakegithub.Repo{Org: "acme", Name: "bad", Ref: "main", Files: map[string]string{
				"spicepod.yaml":          "version: v1\nkind: Spicepod\nname: x\ndatasets:\n  - from: file:data/evil\n    name: e\n",
				"data/evil/ok.csv":       "1",
				"data/evil/../../x.conf": "escaped",
			}})
		}, from: "github:acme/bad/main/spicepod.yaml", kind: errs.Invalid, message: `"data/evil/../../x.conf"`},
		{name: "tree entry backslash", setup: func(gh *fakegithub.Server) {
			gh.Add(fakegithub.Repo{Org: "acme", Name: "bad", Ref: "main", Files: map[string]string{
				"spicepod.yaml":           "version: v1\nkind: Spicepod\nname: x\ndatasets:\n  - from: file:data/evil\n    name: e\n",
				"data/evil/..\\..\\x.bat": "escaped on Windows",
			}})
		}, from: "github:acme/bad/main/spicepod.yaml", kind: errs.Invalid, message: `data/evil/..\\..\\x.bat`},
		{name: "too many files", opt: pkggen.Options{MaxFiles: 15}, kind: errs.TooLarge, message: "more than 15 files"},
		{name: "too many references", opt: pkggen.Options{MaxFiles: 3}, kind: errs.TooLarge, message: "more than 3 files"},
		{name: "too many bytes", opt: pkggen.Options{MaxBytes: 1000}, kind: errs.TooLarge, message: "more than 1000 bytes"},
		{name: "manifest too large", setup: func(gh *fakegithub.Server) {
			gh.Add(fakegithub.Repo{Org: "acme", Name: "big", Ref: "main", Files: map[string]string{
				"spicepod.yaml": "version: v1\nkind: Spicepod\nname: x\n#" + strings.Repeat("x", 1<<20)}})
		}, from: "github:acme/big/main/spicepod.yaml", kind: errs.TooLarge, message: "spicepod.yaml is larger than 1048576 bytes"},
		{name: "truncated tree", setup: func(gh *fakegithub.Server) {
			r := fakegithub.SpiceDemo("acme", "huge", "main")
			r.Truncated = true
			gh.Add(r)
		}, from: "github:acme/huge/main/spicepod.yaml", kind: errs.TooLarge, message: "too many files for GitHub to list"},
		{name: "private without token", setup: func(gh *fakegithub.Server) {
			r := fakegithub.SpiceDemo("acme", "secret", "main")
			r.Token = "right"
			gh.Add(r)
		}, from: "github:acme/secret/main/spicepod.yaml", kind: errs.NotFound, message: `"spicepod.yaml" not found`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, tt.opt)
			if tt.setup != nil {
				tt.setup(e.gh)
			}
			if tt.from == "" {
				tt.from = from
			}
			_, _, err := e.generate(t, tt.from, "")
			if !errs.Is(err, tt.kind) {
				t.Fatalf("error %v (kind %v), want kind %v", err, errs.KindOf(err), tt.kind)
			}
			if !strings.Contains(errs.Message(err), tt.message) {
				t.Errorf("message %q, want it to contain %q", errs.Message(err), tt.message)
			}
		})
	}
}

// TestGitHubFailures checks how GitHub's own failures come back: bad
// credentials and denied access as an UpstreamError, a rate limit with
// when to retry, a 5xx retried and then reported, and the time limit.
func TestGitHubFailures(t *testing.T) {
	t.Parallel()
	const from = "github:acme/taxi/main/spicepod.yaml"
	reset := strconv.FormatInt(time.Now().Add(90*time.Second).Unix(), 10)
	t.Run("unauthorized", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, pkggen.Options{})
		e.gh.Fail(mainRaw+"spicepod.yaml", fakegithub.Fault{Status: 401})
		_, _, err := e.generate(t, from, "bad")
		var ue *pkggen.UpstreamError
		if !errors.As(err, &ue) || ue.Status != 401 || !strings.Contains(ue.Msg, "rejected the credentials") {
			t.Errorf("error %v, want an UpstreamError for 401", err)
		}
	})
	t.Run("forbidden", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, pkggen.Options{})
		e.gh.Fail("/api/repos/acme/taxi/git/trees/main", fakegithub.Fault{Status: 403})
		_, _, err := e.generate(t, from, "")
		var ue *pkggen.UpstreamError
		if !errors.As(err, &ue) || ue.Status != 403 || !strings.Contains(ue.Msg, "denied access") {
			t.Errorf("error %v, want an UpstreamError for 403", err)
		}
	})
	for name, f := range map[string]fakegithub.Fault{
		"rate limited":   {Status: 403, Header: http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {reset}}},
		"secondary rate": {Status: 403, Header: http.Header{"Retry-After": {"90"}}},
		"too many":       {Status: 429, Header: http.Header{"Retry-After": {"90"}}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, pkggen.Options{})
			e.gh.Fail(mainRaw+"data/zones.csv", f)
			_, _, err := e.generate(t, from, "")
			var rl *pkggen.RateLimitError
			if !errors.As(err, &rl) || rl.RetryAfter < 85*time.Second || rl.RetryAfter > 91*time.Second {
				t.Errorf("error %v, want a RateLimitError retrying after about 90s", err)
			}
		})
	}
	t.Run("5xx retried", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, pkggen.Options{})
		e.gh.Fail(mainRaw+"sql/daily.sql", fakegithub.Fault{Status: 502, Times: 2})
		if _, _, err := e.generate(t, from, ""); err != nil {
			t.Errorf("two 502s then success: %v", err)
		}
	})
	t.Run("5xx reported", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, pkggen.Options{})
		e.gh.Fail(mainRaw+"sql/daily.sql", fakegithub.Fault{Status: 503})
		_, _, err := e.generate(t, from, "")
		var ue *pkggen.UpstreamError
		if !errors.As(err, &ue) || ue.Status != 503 {
			t.Errorf("error %v, want an UpstreamError for 503", err)
		}
		n := 0
		for _, r := range e.gh.Requests() {
			if r.Path == mainRaw+"sql/daily.sql" {
				n++
			}
		}
		if n != 3 {
			t.Errorf("sql/daily.sql was asked for %d times, want 3", n)
		}
	})
	t.Run("redirect elsewhere", func(t *testing.T) {
		t.Parallel()
		var hits atomic.Int32
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			w.Write([]byte("version: v1\nkind: Spicepod\nname: x\n"))
		}))
		defer other.Close()
		e := newEnv(t, pkggen.Options{})
		e.gh.Fail(mainRaw+"spicepod.yaml", fakegithub.Fault{Status: http.StatusFound, Header: http.Header{"Location": {other.URL + "/internal"}}})
		_, _, err := e.generate(t, from, "tok")
		var ue *pkggen.UpstreamError
		if !errors.As(err, &ue) || !strings.Contains(ue.Msg, "redirect") {
			t.Errorf("error %v, want an UpstreamError for a redirect to another host", err)
		}
		if n := hits.Load(); n != 0 {
			t.Errorf("the other host was asked %d times", n)
		}
	})
	t.Run("redirect on GitHub", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, pkggen.Options{})
		e.gh.Add(fakegithub.Repo{Org: "acme", Name: "renamed", Ref: "main", Files: fakegithub.SpiceDemo("", "", "").Files})
		e.gh.Fail(mainRaw+"sql/daily.sql", fakegithub.Fault{Status: http.StatusMovedPermanently,
			Header: http.Header{"Location": {e.gh.RawURL + "/acme/renamed/main/sql/daily.sql"}}})
		if _, _, err := e.generate(t, from, ""); err != nil {
			t.Errorf("a redirect within GitHub's host: %v", err)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, pkggen.Options{})
		svc := pkggen.New(e.store, e.blobs, pkggen.Options{APIURL: "http://127.0.0.1:1", RawURL: "http://127.0.0.1:1", TempDir: t.TempDir()})
		_, _, err := (&env{gh: e.gh, svc: svc}).generate(t, from, "")
		var ue *pkggen.UpstreamError
		if !errors.As(err, &ue) || ue.Status != 0 || !strings.Contains(ue.Msg, "could not be reached") {
			t.Errorf("error %v, want an UpstreamError for an unreachable GitHub", err)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, pkggen.Options{Timeout: 300 * time.Millisecond})
		e.gh.Fail(mainRaw+"data/trips.csv", fakegithub.Fault{Delay: 10 * time.Second})
		start := time.Now()
		_, _, err := e.generate(t, from, "")
		if !errors.Is(err, pkggen.ErrTimeout) {
			t.Errorf("error %v, want ErrTimeout", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("took %v past a 300ms limit", d)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, pkggen.Options{})
		e.gh.Fail(mainRaw+"data/trips.csv", fakegithub.Fault{Delay: 10 * time.Second})
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		_, err := e.svc.Generate(ctx, pkggen.Request{Source: source(t, from)})
		if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, pkggen.ErrTimeout) {
			t.Errorf("error %v, want the caller's context error", err)
		}
	})
}

// TestTreeListingBounded checks that a tree listing is read only as far
// as the file limit: once a folder holds more files than a package may,
// generation stops, without waiting for (or keeping) the rest.
func TestTreeListingBounded(t *testing.T) {
	t.Parallel()
	gh := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/raw/") {
			w.Write([]byte("version: v1\nkind: Spicepod\nname: x\ndatasets:\n  - from: file:data\n    name: d\n"))
			return
		}
		w.Write([]byte(`{"sha": "x", "tree": [`))
		for i := range 100 {
			fmt.Fprintf(w, `{"path": "data/%d.csv", "type": "blob", "size": 1},`, i)
		}
		w.(http.Flusher).Flush()
		<-r.Context().Done() // the rest never comes
	}))
	defer gh.Close()
	svc := pkggen.New(nil, nil, pkggen.Options{APIURL: gh.URL + "/api", RawURL: gh.URL + "/raw", MaxFiles: 10,
		Timeout: 5 * time.Second, TempDir: t.TempDir()})
	start := time.Now()
	_, _, err := (&env{svc: svc}).generate(t, "github:acme/x/main/spicepod.yaml", "")
	if !errs.Is(err, errs.TooLarge) || !strings.Contains(errs.Message(err), "more than 10 files") {
		t.Errorf("error %v, want errs.TooLarge for more than 10 files", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("answered after %v: the listing was read past the limit", d)
	}
}
