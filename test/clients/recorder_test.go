package clients

import (
	"net/http"
	"net/url"
	"sync"
	"testing"
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

// newRecorder returns a recorder over reg's transport. When the test ends
// it fails the test if any request got a 5xx status: client libraries
// retry those quietly, which would hide server errors.
func newRecorder(t testing.TB, reg *registry) *recorder {
	r := &recorder{base: reg.transport}
	t.Cleanup(func() {
		for _, req := range r.all() {
			if req.status >= 500 {
				t.Errorf("%s %s?%s: status %d (the client retried)", req.method, req.path, req.query.Encode(), req.status)
			}
		}
	})
	return r
}

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
