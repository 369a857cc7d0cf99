package pkggen_test

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wharf/internal/blob/memblob"
	"wharf/internal/format/spicepod"
	"wharf/internal/meta/sqlite"
	"wharf/internal/pkggen"
	"wharf/internal/testserver/fakegithub"
)

// sha is a full commit SHA, so that packages of it are cached.
var sha = strings.Repeat("0123456789", 4)

// env is a service over real stores and a fake GitHub.
type env struct {
	gh    *fakegithub.Server
	store *sqlite.Store
	blobs *memblob.Store
	svc   *pkggen.Service
}

// newEnv starts a fake GitHub serving fakegithub.SpiceDemo as acme/taxi
// at sha and on the branch main, and a service using it with opt (its
// GitHub URLs, temporary directory and cache lifetime filled in when
// zero).
func newEnv(t *testing.T, opt pkggen.Options) *env {
	t.Helper()
	e := &env{gh: fakegithub.New(t), blobs: memblob.New()}
	e.gh.Add(fakegithub.SpiceDemo("acme", "taxi", sha))
	e.gh.Add(fakegithub.SpiceDemo("acme", "taxi", "main"))
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	e.store = s
	opt.APIURL, opt.RawURL = e.gh.APIURL, e.gh.RawURL
	if opt.TempDir == "" {
		opt.TempDir = t.TempDir()
	}
	if opt.CacheTTL == 0 {
		opt.CacheTTL = time.Hour
	}
	e.svc = pkggen.New(s, e.blobs, opt)
	return e
}

// source parses a from field or fails the test.
func source(t *testing.T, from string) spicepod.Source {
	t.Helper()
	s, err := spicepod.ParseSource(from)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// generate runs Generate and reads the whole package.
func (e *env) generate(t *testing.T, from, token string) (*pkggen.Package, []byte, error) {
	t.Helper()
	p, err := e.svc.Generate(t.Context(), pkggen.Request{Source: source(t, from), Token: token})
	if err != nil {
		return nil, nil, err
	}
	defer p.Close()
	data, err := io.ReadAll(p.Content)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(data)) != p.Size {
		t.Errorf("package has %d bytes, Size says %d", len(data), p.Size)
	}
	return p, data, nil
}
