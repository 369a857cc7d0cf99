package httpx_test

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"wharf/internal/httpx"
)

// TestResponseController checks that http.ResponseController reaches the
// server's writer through the wrapper, and that a flushed response is
// streamed before the handler returns.
func TestResponseController(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	log, logs := newLogger()
	srv := httptest.NewServer(httpx.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
			t.Errorf("SetWriteDeadline through the wrapper: %v", err)
		}
		if err := rc.EnableFullDuplex(); err != nil {
			t.Errorf("EnableFullDuplex through the wrapper: %v", err)
		}
		io.WriteString(w, "first\n")
		if err := rc.Flush(); err != nil {
			t.Errorf("Flush: %v", err)
		}
		<-release
		io.WriteString(w, "second\n")
	}), log, nil))
	defer srv.Close()

	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	line, err := br.ReadString('\n')
	if err != nil || line != "first\n" {
		t.Fatalf("first line %q, %v: flush did not reach the client", line, err)
	}
	close(release)
	rest, _ := io.ReadAll(br)
	if string(rest) != "second\n" {
		t.Errorf("rest %q", rest)
	}
	if e := logs.wait(t, "http request", 1)[0]; e.Attrs["bytes_out"] != int64(13) || e.Attrs["status"] != int64(200) {
		t.Errorf("access log = %+v, want 13 bytes out, status 200", e.Attrs)
	}
}

// TestInformational checks that a 1xx status before the final one is
// passed on and that the final one is what gets recorded.
func TestInformational(t *testing.T) {
	t.Parallel()
	log, logs := newLogger()
	srv := httptest.NewServer(httpx.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		w.WriteHeader(http.StatusAccepted)
	}), log, nil))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Errorf("client got %d, want 202", resp.StatusCode)
	}
	if e := logs.wait(t, "http request", 1)[0]; e.Attrs["status"] != int64(202) {
		t.Errorf("logged status %v, want 202", e.Attrs["status"])
	}
}

// TestWriterWithoutReadFrom checks that io.Copy into a wrapped writer
// whose underlying writer has no ReadFrom still copies and counts.
func TestWriterWithoutReadFrom(t *testing.T) {
	t.Parallel()
	log, logs := newLogger()
	h := httpx.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := w.(io.ReaderFrom); !ok {
			t.Errorf("wrapped writer %T lacks io.ReaderFrom", w)
		}
		if n, err := io.Copy(w, io.LimitReader(zeros{}, 100_000)); n != 100_000 || err != nil {
			t.Errorf("io.Copy = %d, %v", n, err)
		}
	}), log, nil)
	rec := httptest.NewRecorder() // has no ReadFrom
	h.ServeHTTP(struct{ http.ResponseWriter }{rec}, httptest.NewRequest("GET", "/", nil))
	if rec.Body.Len() != 100_000 {
		t.Errorf("recorded %d bytes, want 100000", rec.Body.Len())
	}
	if e := logs.find("http request")[0]; e.Attrs["bytes_out"] != int64(100_000) {
		t.Errorf("logged bytes_out %v, want 100000", e.Attrs["bytes_out"])
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
