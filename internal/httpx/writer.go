package httpx

import (
	"io"
	"net/http"
	"sync/atomic"
)

// responseWriter records the status and counts the body bytes of a
// response. Besides http.ResponseWriter it implements io.ReaderFrom (so
// that io.Copy, and http.ServeContent, still reach the connection's
// sendfile path), http.Flusher, and Unwrap for http.ResponseController.
type responseWriter struct {
	w       http.ResponseWriter
	status  int // first final status sent, 0 before
	written int64
}

var (
	_ http.ResponseWriter = (*responseWriter)(nil)
	_ io.ReaderFrom       = (*responseWriter)(nil)
	_ http.Flusher        = (*responseWriter)(nil)
)

func (rw *responseWriter) Header() http.Header { return rw.w.Header() }

func (rw *responseWriter) WriteHeader(code int) {
	// Informational statuses other than 101 precede the final one.
	if rw.status == 0 && (code < 100 || code > 199 || code == http.StatusSwitchingProtocols) {
		rw.status = code
	}
	rw.w.WriteHeader(code)
}

func (rw *responseWriter) sending() {
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
}

func (rw *responseWriter) Write(p []byte) (int, error) {
	rw.sending()
	n, err := rw.w.Write(p)
	rw.written += int64(n)
	return n, err
}

// ReadFrom hands src unchanged to the wrapped writer's ReadFrom, which for
// a server connection sends an *os.File (also inside an io.LimitedReader)
// with sendfile.
func (rw *responseWriter) ReadFrom(src io.Reader) (int64, error) {
	rw.sending()
	var n int64
	var err error
	if rf, ok := rw.w.(io.ReaderFrom); ok {
		n, err = rf.ReadFrom(src)
	} else {
		n, err = io.Copy(writerOnly{rw.w}, src)
	}
	rw.written += n
	return n, err
}

// Flush sends what is buffered, if the wrapped writer can.
func (rw *responseWriter) Flush() {
	rw.sending()
	http.NewResponseController(rw.w).Flush()
}

// Unwrap returns the wrapped writer, for http.ResponseController.
func (rw *responseWriter) Unwrap() http.ResponseWriter { return rw.w }

// writerOnly hides any ReadFrom of its writer from io.Copy.
type writerOnly struct{ io.Writer }

// countingBody counts the bytes read from a request body.
type countingBody struct {
	io.ReadCloser
	n atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}
