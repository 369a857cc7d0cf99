package httpx_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"wharf/internal/httpx"
)

func TestRequestID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		keep     bool
	}{
		{"none", "", false},
		{"sane", "abc-123_XYZ.789", true},
		{"max length", strings.Repeat("a", 128), true},
		{"too long", strings.Repeat("a", 129), false},
		{"space", "a b", false},
		{"tab", "a\tb", false},
		{"non-ascii", "идентификатор", false},
		{"control", "a\x7f", false},
		{"punctuation", `!"#$%&'()*+,-./:;<=>?@[\]^_{|}~`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var seen string
			h := httpx.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seen = httpx.RequestID(r.Context())
			}), nil, nil)
			req := httptest.NewRequest("GET", "/", nil)
			if tt.in != "" {
				req.Header.Set("X-Request-ID", tt.in)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			got := rec.Header().Get("X-Request-ID")
			if got != seen {
				t.Errorf("response header %q, handler saw %q", got, seen)
			}
			if tt.keep && got != tt.in {
				t.Errorf("request ID %q replaced by %q", tt.in, got)
			}
			if !tt.keep && (got == tt.in || len(got) < 16 || len(got) > 128) {
				t.Errorf("request ID %q not replaced by a fresh one: got %q", tt.in, got)
			}
		})
	}
}

func TestRequestIDFresh(t *testing.T) {
	t.Parallel()
	h := httpx.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), nil, nil)
	seen := map[string]bool{}
	for range 100 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		id := rec.Header().Get("X-Request-ID")
		if seen[id] {
			t.Fatalf("request ID %q issued twice", id)
		}
		seen[id] = true
	}
}

func TestUnwrappedRequest(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest("GET", "/", nil)
	httpx.SetRoute(r, "x")
	httpx.SetUser(r, "x")
	httpx.SetRepo(r, "x")
	if id := httpx.RequestID(r.Context()); id != "" {
		t.Errorf("RequestID outside Wrap = %q, want empty", id)
	}
}

func TestClientIP(t *testing.T) {
	t.Parallel()
	tests := []struct{ remote, want string }{
		{"192.0.2.1:4711", "192.0.2.1"},
		{"[2001:db8::1]:443", "2001:db8::1"},
		{"192.0.2.1", "192.0.2.1"},
		{"@", "@"},
		{"", ""},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if got := httpx.ClientIP(r); got != tt.want {
			t.Errorf("ClientIP(%q) = %q, want %q", tt.remote, got, tt.want)
		}
	}
}
