package metatest

import (
	"context"
	"errors"
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func collectTests() []test {
	later := func() time.Time { return time.Now().Add(time.Hour) }
	return []test{
		{"Collect", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			free := f.blob("free")
			linked := f.blob("linked")
			f.ok(f.s.LinkBlob(f.ctx, r.ID, linked.Digest))
			failing := f.blob("failing")
			tick()
			past := time.Now()
			tick()
			young := f.blob("young")

			var removed []string
			remove := func(d string) func(context.Context) error {
				return func(context.Context) error { removed = append(removed, d); return nil }
			}
			for _, c := range []struct {
				what, digest string
				cutoff       time.Time
				want         bool
			}{
				{"linked", linked.Digest, later(), false},
				{"young", young.Digest, past, false},
				{"unrecorded", digestOf("never"), later(), false},
				{"free", free.Digest, later(), true},
				{"free again", free.Digest, later(), false},
			} {
				removed = nil
				ok, err := f.s.CollectBlob(f.ctx, c.digest, c.cutoff, remove(c.digest))
				f.ok(err)
				if ok != c.want {
					t.Errorf("CollectBlob(%s) = %v, want %v", c.what, ok, c.want)
				}
				if called := len(removed) > 0; called != c.want {
					t.Errorf("CollectBlob(%s) called remove: %v, want %v", c.what, called, c.want)
				}
			}
			_, err := f.s.GetBlob(f.ctx, free.Digest)
			wantKind(t, "GetBlob after CollectBlob", err, errs.NotFound)
			for _, b := range []meta.Blob{linked, young} {
				_, err := f.s.GetBlob(f.ctx, b.Digest)
				f.ok(err)
			}

			// A failing remove keeps the record.
			ok, err := f.s.CollectBlob(f.ctx, failing.Digest, later(), func(context.Context) error { return errBoom })
			if ok || !errors.Is(err, errBoom) {
				t.Errorf("CollectBlob with a failing remove = %v, %v; want false, %v", ok, err, errBoom)
			}
			got, err := f.s.GetBlob(f.ctx, failing.Digest)
			f.ok(err)
			wantEqual(t, "record after a failing remove", got, failing)
		}},
		{"CollectHoldsRecord", func(t *testing.T, f *fixture) {
			// While remove runs, recording or referring to the blob waits;
			// afterwards the blob is recorded anew, or found missing.
			r := f.repo("oci", "app")
			gen := f.repo("generic", "pkg")
			pkg := f.version(gen.ID, "1.0")
			for _, c := range []struct {
				what  string
				write func(digest string) error
				kind  errs.Kind // of the write's error; errs.Other for none
			}{
				{"PutBlob", func(d string) error {
					return f.s.PutBlob(f.ctx, meta.Blob{Digest: d, Size: int64(len(d))})
				}, errs.Other},
				{"LinkBlob", func(d string) error { return f.s.LinkBlob(f.ctx, r.ID, d) }, errs.NotFound},
				{"CreateVersion", func(d string) error {
					return f.s.CreateVersion(f.ctx, &meta.Version{RepoID: r.ID, Version: d, BlobDigest: d}, nil)
				}, errs.NotFound},
				{"CreateFile", func(d string) error {
					return f.s.CreateFile(f.ctx, &meta.File{VersionID: pkg.ID, Name: d, Digest: d, Size: int64(len(d))})
				}, errs.NotFound},
			} {
				d := digestOf("held by " + c.what)
				f.ok(f.s.PutBlob(f.ctx, meta.Blob{Digest: d, Size: int64(len(d))}))
				entered := make(chan struct{})
				release := make(chan struct{})
				written := make(chan error, 1)
				var early bool
				collected := make(chan error, 1)
				go func() {
					_, err := f.s.CollectBlob(f.ctx, d, later(), func(context.Context) error {
						select {
						case <-entered:
						default:
							close(entered)
						}
						<-release
						select {
						case <-written:
							early = true
						default:
						}
						return nil
					})
					collected <- err
				}()
				<-entered
				go func() { written <- c.write(d) }()
				time.Sleep(30 * time.Millisecond) // let the write reach the store
				close(release)
				f.ok(<-collected)
				if early {
					t.Errorf("%s finished while CollectBlob was removing the content", c.what)
					continue
				}
				err := <-written
				if c.kind == errs.Other {
					f.ok(err)
					if _, err := f.s.GetBlob(f.ctx, d); err != nil {
						t.Errorf("GetBlob after %s that waited for CollectBlob: %v", c.what, err)
					}
				} else {
					wantKind(t, c.what+" after CollectBlob", err, c.kind)
				}
			}
		}},
		{"CollectWaitsForReference", func(t *testing.T, f *fixture) {
			// A collection that meets a blob held by a transaction referring
			// to it waits, and then spares it, whatever the cutoff: the
			// reference is what counts, not the time the row was touched.
			r := f.repo("oci", "app")
			gen := f.repo("generic", "pkg")
			pkg := f.version(gen.ID, "1.0")
			for _, c := range []struct {
				what  string
				refer func(q meta.Queries, digest string) error
			}{
				{"LinkBlob", func(q meta.Queries, d string) error { return q.LinkBlob(f.ctx, r.ID, d) }},
				{"CreateVersion content", func(q meta.Queries, d string) error {
					return q.CreateVersion(f.ctx, &meta.Version{RepoID: r.ID, Version: d, BlobDigest: d}, nil)
				}},
				{"CreateVersion ref", func(q meta.Queries, d string) error {
					return q.CreateVersion(f.ctx, &meta.Version{RepoID: r.ID, Version: "ref " + d},
						[]meta.Ref{{Kind: meta.RefBlob, Digest: d}})
				}},
				{"CreateFile", func(q meta.Queries, d string) error {
					return q.CreateFile(f.ctx, &meta.File{VersionID: pkg.ID, Name: d, Digest: d, Size: int64(len(d))})
				}},
			} {
				d := digestOf("referred to by " + c.what)
				f.ok(f.s.PutBlob(f.ctx, meta.Blob{Digest: d, Size: int64(len(d))}))
				referred := make(chan struct{})
				commit := make(chan struct{})
				done := make(chan error, 1)
				go func() {
					done <- f.s.Tx(f.ctx, func(q meta.Queries) error {
						if err := c.refer(q, d); err != nil {
							return err
						}
						close(referred)
						<-commit
						return nil
					})
				}()
				<-referred
				type result struct {
					ok      bool
					removed bool
					err     error
				}
				collected := make(chan result, 1)
				go func() {
					var res result
					res.ok, res.err = f.s.CollectBlob(f.ctx, d, later(), func(context.Context) error {
						res.removed = true
						return nil
					})
					collected <- res
				}()
				time.Sleep(50 * time.Millisecond) // let the collection reach the row
				close(commit)
				f.ok(<-done)
				res := <-collected
				f.ok(res.err)
				if res.ok || res.removed {
					t.Errorf("CollectBlob of a blob that %s referred to meanwhile = %v (removed %v), want false",
						c.what, res.ok, res.removed)
				}
				if _, err := f.s.GetBlob(f.ctx, d); err != nil {
					t.Errorf("GetBlob after %s and CollectBlob: %v", c.what, err)
				}
			}
		}},
	}
}
