package httpx_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"wharf/internal/httpx"
)

func scrape(t *testing.T, m *httpx.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("/metrics status %d", rec.Code)
	}
	return rec.Body.String()
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	m := httpx.NewMetrics()
	h := httpx.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/blob":
			httpx.SetRoute(r, "blob_get")
			io.WriteString(w, "0123456789")
		case "/upload":
			httpx.SetRoute(r, "blob_put")
			io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusCreated)
		default:
			http.NotFound(w, r)
		}
	}), nil, m)
	do := func(method, path, body string) {
		var b io.Reader
		if body != "" {
			b = strings.NewReader(body)
		}
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(method, path, b))
	}
	do("GET", "/blob", "")
	do("GET", "/blob", "")
	do("PUT", "/upload", "abcdefg")
	do("GET", "/nowhere", "")
	do("BREW", "/blob", "")
	m.UploadSessions.Set(3)
	m.GCRuns.WithLabelValues("ok").Inc()
	m.GCBlobsDeleted.Add(4)
	m.GCBytesFreed.Add(4096)

	out := scrape(t, m)
	for _, want := range []string{
		`wharf_http_requests_total{code="200",method="GET",route="blob_get"} 2`,
		`wharf_http_requests_total{code="201",method="PUT",route="blob_put"} 1`,
		`wharf_http_requests_total{code="404",method="GET",route="other"} 1`,
		`wharf_http_requests_total{code="200",method="other",route="blob_get"} 1`,
		`wharf_http_request_duration_seconds_count{method="GET",route="blob_get"} 2`,
		`wharf_http_response_bytes_total{method="GET",route="blob_get"} 20`,
		`wharf_http_request_bytes_total{method="PUT",route="blob_put"} 7`,
		`wharf_upload_sessions 3`,
		`wharf_gc_runs_total{result="ok"} 1`,
		`wharf_gc_blobs_deleted_total 4`,
		`wharf_gc_bytes_freed_total 4096`,
		`go_goroutines `,
		`process_start_time_seconds `,
	} {
		if !strings.Contains(out, want+"\n") && !strings.Contains(out, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(out, "BREW") {
		t.Errorf("/metrics has an unbounded method label")
	}
}

func TestMetricsSeparateRegistries(t *testing.T) {
	t.Parallel()
	a, b := httpx.NewMetrics(), httpx.NewMetrics()
	a.UploadSessions.Set(5)
	if out := scrape(t, b); !strings.Contains(out, "wharf_upload_sessions 0\n") {
		t.Errorf("a gauge set on one Metrics shows in another")
	}
}
