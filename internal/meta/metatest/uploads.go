package metatest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func uploadTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			before := time.Now()
			u := meta.Upload{ID: "u-1", RepoID: r.ID}
			f.ok(f.s.CreateUpload(f.ctx, &u))
			wantStamp(t, "Created", u.Created, before)
			if !u.Updated.Equal(u.Created) {
				t.Errorf("Updated = %v, want Created %v", u.Updated, u.Created)
			}
			got, err := f.s.GetUpload(f.ctx, "u-1")
			f.ok(err)
			wantEqual(t, "GetUpload", got, u)
			_, err = f.s.GetUpload(f.ctx, "U-1")
			wantKind(t, "GetUpload(other id)", err, errs.NotFound)
		}},
		{"Errors", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			u := meta.Upload{ID: "u-1", RepoID: r.ID}
			f.ok(f.s.CreateUpload(f.ctx, &u))
			wantKind(t, "duplicate id", f.s.CreateUpload(f.ctx, &meta.Upload{ID: "u-1", RepoID: r.ID}), errs.Exists)
			wantKind(t, "missing repository", f.s.CreateUpload(f.ctx, &meta.Upload{ID: "u-2", RepoID: r.ID + 1000}), errs.NotFound)
			wantKind(t, "empty id", f.s.CreateUpload(f.ctx, &meta.Upload{RepoID: r.ID}), errs.Invalid)
		}},
		{"Update", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			u := meta.Upload{ID: "u-1", RepoID: r.ID}
			f.ok(f.s.CreateUpload(f.ctx, &u))
			tick()
			f.ok(f.s.UpdateUpload(f.ctx, "u-1", 0, 100, []byte("state-100")))
			got, err := f.s.GetUpload(f.ctx, "u-1")
			f.ok(err)
			if got.Size != 100 || string(got.HashState) != "state-100" {
				t.Errorf("after update: size %d state %q, want 100 %q", got.Size, got.HashState, "state-100")
			}
			if !got.Updated.After(u.Updated) || !got.Created.Equal(u.Created) {
				t.Errorf("after update: Created %v Updated %v, want Created %v and Updated later", got.Created, got.Updated, u.Created)
			}
			wantKind(t, "stale offset", f.s.UpdateUpload(f.ctx, "u-1", 0, 200, []byte("x")), errs.Conflict)
			wantKind(t, "missing upload", f.s.UpdateUpload(f.ctx, "nope", 0, 200, nil), errs.NotFound)
			f.ok(f.s.UpdateUpload(f.ctx, "u-1", 100, 250, []byte("state-250")))
			got, err = f.s.GetUpload(f.ctx, "u-1")
			f.ok(err)
			if got.Size != 250 || string(got.HashState) != "state-250" {
				t.Errorf("after second update: size %d state %q", got.Size, got.HashState)
			}
		}},
		{"ConcurrentUpdate", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			f.ok(f.s.CreateUpload(f.ctx, &meta.Upload{ID: "u-1", RepoID: r.ID}))
			var won, lost atomic.Int32
			var wg sync.WaitGroup
			for i := range 10 {
				wg.Go(func() {
					err := f.s.UpdateUpload(f.ctx, "u-1", 0, int64(10+i), nil)
					switch {
					case err == nil:
						won.Add(1)
					case errs.Is(err, errs.Conflict):
						lost.Add(1)
					default:
						t.Errorf("UpdateUpload: %v", err)
					}
				})
			}
			wg.Wait()
			if won.Load() != 1 || lost.Load() != 9 {
				t.Errorf("%d updates won and %d conflicted, want 1 and 9", won.Load(), lost.Load())
			}
		}},
		{"Delete", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			f.ok(f.s.CreateUpload(f.ctx, &meta.Upload{ID: "u-1", RepoID: r.ID}))
			f.ok(f.s.DeleteUpload(f.ctx, "u-1"))
			_, err := f.s.GetUpload(f.ctx, "u-1")
			wantKind(t, "GetUpload after delete", err, errs.NotFound)
			wantKind(t, "DeleteUpload again", f.s.DeleteUpload(f.ctx, "u-1"), errs.NotFound)
		}},
		{"Stale", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			for _, id := range []string{"old-1", "old-2", "resumed"} {
				f.ok(f.s.CreateUpload(f.ctx, &meta.Upload{ID: id, RepoID: r.ID}))
			}
			tick()
			cutoff := time.Now()
			tick()
			f.ok(f.s.CreateUpload(f.ctx, &meta.Upload{ID: "new", RepoID: r.ID}))
			f.ok(f.s.UpdateUpload(f.ctx, "resumed", 0, 5, nil))
			us, err := f.s.StaleUploads(f.ctx, cutoff, 0)
			f.ok(err)
			got := map[string]bool{}
			for _, u := range us {
				got[u.ID] = true
			}
			wantEqual(t, "stale uploads", got, map[string]bool{"old-1": true, "old-2": true})
			us, err = f.s.StaleUploads(f.ctx, cutoff, 1)
			f.ok(err)
			if len(us) != 1 {
				t.Errorf("StaleUploads(limit 1) returned %d", len(us))
			}
			n, err := f.s.CountUploads(f.ctx)
			f.ok(err)
			if n != 4 {
				t.Errorf("CountUploads = %d, want 4", n)
			}
		}},
	}
}
