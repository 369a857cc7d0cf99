// Package postgres implements meta.Store on PostgreSQL through a pgx
// connection pool.
//
// Transactions run at READ COMMITTED, PostgreSQL's default. Tx runs its
// function again when PostgreSQL aborts the transaction with a
// serialization failure or a deadlock. Constraint collisions that the
// interface reports as errors (errs.Exists, errs.NotFound) are detected
// without failing the statement, so a transaction that gets one can go on.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"wharf/internal/meta"
)

var _ meta.Store = (*Store)(nil)

// Store is a meta.Store on a PostgreSQL database. It is safe for
// concurrent use, also by several processes sharing the database. Its
// Queries run outside any transaction, each as one atomic operation.
type Store struct {
	*queries
	pool *pgxpool.Pool
}

// Open connects to the database at dsn (a postgres:// URL or key=value
// string, as pgx accepts; extra parameters such as search_path are sent as
// session settings) and brings its schema up to date.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse dsn: %w", err)
	}
	return OpenConfig(ctx, cfg)
}

// OpenConfig is Open with a parsed pool configuration.
func OpenConfig(ctx context.Context, cfg *pgxpool.Config) (*Store, error) {
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	s := &Store{pool: pool, queries: &queries{db: pool, pool: pool}}
	if err := s.Migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Tx runs fn in one READ COMMITTED transaction and commits when fn returns
// nil. fn sees its own writes. When PostgreSQL aborts the transaction with
// a serialization failure or deadlock, the whole transaction, fn included,
// runs again, a few times at most.
func (s *Store) Tx(ctx context.Context, fn func(q meta.Queries) error) error {
	return retry(ctx, s.pool, func(tx pgx.Tx) error { return fn(&queries{db: tx, tx: tx}) })
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// Close closes every connection of the pool, waiting for those in use.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// maxAttempts bounds how often a transaction runs.
const maxAttempts = 5

// retry runs fn in a transaction of pool and commits it. It runs it again
// when PostgreSQL asks for a retry, after a short random pause, at most
// maxAttempts times. fn's own errors come back unchanged.
func retry(ctx context.Context, pool *pgxpool.Pool, fn func(tx pgx.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := once(ctx, pool, fn)
		if err == nil || !retryable(err) || attempt == maxAttempts {
			return err
		}
		pause := time.Duration(attempt) * time.Duration(5+rand.IntN(10)) * time.Millisecond
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
	}
}

// once runs fn in one transaction.
func once(ctx context.Context, pool *pgxpool.Pool, fn func(tx pgx.Tx) error) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback(context.WithoutCancel(ctx))
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}

// retryable reports whether err is PostgreSQL asking to run the
// transaction again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	return pe.Code == "40001" || pe.Code == "40P01"
}
