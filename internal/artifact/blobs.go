package artifact

import (
	"context"
	"fmt"

	"wharf/internal/blob"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// StatBlob returns a blob linked to a repository. Errors: errs.NotFound.
func (s *Service) StatBlob(ctx context.Context, repoID int64, digest string) (meta.Blob, error) {
	b, err := s.meta.GetRepoBlob(ctx, repoID, digest)
	if err != nil {
		return meta.Blob{}, fmt.Errorf("blob %s: %w", digest, err)
	}
	return b, nil
}

// OpenBlob opens a blob linked to a repository for reading; the caller
// closes the reader. Errors: errs.NotFound.
func (s *Service) OpenBlob(ctx context.Context, repoID int64, digest string) (meta.Blob, blob.Reader, error) {
	b, err := s.StatBlob(ctx, repoID, digest)
	if err != nil {
		return meta.Blob{}, nil, err
	}
	r, err := s.blobs.Open(ctx, digest)
	if err != nil {
		return meta.Blob{}, nil, fmt.Errorf("open blob %s: %w", digest, err)
	}
	return b, r, nil
}

// MountBlob links a blob that repository from has to repository to.
// Errors: errs.NotFound when from does not have it.
func (s *Service) MountBlob(ctx context.Context, to, from int64, digest string) (meta.Blob, error) {
	var b meta.Blob
	err := s.meta.Tx(ctx, func(q meta.Queries) error {
		var err error
		if b, err = q.GetRepoBlob(ctx, from, digest); err != nil {
			return err
		}
		return q.LinkBlob(ctx, to, digest)
	})
	if err != nil {
		return meta.Blob{}, fmt.Errorf("mount blob %s: %w", digest, err)
	}
	return b, nil
}

// UnlinkBlob removes a blob from a repository. The content stays until
// garbage collection finds nothing else refers to it.
// Errors: errs.NotFound.
func (s *Service) UnlinkBlob(ctx context.Context, repoID int64, digest string) error {
	if err := s.meta.UnlinkBlob(ctx, repoID, digest); err != nil {
		return fmt.Errorf("delete blob %s: %w", digest, err)
	}
	return nil
}

// putContent stores small content held in memory as a blob of repository
// repoID, unlinked: its record, then its content unless the blob store has
// it. The caller refers to it in a transaction that checks it is present
// (see gc.go). Content to write is staged under an upload session whose
// row comes first, as every upload's does, so that a process that dies
// while it writes leaves only what garbage collection finds.
func (s *Service) putContent(ctx context.Context, repoID int64, digest string, data []byte) error {
	unlock := s.locks.Lock("blob:" + digest)
	defer unlock()
	if err := s.meta.PutBlob(ctx, meta.Blob{Digest: digest, Size: int64(len(data))}); err != nil {
		return fmt.Errorf("record blob %s: %w", digest, err)
	}
	if _, err := s.blobs.Stat(ctx, digest); err == nil {
		return nil
	} else if !errs.Is(err, errs.NotFound) {
		return err
	}
	_, w, err := s.startUpload(ctx, repoID)
	if err != nil {
		return err
	}
	defer s.meta.DeleteUpload(context.WithoutCancel(ctx), w.ID())
	if _, err := w.Write(data); err != nil {
		w.Close()
		s.blobs.DeleteUpload(context.WithoutCancel(ctx), w.ID(), nil)
		return err
	}
	// Commit ends the staged data whether it succeeds or not.
	err = w.Commit(ctx, digest, int64(len(data)))
	w.Close()
	return err
}

// readContent returns the bytes of a small blob, from the cache when it can.
func (s *Service) readContent(ctx context.Context, digest string, size int64) ([]byte, error) {
	if data, ok := s.cache.get(digest); ok {
		return data, nil
	}
	r, err := s.blobs.Open(ctx, digest)
	if err != nil {
		return nil, fmt.Errorf("open content %s: %w", digest, err)
	}
	defer r.Close()
	if r.Size() != size {
		return nil, fmt.Errorf("content %s has %d bytes, recorded %d", digest, r.Size(), size)
	}
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && size > 0 {
		return nil, fmt.Errorf("read content %s: %w", digest, err)
	}
	s.cache.put(digest, data)
	return data, nil
}
