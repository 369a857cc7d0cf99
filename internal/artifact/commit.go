package artifact

import (
	"context"
	"fmt"
	"strings"
	"time"

	"wharf/internal/blob"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// commit turns an upload into a blob and runs then, which records what
// refers to it, in the transaction that ends the session. The blob's record
// is written before its content and the references after it, so a crash at
// any point leaves only records that garbage collection can find; then
// must refer to the blob, which holds its record against collection while
// the transaction checks that the content is there (see gc.go).
func (s *Service) commit(ctx context.Context, w blob.Upload, digest string, then func(q meta.Queries) error) (meta.Blob, error) {
	size := w.Size()
	b := meta.Blob{Digest: digest, Size: size}
	unlock := s.locks.Lock("blob:" + digest)
	defer unlock()
	// Content known not to match is refused before anything is recorded,
	// so a bad push never leaves a record under a digest it does not have.
	if strings.HasPrefix(digest, "sha256:") && digest != w.Digest() {
		return meta.Blob{}, s.discard(ctx, w, errs.E(errs.Invalid, "digest mismatch: the content does not match %s", digest))
	}
	if err := s.meta.PutBlob(ctx, b); err != nil {
		if errs.Is(err, errs.Conflict) {
			// The digest names a stored blob of another size, so this
			// content cannot match it. The answer is the one any other
			// mismatch gets: it tells nothing of what others stored.
			err = errs.E(errs.Invalid, "digest mismatch: the content does not match %s", digest)
		}
		return meta.Blob{}, s.discard(ctx, w, err)
	}
	if err := w.Commit(ctx, digest, size); err != nil {
		s.meta.DeleteUpload(context.WithoutCancel(ctx), w.ID())
		// A record made for content that never arrived goes now; one that
		// names a blob already stored stays.
		if _, serr := s.blobs.Stat(ctx, digest); errs.Is(serr, errs.NotFound) {
			s.meta.DeleteBlob(context.WithoutCancel(ctx), digest, s.now().Add(time.Hour))
		}
		return meta.Blob{}, fmt.Errorf("commit blob: %w", err)
	}
	err := s.meta.Tx(ctx, func(q meta.Queries) error {
		if err := then(q); err != nil {
			return err
		}
		if err := s.present(ctx, digest); err != nil {
			return err
		}
		if err := q.DeleteUpload(ctx, w.ID()); err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
		return nil
	})
	if err != nil {
		// The content stays, unreferenced, for garbage collection.
		s.meta.DeleteUpload(context.WithoutCancel(ctx), w.ID())
		if errs.Is(err, errs.NotFound) {
			if _, gerr := s.meta.GetBlob(ctx, digest); errs.Is(gerr, errs.NotFound) {
				err = s.collected(ctx, b)
			}
		}
		return meta.Blob{}, fmt.Errorf("reference blob %s: %w", digest, err)
	}
	return b, nil
}

// errCollected reports that garbage collection took a blob between its
// record and its reference step (see gc.go).
func errCollected(digest string) error {
	return errs.E(errs.Unavailable, "blob %s was garbage collected while it was stored; store it again", digest)
}

// collected answers a commit that found its blob's record gone: garbage
// collection took it between the record and the reference step. The
// content this commit wrote after that would be known to nothing, since
// collection never lists the blob store, so the blob is recorded again
// (unreferenced, for a later run) before the commit is refused. Should
// that fail too, the content stays until the blob is pushed again.
func (s *Service) collected(ctx context.Context, b meta.Blob) error {
	s.meta.PutBlob(context.WithoutCancel(ctx), b)
	return errCollected(b.Digest)
}

// present checks that the blob store has a blob's content. Called in a
// transaction that has referred to the blob, and so holds its record, it
// tells whether the content stays (see gc.go).
func (s *Service) present(ctx context.Context, digest string) error {
	_, err := s.blobs.Stat(ctx, digest)
	if errs.Is(err, errs.NotFound) {
		return errCollected(digest)
	}
	return err
}

// discard ends an upload session that will not become a blob and returns
// cause. The Upload is closed first, giving up the session's lock so that
// its data can go.
func (s *Service) discard(ctx context.Context, w blob.Upload, cause error) error {
	ctx = context.WithoutCancel(ctx)
	w.Close()
	s.blobs.DeleteUpload(ctx, w.ID(), nil)
	s.meta.DeleteUpload(ctx, w.ID())
	return cause
}
