package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"wharf/internal/errs"
	"wharf/internal/meta"
	"wharf/internal/meta/metatest"
)

func open(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	t.Parallel()
	metatest.Run(t, func(t *testing.T) meta.Store { return open(t) })
}

func TestReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "meta.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	n := meta.Namespace{Name: "kept", Kind: meta.KindUser}
	if err := s.CreateNamespace(ctx, &n); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("Open of a migrated database: %v", err)
	}
	defer s.Close()
	if _, err := s.GetNamespace(ctx, "kept"); err != nil {
		t.Errorf("GetNamespace after reopen: %v", err)
	}
	var applied int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		t.Fatal(err)
	}
	if applied != len(ms) {
		t.Errorf("schema_migrations has %d rows, want %d", applied, len(ms))
	}
}

func TestOpenInvalid(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"", ":memory:", filepath.Join(t.TempDir(), "a?b.db")} {
		if _, err := Open(context.Background(), path); !errs.Is(err, errs.Invalid) {
			t.Errorf("Open(%q) = %v, want errs.Invalid", path, err)
		}
	}
	if _, err := Open(context.Background(), filepath.Join(t.TempDir(), "missing", "dir", "meta.db")); err == nil {
		t.Error("Open in a missing directory succeeded")
	}
}

// TestSettings checks the settings durability and concurrency rest on.
func TestSettings(t *testing.T) {
	t.Parallel()
	s := open(t)
	ctx := context.Background()
	for _, c := range []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "2"}, // FULL
		{"foreign_keys", "1"},
		{"busy_timeout", fmt.Sprint(busyTimeout.Milliseconds())},
	} {
		var got string
		if err := s.w.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("writer %s = %s, want %s", c.pragma, got, c.want)
		}
	}
	if _, err := s.r.ExecContext(ctx, `DELETE FROM namespaces`); err == nil {
		t.Error("a read connection accepted a write")
	}
}

// seedHotPath records a repository with 50 tagged manifests and returns it.
func seedHotPath(b *testing.B, s *Store) meta.Repository {
	b.Helper()
	ctx := context.Background()
	ns := meta.Namespace{Name: "bench", Kind: meta.KindUser}
	if err := s.CreateNamespace(ctx, &ns); err != nil {
		b.Fatal(err)
	}
	r := meta.Repository{NamespaceID: ns.ID, Type: "oci", Name: "bench/App"}
	if err := s.CreateRepo(ctx, &r); err != nil {
		b.Fatal(err)
	}
	err := s.Tx(ctx, func(q meta.Queries) error {
		for i := range 50 {
			d := fmt.Sprintf("sha256:%064d", i)
			if err := q.PutBlob(ctx, meta.Blob{Digest: d, Size: 1000}); err != nil {
				return err
			}
			v := meta.Version{RepoID: r.ID, Version: d, BlobDigest: d, Size: 1000,
				MediaType: "application/vnd.oci.image.manifest.v1+json"}
			if err := q.CreateVersion(ctx, &v, nil); err != nil {
				return err
			}
			if err := q.PutTag(ctx, r.ID, fmt.Sprintf("v%d", i), v.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// hotRead resolves a tagged manifest the way a manifest GET does.
func hotRead(ctx context.Context, s *Store, i int) error {
	r, err := s.GetRepo(ctx, "oci", "bench/app")
	if err != nil {
		return err
	}
	t, err := s.GetTag(ctx, r.ID, fmt.Sprintf("v%d", i%50))
	if err != nil {
		return err
	}
	_, err = s.GetVersion(ctx, r.ID, t.Digest)
	return err
}

// BenchmarkHotRead measures GetRepo + GetTag + GetVersion on one goroutine.
func BenchmarkHotRead(b *testing.B) {
	s := open(b)
	seedHotPath(b, s)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if err := hotRead(ctx, s, i); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkHotReadParallel is BenchmarkHotRead from GOMAXPROCS goroutines.
func BenchmarkHotReadParallel(b *testing.B) {
	s := open(b)
	seedHotPath(b, s)
	ctx := context.Background()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if err := hotRead(ctx, s, i); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}
