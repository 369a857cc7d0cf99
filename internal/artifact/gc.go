package artifact

import (
	"context"
	"fmt"
	"time"

	"wharf/internal/errs"
)

// GCOptions tune a garbage collection run.
type GCOptions struct {
	// Grace spares blobs recorded or last used more recently than this.
	Grace time.Duration
	// UploadTTL ends upload sessions idle for longer than this.
	UploadTTL time.Duration
	// Batch is how many rows one query returns; default 500.
	Batch int
}

// GCStats tells what a garbage collection run did.
type GCStats struct {
	UploadsDeleted int
	BlobsDeleted   int
	BytesFreed     int64
}

// CollectGarbage ends stale upload sessions and deletes blobs that nothing
// refers to, both past their grace periods. It runs online: a blob that is
// linked, mounted or uploaded again while the run goes on is spared,
// because each deletion re-checks in the metadata store and holds the
// blob's lock against a concurrent commit in this process.
func (s *Service) CollectGarbage(ctx context.Context, opt GCOptions) (GCStats, error) {
	var st GCStats
	if opt.Batch <= 0 {
		opt.Batch = 500
	}
	now := s.now()
	if err := s.collectUploads(ctx, now.Add(-opt.UploadTTL), opt.Batch, &st); err != nil {
		return st, err
	}
	return st, s.collectBlobs(ctx, now.Add(-opt.Grace), opt.Batch, &st)
}

func (s *Service) collectUploads(ctx context.Context, cutoff time.Time, batch int, st *GCStats) error {
	for {
		ups, err := s.meta.StaleUploads(ctx, cutoff, batch)
		if err != nil {
			return fmt.Errorf("gc: list stale uploads: %w", err)
		}
		for _, up := range ups {
			if err := s.CancelUpload(ctx, up.RepoID, up.ID); err != nil && !errs.Is(err, errs.NotFound) {
				return fmt.Errorf("gc: %w", err)
			}
			st.UploadsDeleted++
		}
		if len(ups) < batch {
			return nil
		}
	}
}

func (s *Service) collectBlobs(ctx context.Context, cutoff time.Time, batch int, st *GCStats) error {
	for {
		bs, err := s.meta.UnreferencedBlobs(ctx, cutoff, batch)
		if err != nil {
			return fmt.Errorf("gc: list unreferenced blobs: %w", err)
		}
		progress := false
		for _, b := range bs {
			deleted, err := s.deleteBlob(ctx, b.Digest, cutoff)
			if err != nil {
				return err
			}
			if deleted {
				progress = true
				st.BlobsDeleted++
				st.BytesFreed += b.Size
			}
		}
		// A full batch of blobs that all came back into use would be
		// listed again; the next run gets them.
		if len(bs) < batch || !progress {
			return nil
		}
	}
}

func (s *Service) deleteBlob(ctx context.Context, digest string, cutoff time.Time) (bool, error) {
	unlock := s.locks.Lock("blob:" + digest)
	defer unlock()
	deleted, err := s.meta.DeleteBlob(ctx, digest, cutoff)
	if err != nil || !deleted {
		return false, err
	}
	// A digest the blob store cannot even name has no content to delete.
	if err := s.blobs.Delete(ctx, digest); err != nil && !errs.Is(err, errs.Invalid) {
		return false, fmt.Errorf("gc: delete blob %s: %w", digest, err)
	}
	s.cache.drop(digest)
	return true, nil
}
