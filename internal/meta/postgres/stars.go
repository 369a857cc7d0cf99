package postgres

import (
	"context"

	"wharf/internal/errs"
)

// Star implements meta.Stars. A repeated star keeps the time of the first.
func (q *queries) Star(ctx context.Context, userID, repoID int64) error {
	tag, err := q.db.Exec(ctx, `INSERT INTO stars (user_id, repo_id, created)
		SELECT $1::bigint, $2::bigint, $3::timestamptz
		WHERE EXISTS (SELECT 1 FROM users WHERE id = $1) AND EXISTS (SELECT 1 FROM repositories WHERE id = $2)
		ON CONFLICT (user_id, repo_id) DO NOTHING`, userID, repoID, now())
	if err == nil && tag.RowsAffected() == 0 {
		err = parentOrExists(ctx, q.db, "user or repository not found", "",
			`SELECT EXISTS (SELECT 1 FROM users WHERE id = $1) AND EXISTS (SELECT 1 FROM repositories WHERE id = $2)`,
			userID, repoID)
		if errs.Is(err, errs.Exists) {
			return nil
		}
	}
	if isForeignKey(err) {
		return errs.E(errs.NotFound, "user or repository not found")
	}
	return wrap("star", err)
}

// Unstar implements meta.Stars.
func (q *queries) Unstar(ctx context.Context, userID, repoID int64) error {
	_, err := q.db.Exec(ctx, `DELETE FROM stars WHERE user_id = $1 AND repo_id = $2`, userID, repoID)
	return wrap("unstar", err)
}

// Starred implements meta.Stars.
func (q *queries) Starred(ctx context.Context, userID, repoID int64) (bool, error) {
	var ok bool
	err := q.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM stars WHERE user_id = $1 AND repo_id = $2)`,
		userID, repoID).Scan(&ok)
	return ok, wrap("starred", err)
}

// CountStars implements meta.Stars.
func (q *queries) CountStars(ctx context.Context, repoID int64) (int, error) {
	var n int
	err := q.db.QueryRow(ctx, `SELECT count(*) FROM stars WHERE repo_id = $1`, repoID).Scan(&n)
	return n, wrap("count stars", err)
}
