package httpx_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"wharf/internal/httpx"
)

// BenchmarkWrap measures what Wrap adds to a request: the bare handler,
// then wrapped with metrics and no log, then with a JSON access log.
func BenchmarkWrap(b *testing.B) {
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.SetRoute(r, "bench")
		w.Write([]byte("ok"))
	})
	for _, bm := range []struct {
		name string
		h    http.Handler
	}{
		{"bare", inner},
		{"metrics", httpx.Wrap(inner, nil, httpx.NewMetrics())},
		{"metrics+log", httpx.Wrap(inner, slog.New(slog.NewJSONHandler(io.Discard, nil)), httpx.NewMetrics())},
	} {
		b.Run(bm.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/v2/a/b/blobs/sha256:00?token=x", nil)
			req.RemoteAddr = "192.0.2.1:1234"
			w := discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				bm.h.ServeHTTP(w, req)
			}
		})
	}
}

// discardWriter is a ResponseWriter that keeps nothing.
type discardWriter struct{ h http.Header }

func (w discardWriter) Header() http.Header         { return w.h }
func (w discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w discardWriter) WriteHeader(int)             {}
