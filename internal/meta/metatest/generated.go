package metatest

import (
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func genKey(ref string) meta.GeneratedKey {
	return meta.GeneratedKey{Source: "github:acme/app", Ref: ref, Path: "pods/spicepod.yaml", Variant: "v1"}
}

func generatedTests() []test {
	later := func() time.Time { return time.Now().Add(time.Hour) }
	return []test{
		{"PutGet", func(t *testing.T, f *fixture) {
			b := f.blob("zip one")
			before := time.Now()
			g := meta.GeneratedPackage{GeneratedKey: genKey("abc"), Digest: b.Digest, Size: b.Size}
			f.ok(f.s.PutGenerated(f.ctx, &g))
			wantStamp(t, "Created", g.Created, before)
			got, err := f.s.GetGenerated(f.ctx, g.GeneratedKey)
			f.ok(err)
			wantEqual(t, "GetGenerated", got, g)

			// Each part of the key counts, exactly.
			for _, k := range []meta.GeneratedKey{
				{Source: "github:acme/other", Ref: "abc", Path: "pods/spicepod.yaml", Variant: "v1"},
				{Source: "github:acme/app", Ref: "ABC", Path: "pods/spicepod.yaml", Variant: "v1"},
				{Source: "github:acme/app", Ref: "abc", Path: "pods/Spicepod.yaml", Variant: "v1"},
				{Source: "github:acme/app", Ref: "abc", Path: "pods/spicepod.yaml", Variant: "v2"},
			} {
				_, err := f.s.GetGenerated(f.ctx, k)
				wantKind(t, "GetGenerated(other key)", err, errs.NotFound)
			}

			// Putting the key again replaces the record.
			b2 := f.blob("zip two")
			tick()
			g2 := meta.GeneratedPackage{GeneratedKey: genKey("abc"), Digest: b2.Digest, Size: b2.Size}
			f.ok(f.s.PutGenerated(f.ctx, &g2))
			got, err = f.s.GetGenerated(f.ctx, g.GeneratedKey)
			f.ok(err)
			wantEqual(t, "GetGenerated after replacing", got, g2)
			if !g2.Created.After(g.Created) {
				t.Errorf("replaced record Created %v, not after %v", g2.Created, g.Created)
			}
		}},
		{"Errors", func(t *testing.T, f *fixture) {
			b := f.blob("zip")
			wantKind(t, "PutGenerated(unrecorded blob)", f.s.PutGenerated(f.ctx,
				&meta.GeneratedPackage{GeneratedKey: genKey("a"), Digest: digestOf("nothing"), Size: 1}), errs.NotFound)
			for _, g := range []meta.GeneratedPackage{
				{GeneratedKey: meta.GeneratedKey{Ref: "a", Path: "p", Variant: "v"}, Digest: b.Digest, Size: b.Size},
				{GeneratedKey: meta.GeneratedKey{Source: "s", Path: "p", Variant: "v"}, Digest: b.Digest, Size: b.Size},
				{GeneratedKey: meta.GeneratedKey{Source: "s", Ref: "a", Variant: "v"}, Digest: b.Digest, Size: b.Size},
				{GeneratedKey: meta.GeneratedKey{Source: "s", Ref: "a", Path: "p"}, Digest: b.Digest, Size: b.Size},
				{GeneratedKey: genKey("a"), Size: b.Size},
				{GeneratedKey: genKey("a"), Digest: b.Digest, Size: -1},
			} {
				wantKind(t, "PutGenerated(incomplete)", f.s.PutGenerated(f.ctx, &g), errs.Invalid)
			}
			_, err := f.s.GetGenerated(f.ctx, genKey("a"))
			wantKind(t, "GetGenerated after refused puts", err, errs.NotFound)
			wantKind(t, "DeleteGenerated(missing)", f.s.DeleteGenerated(f.ctx, genKey("a")), errs.NotFound)
		}},
		{"Delete", func(t *testing.T, f *fixture) {
			b := f.blob("zip")
			g := meta.GeneratedPackage{GeneratedKey: genKey("a"), Digest: b.Digest, Size: b.Size}
			f.ok(f.s.PutGenerated(f.ctx, &g))
			f.ok(f.s.DeleteGenerated(f.ctx, g.GeneratedKey))
			_, err := f.s.GetGenerated(f.ctx, g.GeneratedKey)
			wantKind(t, "GetGenerated after delete", err, errs.NotFound)
		}},
		{"DeleteBefore", func(t *testing.T, f *fixture) {
			b := f.blob("zip")
			old := meta.GeneratedPackage{GeneratedKey: genKey("old"), Digest: b.Digest, Size: b.Size}
			f.ok(f.s.PutGenerated(f.ctx, &old))
			tick()
			cutoff := time.Now()
			tick()
			young := meta.GeneratedPackage{GeneratedKey: genKey("young"), Digest: b.Digest, Size: b.Size}
			f.ok(f.s.PutGenerated(f.ctx, &young))
			n, err := f.s.DeleteGeneratedBefore(f.ctx, cutoff)
			f.ok(err)
			if n != 1 {
				t.Errorf("DeleteGeneratedBefore removed %d, want 1", n)
			}
			_, err = f.s.GetGenerated(f.ctx, old.GeneratedKey)
			wantKind(t, "GetGenerated(old)", err, errs.NotFound)
			_, err = f.s.GetGenerated(f.ctx, young.GeneratedKey)
			f.ok(err)
			n, err = f.s.DeleteGeneratedBefore(f.ctx, cutoff)
			f.ok(err)
			if n != 0 {
				t.Errorf("second DeleteGeneratedBefore removed %d, want 0", n)
			}
		}},
		{"HoldsBlob", func(t *testing.T, f *fixture) {
			b := f.blob("zip")
			tick()
			cutoff := time.Now()
			tick()
			g := meta.GeneratedPackage{GeneratedKey: genKey("a"), Digest: b.Digest, Size: b.Size}
			f.ok(f.s.PutGenerated(f.ctx, &g))
			if got := f.unreferenced(later()); len(got) != 0 {
				t.Errorf("unreferenced = %v, want none while a generated package refers to the blob", got)
			}
			f.deleteBlob(b.Digest, later(), false)
			f.ok(f.s.DeleteGenerated(f.ctx, g.GeneratedKey))
			// Recording the package renewed the blob's grace period.
			if got := f.unreferenced(cutoff); len(got) != 0 {
				t.Errorf("unreferenced before the record = %v, want none", got)
			}
			wantEqual(t, "unreferenced after deleting the record", f.unreferenced(later()), map[string]bool{b.Digest: true})
			f.deleteBlob(b.Digest, later(), true)
		}},
	}
}
