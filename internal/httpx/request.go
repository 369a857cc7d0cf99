package httpx

import (
	"context"
	"crypto/rand"
	"net"
	"net/http"
	"sync"
)

// HeaderRequestID is the header that carries a request's ID, in and out.
const HeaderRequestID = "X-Request-ID"

// defaultRoute labels requests whose route nobody named.
const defaultRoute = "other"

// reqInfo is what Wrap keeps for a request in its context. Handlers fill in
// route, user and repo; Wrap reads them when the handler returns.
type reqInfo struct {
	id string

	mu    sync.Mutex
	route string
	user  string
	repo  string
}

type infoKey struct{}

func infoOf(ctx context.Context) *reqInfo {
	in, _ := ctx.Value(infoKey{}).(*reqInfo)
	return in
}

// names returns route, user and repo.
func (in *reqInfo) names() (route, user, repo string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.route, in.user, in.repo
}

func (in *reqInfo) set(field *string, v string) {
	in.mu.Lock()
	*field = v
	in.mu.Unlock()
}

// RequestID returns the ID Wrap assigned to the request ctx belongs to, or
// "" outside a wrapped request.
func RequestID(ctx context.Context) string {
	if in := infoOf(ctx); in != nil {
		return in.id
	}
	return ""
}

// SetRoute names the route of r, a request that passed through Wrap, for
// metrics and the access log. The name must come from a small fixed set
// (it is a metric label), such as "oci_blob_get". An empty name is
// ignored. Safe to call from any goroutine serving r.
func SetRoute(r *http.Request, name string) {
	if in := infoOf(r.Context()); in != nil && name != "" {
		in.set(&in.route, name)
	}
}

// SetUser records the name of the principal making request r, for the
// access log.
func SetUser(r *http.Request, name string) {
	if in := infoOf(r.Context()); in != nil {
		in.set(&in.user, name)
	}
}

// SetRepo records the repository request r addresses, for the access log.
func SetRepo(r *http.Request, name string) {
	if in := infoOf(r.Context()); in != nil {
		in.set(&in.repo, name)
	}
}

// ClientIP returns the host part of r.RemoteAddr, the address of the peer
// that connected, or RemoteAddr whole when it has no port. Forwarding
// headers are not consulted.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// validRequestID reports whether an incoming request ID can be kept:
// 1 to 128 visible ASCII characters.
func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] > '~' {
			return false
		}
	}
	return true
}

// newRequestID returns a fresh random request ID.
func newRequestID() string { return rand.Text() }
