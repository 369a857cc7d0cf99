package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"
)

// Wrap returns a handler that serves next with request IDs, route and
// principal names, panic recovery, an access log written to log and
// metrics recorded in m (see the package doc). log nil discards the log;
// m nil records no metrics. The handler is safe for concurrent use.
func Wrap(next http.Handler, log *slog.Logger, m *Metrics) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &wrapper{next: next, log: log, m: m}
}

var _ http.Handler = (*wrapper)(nil)

type wrapper struct {
	next http.Handler
	log  *slog.Logger
	m    *Metrics
}

func (h *wrapper) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := r.Header.Get(HeaderRequestID)
	if !validRequestID(id) {
		id = newRequestID()
	}
	w.Header().Set(HeaderRequestID, id)
	in := &reqInfo{id: id, route: defaultRoute}
	r = r.WithContext(context.WithValue(r.Context(), infoKey{}, in))
	var body *countingBody
	if r.Body != nil && r.Body != http.NoBody {
		body = &countingBody{ReadCloser: r.Body}
		r.Body = body
	}
	rw := &responseWriter{w: w}
	defer h.finish(rw, r, in, body, start)
	h.next.ServeHTTP(rw, r)
}

// finish runs deferred after the handler: it recovers a panic, then
// records the request in the metrics and the access log. A panic after
// the response started, and http.ErrAbortHandler, end in a panic with
// http.ErrAbortHandler so that the server drops the connection instead of
// passing a truncated body off as complete.
func (h *wrapper) finish(rw *responseWriter, r *http.Request, in *reqInfo, body *countingBody, start time.Time) {
	p := recover()
	abort := false
	if p != nil {
		if err, ok := p.(error); ok && errors.Is(err, http.ErrAbortHandler) {
			abort = true
		} else {
			h.log.LogAttrs(r.Context(), slog.LevelError, "panic serving request",
				slog.String("request_id", in.id),
				slog.String("panic", fmt.Sprint(p)),
				slog.String("stack", string(debug.Stack())))
			abort = rw.status != 0
			if !abort {
				internalError(rw)
			}
		}
	}
	d := time.Since(start)
	status := rw.status
	if status == 0 {
		if abort {
			status = http.StatusInternalServerError
		} else {
			status = http.StatusOK // what the server sends for a silent handler
		}
	}
	var bytesIn int64
	if body != nil {
		bytesIn = body.n.Load()
	}
	route, user, repo := in.names()
	if h.m != nil {
		h.m.observe(route, r.Method, status, d, bytesIn, rw.written)
	}
	level := slog.LevelInfo
	switch {
	case status >= 500:
		level = slog.LevelError
	case abort:
		level = slog.LevelWarn
	}
	if h.log.Enabled(r.Context(), level) {
		attrs := []slog.Attr{
			slog.String("request_id", in.id),
			slog.String("method", r.Method),
			slog.String("path", logPath(r.URL)),
			slog.Int("status", status),
			slog.Int64("bytes_in", bytesIn),
			slog.Int64("bytes_out", rw.written),
			slog.Float64("duration_ms", float64(d.Microseconds())/1000),
			slog.String("route", route),
			slog.String("user", user),
			slog.String("repo", repo),
			slog.String("remote", ClientIP(r)),
		}
		if abort {
			attrs = append(attrs, slog.Bool("aborted", true))
		}
		h.log.LogAttrs(r.Context(), level, "http request", attrs...)
	}
	if abort {
		panic(http.ErrAbortHandler)
	}
}

// internalError replaces whatever headers the handler set with a generic
// 500 response.
func internalError(rw *responseWriter) {
	hdr := rw.Header()
	id := hdr.Get(HeaderRequestID)
	clear(hdr)
	hdr.Set(HeaderRequestID, id)
	hdr.Set("Content-Type", "text/plain; charset=utf-8")
	hdr.Set("X-Content-Type-Options", "nosniff")
	rw.WriteHeader(http.StatusInternalServerError)
	io.WriteString(rw, "internal server error\n")
}
