package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"wharf/internal/meta"
	"wharf/internal/meta/metatest"
)

// dsnEnv names the variable that holds the DSN of a PostgreSQL database
// the tests may create and drop schemas in.
const dsnEnv = "WHARF_TEST_POSTGRES_DSN"

// testDSN returns the test database's DSN or skips the test.
func testDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv(dsnEnv)
	if dsn == "" {
		t.Skipf("%s is not set: PostgreSQL tests need a database, e.g. "+
			"%s='postgres://postgres@127.0.0.1:5432/test?sslmode=disable'", dsnEnv, dsnEnv)
	}
	return dsn
}

// newSchema creates an empty schema, dropped when the test ends, and
// returns a pool configuration whose search_path is that schema.
func newSchema(t *testing.T, dsn string) *pgxpool.Config {
	t.Helper()
	ctx := context.Background()
	b := make([]byte, 8)
	rand.Read(b)
	schema := "wharf_test_" + hex.EncodeToString(b)
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("connect: %v", err)
			return
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("parse dsn: %v", err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "off" // durability is not under test
	cfg.MaxConns = 8
	return cfg
}

// open opens a store on a fresh schema, closed when the test ends.
func open(t *testing.T, dsn string) *Store {
	t.Helper()
	s, err := OpenConfig(context.Background(), newSchema(t, dsn))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	t.Parallel()
	dsn := testDSN(t)
	metatest.Run(t, func(t *testing.T) meta.Store { return open(t, dsn) })
}

func TestMigrateConcurrently(t *testing.T) {
	t.Parallel()
	dsn := testDSN(t)
	cfg := newSchema(t, dsn)
	var wg sync.WaitGroup
	stores := make([]*Store, 4)
	errs := make([]error, len(stores))
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = OpenConfig(context.Background(), cfg.Copy()) })
	}
	wg.Wait()
	for i, s := range stores {
		if errs[i] != nil {
			t.Fatalf("Open %d: %v", i, errs[i])
		}
		defer s.Close()
	}
	s := stores[0]
	var n int
	if err := s.pool.QueryRow(context.Background(), `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(ms) {
		t.Errorf("schema_migrations has %d rows, want %d", n, len(ms))
	}
	if err := s.Migrate(context.Background()); err != nil {
		t.Errorf("Migrate again: %v", err)
	}
}

func TestOpenBadDSN(t *testing.T) {
	t.Parallel()
	if _, err := Open(context.Background(), "postgres://%zz"); err == nil {
		t.Error("Open accepted a malformed DSN")
	}
}
