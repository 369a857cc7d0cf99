package httpx_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"wharf/internal/httpx"
)

func TestAccessLog(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		method string
		target string
		body   string
		h      http.HandlerFunc
		level  slog.Level
		want   map[string]any
	}{
		{
			name:   "named push",
			method: "PUT",
			target: "/v2/team/app/blobs/uploads/abc?digest=sha256:00&token=s3cret",
			body:   strings.Repeat("x", 1234),
			h: func(w http.ResponseWriter, r *http.Request) {
				httpx.SetRoute(r, "oci_blob_upload_put")
				httpx.SetUser(r, "alice")
				httpx.SetRepo(r, "team/app")
				io.Copy(io.Discard, r.Body)
				w.WriteHeader(http.StatusCreated)
				w.Write([]byte(strings.Repeat("y", 5678)))
			},
			level: slog.LevelInfo,
			want: map[string]any{
				"request_id": "req-1", "method": "PUT",
				"path":   "/v2/team/app/blobs/uploads/abc?digest=sha256:00&token=REDACTED",
				"status": int64(201), "bytes_in": int64(1234), "bytes_out": int64(5678),
				"route": "oci_blob_upload_put", "user": "alice", "repo": "team/app", "remote": "192.0.2.7",
			},
		},
		{
			name:   "silent handler",
			method: "GET",
			target: "/healthz",
			h:      func(http.ResponseWriter, *http.Request) {},
			level:  slog.LevelInfo,
			want: map[string]any{
				"request_id": "req-1", "method": "GET", "path": "/healthz",
				"status": int64(200), "bytes_in": int64(0), "bytes_out": int64(0),
				"route": "other", "user": "", "repo": "", "remote": "192.0.2.7",
			},
		},
		{
			name:   "server error",
			method: "DELETE",
			target: "/x",
			h: func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "boom", http.StatusServiceUnavailable)
			},
			level: slog.LevelError,
			want: map[string]any{
				"request_id": "req-1", "method": "DELETE", "path": "/x",
				"status": int64(503), "bytes_in": int64(0), "bytes_out": int64(5),
				"route": "other", "user": "", "repo": "", "remote": "192.0.2.7",
			},
		},
		{
			name:   "client error, body half read",
			method: "POST",
			target: "/x?password=p",
			body:   "0123456789",
			h: func(w http.ResponseWriter, r *http.Request) {
				io.ReadFull(r.Body, make([]byte, 4))
				w.WriteHeader(http.StatusNotFound)
			},
			level: slog.LevelInfo,
			want: map[string]any{
				"request_id": "req-1", "method": "POST", "path": "/x?password=REDACTED",
				"status": int64(404), "bytes_in": int64(4), "bytes_out": int64(0),
				"route": "other", "user": "", "repo": "", "remote": "192.0.2.7",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			log, logs := newLogger()
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req := httptest.NewRequest(tt.method, tt.target, body)
			req.RemoteAddr = "192.0.2.7:50000"
			req.Header.Set("X-Request-ID", "req-1")
			httpx.Wrap(tt.h, log, nil).ServeHTTP(httptest.NewRecorder(), req)
			es := logs.find("http request")
			if len(es) != 1 {
				t.Fatalf("got %d access log records, want 1", len(es))
			}
			if es[0].Level != tt.level {
				t.Errorf("level %v, want %v", es[0].Level, tt.level)
			}
			if d, ok := es[0].Attrs["duration_ms"].(float64); !ok || d < 0 {
				t.Errorf("duration_ms = %v, want a non-negative float", es[0].Attrs["duration_ms"])
			}
			if diff := cmp.Diff(tt.want, es[0].Attrs, cmpopts.IgnoreMapEntries(func(k string, _ any) bool {
				return k == "duration_ms"
			})); diff != "" {
				t.Errorf("access log attributes (-want +got):\n%s", diff)
			}
		})
	}
}
