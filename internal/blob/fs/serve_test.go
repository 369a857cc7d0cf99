package fs_test

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestServe serves a blob with http.ServeContent over a real connection,
// both as the Reader and as the *os.File it exposes, whole and by range.
// The Reader must expose the file's SyscallConn, which is what lets the
// net package send it with sendfile.
func TestServe(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	root := t.TempDir()
	s := newStore(t, root)
	data := make([]byte, 4<<20)
	rand.NewChaCha8([32]byte{9}).Read(data)
	digest := sha256Digest(data)
	u, err := s.NewUpload(ctx, "serve")
	if err != nil {
		t.Fatal(err)
	}
	u.Write(data)
	if err := u.Commit(ctx, digest, int64(len(data))); err != nil {
		t.Fatal(err)
	}

	r, err := s.Open(ctx, digest)
	if err != nil {
		t.Fatal(err)
	}
	f, ok := r.(interface{ File() *os.File })
	if !ok {
		t.Fatalf("%T has no File method", r)
	}
	h := digest[len("sha256:"):]
	if got, want := f.File().Name(), filepath.Join(root, "blobs", "sha256", h[:2], h[2:4], h); got != want {
		t.Errorf("File().Name() = %s, want %s", got, want)
	}
	if _, ok := r.(syscall.Conn); !ok {
		t.Errorf("%T does not implement syscall.Conn", r)
	}
	r.Close()

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r, err := s.Open(req.Context(), digest)
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		defer r.Close()
		w.Header().Set("Content-Type", "application/octet-stream")
		var content io.ReadSeeker = r
		if req.URL.Query().Get("as") == "file" {
			content = r.(interface{ File() *os.File }).File()
		}
		http.ServeContent(w, req, "", time.Time{}, content)
	}))
	defer srv.Close()

	tests := []struct {
		as, rng    string
		status     int
		start, end int
	}{
		{"reader", "", 200, 0, len(data)},
		{"file", "", 200, 0, len(data)},
		{"reader", "bytes=1000-3000999", 206, 1000, 3001000},
		{"file", "bytes=1000-3000999", 206, 1000, 3001000},
		{"reader", fmt.Sprintf("bytes=-%d", 5000), 206, len(data) - 5000, len(data)},
	}
	for _, tt := range tests {
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"?as="+tt.as, nil)
		if tt.rng != "" {
			req.Header.Set("Range", tt.rng)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tt.status || !bytes.Equal(body, data[tt.start:tt.end]) {
			t.Errorf("GET as %s, Range %q: status %d, %d bytes (equal %v); want %d, %d bytes",
				tt.as, tt.rng, resp.StatusCode, len(body), bytes.Equal(body, data[tt.start:tt.end]), tt.status, tt.end-tt.start)
		}
	}
}
