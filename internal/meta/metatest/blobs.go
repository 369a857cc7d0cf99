package metatest

import (
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func blobTests() []test {
	return []test{
		{"PutGet", func(t *testing.T, f *fixture) {
			before := time.Now()
			b := meta.Blob{Digest: digestOf("x"), Size: 1}
			f.ok(f.s.PutBlob(f.ctx, b))
			got, err := f.s.GetBlob(f.ctx, b.Digest)
			f.ok(err)
			wantStamp(t, "Created", got.Created, before)
			b.Created = got.Created
			wantEqual(t, "GetBlob", got, b)
			tick()
			f.ok(f.s.PutBlob(f.ctx, meta.Blob{Digest: b.Digest, Size: 1}))
			again, err := f.s.GetBlob(f.ctx, b.Digest)
			f.ok(err)
			wantEqual(t, "GetBlob after second PutBlob", again, b)
		}},
		{"Errors", func(t *testing.T, f *fixture) {
			b := f.blob("y")
			wantKind(t, "PutBlob(other size)", f.s.PutBlob(f.ctx, meta.Blob{Digest: b.Digest, Size: b.Size + 1}), errs.Conflict)
			wantKind(t, "PutBlob(empty digest)", f.s.PutBlob(f.ctx, meta.Blob{Size: 1}), errs.Invalid)
			_, err := f.s.GetBlob(f.ctx, digestOf("z"))
			wantKind(t, "GetBlob(missing)", err, errs.NotFound)
			got, err := f.s.GetBlob(f.ctx, b.Digest)
			f.ok(err)
			wantEqual(t, "GetBlob after conflict", got, b)
		}},
		{"Link", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			other := f.repo("oci", "other")
			b := f.blob("layer")
			f.ok(f.s.LinkBlob(f.ctx, r.ID, b.Digest))
			f.ok(f.s.LinkBlob(f.ctx, r.ID, b.Digest))
			got, err := f.s.GetRepoBlob(f.ctx, r.ID, b.Digest)
			f.ok(err)
			wantEqual(t, "GetRepoBlob", got, b)
			_, err = f.s.GetRepoBlob(f.ctx, other.ID, b.Digest)
			wantKind(t, "GetRepoBlob(other repository)", err, errs.NotFound)
			_, err = f.s.GetRepoBlob(f.ctx, r.ID, digestOf("unknown"))
			wantKind(t, "GetRepoBlob(unknown blob)", err, errs.NotFound)
			wantKind(t, "LinkBlob(unrecorded)", f.s.LinkBlob(f.ctx, r.ID, digestOf("unknown")), errs.NotFound)
			wantKind(t, "LinkBlob(missing repository)", f.s.LinkBlob(f.ctx, other.ID+1000, b.Digest), errs.NotFound)
		}},
		{"Unlink", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			b := f.blob("layer")
			f.ok(f.s.LinkBlob(f.ctx, r.ID, b.Digest))
			f.ok(f.s.UnlinkBlob(f.ctx, r.ID, b.Digest))
			_, err := f.s.GetRepoBlob(f.ctx, r.ID, b.Digest)
			wantKind(t, "GetRepoBlob after unlink", err, errs.NotFound)
			wantKind(t, "UnlinkBlob again", f.s.UnlinkBlob(f.ctx, r.ID, b.Digest), errs.NotFound)
			if _, err := f.s.GetBlob(f.ctx, b.Digest); err != nil {
				t.Errorf("GetBlob after unlink: %v, want the record kept", err)
			}
		}},
	}
}

// unreferenced returns the digests UnreferencedBlobs reports for cutoff.
func (f *fixture) unreferenced(cutoff time.Time) map[string]bool {
	f.t.Helper()
	bs, err := f.s.UnreferencedBlobs(f.ctx, cutoff, 0)
	f.ok(err)
	set := map[string]bool{}
	for _, b := range bs {
		set[b.Digest] = true
	}
	return set
}

// deleteBlob calls DeleteBlob and fails the test unless it reports want.
func (f *fixture) deleteBlob(digest string, cutoff time.Time, want bool) {
	f.t.Helper()
	got, err := f.s.DeleteBlob(f.ctx, digest, cutoff)
	f.ok(err)
	if got != want {
		f.t.Errorf("DeleteBlob(%s) = %v, want %v", digest, got, want)
	}
	_, err = f.s.GetBlob(f.ctx, digest)
	if want {
		wantKind(f.t, "GetBlob after DeleteBlob", err, errs.NotFound)
	} else if err != nil && !errs.Is(err, errs.NotFound) {
		f.t.Errorf("GetBlob after refused DeleteBlob: %v", err)
	}
}

func gcTests() []test {
	later := func() time.Time { return time.Now().Add(time.Hour) }
	return []test{
		{"References", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			gen := f.repo("generic", "pkg")
			free := f.blob("free")
			linked := f.blob("linked")
			f.ok(f.s.LinkBlob(f.ctx, r.ID, linked.Digest))
			own := f.manifest(r.ID, "own")
			refd := f.blob("referenced")
			withRef := f.manifest(r.ID, "with ref", meta.Ref{Kind: meta.RefBlob, Digest: refd.Digest})
			// A version ref that happens to carry a blob's digest does not hold the blob.
			verRef := f.blob("version ref")
			f.manifest(r.ID, "index", meta.Ref{Kind: meta.RefVersion, Digest: verRef.Digest})
			pkg := f.version(gen.ID, "1.0")
			file := f.file(pkg.ID, "a.tgz")

			want := map[string]bool{free.Digest: true, verRef.Digest: true}
			wantEqual(t, "unreferenced", f.unreferenced(later()), want)
			for _, d := range []string{linked.Digest, own.BlobDigest, refd.Digest, withRef.BlobDigest, file.Digest} {
				f.deleteBlob(d, later(), false)
			}
			f.deleteBlob(free.Digest, later(), true)
			f.deleteBlob(free.Digest, later(), false)

			f.ok(f.s.UnlinkBlob(f.ctx, r.ID, linked.Digest))
			f.ok(f.s.DeleteVersion(f.ctx, own.ID))
			f.ok(f.s.DeleteVersion(f.ctx, withRef.ID))
			f.ok(f.s.DeleteFile(f.ctx, file.ID))
			want = map[string]bool{verRef.Digest: true, linked.Digest: true, own.BlobDigest: true,
				refd.Digest: true, withRef.BlobDigest: true, file.Digest: true}
			wantEqual(t, "unreferenced after removing references", f.unreferenced(later()), want)
			for d := range want {
				f.deleteBlob(d, later(), true)
			}
			wantEqual(t, "unreferenced after deleting", f.unreferenced(later()), map[string]bool{})
		}},
		{"Cutoff", func(t *testing.T, f *fixture) {
			old := f.blob("old")
			tick()
			cutoff := time.Now()
			tick()
			young := f.blob("young")
			wantEqual(t, "unreferenced before cutoff", f.unreferenced(cutoff), map[string]bool{old.Digest: true})
			f.deleteBlob(young.Digest, cutoff, false)
			if got := f.unreferenced(old.Created); len(got) != 0 {
				t.Errorf("unreferenced before the first blob = %v, want none", got)
			}
			// Recording the old blob again renews its grace period.
			f.ok(f.s.PutBlob(f.ctx, old))
			if got := f.unreferenced(cutoff); len(got) != 0 {
				t.Errorf("unreferenced after PutBlob = %v, want none", got)
			}
			f.deleteBlob(old.Digest, cutoff, false)
		}},
		{"ReferencingRenews", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			gen := f.repo("generic", "pkg")
			viaLink := f.blob("link")
			viaOwn := f.blob("own")
			viaRef := f.blob("ref")
			viaFile := f.blob("file")
			tick()
			cutoff := time.Now()
			tick()
			f.ok(f.s.LinkBlob(f.ctx, r.ID, viaLink.Digest))
			f.ok(f.s.UnlinkBlob(f.ctx, r.ID, viaLink.Digest))
			v := meta.Version{RepoID: r.ID, Version: viaOwn.Digest, BlobDigest: viaOwn.Digest}
			f.ok(f.s.CreateVersion(f.ctx, &v, []meta.Ref{{Kind: meta.RefBlob, Digest: viaRef.Digest}}))
			f.ok(f.s.DeleteVersion(f.ctx, v.ID))
			pkg := f.version(gen.ID, "1.0")
			file := meta.File{VersionID: pkg.ID, Name: "f", Digest: viaFile.Digest, Size: viaFile.Size}
			f.ok(f.s.CreateFile(f.ctx, &file))
			f.ok(f.s.DeleteFile(f.ctx, file.ID))
			// All four are unreferenced again, but were used after the cutoff.
			if got := f.unreferenced(cutoff); len(got) != 0 {
				t.Errorf("unreferenced = %v, want none: referencing must renew the grace period", got)
			}
			for _, b := range []meta.Blob{viaLink, viaOwn, viaRef, viaFile} {
				f.deleteBlob(b.Digest, cutoff, false)
			}
			if got := f.unreferenced(later()); len(got) != 4 {
				t.Errorf("unreferenced with a later cutoff = %v, want 4", got)
			}
		}},
		{"Limit", func(t *testing.T, f *fixture) {
			for _, c := range []string{"a", "b", "c"} {
				f.blob(c)
			}
			bs, err := f.s.UnreferencedBlobs(f.ctx, later(), 2)
			f.ok(err)
			if len(bs) != 2 {
				t.Errorf("UnreferencedBlobs(limit 2) returned %d", len(bs))
			}
			bs, err = f.s.UnreferencedBlobs(f.ctx, later(), 0)
			f.ok(err)
			if len(bs) != 3 {
				t.Errorf("UnreferencedBlobs(no limit) returned %d", len(bs))
			}
		}},
		{"LinkDuringDelete", func(t *testing.T, f *fixture) {
			// A blob linked by a transaction still open when DeleteBlob
			// runs survives: with a past cutoff because linking renewed it,
			// with a future one because it is referenced once the link commits.
			r := f.repo("oci", "app")
			b1 := f.blob("first")
			b2 := f.blob("second")
			tick()
			past := time.Now()
			tick()
			for _, c := range []struct {
				b      meta.Blob
				cutoff time.Time
			}{{b1, past}, {b2, later()}} {
				linked := make(chan struct{})
				release := make(chan struct{})
				txErr := make(chan error, 1)
				go func() {
					txErr <- f.s.Tx(f.ctx, func(q meta.Queries) error {
						if err := q.LinkBlob(f.ctx, r.ID, c.b.Digest); err != nil {
							return err
						}
						select {
						case <-linked:
						default:
							close(linked)
						}
						<-release
						return nil
					})
				}()
				select {
				case <-linked:
				case err := <-txErr:
					t.Fatalf("Tx: %v", err)
				}
				delErr := make(chan error, 1)
				deleted := make(chan bool, 1)
				go func() {
					ok, err := f.s.DeleteBlob(f.ctx, c.b.Digest, c.cutoff)
					deleted <- ok
					delErr <- err
				}()
				time.Sleep(20 * time.Millisecond) // let DeleteBlob reach the database
				close(release)
				f.ok(<-txErr)
				if <-deleted {
					t.Errorf("DeleteBlob removed %s while a transaction linked it", c.b.Digest)
				}
				f.ok(<-delErr)
				if _, err := f.s.GetRepoBlob(f.ctx, r.ID, c.b.Digest); err != nil {
					t.Errorf("GetRepoBlob after racing delete: %v", err)
				}
			}
		}},
	}
}
