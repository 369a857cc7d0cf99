package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// client sends requests with one fixed Authorization header value, or
// none.
type client struct {
	e     *env
	authz string
}

func (e *env) anon() *client { return &client{e: e} }

// withAuth returns a client sending the Authorization value v.
func (e *env) withAuth(v string) *client { return &client{e: e, authz: v} }

// basic returns a client using u's name and password as Basic credentials.
func (u *user) basic() *client { return u.e.withAuth(basicAuth(u.name, u.pass)) }

func basicAuth(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// response is a finished exchange with its whole body read.
type response struct {
	method, target string
	Status         int
	Header         http.Header
	Body           []byte
}

// url resolves target, a path or an absolute URL, against the server.
func (e *env) url(t testing.TB, target string) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatalf("bad target %q: %v", target, err)
	}
	return e.base.ResolveReference(u).String()
}

// do sends a request. body is nil, a []byte, a string or an io.Reader;
// hdr holds header name and value pairs.
func (c *client) do(t testing.TB, method, target string, body any, hdr ...string) *response {
	t.Helper()
	r, err := c.send(t, method, target, body, hdr...)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	return r
}

// send is do returning transport errors instead of failing.
func (c *client) send(t testing.TB, method, target string, body any, hdr ...string) (*response, error) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	case io.Reader:
		rd = b
	default:
		t.Fatalf("unsupported body type %T", body)
	}
	req, err := http.NewRequest(method, c.e.url(t, target), rd)
	if err != nil {
		t.Fatal(err)
	}
	if len(hdr)%2 != 0 {
		t.Fatalf("odd header list %q", hdr)
	}
	for i := 0; i < len(hdr); i += 2 {
		if strings.EqualFold(hdr[i], "Content-Length") {
			var n int64
			fmt.Sscan(hdr[i+1], &n)
			req.ContentLength = n
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if c.authz != "" {
		req.Header.Set("Authorization", c.authz)
	}
	resp, err := c.e.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("reading body: %w", err)
	}
	return &response{method: method, target: target, Status: resp.StatusCode, Header: resp.Header, Body: data}, nil
}

func (r *response) String() string {
	body := string(r.Body)
	if len(body) > 600 {
		body = body[:600] + "..."
	}
	return fmt.Sprintf("%s %s -> %d %v\n%s", r.method, r.target, r.Status, r.Header, body)
}

// want fails the test unless the status is one of statuses.
func (r *response) want(t testing.TB, statuses ...int) *response {
	t.Helper()
	for _, s := range statuses {
		if r.Status == s {
			return r
		}
	}
	t.Fatalf("want status %v, got:\n%s", statuses, r)
	return r
}

// wantHeader checks a header's exact value; "" means absent.
func (r *response) wantHeader(t testing.TB, name, value string) *response {
	t.Helper()
	got, present := r.Header[http.CanonicalHeaderKey(name)]
	switch {
	case value == "" && present:
		t.Errorf("%s %s: want no %s header, got %q", r.method, r.target, name, got)
	case value != "" && (len(got) != 1 || got[0] != value):
		t.Errorf("%s %s: header %s = %q, want %q", r.method, r.target, name, got, value)
	}
	return r
}

// wantBody checks the body's exact bytes.
func (r *response) wantBody(t testing.TB, want []byte) *response {
	t.Helper()
	if !bytes.Equal(r.Body, want) {
		t.Errorf("%s %s: body differs: got %d bytes %s, want %d bytes %s",
			r.method, r.target, len(r.Body), abbrev(r.Body), len(want), abbrev(want))
	}
	return r
}

func abbrev(b []byte) string {
	if len(b) > 80 {
		return fmt.Sprintf("%q...", b[:80])
	}
	return fmt.Sprintf("%q", b)
}

// wantText checks a plain-text body, ignoring surrounding white space.
func (r *response) wantText(t testing.TB, want string) *response {
	t.Helper()
	if got := strings.TrimSpace(string(r.Body)); got != want {
		t.Errorf("%s %s: body %q, want %q", r.method, r.target, got, want)
	}
	return r
}

// specError is one entry of the distribution spec's error envelope.
type specError struct {
	Code    string          `json:"code"`
	Message *string         `json:"message"`
	Detail  json.RawMessage `json:"detail"`
}

var errorCodeRE = regexp.MustCompile(`^[A-Z_]+$`)

// errorCodes decodes the spec's error envelope and checks its shape: a
// JSON object with a non-empty "errors" array whose codes are upper-case
// letters and underscores.
func (r *response) errorCodes(t testing.TB) []string {
	t.Helper()
	var env struct {
		Errors []specError `json:"errors"`
	}
	if err := json.Unmarshal(r.Body, &env); err != nil {
		t.Fatalf("error body is not the spec's JSON envelope: %v\n%s", err, r)
	}
	if len(env.Errors) == 0 {
		t.Fatalf("error envelope has no errors:\n%s", r)
	}
	var codes []string
	for _, e := range env.Errors {
		if !errorCodeRE.MatchString(e.Code) {
			t.Errorf("error code %q is not upper-case letters and underscores", e.Code)
		}
		codes = append(codes, e.Code)
	}
	return codes
}

// wantError checks the status and that the envelope carries one of
// codes (any code when none are given). HEAD responses have no body, so
// only their status is checked.
func (r *response) wantError(t testing.TB, status int, codes ...string) *response {
	t.Helper()
	r.want(t, status)
	if r.method == http.MethodHead {
		if len(r.Body) != 0 {
			t.Errorf("HEAD %s: response has a body", r.target)
		}
		return r
	}
	got := r.errorCodes(t)
	if len(codes) == 0 {
		return r
	}
	for _, c := range got {
		if slices.Contains(codes, c) {
			return r
		}
	}
	t.Errorf("%s %s: error codes %v, want one of %v\n%s", r.method, r.target, got, codes, r)
	return r
}

// wantDenied accepts the two answers the spec allows a caller without the
// right: 401 UNAUTHORIZED or 403 DENIED.
func (r *response) wantDenied(t testing.TB) *response {
	t.Helper()
	switch r.Status {
	case http.StatusUnauthorized:
		return r.wantError(t, http.StatusUnauthorized, "UNAUTHORIZED")
	case http.StatusForbidden:
		return r.wantError(t, http.StatusForbidden, "DENIED")
	}
	t.Fatalf("want 401 UNAUTHORIZED or 403 DENIED, got:\n%s", r)
	return r
}

// decode decodes a JSON body into v.
func (r *response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decoding body: %v\n%s", err, r)
	}
}

// location returns the Location header resolved against the server.
func (r *response) location(t testing.TB) string {
	t.Helper()
	loc := r.Header.Get("Location")
	if loc == "" {
		t.Fatalf("no Location header:\n%s", r)
	}
	return loc
}

// withQuery adds a query parameter to a URL that may already have some.
func withQuery(t testing.TB, target, key, value string) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatalf("bad URL %q: %v", target, err)
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// challenge is a parsed WWW-Authenticate value.
type challenge struct {
	scheme string
	params map[string]string
}

// parseChallenge parses `Scheme k="v",k2="v2"`, with commas allowed inside
// quoted values.
func parseChallenge(t testing.TB, v string) challenge {
	t.Helper()
	scheme, rest, _ := strings.Cut(strings.TrimSpace(v), " ")
	c := challenge{scheme: scheme, params: map[string]string{}}
	for rest = strings.TrimSpace(rest); rest != ""; {
		k, after, ok := strings.Cut(rest, "=")
		if !ok {
			t.Fatalf("malformed challenge %q", v)
		}
		k = strings.TrimSpace(k)
		var val string
		if strings.HasPrefix(after, `"`) {
			end := strings.Index(after[1:], `"`)
			if end < 0 {
				t.Fatalf("unterminated quote in challenge %q", v)
			}
			val, rest = after[1:1+end], after[2+end:]
		} else {
			val, rest, _ = strings.Cut(after, ",")
			rest = "," + rest
		}
		c.params[k] = val
		rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), ","))
	}
	return c
}

// nextLink returns the target of a Link header with rel="next", or "".
func nextLink(t testing.TB, r *response) string {
	t.Helper()
	v := r.Header.Get("Link")
	if v == "" {
		return ""
	}
	m := regexp.MustCompile(`^<([^>]+)>\s*;\s*rel="?next"?$`).FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		t.Fatalf("Link header %q is not <url>; rel=\"next\"", v)
	}
	return m[1]
}
