package artifact

import (
	"context"
	"fmt"
	"time"

	"wharf/internal/errs"
)

// Garbage collection runs online, in any number of processes at once
// (`wharf admin gc` next to `wharf serve`, replicas sharing PostgreSQL),
// while others push. Locks of one process (s.locks) cannot order that, so
// the protocol rests on the stores:
//
// Blobs. A blob's metadata record doubles as its lock (see meta.Blobs).
// An upload commits record → content → references: PutBlob takes the
// record, the content is written unless the blob store has it, and then
// one transaction refers to the blob (which takes the record again) and,
// still holding it, checks that the content is there. Collection runs
// meta.Blobs.CollectBlob, one transaction that takes the record, waiting
// for writers that hold it, then deletes it only if it is still
// unreferenced (as those writers committed) and past the grace period,
// deletes the content
// while the record is held, and commits last. Every interleaving comes
// out whole:
//
//   - a commit that recorded or referred to the blob first renewed or
//     referenced it, and collection leaves it;
//   - a commit that reaches the record while it is being collected waits;
//     afterwards it records the blob anew and, since the content is gone,
//     writes it again before referring to it;
//   - a commit whose record step came before collection but whose
//     reference step after it (possible only when the grace period is
//     shorter than a commit) finds no record, or, when another commit
//     recorded the blob again in between, finds the content missing; it
//     fails with errs.Unavailable, unacknowledged, and can be retried,
//     and having found no record it records the blob again, since
//     content it wrote after the collection would be known to nothing;
//   - a collection that dies midway rolls back: the record stays, with or
//     without content, and the next commit writes missing content again.
//
// So a blob whose reference committed has content, and keeps it while it
// is referenced.
//
// Upload sessions. An open blob.Upload holds the session's write lock in
// the blob store, in every process sharing it. Reaping a stale session
// takes that lock without waiting (a session being written is skipped),
// checks under it that the session's record is still stale (no append was
// acknowledged since the listing), deletes the data and then the record.
// A request that arrives meanwhile finds the record or the data gone and
// answers that the upload is unknown.

// GCOptions tune a garbage collection run.
type GCOptions struct {
	// Grace spares blobs recorded or last used more recently than this.
	// It must be longer than a commit takes (record to reference), which
	// is never more than seconds.
	Grace time.Duration
	// UploadTTL ends upload sessions idle for longer than this; a session
	// being written is never idle.
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
// refers to, both past their grace periods. It runs online, also next to
// other processes that push and collect (see the protocol above): a blob
// that is linked, mounted or uploaded again while the run goes on is
// spared or written again, and a session being written is left alone.
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
		progress := false
		for _, up := range ups {
			reaped, err := s.reapUpload(ctx, up.ID, cutoff)
			if err != nil {
				return fmt.Errorf("gc: end upload %s: %w", up.ID, err)
			}
			if reaped {
				progress = true
				st.UploadsDeleted++
			}
		}
		// A full batch of sessions all being written would be listed
		// again; the next run gets them.
		if len(ups) < batch || !progress {
			return nil
		}
	}
}

// reapUpload ends upload session id unless it is being written or was
// written to after cutoff, and reports whether it did.
func (s *Service) reapUpload(ctx context.Context, id string, cutoff time.Time) (bool, error) {
	unlock, ok := s.locks.TryLock("upload:" + id)
	if !ok {
		return false, nil // in use in this process
	}
	defer unlock()
	stale := false
	err := s.blobs.DeleteUpload(ctx, id, func(ctx context.Context) (bool, error) {
		up, err := s.meta.GetUpload(ctx, id)
		if errs.Is(err, errs.NotFound) {
			return true, nil // ended meanwhile; any data left is garbage
		}
		if err != nil {
			return false, err
		}
		stale = up.Updated.Before(cutoff)
		return stale, nil
	})
	if errs.Is(err, errs.Conflict) {
		return false, nil // being written in another process
	}
	if err != nil || !stale {
		return false, err
	}
	if err := s.meta.DeleteUpload(ctx, id); err != nil && !errs.Is(err, errs.NotFound) {
		return false, err
	}
	return true, nil
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

// deleteBlob collects one blob if it is still unreferenced and past
// cutoff, content first, then record, and reports whether it did.
func (s *Service) deleteBlob(ctx context.Context, digest string, cutoff time.Time) (bool, error) {
	unlock := s.locks.Lock("blob:" + digest)
	defer unlock()
	deleted, err := s.meta.CollectBlob(ctx, digest, cutoff, func(ctx context.Context) error {
		// A digest the blob store cannot even name has no content to delete.
		if err := s.blobs.Delete(ctx, digest); err != nil && !errs.Is(err, errs.Invalid) {
			return err
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("gc: delete blob %s: %w", digest, err)
	}
	if deleted {
		s.cache.drop(digest)
	}
	return deleted, nil
}
