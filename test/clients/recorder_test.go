package clients

import (
	"net/http"
	"net/url"
	"sync"
)

// recorder is an http.RoundTripper that remembers every request a client
// sent and the status it got, so tests can observe the protocol a client
// chose (mounts, chunked uploads) and not only the outcome.
type recorder struct {
	base http.RoundTripper

	mu   sync.Mutex
	reqs []recorded
}

// recorded is one request seen by a recorder.
type recorded struct {
	method        string
	path          string
	query         url.Values
	contentLength int64
	chunked       bool
	status        int
}

func newRecorder() *recorder { return &recorder{base: http.DefaultTransport} }

// RoundTrip implements http.RoundTripper.
func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := recorded{
		method:        req.Method,
		path:          req.URL.Path,
		query:         req.URL.Query(),
		contentLength: req.ContentLength,
		chunked:       req.Body != nil && req.Body != http.NoBody && req.ContentLength <= 0,
	}
	resp, err := r.base.RoundTrip(req)
	if err == nil {
		rec.status = resp.StatusCode
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, rec)
	r.mu.Unlock()
	return resp, err
}

// all returns the requests recorded so far, in the order they finished.
func (r *recorder) all() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}
