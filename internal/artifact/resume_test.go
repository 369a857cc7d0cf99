package artifact_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"wharf/internal/artifact"
	"wharf/internal/blob/fs"
	"wharf/internal/errs"
)

// dataDir is a data directory on disk: SQLite and the fs blob store, as a
// server runs them. Each open is a process start; each close a stop.
type dataDir struct{ dir string }

func newDataDir(t *testing.T) dataDir {
	t.Helper()
	d := dataDir{dir: t.TempDir()}
	m := openMeta(t, filepath.Join(d.dir, "meta.db"))
	createNamespaces(t, m)
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	return d
}

// start opens the stores and a Service over them; stop closes them.
func (d dataDir) start(t *testing.T) (e *env, stop func()) {
	t.Helper()
	m := openMeta(t, filepath.Join(d.dir, "meta.db"))
	b, err := fs.New(filepath.Join(d.dir, "blobs"), fs.Options{Fsync: false})
	if err != nil {
		m.Close()
		t.Fatalf("fs.New: %v", err)
	}
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		if err := m.Close(); err != nil {
			t.Errorf("close metadata store: %v", err)
		}
	}
	t.Cleanup(stop)
	return newEnvOn(t, m, b, artifact.Options{}), stop
}

func TestUploadResumesAfterRestart(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		appends []int // acknowledged before the restart
		junk    bool  // bytes written but never acknowledged before the restart
		broken  bool  // an append whose body failed before the restart
	}{
		{name: "right after start"},
		{name: "after appends", appends: []int{1000, 2000}},
		{name: "with unacknowledged bytes", appends: []int{1000}, junk: true},
		{name: "unacknowledged bytes only", junk: true},
		{name: "after a broken append", appends: []int{1500}, broken: true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := newDataDir(t)
			data := randBytes(8000, uint64(400+i))
			digest := sha256Digest(data)

			e, stop := d.start(t)
			ctx := t.Context()
			repo := e.repo(t, "oci", "alice/resume")
			up, err := e.svc.StartUpload(ctx, repo.ID)
			if err != nil {
				t.Fatal(err)
			}
			at := 0
			for _, n := range tt.appends {
				if _, err := e.svc.AppendUpload(ctx, repo.ID, up.ID, int64(at), bytes.NewReader(data[at:at+n])); err != nil {
					t.Fatal(err)
				}
				at += n
			}
			if tt.junk {
				cur, err := e.svc.Upload(ctx, repo.ID, up.ID)
				if err != nil {
					t.Fatal(err)
				}
				w, err := e.blobs.ResumeUpload(ctx, up.ID, cur.Size, cur.HashState)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := w.Write([]byte("never acknowledged")); err != nil {
					t.Fatal(err)
				}
				if err := w.Close(); err != nil {
					t.Fatal(err)
				}
			}
			if tt.broken {
				_, err := e.svc.AppendUpload(ctx, repo.ID, up.ID, int64(at), &failingReader{data: data[at : at+700], err: errors.New("reset")})
				wantKind(t, "broken append", err, errs.Invalid)
			}
			stop()

			e, stop = d.start(t)
			got, err := e.svc.Upload(ctx, repo.ID, up.ID)
			if err != nil {
				t.Fatalf("Upload after the restart: %v", err)
			}
			if got.Size != int64(at) {
				t.Fatalf("Upload.Size after the restart = %d, want the acknowledged %d", got.Size, at)
			}
			_, err = e.svc.AppendUpload(ctx, repo.ID, up.ID, int64(at)+1, bytes.NewReader(data[at:]))
			wantKind(t, "AppendUpload past the acknowledged size", err, errs.RangeInvalid)
			mid := at + (len(data)-at)/2
			size, err := e.svc.AppendUpload(ctx, repo.ID, up.ID, int64(at), bytes.NewReader(data[at:mid]))
			if err != nil {
				t.Fatalf("AppendUpload after the restart: %v", err)
			}
			if size != int64(mid) {
				t.Errorf("AppendUpload after the restart returned size %d, want %d", size, mid)
			}
			if _, err := e.svc.FinishUpload(ctx, repo.ID, up.ID, digest, int64(mid), bytes.NewReader(data[mid:])); err != nil {
				t.Fatalf("FinishUpload after the restart: %v", err)
			}
			if got := e.readBlob(t, repo.ID, digest); !bytes.Equal(got, data) {
				t.Errorf("blob finished after a restart differs from the data")
			}
			stop()

			e, _ = d.start(t)
			if got := e.readBlob(t, repo.ID, digest); !bytes.Equal(got, data) {
				t.Errorf("blob after another restart differs from the data")
			}
			if got := e.sessions(t); len(got) != 0 {
				t.Errorf("sessions left: %v", got)
			}
		})
	}
}

func TestCollectGarbageAfterRestart(t *testing.T) {
	t.Parallel()
	d := newDataDir(t)
	e, stop := d.start(t)
	ctx := t.Context()
	repo := e.repo(t, "oci", "alice/gcrestart")
	kept := e.push(t, repo.ID, []byte("kept"))
	dropped := e.push(t, repo.ID, []byte("dropped"))
	if err := e.svc.UnlinkBlob(ctx, repo.ID, dropped); err != nil {
		t.Fatal(err)
	}
	up, err := e.svc.StartUpload(ctx, repo.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AppendUpload(ctx, repo.ID, up.ID, 0, bytes.NewReader([]byte("abandoned"))); err != nil {
		t.Fatal(err)
	}
	stop()

	e, _ = d.start(t)
	e.clock.Advance(time.Minute)
	st, err := e.svc.CollectGarbage(ctx, artifact.GCOptions{})
	if err != nil {
		t.Fatalf("CollectGarbage: %v", err)
	}
	want := artifact.GCStats{UploadsDeleted: 1, BlobsDeleted: 1, BytesFreed: int64(len("dropped"))}
	if st != want {
		t.Errorf("CollectGarbage = %+v, want %+v", st, want)
	}
	if e.stored(t, dropped) {
		t.Errorf("the unreferenced blob is still on disk")
	}
	if _, err := e.blobs.ResumeUpload(ctx, up.ID, 0, nil); !errs.Is(err, errs.NotFound) {
		t.Errorf("the abandoned session is still on disk: %v", err)
	}
	if got := e.readBlob(t, repo.ID, kept); string(got) != "kept" {
		t.Errorf("kept blob = %q", got)
	}
}
