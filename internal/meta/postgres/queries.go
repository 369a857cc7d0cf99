package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

var _ meta.Queries = (*queries)(nil)

// dbtx is what queries need of a pool or a transaction.
type dbtx interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// queries implements meta.Queries either on the pool or inside one
// transaction.
type queries struct {
	db   dbtx          // the pool or the transaction
	pool *pgxpool.Pool // to begin a transaction; nil inside one
	tx   pgx.Tx        // the transaction, when inside one
}

// atomic runs fn so that its statements take effect together or not at
// all: in a transaction of its own, retried like Tx, or inside the current
// one under a savepoint, so a failure leaves the transaction usable.
func (q *queries) atomic(ctx context.Context, fn func(c dbtx) error) error {
	if q.tx == nil {
		return retry(ctx, q.pool, func(tx pgx.Tx) error { return fn(tx) })
	}
	sp, err := q.tx.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: savepoint: %w", err)
	}
	if err := fn(sp); err != nil {
		if rerr := sp.Rollback(ctx); rerr != nil {
			return errors.Join(err, fmt.Errorf("postgres: rollback to savepoint: %w", rerr))
		}
		return err
	}
	if err := sp.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: release savepoint: %w", err)
	}
	return nil
}

// list runs a query on db and scans every row with scan.
func list[T any](ctx context.Context, db dbtx, scan func(pgx.Row) (T, error), sql string, args ...any) ([]T, error) {
	rows, err := db.Query(ctx, sql, args...)
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
	row pgx.Row
	n   *int
}

func (c counted) Scan(dest ...any) error { return c.row.Scan(append(dest, c.n)...) }

// listPage runs a page query, whose rows end in a window count, on db and
// scans every row with scan; it returns the rows and the count. A page
// past the end has no row to carry the count: when it comes back empty
// at a positive offset, count, a query of the total, runs with
// countArgs.
func listPage[T any](ctx context.Context, db dbtx, scan func(pgx.Row) (T, error), sql string, args []any,
	offset int, count string, countArgs []any) ([]T, int, error) {
	rows, err := db.Query(ctx, sql, args...)
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
		if err := db.QueryRow(ctx, count, countArgs...).Scan(&total); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// missing turns a missing row into errs.NotFound with message msg.
func missing(err error, msg string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return errs.E(errs.NotFound, "%s", msg)
	}
	return err
}

// changed returns errs.NotFound with message msg when a write touched no
// row.
func changed(tag pgconn.CommandTag, err error, msg string) error {
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return errs.E(errs.NotFound, "%s", msg)
	}
	return nil
}

// code returns the SQLSTATE of err, or "".
func code(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func isUnique(err error) bool     { return code(err) == "23505" }
func isForeignKey(err error) bool { return code(err) == "23503" }

// wrap adds the operation to an unexpected error and leaves kinded errors
// as they are.
func wrap(op string, err error) error {
	if err == nil || errs.KindOf(err) != errs.Other {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "22021", "22P05":
			// Text PostgreSQL cannot store (invalid UTF-8, NUL): the
			// caller's input, which SQLite would have taken.
			return errs.Wrap(errs.Invalid, "text with characters that cannot be stored", err)
		case "54000":
			// A value too long for an index.
			return errs.Wrap(errs.Invalid, "a value too long to store", err)
		}
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}

// now is the current time as stored: UTC, whole microseconds.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// utc is t as stored: UTC, whole microseconds; the zero time stays zero.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = utc(t)
	return &t
}

// unnullTime reads NULL as the zero time.
func unnullTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// limit converts a Page limit to PostgreSQL's, where NULL means none.
func limit(n int) *int64 {
	if n <= 0 {
		return nil
	}
	v := int64(n)
	return &v
}

// nullBytes stores empty as NULL.
func nullBytes(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// nullText stores "" as NULL.
func nullText(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// nullID stores a zero id as NULL.
func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// scanString reads a row of one text column.
func scanString(s pgx.Row) (string, error) {
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
type where struct {
	conds []string
	args  []any
}

// arg adds an argument and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return fmt.Sprintf("$%d", len(w.args))
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

// upTime is a bound rounded up to the microsecond, so stored times
// compare with it as the exact times would.
func upTime(t time.Time) time.Time {
	t = t.UTC()
	if us := t.Truncate(time.Microsecond); !us.Equal(t) {
		return us.Add(time.Microsecond)
	}
	return t
}

// parentOrExists explains an insert guarded by its parents' existence
// that inserted nothing: errs.NotFound with notFound when parentQuery, run
// with args, says a parent is gone, errs.Exists with exists otherwise.
func parentOrExists(ctx context.Context, c dbtx, notFound, exists, parentQuery string, args ...any) error {
	var ok bool
	if err := c.QueryRow(ctx, parentQuery, args...).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return errs.E(errs.NotFound, "%s", notFound)
	}
	return errs.E(errs.Exists, "%s", exists)
}

// unnullID reads NULL as the zero id.
func unnullID(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}
