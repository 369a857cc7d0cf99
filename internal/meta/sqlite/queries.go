package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"

	"modernc.org/sqlite"
	lib "modernc.org/sqlite/lib"
)

var _ meta.Queries = (*queries)(nil)

// dbtx is what queries need of a *sql.DB, a *sql.Tx or a statement cache.
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queries implements meta.Queries either on the Store's connections or
// inside one transaction.
type queries struct {
	rd dbtx    // reads
	wr dbtx    // single-statement writes
	db *sql.DB // the writer, to begin a transaction; nil inside one
	tx *sql.Tx // the transaction, when inside one
}

// atomic runs fn so that its statements take effect together or not at all:
// in a transaction of its own, or inside the current one under a savepoint.
func (q *queries) atomic(ctx context.Context, fn func(c dbtx) error) error {
	if q.tx != nil {
		if _, err := q.tx.ExecContext(ctx, `SAVEPOINT op`); err != nil {
			return fmt.Errorf("sqlite: savepoint: %w", err)
		}
		if err := fn(q.tx); err != nil {
			if _, rerr := q.tx.ExecContext(ctx, `ROLLBACK TO op`); rerr != nil {
				return errors.Join(err, fmt.Errorf("sqlite: rollback to savepoint: %w", rerr))
			}
			if _, rerr := q.tx.ExecContext(ctx, `RELEASE op`); rerr != nil {
				return errors.Join(err, fmt.Errorf("sqlite: release savepoint: %w", rerr))
			}
			return err
		}
		if _, err := q.tx.ExecContext(ctx, `RELEASE op`); err != nil {
			return fmt.Errorf("sqlite: release savepoint: %w", err)
		}
		return nil
	}
	return retry(ctx, func() error {
		tx, err := q.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("sqlite: begin: %w", err)
		}
		if err := fn(tx); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("sqlite: commit: %w", err)
		}
		return nil
	})
}

// stmtCache runs queries on a pool through prepared statements, preparing
// each query text once. database/sql prepares a statement again on each
// connection it lands on and keeps it there.
type stmtCache struct {
	db *sql.DB
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: make(map[string]*sql.Stmt)}
}

func (c *stmtCache) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.RLock()
	st := c.m[query]
	c.mu.RUnlock()
	if st != nil {
		return st, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.m[query]; st != nil {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.m[query] = st
	return st, nil
}

func (c *stmtCache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (c *stmtCache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (c *stmtCache) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := c.stmt(ctx, query)
	if err != nil {
		// The unprepared query fails the same way and carries the error.
		return c.db.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, st := range c.m {
		st.Close()
		delete(c.m, k)
	}
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// list runs a query on db and scans every row with scan.
func list[T any](ctx context.Context, db dbtx, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// counted is a row of a page query, which ends in a window count of the
// rows the page is cut from: Scan reads that count into n after dest.
type counted struct {
	row scanner
	n   *int
}

func (c counted) Scan(dest ...any) error { return c.row.Scan(append(dest, c.n)...) }

// listPage runs a page query, whose rows end in a window count, on db and
// scans every row with scan; it returns the rows and the count. A page
// past the end has no row to carry the count: when it comes back empty
// at a positive offset, count, a query of the total, runs with
// countArgs.
func listPage[T any](ctx context.Context, db dbtx, scan func(scanner) (T, error), query string, args []any,
	offset int, count string, countArgs []any) ([]T, int, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var (
		out   []T
		total int
	)
	for rows.Next() {
		v, err := scan(counted{rows, &total})
		if err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(out) == 0 && offset > 0 {
		if err := db.QueryRowContext(ctx, count, countArgs...).Scan(&total); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// missing turns a missing row into errs.NotFound with message msg.
func missing(err error, msg string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errs.E(errs.NotFound, "%s", msg)
	}
	return err
}

// changed returns errs.NotFound with message msg when a write touched no
// row.
func changed(res sql.Result, err error, msg string) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return errs.E(errs.NotFound, "%s", msg)
	}
	return nil
}

// code returns the extended SQLite result code of err, or 0.
func code(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return 0
}

func isUnique(err error) bool {
	c := code(err)
	return c == lib.SQLITE_CONSTRAINT_UNIQUE || c == lib.SQLITE_CONSTRAINT_PRIMARYKEY
}

func isForeignKey(err error) bool { return code(err) == lib.SQLITE_CONSTRAINT_FOREIGNKEY }

func isBusy(err error) bool { return code(err)&0xff == lib.SQLITE_BUSY }

// wrap adds the operation to an unexpected error and leaves kinded errors
// as they are.
func wrap(op string, err error) error {
	if err == nil || errs.KindOf(err) != errs.Other {
		return err
	}
	return fmt.Errorf("sqlite: %s: %w", op, err)
}

// now is the current time as stored: UTC, whole microseconds.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// stamp converts a time to stored microseconds.
func stamp(t time.Time) int64 { return t.UnixMicro() }

// unstamp converts stored microseconds to a UTC time.
func unstamp(us int64) time.Time { return time.UnixMicro(us).UTC() }

// nullStamp stores the zero time as NULL.
func nullStamp(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

// unnullStamp reads NULL as the zero time.
func unnullStamp(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return unstamp(v.Int64)
}

// limit converts a Page limit to SQLite's, where -1 means none.
func limit(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}

// nullBytes stores empty as NULL.
func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// nullText stores "" as NULL.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullID stores a zero id as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// utc is t as stored: UTC, whole microseconds; the zero time stays zero.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

// encodeScopes stores a list of scopes as a JSON array; nil is "[]".
func encodeScopes(scopes []string) (string, error) {
	if scopes == nil {
		scopes = []string{}
	}
	js, err := json.Marshal(scopes)
	return string(js), err
}

// decodeScopes reads a stored JSON array of scopes; empty is nil.
func decodeScopes(js string) ([]string, error) {
	var scopes []string
	if err := json.Unmarshal([]byte(js), &scopes); err != nil {
		return nil, err
	}
	if len(scopes) == 0 {
		return nil, nil
	}
	return scopes, nil
}

// scanString reads a row of one text column.
func scanString(s scanner) (string, error) {
	var v string
	err := s.Scan(&v)
	return v, err
}

// prefixed qualifies each of a comma-separated list of columns with a
// table alias.
func prefixed(alias, cols string) string {
	cs := strings.Split(cols, ",")
	for i, c := range cs {
		cs[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(cs, ", ")
}

// likeEscaper escapes the wildcards of LIKE and its escape character, the
// backslash, so a pattern matches the text literally.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// prefixPattern is a LIKE pattern, with ESCAPE '\', of the strings that
// start with s.
func prefixPattern(s string) string { return likeEscaper.Replace(s) + "%" }

// containsPattern is a LIKE pattern, with ESCAPE '\', of the strings that
// contain s.
func containsPattern(s string) string { return "%" + likeEscaper.Replace(s) + "%" }

// where builds the conditions of a query whose shape depends on a filter.
// Placeholders are numbered, so one argument can be used several times.
type where struct {
	conds []string
	args  []any
}

// arg adds an argument and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return fmt.Sprintf("?%d", len(w.args))
}

// and adds a condition.
func (w *where) and(cond string) { w.conds = append(w.conds, cond) }

// String is the WHERE clause, or "" without conditions.
func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}
