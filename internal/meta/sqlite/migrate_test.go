package sqlite

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"testing"

	"wharf/internal/meta"
)

// TestMigrateKeepsRows applies the first migration alone, writes rows as
// that schema knew them, then opens the store: the later migrations must
// keep the rows, with no creator and empty file hashes.
func TestMigrateKeepsRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "meta.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	first, err := fs.ReadFile(migrationFiles, "migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		string(first),
		`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL) STRICT`,
		`INSERT INTO schema_migrations VALUES (1, '0001_init.sql', 0)`,
		`INSERT INTO namespaces (id, name, lower_name, kind, public, created) VALUES (1, 'old', 'old', 'user', 1, 0)`,
		`INSERT INTO repositories (id, namespace_id, type, name, lower_name, public, created) VALUES (1, 1, 'generic', 'old/pkg', 'old/pkg', 1, 0)`,
		`INSERT INTO blobs (digest, size, created, last_used) VALUES ('sha256:aa', 1, 0, 0)`,
		`INSERT INTO versions (id, repo_id, version, lower_version, created) VALUES (1, 1, '1.0', '1.0', 0)`,
		`INSERT INTO files (id, version_id, name, lower_name, digest, size, lead, created) VALUES (1, 1, 'f', 'f', 'sha256:aa', 1, 1, 0)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open of a database at migration 1: %v", err)
	}
	defer s.Close()
	v, err := s.GetVersionByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if v.CreatorID != 0 {
		t.Errorf("old version has CreatorID %d", v.CreatorID)
	}
	f, err := s.GetFile(ctx, 1, "f")
	if err != nil {
		t.Fatal(err)
	}
	if f.MD5 != "" || f.SHA1 != "" || f.SHA512 != "" || f.Digest != "sha256:aa" {
		t.Errorf("old file = %+v, want empty hashes", f)
	}
	vs, total, err := s.ListOwnerVersions(ctx, 1, meta.VersionFilter{Type: "generic"})
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || len(vs) != 1 || vs[0].Creator.ID != 0 || vs[0].Repo.Name != "old/pkg" {
		t.Errorf("ListOwnerVersions = %+v (total %d)", vs, total)
	}
}
