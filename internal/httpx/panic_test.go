package httpx_test

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"wharf/internal/httpx"
)

func TestPanicBeforeResponse(t *testing.T) {
	t.Parallel()
	log, logs := newLogger()
	h := httpx.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Docker-Content-Digest", "sha256:00")
		panicInHandler()
	}), log, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/p", nil))

	if rec.Code != 500 {
		t.Errorf("status %d, want 500", rec.Code)
	}
	if body := rec.Body.String(); body != "internal server error\n" {
		t.Errorf("body %q, want the generic message", body)
	}
	if rec.Header().Get("Docker-Content-Digest") != "" || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Errorf("headers set before the panic were sent: %v", rec.Header())
	}
	if rec.Header().Get("X-Request-ID") == "" {
		t.Errorf("X-Request-ID missing from the 500")
	}
	ps := logs.find("panic serving request")
	if len(ps) != 1 {
		t.Fatalf("got %d panic log records, want 1", len(ps))
	}
	if ps[0].Level != slog.LevelError || ps[0].Attrs["panic"] != "handler exploded" ||
		!strings.Contains(ps[0].Attrs["stack"].(string), "panicInHandler") {
		t.Errorf("panic record = %+v; want error level, the value and a stack through panicInHandler", ps[0])
	}
	if ps[0].Attrs["request_id"] != rec.Header().Get("X-Request-ID") {
		t.Errorf("panic record request_id %v, response %q", ps[0].Attrs["request_id"], rec.Header().Get("X-Request-ID"))
	}
	as := logs.find("http request")
	if len(as) != 1 || as[0].Attrs["status"] != int64(500) || as[0].Level != slog.LevelError {
		t.Errorf("access log = %+v, want one error record with status 500", as)
	}
}

func panicInHandler() { panic("handler exploded") }

// TestPanicAfterResponseStarted checks that a panic in the middle of a
// body aborts the connection, so that the client cannot take the
// truncated body for a whole one, and that the server lives on.
func TestPanicAfterResponseStarted(t *testing.T) {
	t.Parallel()
	log, logs := newLogger()
	srv := httptest.NewServer(httpx.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ok" {
			io.WriteString(w, "fine")
			return
		}
		io.WriteString(w, "partial")
		w.(http.Flusher).Flush()
		panic("midway")
	}), log, nil))
	defer srv.Close()

	resp, err := srv.Client().Get(srv.URL + "/boom")
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil {
		t.Errorf("reading a body cut short by a panic succeeded")
	}
	as := logs.wait(t, "http request", 1)
	if as[0].Attrs["aborted"] != true || as[0].Attrs["status"] != int64(200) {
		t.Errorf("access log = %+v, want status 200 (as sent) and aborted", as[0].Attrs)
	}
	if n := len(logs.find("panic serving request")); n != 1 {
		t.Errorf("got %d panic log records, want 1", n)
	}

	resp, err = srv.Client().Get(srv.URL + "/ok")
	if err != nil {
		t.Fatalf("server gone after a panic: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "fine" {
		t.Errorf("body after a panic = %q", body)
	}
}

func TestAbortHandlerPassesThrough(t *testing.T) {
	t.Parallel()
	log, logs := newLogger()
	h := httpx.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic(http.ErrAbortHandler)
	}), log, nil)
	func() {
		defer func() {
			p := recover()
			if err, ok := p.(error); !ok || !errors.Is(err, http.ErrAbortHandler) {
				t.Errorf("recovered %v, want http.ErrAbortHandler", p)
			}
		}()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	}()
	if n := len(logs.find("panic serving request")); n != 0 {
		t.Errorf("http.ErrAbortHandler logged as a panic")
	}
	if as := logs.find("http request"); len(as) != 1 || as[0].Attrs["aborted"] != true {
		t.Errorf("access log = %+v, want one aborted record", as)
	}
}
