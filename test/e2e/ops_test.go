package e2e

import (
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// metricLine finds a sample of name whose labels include all of labels.
func metricLine(body, name string, labels ...string) (string, bool) {
	for _, line := range strings.Split(body, "\n") {
		rest, ok := strings.CutPrefix(line, name+"{")
		if !ok {
			continue
		}
		all := true
		for _, l := range labels {
			if !strings.Contains(rest, l) {
				all = false
				break
			}
		}
		if all {
			return line, true
		}
	}
	return "", false
}

var sampleRE = regexp.MustCompile(`^[a-z_]+\{[^}]*\} ([0-9.e+]+)$`)

func TestOperations(t *testing.T) {
	forEachBackendNoServer(t, func(t *testing.T, b backend) {
		t.Run("ProbesAndMetrics", func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.opt)
			e.anon().do(t, http.MethodGet, "/healthz", nil).want(t, http.StatusOK)
			e.anon().do(t, http.MethodGet, "/readyz", nil).want(t, http.StatusOK)
			e.anon().do(t, http.MethodGet, "/v2/", nil).want(t, http.StatusUnauthorized)
			u := e.newUser(t, false)
			u.basic().do(t, http.MethodGet, "/v2/", nil).want(t, http.StatusOK)
			e.anon().do(t, http.MethodGet, pkgPath(u.name, "p", "1", "f"), nil).want(t, http.StatusNotFound)

			r := e.anon().do(t, http.MethodGet, "/metrics", nil).want(t, http.StatusOK)
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") && !strings.HasPrefix(ct, "application/openmetrics-text") {
				t.Errorf("metrics Content-Type %q", ct)
			}
			body := string(r.Body)
			if !strings.Contains(body, "# TYPE wharf_http_requests_total counter") {
				t.Errorf("metrics lack the wharf_http_requests_total counter")
			}
			for _, labels := range [][]string{
				{`route="healthz"`, `code="200"`},
				{`route="readyz"`, `code="200"`},
				{`route="oci.base"`, `code="401"`},
				{`route="oci.base"`, `code="200"`},
				{`route="generic.download"`, `code="404"`},
			} {
				line, ok := metricLine(body, "wharf_http_requests_total", labels...)
				if !ok {
					t.Errorf("no wharf_http_requests_total sample with %v", labels)
					continue
				}
				m := sampleRE.FindStringSubmatch(line)
				if m == nil {
					t.Errorf("malformed sample %q", line)
					continue
				}
				if v, err := strconv.ParseFloat(m[1], 64); err != nil || v < 1 {
					t.Errorf("sample %q: want a count of at least 1", line)
				}
			}
		})

		t.Run("ShutdownTimeoutIsOrderly", func(t *testing.T) {
			t.Parallel()
			opt := b.opt
			opt.Env = append(append([]string(nil), opt.Env...), "WHARF_SHUTDOWN_TIMEOUT=500ms")
			e := newEnv(t, opt)
			u := e.newUser(t, false)
			c := u.basic()
			loc := startUpload(t, c, u.name+"/stuck")
			// A request that never finishes sending holds the server past
			// its shutdown timeout.
			pr, pw := io.Pipe()
			defer pw.Close()
			go func() {
				_, _ = c.send(t, http.MethodPatch, loc, pr, "Content-Type", "application/octet-stream")
			}()
			if _, err := pw.Write(make([]byte, 1<<10)); err != nil {
				t.Fatal(err)
			}
			time.Sleep(100 * time.Millisecond)
			start := time.Now()
			if err := e.srv.Stop(); err != nil {
				t.Errorf("exit after the shutdown timeout: %v, want a clean exit", err)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("stopping took %v with a 500ms shutdown timeout", d)
			}
			if !strings.Contains(e.srv.Logs(), "shutdown timeout") {
				t.Errorf("no shutdown-timeout warning in the logs")
			}
		})

		t.Run("DrainOnSIGTERM", func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.opt)
			u := e.newUser(t, false)
			repo := u.name + "/drain"
			c := u.basic()
			const size, first = 24 << 20, 6 << 20
			data := randBytes(t, size)
			d := sha256Digest(data)
			loc := startUpload(t, c, repo)

			pr, pw := io.Pipe()
			type result struct {
				r   *response
				err error
			}
			done := make(chan result, 1)
			go func() {
				r, err := c.send(t, http.MethodPut, withQuery(t, loc, "digest", d), pr,
					"Content-Type", "application/octet-stream", "Content-Length", strconv.Itoa(size))
				done <- result{r, err}
			}()
			if _, err := pw.Write(data[:first]); err != nil {
				t.Fatal(err)
			}
			stopped := make(chan error, 1)
			go func() { stopped <- e.srv.Stop() }()

			// Once the signal has landed the server takes no new
			// connections, while the upload above waits half sent.
			fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 2 * time.Second}
			deadline := time.Now().Add(10 * time.Second)
			for {
				resp, err := fresh.Get(e.srv.URL + "/healthz")
				if err != nil {
					break
				}
				resp.Body.Close()
				if time.Now().After(deadline) {
					t.Fatalf("still serving new connections 10s after SIGTERM")
				}
				time.Sleep(50 * time.Millisecond)
			}

			for off := first; off < size; off += 1 << 20 {
				if _, err := pw.Write(data[off : off+1<<20]); err != nil {
					t.Fatalf("writing the upload after SIGTERM: %v", err)
				}
				time.Sleep(10 * time.Millisecond)
			}
			pw.Close()
			res := <-done
			if res.err != nil {
				t.Fatalf("in-flight upload failed during shutdown: %v", res.err)
			}
			res.r.want(t, http.StatusCreated)
			if err := <-stopped; err != nil {
				t.Errorf("exit after SIGTERM: %v", err)
			}

			e.srv.Restart()
			e.forgetConnections()
			wantBlob(t, c, repo, d, data)
		})
	})
}
