// Package httpx is the HTTP middleware every front shares. Wrap puts one
// handler in front of the server's mux that, for each request:
//
//   - assigns a request ID: a sane incoming X-Request-ID (1 to 128 visible
//     ASCII characters) is kept, anything else is replaced by a fresh one;
//     it is echoed in the X-Request-ID response header and available to
//     handlers through RequestID(ctx);
//   - gives handlers a place to name the route, the user and the repository
//     (SetRoute, SetUser, SetRepo), which label metrics and the access log;
//     a request nobody names has route "other";
//   - recovers panics: the client gets a generic 500 if nothing was sent
//     yet (else the connection is aborted), and the panic is logged at
//     error level with its stack; http.ErrAbortHandler passes through;
//   - counts request and response bytes without getting in the way of
//     sendfile: the response writer forwards io.ReaderFrom, Flush and
//     Unwrap to the one it wraps;
//   - writes one access-log line, at info level (error level for 5xx), with
//     the keys request_id, method, path, status, bytes_in, bytes_out,
//     duration_ms, route, user, repo and remote; query values in path are
//     redacted except those of a few known-harmless parameters;
//   - records Prometheus metrics in a Metrics, whose registry is its own.
//
// Handlers see the wrapped request, so RequestID and the Set functions work
// on any request that passed through Wrap, and do nothing on one that did
// not.
package httpx
