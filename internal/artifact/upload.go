package artifact

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"

	"wharf/internal/blob"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// StartUpload opens an upload session for a repository and returns it.
func (s *Service) StartUpload(ctx context.Context, repoID int64) (meta.Upload, error) {
	up, w, err := s.startUpload(ctx, repoID)
	if err != nil {
		return meta.Upload{}, err
	}
	// Nothing is acknowledged yet, so nothing needs to be durable: the
	// first acknowledged append makes the session's data and directory
	// entries durable, and a session lost before that has lost no data.
	if err := w.Close(); err != nil {
		return meta.Upload{}, fmt.Errorf("create upload: %w", err)
	}
	if err := s.letGo(ctx, up.ID); err != nil {
		return meta.Upload{}, fmt.Errorf("create upload: %w", err)
	}
	return up, nil
}

// letGo runs after a request has given up an upload session it held (its
// Upload closed, its lock in this process released). DeleteRepo deletes
// the rows of a repository's sessions and then their data, but leaves
// alone a session it finds in use, for its writer: a writer that let go
// after that, whether or not it saw the row vanish, finds it gone here and
// discards the data, which nothing else would ever find. Errors:
// errs.NotFound when the session is gone.
func (s *Service) letGo(ctx context.Context, id string) error {
	ctx = context.WithoutCancel(ctx)
	_, err := s.meta.GetUpload(ctx, id)
	if errs.Is(err, errs.NotFound) {
		s.blobs.DeleteUpload(ctx, id, nil)
	}
	return err
}

// startUpload opens an upload session and returns it with its Upload,
// which holds the session's write lock until the caller closes or commits
// it.
func (s *Service) startUpload(ctx context.Context, repoID int64) (meta.Upload, blob.Upload, error) {
	id, err := newUploadID()
	if err != nil {
		return meta.Upload{}, nil, err
	}
	up := meta.Upload{ID: id, RepoID: repoID}
	// The session's row comes first: whatever reaches the blob store is
	// then always known to garbage collection.
	if err := s.meta.CreateUpload(ctx, &up); err != nil {
		return meta.Upload{}, nil, fmt.Errorf("create upload: %w", err)
	}
	w, err := s.blobs.NewUpload(ctx, id)
	if err != nil {
		s.meta.DeleteUpload(context.WithoutCancel(ctx), id)
		return meta.Upload{}, nil, fmt.Errorf("create upload: %w", err)
	}
	return up, w, nil
}

func newUploadID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

// Upload returns an upload session of a repository.
// Errors: errs.NotFound, also when the session belongs to another repository.
func (s *Service) Upload(ctx context.Context, repoID int64, id string) (meta.Upload, error) {
	up, err := s.meta.GetUpload(ctx, id)
	if err != nil {
		return meta.Upload{}, fmt.Errorf("upload %s: %w", id, err)
	}
	if up.RepoID != repoID {
		return meta.Upload{}, errs.E(errs.NotFound, "upload unknown")
	}
	return up, nil
}

// AppendUpload appends what r yields to an upload session and returns the
// session's new size. When offset is not negative it must equal the
// session's size (errs.RangeInvalid otherwise). The returned size is
// durable and acknowledged; if r fails part way, nothing of this call is
// acknowledged. Errors: errs.NotFound, also when the session ended while r
// was read; errs.Conflict when another process is writing the session or
// moved it on.
func (s *Service) AppendUpload(ctx context.Context, repoID int64, id string, offset int64, r io.Reader) (int64, error) {
	size, err := s.appendUpload(ctx, repoID, id, offset, r)
	if lerr := s.letGo(ctx, id); err == nil && lerr != nil {
		return 0, fmt.Errorf("upload %s: %w", id, lerr)
	}
	return size, err
}

// appendUpload is AppendUpload while the session is held.
func (s *Service) appendUpload(ctx context.Context, repoID int64, id string, offset int64, r io.Reader) (int64, error) {
	unlock := s.locks.Lock("upload:" + id)
	defer unlock()
	w, up, err := s.resume(ctx, repoID, id, offset)
	if err != nil {
		return 0, err
	}
	defer w.Close()
	if err := s.append(ctx, w, up, r); err != nil {
		return 0, err
	}
	return w.Size(), nil
}

// resume opens an upload session for writing at its recorded size.
func (s *Service) resume(ctx context.Context, repoID int64, id string, offset int64) (blob.Upload, meta.Upload, error) {
	up, err := s.meta.GetUpload(ctx, id)
	if errs.Is(err, errs.NotFound) {
		// Data without a record is left by a repository deleted while the
		// session was being written; whoever comes next discards it.
		s.blobs.DeleteUpload(context.WithoutCancel(ctx), id, nil)
	}
	if err == nil && up.RepoID != repoID {
		err = errs.E(errs.NotFound, "upload unknown")
	}
	if err != nil {
		return nil, up, fmt.Errorf("upload %s: %w", id, err)
	}
	if offset >= 0 && offset != up.Size {
		return nil, up, errs.E(errs.RangeInvalid, "upload is at offset %d, not %d", up.Size, offset)
	}
	w, err := s.blobs.ResumeUpload(ctx, id, up.Size, up.HashState)
	if err != nil {
		return nil, up, fmt.Errorf("resume upload %s: %w", id, err)
	}
	// Another process may have appended between the read above and taking
	// the session's lock; writing at the old size would overwrite what it
	// acknowledged. Under the lock the record cannot move.
	cur, err := s.meta.GetUpload(ctx, id)
	switch {
	case err != nil:
	case cur.Size != up.Size && offset >= 0:
		err = errs.E(errs.RangeInvalid, "upload is at offset %d, not %d", cur.Size, offset)
	case cur.Size != up.Size:
		err = errs.E(errs.Conflict, "upload moved on to offset %d", cur.Size)
	}
	if err != nil {
		w.Close()
		return nil, up, fmt.Errorf("resume upload %s: %w", id, err)
	}
	return w, up, nil
}

func (s *Service) append(ctx context.Context, w blob.Upload, up meta.Upload, r io.Reader) error {
	if r == nil {
		return nil
	}
	body := &bodyReader{r: r}
	n, err := w.ReadFrom(body)
	if err != nil {
		return bodyError(body, err)
	}
	if n == 0 {
		return nil
	}
	state, err := w.Sync(ctx)
	if err != nil {
		return fmt.Errorf("sync upload %s: %w", up.ID, err)
	}
	err = s.meta.UpdateUpload(ctx, up.ID, up.Size, w.Size(), state)
	if errs.Is(err, errs.NotFound) {
		// The session ended while the body was read, with its repository;
		// its data, which nobody else could delete while this wrote, goes.
		w.Close()
		s.blobs.DeleteUpload(context.WithoutCancel(ctx), up.ID, nil)
	}
	if err != nil {
		return fmt.Errorf("record upload %s: %w", up.ID, err)
	}
	return nil
}

// FinishUpload appends what r yields (r may be nil), verifies the whole
// session against digest, commits it as a blob and links the blob to the
// repository. The session ends. Errors: errs.Invalid for a digest
// mismatch (the session's data is discarded), errs.RangeInvalid for a
// wrong offset, errs.NotFound and errs.Conflict as AppendUpload's,
// errs.Unavailable when garbage collection took the blob while it was
// committed (see gc.go; pushing it again succeeds).
func (s *Service) FinishUpload(ctx context.Context, repoID int64, id, digest string, offset int64, r io.Reader) (meta.Blob, error) {
	b, err := s.finishUpload(ctx, repoID, id, digest, offset, r)
	if err != nil {
		// A commit ends the session itself; one refused before it may
		// leave a session that DeleteRepo could not discard.
		s.letGo(ctx, id)
	}
	return b, err
}

// finishUpload is FinishUpload while the session is held.
func (s *Service) finishUpload(ctx context.Context, repoID int64, id, digest string, offset int64, r io.Reader) (meta.Blob, error) {
	unlock := s.locks.Lock("upload:" + id)
	defer unlock()
	w, up, err := s.resume(ctx, repoID, id, offset)
	if err != nil {
		return meta.Blob{}, err
	}
	defer w.Close()
	if err := s.append(ctx, w, up, r); err != nil {
		return meta.Blob{}, err
	}
	return s.commit(ctx, w, digest, func(q meta.Queries) error {
		return q.LinkBlob(ctx, repoID, digest)
	})
}

// PutBlob stores what r yields as the blob digest and links it to the
// repository, in one go. Nothing is acknowledged before the blob is
// committed, so the session is neither synced nor recorded on the way.
// Errors: errs.Invalid for a digest or size mismatch or a broken body,
// errs.Unavailable as FinishUpload's.
func (s *Service) PutBlob(ctx context.Context, repoID int64, digest string, r io.Reader) (meta.Blob, error) {
	_, w, err := s.startUpload(ctx, repoID)
	if err != nil {
		return meta.Blob{}, err
	}
	defer w.Close()
	body := &bodyReader{r: r}
	if _, err := w.ReadFrom(body); err != nil {
		return meta.Blob{}, s.discard(ctx, w, bodyError(body, err))
	}
	return s.commit(ctx, w, digest, func(q meta.Queries) error {
		return q.LinkBlob(ctx, repoID, digest)
	})
}

// OpenUploads reports how many upload sessions are open.
func (s *Service) OpenUploads(ctx context.Context) (int64, error) {
	return s.meta.CountUploads(ctx)
}

// CancelUpload ends an upload session and discards its data.
// Errors: errs.NotFound; errs.Conflict when another process is writing the
// session, which then stays as it is.
func (s *Service) CancelUpload(ctx context.Context, repoID int64, id string) error {
	unlock := s.locks.Lock("upload:" + id)
	defer unlock()
	if _, err := s.Upload(ctx, repoID, id); err != nil {
		return err
	}
	// The data goes first, under the session's lock in the blob store.
	if err := s.blobs.DeleteUpload(ctx, id, nil); err != nil {
		return fmt.Errorf("cancel upload %s: %w", id, err)
	}
	if err := s.meta.DeleteUpload(ctx, id); err != nil && !errs.Is(err, errs.NotFound) {
		return fmt.Errorf("cancel upload %s: %w", id, err)
	}
	return nil
}

// bodyReader remembers a failure of the reader it wraps, so that a broken
// request body (the client's fault) can be told from a failing store.
type bodyReader struct {
	r   io.Reader
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		b.err = err
	}
	return n, err
}

// bodyError classifies an error from copying body into a store.
func bodyError(body *bodyReader, err error) error {
	if body.err != nil {
		return errs.Wrap(errs.Invalid, "reading upload body", err)
	}
	return fmt.Errorf("writing upload: %w", err)
}
