package metatest

import (
	"strings"
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func fileTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, f *fixture) {
			r := f.repo("generic", "pkg")
			v := f.version(r.ID, "1.0")
			b := f.blob("tarball")
			before := time.Now()
			file := meta.File{VersionID: v.ID, Name: "Pkg-1.0.TGZ", Digest: b.Digest, Size: b.Size, Lead: true}
			f.ok(f.s.CreateFile(f.ctx, &file))
			if file.ID == 0 {
				t.Fatal("CreateFile did not set ID")
			}
			wantStamp(t, "Created", file.Created, before)
			for _, name := range []string{"Pkg-1.0.TGZ", "pkg-1.0.tgz"} {
				got, err := f.s.GetFile(f.ctx, v.ID, name)
				f.ok(err)
				wantEqual(t, "GetFile("+name+")", got, file)
			}
		}},
		{"Hashes", func(t *testing.T, f *fixture) {
			r := f.repo("generic", "pkg")
			v := f.version(r.ID, "1.0")
			b := f.blob("")
			file := meta.File{VersionID: v.ID, Name: "empty", Digest: b.Digest, Size: 0, Lead: true,
				MD5: "d41d8cd98f00b204e9800998ecf8427e", SHA1: "da39a3ee5e6b4b0d3255bfef95601890afd80709",
				SHA512: "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"}
			f.ok(f.s.CreateFile(f.ctx, &file))
			got, err := f.s.GetFile(f.ctx, v.ID, "empty")
			f.ok(err)
			wantEqual(t, "GetFile", got, file)
			list, err := f.s.ListFiles(f.ctx, v.ID)
			f.ok(err)
			wantEqual(t, "ListFiles", list, []meta.File{file})
			bare := f.file(v.ID, "bare")
			got, err = f.s.GetFile(f.ctx, v.ID, "bare")
			f.ok(err)
			if got.MD5 != "" || got.SHA1 != "" || got.SHA512 != "" {
				t.Errorf("file created without hashes has hashes: %+v", got)
			}
			wantEqual(t, "GetFile(bare)", got, bare)
		}},
		{"Errors", func(t *testing.T, f *fixture) {
			r := f.repo("generic", "pkg")
			v := f.version(r.ID, "1.0")
			b := f.blob("content")
			f.file(v.ID, "a.txt")
			cases := []struct {
				name string
				file meta.File
				kind errs.Kind
			}{
				{"duplicate name", meta.File{VersionID: v.ID, Name: "A.TXT", Digest: b.Digest, Size: b.Size}, errs.Exists},
				{"missing version", meta.File{VersionID: v.ID + 1000, Name: "b.txt", Digest: b.Digest}, errs.NotFound},
				{"missing blob", meta.File{VersionID: v.ID, Name: "c.txt", Digest: digestOf("nothing")}, errs.NotFound},
				{"empty name", meta.File{VersionID: v.ID, Digest: b.Digest}, errs.Invalid},
			}
			for _, c := range cases {
				wantKind(t, c.name, f.s.CreateFile(f.ctx, &c.file), c.kind)
			}
			_, err := f.s.GetFile(f.ctx, v.ID, "b.txt")
			wantKind(t, "GetFile(missing)", err, errs.NotFound)
			files, err := f.s.ListFiles(f.ctx, v.ID)
			f.ok(err)
			if len(files) != 1 {
				t.Errorf("failed creates left files: %v", files)
			}
		}},
		{"List", func(t *testing.T, f *fixture) {
			r := f.repo("generic", "pkg")
			v := f.version(r.ID, "1.0")
			other := f.version(r.ID, "2.0")
			c := f.file(v.ID, "c.txt")
			a := f.file(v.ID, "a.txt")
			b := f.file(v.ID, "b.txt")
			f.file(other.ID, "a.txt")
			got, err := f.s.ListFiles(f.ctx, v.ID)
			f.ok(err)
			wantEqual(t, "ListFiles", got, []meta.File{a, b, c})
		}},
		{"Delete", func(t *testing.T, f *fixture) {
			r := f.repo("generic", "pkg")
			v := f.version(r.ID, "1.0")
			file := f.file(v.ID, "a.txt")
			f.ok(f.s.DeleteFile(f.ctx, file.ID))
			_, err := f.s.GetFile(f.ctx, v.ID, "a.txt")
			wantKind(t, "GetFile after delete", err, errs.NotFound)
			wantKind(t, "DeleteFile again", f.s.DeleteFile(f.ctx, file.ID), errs.NotFound)
			if _, err := f.s.GetVersionByID(f.ctx, v.ID); err != nil {
				t.Errorf("version after deleting its file: %v", err)
			}
			// The name is free again.
			f.file(v.ID, "A.TXT")
		}},
	}
}

func tagTests() []test {
	return []test{
		{"PutGet", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			v := f.manifest(r.ID, "m1")
			before := time.Now()
			f.ok(f.s.PutTag(f.ctx, r.ID, "latest", v.ID))
			got, err := f.s.GetTag(f.ctx, r.ID, "latest")
			f.ok(err)
			wantStamp(t, "Updated", got.Updated, before)
			want := meta.Tag{RepoID: r.ID, Name: "latest", VersionID: v.ID, Digest: v.Version, Updated: got.Updated}
			wantEqual(t, "GetTag", got, want)
			_, err = f.s.GetTag(f.ctx, r.ID, "LATEST")
			wantKind(t, "GetTag(LATEST): tags are case-sensitive", err, errs.NotFound)
			_, err = f.s.GetTag(f.ctx, r.ID+1000, "latest")
			wantKind(t, "GetTag(other repository)", err, errs.NotFound)
		}},
		{"GetTaggedVersion", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			v1 := f.manifest(r.ID, "m1")
			v2 := f.manifest(r.ID, "m2")
			f.ok(f.s.PutTag(f.ctx, r.ID, "latest", v1.ID))
			got, err := f.s.GetTaggedVersion(f.ctx, r.ID, "latest")
			f.ok(err)
			want, err := f.s.GetVersionByID(f.ctx, v1.ID)
			f.ok(err)
			wantEqual(t, "GetTaggedVersion", got, want)
			f.ok(f.s.PutTag(f.ctx, r.ID, "latest", v2.ID))
			got, err = f.s.GetTaggedVersion(f.ctx, r.ID, "latest")
			f.ok(err)
			if got.ID != v2.ID {
				t.Errorf("GetTaggedVersion after move = version %d, want %d", got.ID, v2.ID)
			}
			_, err = f.s.GetTaggedVersion(f.ctx, r.ID, "missing")
			wantKind(t, "GetTaggedVersion(missing)", err, errs.NotFound)
			_, err = f.s.GetTaggedVersion(f.ctx, r.ID+1000, "latest")
			wantKind(t, "GetTaggedVersion(other repository)", err, errs.NotFound)

			found, err := f.s.FindTaggedVersion(f.ctx, "oci", strings.ToUpper(r.Name), "latest")
			f.ok(err)
			wantEqual(t, "FindTaggedVersion", found, got)
			_, err = f.s.FindTaggedVersion(f.ctx, "generic", r.Name, "latest")
			wantKind(t, "FindTaggedVersion(other type)", err, errs.NotFound)
			_, err = f.s.FindTaggedVersion(f.ctx, "oci", r.Name+"x", "latest")
			wantKind(t, "FindTaggedVersion(missing repository)", err, errs.NotFound)
			_, err = f.s.FindTaggedVersion(f.ctx, "oci", r.Name, "missing")
			wantKind(t, "FindTaggedVersion(missing tag)", err, errs.NotFound)
		}},
		{"Move", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			v1 := f.manifest(r.ID, "m1")
			v2 := f.manifest(r.ID, "m2")
			f.ok(f.s.PutTag(f.ctx, r.ID, "latest", v1.ID))
			first, err := f.s.GetTag(f.ctx, r.ID, "latest")
			f.ok(err)
			tick()
			f.ok(f.s.PutTag(f.ctx, r.ID, "latest", v2.ID))
			got, err := f.s.GetTag(f.ctx, r.ID, "latest")
			f.ok(err)
			if got.VersionID != v2.ID || got.Digest != v2.Version {
				t.Errorf("moved tag = %+v, want version %d (%s)", got, v2.ID, v2.Version)
			}
			if !got.Updated.After(first.Updated) {
				t.Errorf("Updated = %v after move, want after %v", got.Updated, first.Updated)
			}
			names, err := f.s.ListVersionTags(f.ctx, v1.ID)
			f.ok(err)
			if len(names) != 0 {
				t.Errorf("old version still tagged %v", names)
			}
		}},
		{"Errors", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			other := f.repo("oci", "other")
			theirs := f.manifest(other.ID, "theirs")
			wantKind(t, "version of another repository", f.s.PutTag(f.ctx, r.ID, "x", theirs.ID), errs.NotFound)
			wantKind(t, "missing version", f.s.PutTag(f.ctx, r.ID, "x", theirs.ID+1000), errs.NotFound)
			_, err := f.s.GetTag(f.ctx, r.ID, "x")
			wantKind(t, "GetTag after failed puts", err, errs.NotFound)
		}},
		{"List", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			other := f.repo("oci", "other")
			v1 := f.manifest(r.ID, "m1")
			v2 := f.manifest(r.ID, "m2")
			names := []string{"v1", "latest", "B", "a", "v1.0"}
			for i, n := range names {
				f.ok(f.s.PutTag(f.ctx, r.ID, n, []int64{v1.ID, v2.ID}[i%2]))
			}
			f.ok(f.s.PutTag(f.ctx, other.ID, "aa", f.manifest(other.ID, "o").ID))
			all, err := f.s.ListTags(f.ctx, r.ID, meta.Page{})
			f.ok(err)
			var gotNames []string
			for _, tg := range all {
				gotNames = append(gotNames, tg.Name)
				want := map[string]int64{"v1": v1.ID, "latest": v2.ID, "B": v1.ID, "a": v2.ID, "v1.0": v1.ID}[tg.Name]
				if tg.VersionID != want || tg.RepoID != r.ID {
					t.Errorf("tag %+v, want version %d in repository %d", tg, want, r.ID)
				}
			}
			wantEqual(t, "ListTags names", gotNames, []string{"a", "B", "latest", "v1", "v1.0"})

			var paged []meta.Tag
			p := meta.Page{Limit: 2}
			for range 10 {
				page, err := f.s.ListTags(f.ctx, r.ID, p)
				f.ok(err)
				if len(page) == 0 {
					break
				}
				if len(page) > 2 {
					t.Fatalf("page of %d, limit 2", len(page))
				}
				paged = append(paged, page...)
				p.After = page[len(page)-1].Name
			}
			wantEqual(t, "ListTags paged", paged, all)
			after, err := f.s.ListTags(f.ctx, r.ID, meta.Page{After: "b"})
			f.ok(err)
			wantEqual(t, "ListTags(after b)", after, all[2:])

			vt, err := f.s.ListVersionTags(f.ctx, v1.ID)
			f.ok(err)
			wantEqual(t, "ListVersionTags", vt, []string{"B", "v1", "v1.0"})
		}},
		{"Delete", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "app")
			v := f.manifest(r.ID, "m1")
			f.ok(f.s.PutTag(f.ctx, r.ID, "latest", v.ID))
			f.ok(f.s.PutTag(f.ctx, r.ID, "stable", v.ID))
			f.ok(f.s.DeleteTag(f.ctx, r.ID, "latest"))
			_, err := f.s.GetTag(f.ctx, r.ID, "latest")
			wantKind(t, "GetTag after delete", err, errs.NotFound)
			wantKind(t, "DeleteTag again", f.s.DeleteTag(f.ctx, r.ID, "latest"), errs.NotFound)
			if _, err := f.s.GetVersionByID(f.ctx, v.ID); err != nil {
				t.Errorf("version after deleting its tag: %v", err)
			}
			names, err := f.s.ListVersionTags(f.ctx, v.ID)
			f.ok(err)
			wantEqual(t, "ListVersionTags", names, []string{"stable"})
		}},
	}
}
