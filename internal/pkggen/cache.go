package pkggen

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"sync"

	"wharf/internal/errs"
	"wharf/internal/format/spicepod"
	"wharf/internal/meta"
)

// layout names the way packages are laid out; changing what goes into a
// zip changes it, so that older cached zips are not served.
const layout = "spice-zip-1"

// cacheKey is the record key of req's package: the lower-cased
// repository, the SHA, the manifest path, and a variant hashing the
// layout, the GitHub endpoints and the token, so that a package fetched
// with one token is never served to a request with another.
func (s *Service) cacheKey(req Request) meta.GeneratedKey {
	src := canonical(req.Source)
	h := sha256.New()
	for _, part := range []string{layout, s.opt.APIURL, s.opt.RawURL, req.Token} {
		fmt.Fprintf(h, "%d:%s\n", len(part), part)
	}
	return meta.GeneratedKey{
		Source:  "github:" + src.Org + "/" + src.Repo,
		Ref:     src.Ref,
		Path:    src.Path,
		Variant: hex.EncodeToString(h.Sum(nil)),
	}
}

// canonical returns src as the cache knows it: GitHub's names are
// case-insensitive, and a SHA is canonically lower case.
func canonical(src spicepod.Source) spicepod.Source {
	src.Org, src.Repo, src.Ref = strings.ToLower(src.Org), strings.ToLower(src.Repo), strings.ToLower(src.Ref)
	return src
}

// cached returns the kept package of key, or nil when there is none. A
// record whose blob is gone, or has another size, is dropped.
func (s *Service) cached(ctx context.Context, key meta.GeneratedKey) (*Package, error) {
	g, err := s.meta.GetGenerated(ctx, key)
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("generated package lookup: %w", err)
	}
	if s.opt.Now().Sub(g.Created) > s.opt.CacheTTL {
		return nil, nil
	}
	r, err := s.blobs.Open(ctx, g.Digest)
	if err == nil && r.Size() == g.Size {
		return &Package{Content: r, Size: g.Size, Digest: g.Digest, Cached: true, close: r.Close}, nil
	}
	if err == nil {
		r.Close()
	} else if !errs.Is(err, errs.NotFound) {
		return nil, fmt.Errorf("open generated package: %w", err)
	}
	if err := s.meta.DeleteGenerated(ctx, key); err != nil && !errs.Is(err, errs.NotFound) {
		return nil, fmt.Errorf("drop generated package: %w", err)
	}
	return nil, nil
}

// keep stores a just generated package as a blob and records it under
// key. The blob is recorded before it is written, so garbage collection
// knows it (and spares it for its grace period) from the start.
func (s *Service) keep(ctx context.Context, key meta.GeneratedKey, p *Package) error {
	if err := s.meta.PutBlob(ctx, meta.Blob{Digest: p.Digest, Size: p.Size}); err != nil {
		return fmt.Errorf("record package blob: %w", err)
	}
	if _, err := s.blobs.Stat(ctx, p.Digest); errs.Is(err, errs.NotFound) {
		if err := s.writeBlob(ctx, p); err != nil {
			return err
		}
	} else if err != nil {
		return fmt.Errorf("stat package blob: %w", err)
	}
	g := meta.GeneratedPackage{GeneratedKey: key, Digest: p.Digest, Size: p.Size}
	if err := s.meta.PutGenerated(ctx, &g); err != nil {
		return fmt.Errorf("record generated package: %w", err)
	}
	return nil
}

func (s *Service) writeBlob(ctx context.Context, p *Package) error {
	id := "generated-" + strings.ToLower(rand.Text())
	w, err := s.blobs.NewUpload(ctx, id)
	if err != nil {
		return fmt.Errorf("store package blob: %w", err)
	}
	_, err = w.ReadFrom(io.NewSectionReader(p.file, 0, p.Size))
	if err == nil {
		err = w.Commit(ctx, p.Digest, p.Size)
	}
	// The upload's lock goes with Close; only then may its data go.
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		s.blobs.DeleteUpload(context.WithoutCancel(ctx), id, nil)
		return fmt.Errorf("store package blob: %w", err)
	}
	return nil
}

// keyedMutex hands out one lock per key, created on demand and dropped
// when nobody holds or waits for it. The zero value is ready to use.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*refMutex
}

type refMutex struct {
	held chan struct{} // holds a value while locked
	refs int
}

// Lock locks key and returns the function that unlocks it. Errors: the
// context's error when ctx ends first.
func (k *keyedMutex) Lock(ctx context.Context, key string) (unlock func(), err error) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*refMutex{}
	}
	m := k.locks[key]
	if m == nil {
		m = &refMutex{held: make(chan struct{}, 1)}
		k.locks[key] = m
	}
	m.refs++
	k.mu.Unlock()
	release := func() {
		k.mu.Lock()
		if m.refs--; m.refs == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
	select {
	case m.held <- struct{}{}:
		return func() { <-m.held; release() }, nil
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
}
