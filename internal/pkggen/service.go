package pkggen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"wharf/internal/blob"
	"wharf/internal/errs"
	"wharf/internal/format/spicepod"
	"wharf/internal/meta"
)

// Store is what the service needs of the metadata store.
type Store interface {
	meta.GeneratedPackages
	// PutBlob records a blob before it is written, as meta.Blobs does.
	PutBlob(ctx context.Context, b meta.Blob) error
}

// Options tune a Service. Zero values take the defaults given.
type Options struct {
	// APIURL is GitHub's REST API base; default https://api.github.com.
	// For GitHub Enterprise Server it is https://<host>/api/v3.
	APIURL string
	// RawURL is the base of raw file contents; default
	// https://raw.githubusercontent.com (GitHub Enterprise Server:
	// https://<host>/raw).
	RawURL string
	// MaxFiles bounds the files of a package; default 1000.
	MaxFiles int
	// MaxBytes bounds the bytes of all files of a package, before
	// compression; default 256 MiB.
	MaxBytes int64
	// Timeout bounds the time one generation takes, waiting for an
	// identical one in progress included; default 2 minutes.
	Timeout time.Duration
	// Concurrency bounds the fetches of one generation that run at once;
	// default 4.
	Concurrency int
	// MaxRunning bounds the generations that run at once, whoever asks;
	// more wait their turn within Timeout. Default 8.
	MaxRunning int
	// CacheTTL is how long a generated package is kept for identical
	// requests; 0 keeps none.
	CacheTTL time.Duration
	// TempDir holds the temporary files; default os.TempDir().
	TempDir string
	// Client sends the requests to GitHub; default a client with dial,
	// TLS and response-header timeouts. Whatever its CheckRedirect, only
	// redirects to the hosts of APIURL and RawURL are followed.
	Client *http.Client
	// Now returns the current time; default time.Now.
	Now func() time.Time
}

// Service generates packages. It is safe for concurrent use.
type Service struct {
	meta    Store
	blobs   blob.Store
	opt     Options
	locks   keyedMutex
	running chan struct{} // a value per generation running
}

// New returns a Service over the stores.
func New(store Store, blobs blob.Store, opt Options) *Service {
	if opt.APIURL == "" {
		opt.APIURL = "https://api.github.com"
	}
	if opt.RawURL == "" {
		opt.RawURL = "https://raw.githubusercontent.com"
	}
	opt.APIURL, opt.RawURL = strings.TrimRight(opt.APIURL, "/"), strings.TrimRight(opt.RawURL, "/")
	if opt.MaxFiles <= 0 {
		opt.MaxFiles = 1000
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = 256 << 20
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 2 * time.Minute
	}
	if opt.Concurrency <= 0 {
		opt.Concurrency = 4
	}
	if opt.MaxRunning <= 0 {
		opt.MaxRunning = 8
	}
	if opt.TempDir == "" {
		opt.TempDir = os.TempDir()
	}
	if opt.Client == nil {
		opt.Client = defaultClient()
	}
	c := *opt.Client
	c.CheckRedirect = stayOn(opt.APIURL, opt.RawURL)
	opt.Client = &c
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Service{meta: store, blobs: blobs, opt: opt, running: make(chan struct{}, opt.MaxRunning)}
}

func defaultClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}}
}

// Request asks for the package of a spicepod.
type Request struct {
	Source spicepod.Source
	// Token is sent to GitHub as "Authorization: token <Token>"; empty
	// sends none. It must be a valid header value.
	Token string
}

// Package is a generated zip. Content reads it from the start; Close
// releases it.
type Package struct {
	Content io.ReadSeeker
	Size    int64
	Digest  string // sha256 of the zip, "sha256:<hex>"
	Cached  bool   // answered from the cache
	// CacheErr is why a package that could have been kept for identical
	// requests was not; the package itself is fine.
	CacheErr error
	close    func() error
	file     *os.File // the zip when it was just generated
}

// Close releases the package's content.
func (p *Package) Close() error { return p.close() }

// Generate returns the package of req.Source. Errors: errs.NotFound for a
// file missing upstream, naming it; errs.Invalid for a manifest or
// component file that does not parse or names an unclean path;
// errs.TooLarge past a limit; ErrTimeout past Options.Timeout;
// *RateLimitError and *UpstreamError for GitHub's failures; the context's
// error when ctx ends.
func (s *Service) Generate(ctx context.Context, req Request) (*Package, error) {
	deadline := time.Now().Add(s.opt.Timeout)
	if !req.Source.Immutable() || s.opt.CacheTTL <= 0 {
		return s.generate(ctx, req, deadline)
	}
	key := s.cacheKey(req)
	// Waiting for an identical request counts against the time limit.
	wctx, cancel := context.WithDeadlineCause(ctx, deadline, ErrTimeout)
	unlock, err := s.locks.Lock(wctx, key.Source+"\x00"+key.Ref+"\x00"+key.Path+"\x00"+key.Variant)
	cancel()
	if err != nil {
		return nil, stopped(ctx, wctx, err)
	}
	defer unlock()
	p, err := s.cached(ctx, key)
	if err != nil {
		return nil, err
	}
	if p != nil {
		if err := s.recheck(ctx, req, deadline); err != nil {
			p.Close()
			return nil, err
		}
		return p, nil
	}
	p, err = s.generate(ctx, req, deadline)
	if err != nil {
		return nil, err
	}
	p.CacheErr = s.keep(ctx, key, p)
	return p, nil
}

// generate builds the package before deadline, once fewer than
// Options.MaxRunning others run.
func (s *Service) generate(ctx context.Context, req Request, deadline time.Time) (*Package, error) {
	bctx, cancel := context.WithDeadlineCause(ctx, deadline, ErrTimeout)
	defer cancel()
	select {
	case s.running <- struct{}{}:
		defer func() { <-s.running }()
	case <-bctx.Done():
		return nil, stopped(ctx, bctx, bctx.Err())
	}
	b := &builder{
		gh:     s.github(req),
		spools: newSpools(s.opt.TempDir, s.opt.Concurrency), budget: newBudget(s.opt.MaxBytes),
		maxFiles: s.opt.MaxFiles, workers: s.opt.Concurrency,
	}
	defer b.spools.close()
	entries, err := b.build(bctx, req.Source.Path)
	var z *zipped
	if err == nil {
		z, err = writeZip(bctx, s.opt.TempDir, entries)
	}
	if err != nil {
		return nil, stopped(ctx, bctx, err)
	}
	if _, err := z.f.Seek(0, io.SeekStart); err != nil {
		z.f.Close()
		return nil, err
	}
	return &Package{Content: z.f, Size: z.size, Digest: z.digest, close: z.f.Close, file: z.f}, nil
}

// github returns the client of req's repository and token.
func (s *Service) github(req Request) *github {
	return &github{client: s.opt.Client, api: s.opt.APIURL, raw: s.opt.RawURL, src: req.Source, token: req.Token}
}

// recheck asks GitHub for req's manifest again when req has a token, so
// that a kept package is served only while the token can still read the
// repository: a token revoked or stripped of access gets GitHub's answer,
// as it would without the cache. Packages fetched without a token were
// public and are served as they are. The errors are those of Generate.
func (s *Service) recheck(ctx context.Context, req Request, deadline time.Time) error {
	if req.Token == "" {
		return nil
	}
	cctx, cancel := context.WithDeadlineCause(ctx, deadline, ErrTimeout)
	defer cancel()
	// The repository as the cache key names it.
	g := s.github(Request{Source: canonical(req.Source), Token: req.Token})
	resp, err := g.open(cctx, req.Source.Path)
	if errs.Is(err, errs.NotFound) {
		return notFound(g.name(), fmt.Sprintf("file %q", req.Source.Path))
	} else if err != nil {
		return stopped(ctx, cctx, err)
	}
	resp.Body.Close()
	return nil
}

// stopped returns ErrTimeout for err when it is inner's context error and
// inner, derived from ctx, ended by its deadline while ctx goes on; err
// otherwise.
func stopped(ctx, inner context.Context, err error) error {
	ended := errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
	if ended && ctx.Err() == nil && errors.Is(context.Cause(inner), ErrTimeout) {
		return ErrTimeout
	}
	return err
}

// Prune forgets the packages generated more than Options.CacheTTL ago (all
// of them when it is 0), leaving their blobs to garbage collection, and
// reports how many it forgot.
func (s *Service) Prune(ctx context.Context) (int64, error) {
	return s.meta.DeleteGeneratedBefore(ctx, s.opt.Now().Add(-s.opt.CacheTTL))
}
