package metatest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func versionTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			own := f.blob("manifest bytes")
			before := time.Now()
			v := meta.Version{RepoID: r.ID, Version: "sha256:ABCdef", MediaType: "application/vnd.oci.image.manifest.v1+json",
				ArtifactType: "application/spdx+json", Subject: digestOf("subject"), BlobDigest: own.Digest,
				Size: own.Size, Metadata: []byte(`{"a":1}`), Annotations: []byte(`{"k":"v"}`)}
			f.ok(f.s.CreateVersion(f.ctx, &v, nil))
			if v.ID == 0 {
				t.Fatal("CreateVersion did not set ID")
			}
			wantStamp(t, "Created", v.Created, before)
			for _, s := range []string{"sha256:ABCdef", "sha256:abcdef", "SHA256:ABCDEF"} {
				got, err := f.s.GetVersion(f.ctx, r.ID, s)
				f.ok(err)
				wantEqual(t, "GetVersion("+s+")", got, v)
			}
			got, err := f.s.GetVersionByID(f.ctx, v.ID)
			f.ok(err)
			wantEqual(t, "GetVersionByID", got, v)
		}},
		{"Minimal", func(t *testing.T, f *fixture) {
			r := f.repo("generic", "pkg")
			v := meta.Version{RepoID: r.ID, Version: "1.0.0"}
			f.ok(f.s.CreateVersion(f.ctx, &v, nil))
			got, err := f.s.GetVersionByID(f.ctx, v.ID)
			f.ok(err)
			wantEqual(t, "GetVersionByID", got, v)
		}},
		{"Exists", func(t *testing.T, f *fixture) {
			r := f.repo("generic", "pkg")
			other := f.repo("generic", "other")
			f.version(r.ID, "v1.0")
			f.version(other.ID, "v1.0") // the same string in another repository is fine
			child := f.version(r.ID, "child")
			dup := meta.Version{RepoID: r.ID, Version: "V1.0"}
			err := f.s.CreateVersion(f.ctx, &dup, []meta.Ref{{Kind: meta.RefVersion, Digest: child.Version}})
			wantKind(t, "duplicate", err, errs.Exists)
			n, err := f.s.CountVersionParents(f.ctx, r.ID, child.Version)
			f.ok(err)
			if n != 0 {
				t.Errorf("failed CreateVersion left %d refs", n)
			}
		}},
		{"Errors", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			known := f.blob("known")
			missing := digestOf("never recorded")
			cases := []struct {
				name string
				v    meta.Version
				refs []meta.Ref
				kind errs.Kind
			}{
				{"missing repository", meta.Version{RepoID: r.ID + 1000, Version: "a"}, nil, errs.NotFound},
				{"missing own blob", meta.Version{RepoID: r.ID, Version: "b", BlobDigest: missing}, nil, errs.NotFound},
				{"missing ref blob", meta.Version{RepoID: r.ID, Version: "c", BlobDigest: known.Digest},
					[]meta.Ref{{Kind: meta.RefBlob, Digest: known.Digest}, {Kind: meta.RefBlob, Digest: missing}}, errs.NotFound},
				{"empty version", meta.Version{RepoID: r.ID}, nil, errs.Invalid},
				{"bad ref kind", meta.Version{RepoID: r.ID, Version: "d"}, []meta.Ref{{Kind: "tag", Digest: "x"}}, errs.Invalid},
				{"empty ref digest", meta.Version{RepoID: r.ID, Version: "e"}, []meta.Ref{{Kind: meta.RefVersion}}, errs.Invalid},
			}
			for _, c := range cases {
				wantKind(t, c.name, f.s.CreateVersion(f.ctx, &c.v, c.refs), c.kind)
			}
			vs, err := f.s.ListVersions(f.ctx, r.ID)
			f.ok(err)
			if len(vs) != 0 {
				t.Errorf("failed creates left versions %v", vs)
			}
			_, err = f.s.GetVersion(f.ctx, r.ID, "zzz")
			wantKind(t, "GetVersion(missing)", err, errs.NotFound)
			_, err = f.s.GetVersionByID(f.ctx, 1<<40)
			wantKind(t, "GetVersionByID(missing)", err, errs.NotFound)
		}},
		{"DuplicateRefs", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			layer := f.blob("layer")
			child := f.manifest(r.ID, "child")
			refs := []meta.Ref{
				{Kind: meta.RefBlob, Digest: layer.Digest}, {Kind: meta.RefBlob, Digest: layer.Digest},
				{Kind: meta.RefVersion, Digest: child.Version}, {Kind: meta.RefVersion, Digest: child.Version},
			}
			f.manifest(r.ID, "parent", refs...)
			n, err := f.s.CountVersionParents(f.ctx, r.ID, child.Version)
			f.ok(err)
			if n != 1 {
				t.Errorf("CountVersionParents = %d, want 1", n)
			}
		}},
		{"List", func(t *testing.T, f *fixture) {
			r := f.repo("generic", "pkg")
			other := f.repo("generic", "other")
			a := f.version(r.ID, "1")
			b := f.version(r.ID, "2")
			c := f.version(r.ID, "3")
			f.version(other.ID, "4")
			got, err := f.s.ListVersions(f.ctx, r.ID)
			f.ok(err)
			wantEqual(t, "ListVersions", got, []meta.Version{c, b, a})
		}},
		{"Referrers", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			other := f.repo("oci", "other")
			subject := f.manifest(r.ID, "subject")
			mk := func(repoID int64, content, artifactType, subj string) meta.Version {
				b := f.blob(content)
				v := meta.Version{RepoID: repoID, Version: b.Digest, ArtifactType: artifactType, Subject: subj,
					BlobDigest: b.Digest, Size: b.Size}
				f.ok(f.s.CreateVersion(f.ctx, &v, nil))
				return v
			}
			sig1 := mk(r.ID, "sig1", "application/vnd.sig", subject.Version)
			sbom := mk(r.ID, "sbom", "application/spdx+json", subject.Version)
			sig2 := mk(r.ID, "sig2", "application/vnd.sig", subject.Version)
			mk(r.ID, "unrelated", "application/vnd.sig", "")
			mk(other.ID, "elsewhere", "application/vnd.sig", subject.Version)

			got, err := f.s.ListReferrers(f.ctx, r.ID, subject.Version, "")
			f.ok(err)
			wantEqual(t, "ListReferrers(all)", got, []meta.Version{sig1, sbom, sig2})
			got, err = f.s.ListReferrers(f.ctx, r.ID, subject.Version, "application/vnd.sig")
			f.ok(err)
			wantEqual(t, "ListReferrers(sig)", got, []meta.Version{sig1, sig2})
			got, err = f.s.ListReferrers(f.ctx, r.ID, subject.Version, "application/none")
			f.ok(err)
			if len(got) != 0 {
				t.Errorf("ListReferrers(none) = %v, want none", got)
			}
			got, err = f.s.ListReferrers(f.ctx, r.ID, digestOf("no such subject"), "")
			f.ok(err)
			if len(got) != 0 {
				t.Errorf("ListReferrers(unknown subject) = %v, want none", got)
			}
		}},
		{"CountParents", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			other := f.repo("oci", "other")
			c1 := f.manifest(r.ID, "c1")
			c2 := f.manifest(r.ID, "c2")
			i1 := f.manifest(r.ID, "i1", meta.Ref{Kind: meta.RefVersion, Digest: c1.Version},
				meta.Ref{Kind: meta.RefVersion, Digest: c2.Version})
			f.manifest(r.ID, "i2", meta.Ref{Kind: meta.RefVersion, Digest: c1.Version})
			f.manifest(r.ID, "i3", meta.Ref{Kind: meta.RefBlob, Digest: c2.BlobDigest})
			f.manifest(other.ID, "i4", meta.Ref{Kind: meta.RefVersion, Digest: c1.Version})
			counts := func() (int, int) {
				n1, err := f.s.CountVersionParents(f.ctx, r.ID, c1.Version)
				f.ok(err)
				n2, err := f.s.CountVersionParents(f.ctx, r.ID, c2.Version)
				f.ok(err)
				return n1, n2
			}
			if n1, n2 := counts(); n1 != 2 || n2 != 1 {
				t.Errorf("parents = %d, %d, want 2, 1", n1, n2)
			}
			f.ok(f.s.DeleteVersion(f.ctx, i1.ID))
			if n1, n2 := counts(); n1 != 1 || n2 != 0 {
				t.Errorf("parents after deleting an index = %d, %d, want 1, 0", n1, n2)
			}
		}},
		{"Lock", func(t *testing.T, f *fixture) {
			r := f.repo("generic", "pkg")
			v := f.version(r.ID, "1.0-RC")
			got, err := f.s.LockVersion(f.ctx, r.ID, "1.0-rc")
			f.ok(err)
			wantEqual(t, "LockVersion outside a transaction", got, v)
			_, err = f.s.LockVersion(f.ctx, r.ID, "2.0")
			wantKind(t, "LockVersion(missing)", err, errs.NotFound)

			// Each transaction names a new file after the number of files
			// it finds: only if they run one after the other are the
			// names all different.
			b := f.blob("shared")
			const n = 12
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					err := f.s.Tx(f.ctx, func(q meta.Queries) error {
						lv, err := q.LockVersion(f.ctx, r.ID, "1.0-rc")
						if err != nil {
							return err
						}
						fs, err := q.ListFiles(f.ctx, lv.ID)
						if err != nil {
							return err
						}
						file := meta.File{VersionID: lv.ID, Name: fmt.Sprintf("f%02d", len(fs)), Digest: b.Digest, Size: b.Size}
						return q.CreateFile(f.ctx, &file)
					})
					if err != nil {
						t.Errorf("transaction %d: %v", i, err)
					}
				})
			}
			wg.Wait()
			fs, err := f.s.ListFiles(f.ctx, v.ID)
			f.ok(err)
			if len(fs) != n {
				t.Errorf("%d files after %d locked transactions, want %d", len(fs), n, n)
			}
		}},
		{"Downloads", func(t *testing.T, f *fixture) {
			r := f.repo("generic", "pkg")
			v := f.version(r.ID, "1.0")
			var wg sync.WaitGroup
			for range 10 {
				wg.Go(func() {
					if err := f.s.AddDownload(f.ctx, v.ID); err != nil {
						t.Errorf("AddDownload: %v", err)
					}
				})
			}
			wg.Wait()
			got, err := f.s.GetVersionByID(f.ctx, v.ID)
			f.ok(err)
			if got.Downloads != 10 {
				t.Errorf("Downloads = %d, want 10", got.Downloads)
			}
			wantKind(t, "AddDownload(missing)", f.s.AddDownload(f.ctx, v.ID+1000), errs.NotFound)
		}},
		{"DeleteCascades", func(t *testing.T, f *fixture) {
			r := f.repo("generic", "pkg")
			v := f.version(r.ID, "1.0", meta.Ref{Kind: meta.RefVersion, Digest: "0.9"})
			keep := f.version(r.ID, "2.0")
			file := f.file(v.ID, "a.tgz")
			kept := f.file(keep.ID, "b.tgz")
			f.ok(f.s.PutTag(f.ctx, r.ID, "stable", v.ID))
			f.ok(f.s.PutTag(f.ctx, r.ID, "latest", keep.ID))

			f.ok(f.s.DeleteVersion(f.ctx, v.ID))

			_, err := f.s.GetVersionByID(f.ctx, v.ID)
			wantKind(t, "GetVersionByID", err, errs.NotFound)
			_, err = f.s.GetFile(f.ctx, v.ID, file.Name)
			wantKind(t, "GetFile", err, errs.NotFound)
			_, err = f.s.GetTag(f.ctx, r.ID, "stable")
			wantKind(t, "GetTag", err, errs.NotFound)
			n, err := f.s.CountVersionParents(f.ctx, r.ID, "0.9")
			f.ok(err)
			if n != 0 {
				t.Errorf("CountVersionParents = %d after delete, want 0", n)
			}
			if _, err := f.s.GetTag(f.ctx, r.ID, "latest"); err != nil {
				t.Errorf("other version's tag: %v", err)
			}
			if _, err := f.s.GetFile(f.ctx, keep.ID, kept.Name); err != nil {
				t.Errorf("other version's file: %v", err)
			}
			if _, err := f.s.GetBlob(f.ctx, file.Digest); err != nil {
				t.Errorf("file blob: %v, want it kept for garbage collection", err)
			}
			wantKind(t, "DeleteVersion again", f.s.DeleteVersion(f.ctx, v.ID), errs.NotFound)
		}},
	}
}
