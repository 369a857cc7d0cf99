package artifact_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"

	"wharf/internal/artifact"
	"wharf/internal/blob/fs"
	"wharf/internal/meta"
)

// BenchmarkGetTaggedContent measures a manifest pull by tag, the hot path
// of every image pull, with and without the content cache.
func BenchmarkGetTaggedContent(b *testing.B) {
	benchTagged(b, func(e *env, repoID int64) (artifact.Content, error) {
		return e.svc.GetTaggedContent(b.Context(), repoID, "latest")
	})
}

// BenchmarkFindTaggedContent is BenchmarkGetTaggedContent from the
// repository's name, as the OCI front resolves a pull.
func BenchmarkFindTaggedContent(b *testing.B) {
	benchTagged(b, func(e *env, _ int64) (artifact.Content, error) {
		return e.svc.FindTaggedContent(b.Context(), "oci", "alice/bench", "latest")
	})
}

func benchTagged(b *testing.B, get func(e *env, repoID int64) (artifact.Content, error)) {
	for _, bc := range []struct {
		name  string
		cache int64
	}{
		{name: "cached"},
		{name: "uncached", cache: -1},
	} {
		b.Run(bc.name, func(b *testing.B) {
			e := newEnv(b, artifact.Options{ContentCacheBytes: bc.cache})
			repo := e.repo(b, "oci", "alice/bench")
			var refs []meta.Ref
			for i := range 8 {
				refs = append(refs, blobRef(e.push(b, repo.ID, []byte(fmt.Sprintf("layer %d", i)))))
			}
			doc := manifest(string(bytes.Repeat([]byte("x"), 1000)), refs...)
			for i := range 50 {
				e.put(b, repo.ID, manifest(fmt.Sprint(i)), fmt.Sprintf("v%d", i))
			}
			e.put(b, repo.ID, doc, "latest", refs...)

			b.Run("serial", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					c, err := get(e, repo.ID)
					if err != nil || len(c.Data) != len(doc) {
						b.Fatalf("%d bytes, %v", len(c.Data), err)
					}
				}
			})
			b.Run("parallel", func(b *testing.B) {
				b.ReportAllocs()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						c, err := get(e, repo.ID)
						if err != nil || len(c.Data) != len(doc) {
							b.Errorf("%d bytes, %v", len(c.Data), err)
							return
						}
					}
				})
			})
		})
	}
}

// BenchmarkPutBlob measures a monolithic 1 MiB blob push: session, write,
// verify, commit and link.
func BenchmarkPutBlob(b *testing.B) {
	e := newEnv(b, artifact.Options{})
	ctx := b.Context()
	repo := e.repo(b, "oci", "alice/benchput")
	data := randBytes(1<<20, 1)
	d := sha256Digest(data)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.svc.PutBlob(ctx, repo.ID, d, bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStartUpload measures opening an upload session, as a POST to
// /v2/<name>/blobs/uploads/ does, on SQLite and the fs blob store with
// fsync, as a server runs them.
func BenchmarkStartUpload(b *testing.B) {
	dir := b.TempDir()
	m := openMeta(b, filepath.Join(dir, "meta.db"))
	b.Cleanup(func() { m.Close() })
	createNamespaces(b, m)
	blobs, err := fs.New(filepath.Join(dir, "blobs"), fs.Options{Fsync: true})
	if err != nil {
		b.Fatal(err)
	}
	e := newEnvOn(b, m, blobs, artifact.Options{})
	repo := e.repo(b, "oci", "alice/benchstart")
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.svc.StartUpload(ctx, repo.ID); err != nil {
			b.Fatal(err)
		}
	}
}
