package artifact

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"wharf/internal/blob"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// Format is what the core knows of one artifact format.
type Format struct {
	// Type names the format in repository records ("oci", "generic").
	Type string
	// ValidName checks a repository name, namespace included.
	ValidName func(name string) error
	// ValidVersion checks a version string; nil accepts any.
	ValidVersion func(version string) error
	// PublicByDefault reports whether a new repository in namespace ns is
	// public.
	PublicByDefault func(ns meta.Namespace) bool
	// FileSums makes PutFile record the MD5, SHA-1 and SHA-512 digests of
	// files besides their SHA-256 one, for a protocol that shows them.
	FileSums bool
}

// Options tune a Service. Zero values take defaults.
type Options struct {
	// ContentCacheBytes bounds the cache of small version contents
	// (manifests) kept in memory; content is addressed by digest, so the
	// cache is never stale. Default 64 MiB; negative disables it.
	ContentCacheBytes int64
	// Now returns the current time; default time.Now.
	Now func() time.Time
	// OnCreateRepo, when set, runs in the transaction that creates a
	// repository, with the ID of the user who caused it (0 when none is
	// known): access rules hook in here to grant permissions. Its error
	// rolls the creation back.
	OnCreateRepo func(ctx context.Context, q meta.Queries, r meta.Repository, creatorID int64) error
}

// Service is the core. It is safe for concurrent use.
type Service struct {
	meta     meta.Store
	blobs    blob.Store
	formats  map[string]Format
	now      func() time.Time
	cache    *contentCache
	locks    keyedMutex // serialises work on one upload session or one blob digest
	onCreate func(ctx context.Context, q meta.Queries, r meta.Repository, creatorID int64) error
}

// New returns a Service over the stores, knowing the given formats.
func New(store meta.Store, blobs blob.Store, formats []Format, opt Options) (*Service, error) {
	s := &Service{meta: store, blobs: blobs, formats: map[string]Format{}, now: opt.Now, onCreate: opt.OnCreateRepo}
	if s.now == nil {
		s.now = time.Now
	}
	for _, f := range formats {
		if f.Type == "" || f.ValidName == nil || f.PublicByDefault == nil {
			return nil, fmt.Errorf("artifact: format %q is incomplete", f.Type)
		}
		if _, dup := s.formats[f.Type]; dup {
			return nil, fmt.Errorf("artifact: format %q registered twice", f.Type)
		}
		s.formats[f.Type] = f
	}
	size := opt.ContentCacheBytes
	if size == 0 {
		size = 64 << 20
	}
	if size > 0 {
		s.cache = newContentCache(size)
	}
	return s, nil
}

func (s *Service) format(typ string) (Format, error) {
	f, ok := s.formats[typ]
	if !ok {
		return Format{}, errs.E(errs.Unsupported, "unknown artifact type %q", typ)
	}
	return f, nil
}

// Repo returns the repository of type typ named name.
// Errors: errs.NotFound.
func (s *Service) Repo(ctx context.Context, typ, name string) (meta.Repository, error) {
	r, err := s.meta.GetRepo(ctx, typ, name)
	if err != nil {
		return meta.Repository{}, fmt.Errorf("get repository %s: %w", name, err)
	}
	return r, nil
}

// EnsureRepo returns the repository of type typ named name, creating it in
// its namespace for the user creatorID (0 when unknown) when it does not
// exist yet. Errors: errs.Invalid for a name the format rejects;
// errs.NotFound when the namespace does not exist.
func (s *Service) EnsureRepo(ctx context.Context, typ, name string, creatorID int64) (meta.Repository, error) {
	r, _, err := s.ensureRepo(ctx, typ, name, creatorID)
	return r, err
}

// ensureRepo is EnsureRepo that also reports whether this call created
// the repository.
func (s *Service) ensureRepo(ctx context.Context, typ, name string, creatorID int64) (r meta.Repository, created bool, err error) {
	r, err = s.meta.GetRepo(ctx, typ, name)
	if err == nil || !errs.Is(err, errs.NotFound) {
		return r, false, err
	}
	f, err := s.format(typ)
	if err != nil {
		return meta.Repository{}, false, err
	}
	if err := f.ValidName(name); err != nil {
		return meta.Repository{}, false, err
	}
	err = s.meta.Tx(ctx, func(q meta.Queries) error {
		created = false
		ns, err := q.GetNamespace(ctx, meta.NamespaceOf(name))
		if err != nil {
			return fmt.Errorf("namespace of %s: %w", name, err)
		}
		r = meta.Repository{NamespaceID: ns.ID, Type: typ, Name: name, Public: f.PublicByDefault(ns)}
		err = q.CreateRepo(ctx, &r)
		if errs.Is(err, errs.Exists) {
			r, err = q.GetRepo(ctx, typ, name)
			return err
		}
		if err == nil && s.onCreate != nil {
			err = s.onCreate(ctx, q, r, creatorID)
		}
		created = err == nil
		return err
	})
	if err != nil {
		return meta.Repository{}, false, fmt.Errorf("create repository %s: %w", name, err)
	}
	return r, created, nil
}

// ListRepos returns up to p.Limit repositories of type typ after p.After in
// name order for which keep reports true; it pages through the store in
// batches so that filtering never shortens a page that has more to show.
// keep may be nil.
func (s *Service) ListRepos(ctx context.Context, typ string, p meta.Page, keep func(meta.Repository) (bool, error)) ([]meta.Repository, error) {
	return pageRepos(p, keep, func(after string, limit int) ([]meta.Repository, error) {
		return s.meta.ListRepos(ctx, typ, meta.Page{After: after, Limit: limit})
	})
}

// ListReadableRepos is ListRepos over the repositories the user userID (0:
// the anonymous caller) may see by the store's visibility rules (see
// meta.RepoFilter, public ones included), so that a listing reads only
// candidates the caller can have, not every repository; keep still has
// the last word.
func (s *Service) ListReadableRepos(ctx context.Context, userID int64, typ string, p meta.Page, keep func(meta.Repository) (bool, error)) ([]meta.Repository, error) {
	return pageRepos(p, keep, func(after string, limit int) ([]meta.Repository, error) {
		return s.meta.ListVisibleRepos(ctx, meta.RepoFilter{UserID: userID, Type: typ, Public: true,
			ByName: true, AfterName: after, Limit: limit})
	})
}

// pageRepos collects up to p.Limit repositories after p.After that keep
// accepts, fetching batches in lower-cased name order.
func pageRepos(p meta.Page, keep func(meta.Repository) (bool, error), fetch func(after string, limit int) ([]meta.Repository, error)) ([]meta.Repository, error) {
	const batch = 500
	var out []meta.Repository
	after := p.After
	for {
		rs, err := fetch(after, batch)
		if err != nil {
			return nil, fmt.Errorf("list repositories: %w", err)
		}
		for _, r := range rs {
			ok := true
			if keep != nil {
				if ok, err = keep(r); err != nil {
					return nil, err
				}
			}
			if ok {
				out = append(out, r)
				if p.Limit > 0 && len(out) == p.Limit {
					return out, nil
				}
			}
		}
		if len(rs) < batch {
			return out, nil
		}
		after = strings.ToLower(rs[len(rs)-1].Name)
	}
}

// DeleteRepo removes a repository with everything in it, and the data of
// its upload sessions. Its blobs stay until garbage collection finds them
// unreferenced. A session being written meanwhile is discarded by its
// writer, which finds it gone once it lets go (see letGo). Errors: errs.NotFound.
func (s *Service) DeleteRepo(ctx context.Context, id int64) error {
	ups, err := s.meta.DeleteRepo(ctx, id)
	if err != nil {
		return fmt.Errorf("delete repository: %w", err)
	}
	// The repository is gone whatever happens to the data now, and no row
	// names these sessions any more: each one's data is discarded even
	// when another's fails, and the failures are reported together.
	ctx = context.WithoutCancel(ctx)
	var failed []error
	for _, up := range ups {
		unlock, ok := s.locks.TryLock("upload:" + up)
		if !ok {
			continue
		}
		err := s.blobs.DeleteUpload(ctx, up, nil)
		unlock()
		if err != nil && !errs.Is(err, errs.Conflict) {
			failed = append(failed, fmt.Errorf("discard upload %s: %w", up, err))
		}
	}
	if err := errors.Join(failed...); err != nil {
		return fmt.Errorf("delete repository: %w", err)
	}
	return nil
}

// SetRepoPublic changes a repository's visibility.
func (s *Service) SetRepoPublic(ctx context.Context, id int64, public bool) error {
	return s.meta.SetRepoPublic(ctx, id, public)
}

// Ping reports whether the stores answer.
func (s *Service) Ping(ctx context.Context) error {
	if err := s.meta.Ping(ctx); err != nil {
		return errs.Wrap(errs.Unavailable, "metadata store", err)
	}
	if _, err := s.blobs.Stat(ctx, emptySHA256); err != nil && !errs.Is(err, errs.NotFound) {
		return errs.Wrap(errs.Unavailable, "blob store", err)
	}
	return nil
}

const emptySHA256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// MissingRefError reports that a version refers to content its repository
// does not have.
type MissingRefError struct {
	Ref meta.Ref
}

func (e *MissingRefError) Error() string {
	if e.Ref.Kind == meta.RefVersion {
		return "manifest unknown: " + e.Ref.Digest
	}
	return "blob unknown to registry: " + e.Ref.Digest
}

// Unwrap makes the error an errs.Invalid.
func (e *MissingRefError) Unwrap() error { return errs.E(errs.Invalid, "%s", e.Error()) }

// IsMissingRef reports whether err is a *MissingRefError and returns it.
func IsMissingRef(err error) (*MissingRefError, bool) {
	var m *MissingRefError
	ok := errors.As(err, &m)
	return m, ok
}

// Namespace returns the namespace named name. Errors: errs.NotFound.
func (s *Service) Namespace(ctx context.Context, name string) (meta.Namespace, error) {
	ns, err := s.meta.GetNamespace(ctx, name)
	if err != nil {
		return meta.Namespace{}, fmt.Errorf("namespace %s: %w", name, err)
	}
	return ns, nil
}
