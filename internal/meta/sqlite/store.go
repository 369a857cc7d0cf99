// Package sqlite implements meta.Store on an embedded SQLite database
// (modernc.org/sqlite, pure Go).
//
// The database runs in WAL mode with synchronous=FULL, so a write that
// returned is on disk. Writes go through one connection whose transactions
// begin IMMEDIATE, taking SQLite's write lock up front instead of failing
// on upgrade; reads outside a transaction use a pool of read-only
// connections with cached prepared statements, so readers never wait for
// the writer.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

var _ meta.Store = (*Store)(nil)

// busyTimeout is how long a connection waits for another process's lock.
const busyTimeout = 10 * time.Second

// Store is a meta.Store on one SQLite database file. It is safe for
// concurrent use. Its Queries run outside any transaction: reads on the
// read pool, each write in its own transaction on the writer connection.
type Store struct {
	*queries
	w *sql.DB // the one writer connection
	r *sql.DB // read-only connections
}

// Open opens, creating if needed, the SQLite database at path and brings
// its schema up to date. path is a file name; ":memory:" is refused because
// the read pool would see a different database from the writer.
// Errors: errs.Invalid for an unusable path.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || path == ":memory:" || strings.ContainsRune(path, '?') {
		return nil, errs.E(errs.Invalid, "sqlite: path %q is not a database file name", path)
	}
	common := url.Values{}
	common.Set("_busy_timeout", fmt.Sprint(busyTimeout.Milliseconds()))
	common.Set("_foreign_keys", "1")

	wq := url.Values{}
	for k, v := range common {
		wq[k] = v
	}
	wq.Set("_journal_mode", "WAL")
	wq.Set("_synchronous", "FULL")
	wq.Set("_txlock", "immediate")
	w, err := sql.Open("sqlite", path+"?"+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open writer: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)

	s := &Store{w: w}
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := s.Migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}

	rq := url.Values{}
	for k, v := range common {
		rq[k] = v
	}
	rq.Set("_query_only", "1")
	r, err := sql.Open("sqlite", path+"?"+rq.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open readers: %w", err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxLifetime(0)
	r.SetConnMaxIdleTime(0)
	if err := r.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("sqlite: open readers: %w", err)
	}
	s.r = r
	s.queries = &queries{rd: newStmtCache(r), wr: w, db: w}
	return s, nil
}

// Tx runs fn in one immediate transaction on the writer connection and
// commits when fn returns nil. fn sees its own writes. While fn runs, other
// writes of this Store wait, so fn must not call the Store itself, only q.
// A transaction that finds the database locked by another process past the
// busy timeout is run again, a few times at most.
func (s *Store) Tx(ctx context.Context, fn func(q meta.Queries) error) error {
	return retry(ctx, func() error { return s.tx(ctx, fn) })
}

// tx runs fn once in a transaction.
func (s *Store) tx(ctx context.Context, fn func(q meta.Queries) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	if err := fn(&queries{rd: tx, wr: tx, tx: tx}); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.r.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	var one int
	if err := s.r.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

// Close closes the prepared statements and every connection.
func (s *Store) Close() error {
	s.queries.rd.(*stmtCache).close()
	return errors.Join(s.r.Close(), s.w.Close())
}

// maxAttempts bounds how often a transaction is run when the database is
// busy.
const maxAttempts = 3

// retry runs f until it succeeds, fails with an error other than SQLite
// being busy, or maxAttempts runs are done.
func retry(ctx context.Context, f func() error) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = f()
		if err == nil || !isBusy(err) || attempt == maxAttempts {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(attempt) * 10 * time.Millisecond):
		}
	}
}
