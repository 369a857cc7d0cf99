package httpx_test

import (
	"bytes"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"wharf/internal/httpx"
)

// countingFile is an *os.File whose Read calls are counted. Bytes the
// server sends with sendfile never pass through Read.
type countingFile struct {
	*os.File
	read *atomic.Int64
}

func (f countingFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	f.read.Add(int64(n))
	return n, err
}

// hideReadFrom is a ResponseWriter wrapper that loses io.ReaderFrom, the
// mistake TestSendfile must be able to catch.
type hideReadFrom struct{ http.ResponseWriter }

// TestSendfile serves a 4 MiB file with http.ServeContent over a real
// connection, whole and by range, and checks the content, the byte count
// in the access log, and that the file's bytes were not read through Read,
// which means the server sent them with sendfile past the wrapper.
func TestSendfile(t *testing.T) {
	t.Parallel()
	data := make([]byte, 4<<20)
	rand.NewChaCha8([32]byte{1}).Read(data)
	path := filepath.Join(t.TempDir(), "blob")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	serve := func(read *atomic.Int64) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			f, err := os.Open(path)
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			defer f.Close()
			httpx.SetRoute(r, "blob_get")
			w.Header().Set("Content-Type", "application/octet-stream")
			http.ServeContent(w, r, "", time.Time{}, countingFile{f, read})
		}
	}
	// threshold is well above the 512 bytes the server reads itself
	// before it switches to sendfile, and far below the smallest range.
	const threshold = 64 << 10

	type setup struct {
		name    string
		wrap    func(http.Handler, *slog.Logger) http.Handler
		copying bool // expected to read the file through Read
	}
	setups := []setup{
		{"bare", func(h http.Handler, _ *slog.Logger) http.Handler { return h }, false},
		{"wrapped", func(h http.Handler, log *slog.Logger) http.Handler {
			return httpx.Wrap(h, log, httpx.NewMetrics())
		}, false},
		{"without ReadFrom", func(h http.Handler, _ *slog.Logger) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(hideReadFrom{w}, r) })
		}, true},
	}
	ranges := []struct {
		header     string
		status     int
		start, end int
	}{
		{"", 200, 0, len(data)},
		{"bytes=100000-3999999", 206, 100000, 4000000},
		{"bytes=1048576-", 206, 1 << 20, len(data)},
	}
	sendfileWorks := true
	for _, su := range setups {
		t.Run(su.name, func(t *testing.T) {
			if su.name != "bare" && !sendfileWorks {
				t.Skip("the server does not use sendfile on this platform")
			}
			var read atomic.Int64
			log, logs := newLogger()
			srv := httptest.NewServer(su.wrap(serve(&read), log))
			defer srv.Close()
			var total int
			for _, rg := range ranges {
				read.Store(0)
				req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL+"/blob", nil)
				if rg.header != "" {
					req.Header.Set("Range", rg.header)
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
				want := data[rg.start:rg.end]
				if resp.StatusCode != rg.status || !bytes.Equal(body, want) {
					t.Fatalf("Range %q: status %d, %d bytes (equal %v); want %d, %d bytes",
						rg.header, resp.StatusCode, len(body), bytes.Equal(body, want), rg.status, len(want))
				}
				total += len(body)
				n := read.Load()
				switch {
				case su.name == "bare" && n > threshold:
					sendfileWorks = false
					t.Skipf("the bare server read %d bytes through Read: no sendfile here", n)
				case su.copying && n < int64(len(want)):
					t.Errorf("Range %q: only %d bytes read through Read; the test cannot tell copying from sendfile", rg.header, n)
				case !su.copying && n > threshold:
					t.Errorf("Range %q: %d of %d bytes read through Read; sendfile was not used", rg.header, n, len(want))
				}
			}
			if su.name == "wrapped" {
				var logged int64
				for _, e := range logs.wait(t, "http request", len(ranges)) {
					logged += e.Attrs["bytes_out"].(int64)
				}
				if logged != int64(total) {
					t.Errorf("access log counts %d bytes out, the client read %d", logged, total)
				}
			}
		})
	}
}
