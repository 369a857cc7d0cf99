package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const tokenCols = `id, user_id, name, hash, scopes, created, expires, last_used, kind, uuid, app_id, sealed`

func scanToken(s pgx.Row) (meta.Token, error) {
	var t meta.Token
	var expires, lastUsed *time.Time
	var uuid *string
	var appID *int64
	if err := s.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &t.Scopes, &t.Created, &expires, &lastUsed,
		&t.Kind, &uuid, &appID, &t.Sealed); err != nil {
		return meta.Token{}, err
	}
	if len(t.Scopes) == 0 {
		t.Scopes = nil
	}
	t.Created = t.Created.UTC()
	t.Expires = unnullTime(expires)
	t.LastUsed = unnullTime(lastUsed)
	if uuid != nil {
		t.UUID = *uuid
	}
	t.AppID = unnullID(appID)
	t.Sealed = nullBytes(t.Sealed)
	return t, nil
}

// CreateToken implements meta.Tokens. Expires and LastUsed are stored to
// the microsecond in UTC and t is updated to match; an empty Kind is
// stored, and set in t, as meta.TokenAPI. Errors beyond the interface's:
// errs.Exists when the UUID is taken, errs.NotFound for a missing user or
// App, errs.Invalid for an empty hash or an unknown kind.
func (q *queries) CreateToken(ctx context.Context, t *meta.Token) error {
	if t.Hash == "" {
		return errs.E(errs.Invalid, "token hash is empty")
	}
	kind, err := meta.CheckTokenKind(t.Kind)
	if err != nil {
		return err
	}
	scopes := t.Scopes
	if scopes == nil {
		scopes = []string{}
	}
	created := now()
	t.Expires = utc(t.Expires)
	t.LastUsed = utc(t.LastUsed)
	err = q.db.QueryRow(ctx, `INSERT INTO tokens (user_id, name, hash, scopes, created, expires, last_used,
			kind, uuid, app_id, sealed)
		SELECT $1::bigint, $2::text, $3::text, $4::text[], $5::timestamptz, $6::timestamptz, $7::timestamptz,
			$8::text, $9::text, $10::bigint, $11::bytea
		WHERE EXISTS (SELECT 1 FROM users WHERE id = $1)
			AND ($10::bigint IS NULL OR EXISTS (SELECT 1 FROM apps WHERE id = $10))
		ON CONFLICT DO NOTHING RETURNING id`,
		t.UserID, t.Name, t.Hash, scopes, created, nullTime(t.Expires), nullTime(t.LastUsed),
		kind, nullText(t.UUID), nullID(t.AppID), nullBytes(t.Sealed)).Scan(&t.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		err = parentOrExists(ctx, q.db, "user or application not found", "token exists",
			`SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)
				AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM apps WHERE id = $2))`,
			t.UserID, nullID(t.AppID))
	}
	switch {
	case isUnique(err):
		return errs.E(errs.Exists, "token exists")
	case isForeignKey(err):
		return errs.E(errs.NotFound, "user or application not found")
	case err != nil:
		return wrap("create token", err)
	}
	t.Created, t.Kind = created, kind
	return nil
}

// GetTokenByHash implements meta.Tokens.
func (q *queries) GetTokenByHash(ctx context.Context, hash string) (meta.Token, error) {
	t, err := scanToken(q.db.QueryRow(ctx, `SELECT `+tokenCols+` FROM tokens WHERE hash = $1`, hash))
	return t, wrap("get token", missing(err, "token not found"))
}

// GetTokenByUUID implements meta.Tokens.
func (q *queries) GetTokenByUUID(ctx context.Context, uuid string) (meta.Token, error) {
	t, err := scanToken(q.db.QueryRow(ctx, `SELECT `+tokenCols+` FROM tokens WHERE uuid = $1`, uuid))
	return t, wrap("get token", missing(err, "token not found"))
}

// ListTokens implements meta.Tokens.
func (q *queries) ListTokens(ctx context.Context, userID int64) ([]meta.Token, error) {
	ts, err := list(ctx, q.db, scanToken, `SELECT `+tokenCols+` FROM tokens WHERE user_id = $1 ORDER BY id`, userID)
	return ts, wrap("list tokens", err)
}

// ListAppTokens implements meta.Tokens.
func (q *queries) ListAppTokens(ctx context.Context, appID int64) ([]meta.Token, error) {
	ts, err := list(ctx, q.db, scanToken, `SELECT `+tokenCols+` FROM tokens WHERE app_id = $1 ORDER BY id`, appID)
	return ts, wrap("list application tokens", err)
}

// TouchToken implements meta.Tokens. Errors: errs.NotFound.
func (q *queries) TouchToken(ctx context.Context, id int64, at time.Time) error {
	tag, err := q.db.Exec(ctx, `UPDATE tokens SET last_used = $1 WHERE id = $2`, nullTime(at), id)
	return wrap("touch token", changed(tag, err, "token not found"))
}

// DeleteToken implements meta.Tokens.
func (q *queries) DeleteToken(ctx context.Context, id int64) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM tokens WHERE id = $1`, id)
	return wrap("delete token", changed(tag, err, "token not found"))
}
