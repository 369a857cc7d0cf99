package sqlite

import (
	"context"

	"wharf/internal/errs"
)

// Star implements meta.Stars. A repeated star keeps the time of the first.
func (q *queries) Star(ctx context.Context, userID, repoID int64) error {
	_, err := q.wr.ExecContext(ctx, `INSERT INTO stars (user_id, repo_id, created) VALUES (?, ?, ?)
		ON CONFLICT (user_id, repo_id) DO NOTHING`, userID, repoID, stamp(now()))
	if isForeignKey(err) {
		return errs.E(errs.NotFound, "user or repository not found")
	}
	return wrap("star", err)
}

// Unstar implements meta.Stars.
func (q *queries) Unstar(ctx context.Context, userID, repoID int64) error {
	_, err := q.wr.ExecContext(ctx, `DELETE FROM stars WHERE user_id = ? AND repo_id = ?`, userID, repoID)
	return wrap("unstar", err)
}

// Starred implements meta.Stars.
func (q *queries) Starred(ctx context.Context, userID, repoID int64) (bool, error) {
	var ok bool
	err := q.rd.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM stars WHERE user_id = ? AND repo_id = ?)`,
		userID, repoID).Scan(&ok)
	return ok, wrap("starred", err)
}

// CountStars implements meta.Stars.
func (q *queries) CountStars(ctx context.Context, repoID int64) (int, error) {
	var n int
	err := q.rd.QueryRowContext(ctx, `SELECT count(*) FROM stars WHERE repo_id = ?`, repoID).Scan(&n)
	return n, wrap("count stars", err)
}
