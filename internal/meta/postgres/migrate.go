package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// migrationFiles holds the numbered schema migrations, NNNN_name.sql.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// lockSQL takes the session advisory lock that serializes migrations of
// the schema the connection creates tables in, current_schema(), across
// every Wharf process; unlockSQL releases it.
const (
	lockSQL   = `SELECT pg_advisory_lock(hashtextextended('wharf migrate ' || coalesce(current_schema(), ''), 0))`
	unlockSQL = `SELECT pg_advisory_unlock(hashtextextended('wharf migrate ' || coalesce(current_schema(), ''), 0))`
)

// migration is one numbered schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the migrations in fsys's migrations directory in
// version order. Versions must be unique and positive.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || path.Ext(name) != ".sql" {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %q: name must be NNNN_name.sql", name)
		}
		b, err := fs.ReadFile(fsys, path.Join("migrations", name))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("migrations %q and %q share a version", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

// Migrate applies every embedded migration the database lacks, each in its
// own transaction, and records it in schema_migrations. Tables are created
// in the first schema of the connection's search_path. Concurrent runs from
// any number of processes are serialized by a session advisory lock;
// running it on an up-to-date database changes nothing. Open calls it.
func (s *Store) Migrate(ctx context.Context) (err error) {
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		return fmt.Errorf("postgres: load migrations: %w", err)
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, lockSQL); err != nil {
		return fmt.Errorf("postgres: migrate: lock: %w", err)
	}
	defer func() {
		if _, uerr := conn.Exec(context.WithoutCancel(ctx), unlockSQL); uerr != nil {
			// A session lock dies with its connection; never pool one holding it.
			conn.Conn().Close(context.WithoutCancel(ctx))
			err = errors.Join(err, fmt.Errorf("postgres: migrate: unlock: %w", uerr))
		}
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer     PRIMARY KEY,
		name    text        NOT NULL,
		applied timestamptz NOT NULL
	)`); err != nil {
		return fmt.Errorf("postgres: create schema_migrations: %w", err)
	}
	for _, m := range ms {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, m.version).Scan(&n); err != nil {
			return fmt.Errorf("postgres: migration %s: %w", m.name, err)
		}
		if n > 0 {
			continue
		}
		tx, err := conn.Begin(ctx)
		if err != nil {
			return fmt.Errorf("postgres: migration %s: %w", m.name, err)
		}
		_, err = tx.Exec(ctx, m.sql)
		if err == nil {
			_, err = tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied) VALUES ($1, $2, $3)`,
				m.version, m.name, now())
		}
		if err == nil {
			err = tx.Commit(ctx)
		}
		if err != nil {
			tx.Rollback(context.WithoutCancel(ctx))
			return fmt.Errorf("postgres: migration %s: %w", m.name, err)
		}
	}
	return nil
}
