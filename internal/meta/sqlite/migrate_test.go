package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"wharf/internal/meta"
)

// atMigration creates a database at path with the first n migrations
// applied and recorded, then runs rows, statements of that schema.
func atMigration(t *testing.T, path string, n int, rows ...string) {
	t.Helper()
	ctx := context.Background()
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stmts := []string{`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL) STRICT`}
	for _, m := range ms[:n] {
		stmts = append(stmts, m.sql, fmt.Sprintf(`INSERT INTO schema_migrations VALUES (%d, '%s', 0)`, m.version, m.name))
	}
	for _, q := range append(stmts, rows...) {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestMigrateKeepsRows applies the first migration alone, writes rows as
// that schema knew them, then opens the store: the later migrations must
// keep the rows, with no creator and empty file hashes.
func TestMigrateKeepsRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "meta.db")
	atMigration(t, path, 1,
		`INSERT INTO namespaces (id, name, lower_name, kind, public, created) VALUES (1, 'old', 'old', 'user', 1, 0)`,
		`INSERT INTO repositories (id, namespace_id, type, name, lower_name, public, created) VALUES (1, 1, 'generic', 'old/pkg', 'old/pkg', 1, 0)`,
		`INSERT INTO blobs (digest, size, created, last_used) VALUES ('sha256:aa', 1, 0, 0)`,
		`INSERT INTO versions (id, repo_id, version, lower_version, created) VALUES (1, 1, '1.0', '1.0', 0)`,
		`INSERT INTO files (id, version_id, name, lower_name, digest, size, lead, created) VALUES (1, 1, 'f', 'f', 'sha256:aa', 1, 1, 0)`,
	)

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

// TestMigrateAccounts opens a database at migration 2 with a person, an
// organisation, a repository and a token: after migration 3 they read with
// the defaults of the new columns, and the new tables take rows that refer
// to them.
func TestMigrateAccounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "meta.db")
	atMigration(t, path, 2,
		`INSERT INTO namespaces (id, name, lower_name, kind, public, created) VALUES (1, 'Ann', 'ann', 'user', 1, 5)`,
		`INSERT INTO namespaces (id, name, lower_name, kind, public, created) VALUES (2, 'corp', 'corp', 'org', 0, 6)`,
		`INSERT INTO users (id, name, lower_name, email, password_hash, namespace_id, created) VALUES (1, 'Ann', 'ann', 'a@example.com', 'x', 1, 7)`,
		`INSERT INTO repositories (id, namespace_id, type, name, lower_name, public, created) VALUES (1, 2, 'oci', 'corp/app', 'corp/app', 0, 8)`,
		`INSERT INTO tokens (id, user_id, name, hash, scopes, created) VALUES (1, 1, 'ci', 'hash', '["repo:read"]', 9)`,
		`INSERT INTO versions (id, repo_id, version, lower_version, creator_id, created) VALUES (1, 1, '1.0', '1.0', 1, 10)`,
	)
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open of a database at migration 2: %v", err)
	}
	defer s.Close()

	n, err := s.GetNamespace(ctx, "corp")
	if err != nil {
		t.Fatal(err)
	}
	want := meta.Namespace{ID: 2, Name: "corp", Kind: meta.KindOrg, Created: time.UnixMicro(6).UTC(),
		TagExpirationSecs: meta.DefaultTagExpirationSecs}
	if n != want {
		t.Errorf("namespace = %+v, want %+v", n, want)
	}
	u, err := s.GetUser(ctx, "ann")
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != 1 || u.Email != "a@example.com" || u.Robot || u.Description != "" || u.Metadata != nil ||
		u.SealedSecret != nil || u.SecretHash != "" || !u.LastAccessed.IsZero() {
		t.Errorf("user = %+v, want the old row with empty robot fields", u)
	}
	tok, err := s.GetTokenByHash(ctx, "hash")
	if err != nil {
		t.Fatal(err)
	}
	if tok.Kind != meta.TokenAPI || tok.UUID != "" || tok.AppID != 0 || tok.Sealed != nil ||
		!slices.Equal(tok.Scopes, []string{"repo:read"}) {
		t.Errorf("token = %+v, want an API token with its scopes", tok)
	}
	r, err := s.GetRepoByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != "corp/app" || r.Description != "" || r.TrustEnabled {
		t.Errorf("repository = %+v", r)
	}

	team := meta.Team{NamespaceID: 2, Name: "owners", Role: meta.TeamAdmin}
	if err := s.CreateTeam(ctx, &team); err != nil {
		t.Fatal(err)
	}
	if err := s.AddTeamMember(ctx, team.ID, 1); err != nil {
		t.Fatal(err)
	}
	if err := s.PutPermission(ctx, meta.Permission{RepoID: 1, TeamID: team.ID, Role: meta.RoleWrite}); err != nil {
		t.Fatal(err)
	}
	roles, err := s.RepoRoles(ctx, 1, 1)
	if err != nil || !slices.Equal(roles, []string{meta.RoleWrite}) {
		t.Errorf("RepoRoles = %q, %v; want [write]", roles, err)
	}
	if err := s.DeleteUser(ctx, 1); err != nil {
		t.Fatalf("DeleteUser of an old user: %v", err)
	}
	v, err := s.GetVersionByID(ctx, 1)
	if err != nil || v.CreatorID != 0 {
		t.Errorf("old version after its creator went: %+v, %v", v, err)
	}
}
