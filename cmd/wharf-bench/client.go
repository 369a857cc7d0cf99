package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// client speaks the OCI distribution API to one registry. It is safe for
// concurrent use.
type client struct {
	base *url.URL
	hc   *http.Client
	auth *authenticator
}

// newClient returns a client whose transport keeps up to maxConns idle
// keep-alive connections to the registry. It never uses a proxy.
func newClient(cfg config, maxConns int) *client {
	tr := &http.Transport{
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          maxConns + 16,
		MaxIdleConnsPerHost:   maxConns + 16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 10 * time.Minute, // a PUT of a large upload may verify for a while
		DisableCompression:    true,
		WriteBufferSize:       256 << 10,
		ReadBufferSize:        256 << 10,
	}
	if cfg.insecure {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	}
	hc := &http.Client{Transport: tr}
	return &client{base: cfg.registry, hc: hc, auth: newAuthenticator(hc, cfg.user, cfg.password, cfg.token)}
}

// Scopes in the Docker token format.
func pullScope(repo string) string { return "repository:" + repo + ":pull" }
func pushScope(repo string) string { return "repository:" + repo + ":pull,push" }

// request describes one call. body, if set, is called for each attempt and
// must return the same bytes every time, size bytes long.
type request struct {
	method string
	url    *url.URL
	scope  string
	header http.Header
	body   func() io.Reader
	size   int64
}

// do sends r, answering one authentication challenge. The caller closes the
// response body.
func (c *client) do(ctx context.Context, r request) (*http.Response, error) {
	resp, err := c.send(ctx, r)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	drain(resp)
	if err := c.auth.challenged(ctx, resp, r.scope); err != nil {
		return nil, fmt.Errorf("%s %s: %w", r.method, r.url.Path, err)
	}
	return c.send(ctx, r)
}

func (c *client) send(ctx context.Context, r request) (*http.Response, error) {
	var body io.Reader = http.NoBody
	if r.body != nil {
		body = r.body()
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url.String(), body)
	if err != nil {
		return nil, err
	}
	if r.body != nil {
		req.ContentLength = r.size
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	c.auth.apply(req, r.scope)
	return c.hc.Do(req)
}

// url returns the registry URL for a path below /v2/.
func (c *client) url(path string) *url.URL {
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + "/v2/" + path
	return &u
}

// resolve turns a Location header into an absolute URL.
func (c *client) resolve(resp *http.Response) (*url.URL, error) {
	loc := resp.Header.Get("Location")
	if loc == "" {
		return nil, fmt.Errorf("%s %s: %s without Location", resp.Request.Method, resp.Request.URL.Path, resp.Status)
	}
	u, err := url.Parse(loc)
	if err != nil {
		return nil, fmt.Errorf("invalid Location %q: %w", loc, err)
	}
	return resp.Request.URL.ResolveReference(u), nil
}

// ping checks that the registry answers /v2/, authenticating if asked.
func (c *client) ping(ctx context.Context) error {
	resp, err := c.do(ctx, request{method: http.MethodGet, url: c.url("")})
	if err != nil {
		return err
	}
	defer drain(resp)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /v2/: %s", statusError(resp))
	}
	return nil
}

// expect closes resp and returns an error unless its status is want.
func expect(resp *http.Response, want int) error {
	defer drain(resp)
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %s", resp.Request.Method, resp.Request.URL.Path, statusError(resp))
	}
	return nil
}

// statusError describes an unexpected response by status and body prefix.
func statusError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	msg := strings.TrimSpace(string(b))
	if msg == "" {
		return errors.New(resp.Status)
	}
	return fmt.Errorf("%s: %s", resp.Status, msg)
}

// drain reads a little of the body so the connection can be reused, and
// closes it.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}
