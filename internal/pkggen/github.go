package pkggen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"wharf/internal/errs"
	"wharf/internal/format/spicepod"
)

// github fetches files and tree listings of one repository at one
// revision, with one credential.
type github struct {
	client *http.Client
	api    string // REST API base URL, no trailing slash
	raw    string // raw content base URL, no trailing slash
	src    spicepod.Source
	token  string
}

// retries is how many times a request that failed with a network error or
// a 5xx answer is sent again.
const retries = 2

// maxTreeBytes bounds a tree listing read from GitHub.
const maxTreeBytes = 64 << 20

func (g *github) name() sourceName {
	return sourceName(g.src.Org + "/" + g.src.Repo + "@" + g.src.Ref)
}

// rawURL is the raw content URL of a repository path.
func (g *github) rawURL(p string) string {
	var b strings.Builder
	b.WriteString(g.raw)
	for _, seg := range []string{g.src.Org, g.src.Repo, g.src.Ref} {
		b.WriteString("/" + url.PathEscape(seg))
	}
	for seg := range strings.SplitSeq(p, "/") {
		b.WriteString("/" + url.PathEscape(seg))
	}
	return b.String()
}

// open sends a GET for a repository file and returns the response of a
// 200; the caller closes its body. A 404 is errs.NotFound; other failures
// are classified by upstream. Network errors and 5xx answers are retried.
func (g *github) open(ctx context.Context, p string) (*http.Response, error) {
	return g.get(ctx, g.rawURL(p), "")
}

func (g *github) get(ctx context.Context, u, accept string) (*http.Response, error) {
	var last error
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("User-Agent", "wharf")
		if accept != "" {
			req.Header.Set("Accept", accept)
			req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
		}
		if g.token != "" {
			req.Header.Set("Authorization", "token "+g.token)
		}
		resp, err := g.client.Do(req)
		switch {
		case err == nil && resp.StatusCode == http.StatusOK:
			return resp, nil
		case err == nil:
			io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
			if resp.StatusCode < 500 {
				return nil, upstream(resp)
			}
			last = &UpstreamError{Status: resp.StatusCode, Msg: fmt.Sprintf("GitHub answered %d", resp.StatusCode)}
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case errors.As(err, new(*UpstreamError)):
			return nil, redact(err)
		default:
			last = &UpstreamError{Msg: "GitHub could not be reached", Err: redact(err)}
		}
		if attempt == retries {
			return nil, last
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(100<<attempt) * time.Millisecond):
		}
	}
}

// maxRedirects bounds the redirects followed for one request.
const maxRedirects = 5

// stayOn returns a redirect policy that follows at most maxRedirects
// redirects, each to the scheme and host of one of bases: a request never
// makes Wharf call a host other than GitHub's configured ones. A refused
// redirect is an *UpstreamError.
func stayOn(bases ...string) func(*http.Request, []*http.Request) error {
	allowed := map[string]bool{}
	for _, b := range bases {
		if u, err := url.Parse(b); err == nil {
			allowed[u.Scheme+"://"+strings.ToLower(u.Host)] = true
		}
	}
	return func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return &UpstreamError{Status: req.Response.StatusCode, Msg: "GitHub redirected too many times"}
		}
		if !allowed[req.URL.Scheme+"://"+strings.ToLower(req.URL.Host)] {
			return &UpstreamError{Status: req.Response.StatusCode, Msg: "GitHub redirected to another host, which is not followed"}
		}
		return nil
	}
}

// redact drops the URL from a client error: it names the repository,
// which is fine, but keep the log to the cause.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// upstream classifies a GitHub answer other than 200 and below 500.
func upstream(resp *http.Response) error {
	h := resp.Header
	switch s := resp.StatusCode; {
	case s == http.StatusNotFound:
		return errs.E(errs.NotFound, "not found")
	case s == http.StatusTooManyRequests || s == http.StatusForbidden && (h.Get("X-RateLimit-Remaining") == "0" || h.Get("Retry-After") != ""):
		return &RateLimitError{RetryAfter: retryAfter(h, time.Now())}
	case s == http.StatusUnauthorized:
		return &UpstreamError{Status: s, Msg: "GitHub rejected the credentials (401): check params.github_token"}
	case s == http.StatusForbidden:
		return &UpstreamError{Status: s, Msg: "GitHub denied access (403): the token may lack access to the repository"}
	default:
		return &UpstreamError{Status: s, Msg: fmt.Sprintf("GitHub answered %d", s)}
	}
}

// retryAfter reads how long GitHub asks to wait: Retry-After in seconds,
// else until X-RateLimit-Reset (a Unix time), else a minute; at least a
// second and at most an hour.
func retryAfter(h http.Header, now time.Time) time.Duration {
	d := time.Minute
	if n, err := strconv.ParseInt(h.Get("Retry-After"), 10, 64); err == nil {
		d = time.Duration(n) * time.Second
	} else if n, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
		d = time.Unix(n, 0).Sub(now)
	}
	return min(max(d, time.Second), time.Hour).Round(time.Second)
}

// treeEntry is one file of a tree listing.
type treeEntry struct {
	Path string `json:"path"`
	Type string `json:"type"`
	Size int64  `json:"size"`
}

// errTooManyFiles stops reading a tree listing.
var errTooManyFiles = errors.New("too many files")

// files lists, through the git trees API, the files (blobs) under each
// folder, in GitHub's order. A folder with no files is missing from the
// result. The listing is read as a stream, only matching entries are kept,
// and reading stops once more than max files are (each counted once,
// whatever the folders it is under). Errors: errTooManyFiles past
// max; errs.TooLarge when GitHub truncated the listing.
func (g *github) files(ctx context.Context, folders []string, max int) (map[string][]treeEntry, error) {
	u := fmt.Sprintf("%s/repos/%s/%s/git/trees/%s?recursive=1", g.api,
		url.PathEscape(g.src.Org), url.PathEscape(g.src.Repo), url.PathEscape(g.src.Ref))
	resp, err := g.get(ctx, u, "application/vnd.github+json")
	if errs.Is(err, errs.NotFound) {
		return nil, notFound(g.name(), "the repository tree")
	} else if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out := map[string][]treeEntry{}
	n := 0
	truncated, err := decodeTree(io.LimitReader(resp.Body, maxTreeBytes), func(e treeEntry) error {
		if e.Type != "blob" {
			return nil
		}
		matched := false
		for _, f := range folders {
			if strings.HasPrefix(e.Path, f+"/") {
				out[f] = append(out[f], e)
				matched = true
			}
		}
		if matched {
			if n++; n > max {
				return errTooManyFiles
			}
		}
		return nil
	})
	if errors.Is(err, errTooManyFiles) {
		return nil, err
	} else if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &UpstreamError{Status: resp.StatusCode, Msg: "GitHub sent an unreadable tree listing", Err: err}
	}
	if truncated {
		return nil, errs.E(errs.TooLarge, "%s has too many files for GitHub to list its tree", g.name())
	}
	return out, nil
}

// decodeTree reads a git trees API answer, calling keep for each entry of
// its "tree" array, and returns its "truncated" flag. An error of keep
// stops the reading and is returned.
func decodeTree(r io.Reader, keep func(treeEntry) error) (truncated bool, err error) {
	dec := json.NewDecoder(r)
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false, fmt.Errorf("tree listing is not an object: %v", err)
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return false, err
		}
		switch t {
		case "tree":
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				return false, fmt.Errorf("tree is not an array: %v", err)
			}
			for dec.More() {
				var e treeEntry
				if err := dec.Decode(&e); err != nil {
					return false, err
				}
				if err := keep(e); err != nil {
					return false, err
				}
			}
			if _, err := dec.Token(); err != nil {
				return false, err
			}
		case "truncated":
			if err := dec.Decode(&truncated); err != nil {
				return false, err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return false, err
			}
		}
	}
	return truncated, nil
}
