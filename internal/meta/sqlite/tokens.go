package sqlite

import (
	"context"
	"database/sql"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const tokenCols = `id, user_id, name, hash, scopes, created, expires, last_used, kind, uuid, app_id, sealed`

func scanToken(s scanner) (meta.Token, error) {
	var t meta.Token
	var scopes string
	var created int64
	var expires, lastUsed, appID sql.NullInt64
	var uuid sql.NullString
	if err := s.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &scopes, &created, &expires, &lastUsed,
		&t.Kind, &uuid, &appID, &t.Sealed); err != nil {
		return meta.Token{}, err
	}
	var err error
	if t.Scopes, err = decodeScopes(scopes); err != nil {
		return meta.Token{}, err
	}
	t.Created = unstamp(created)
	t.Expires = unnullStamp(expires)
	t.LastUsed = unnullStamp(lastUsed)
	t.UUID, t.AppID = uuid.String, appID.Int64
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
	scopes, err := encodeScopes(t.Scopes)
	if err != nil {
		return wrap("create token", err)
	}
	created := now()
	t.Expires = utc(t.Expires)
	t.LastUsed = utc(t.LastUsed)
	err = q.wr.QueryRowContext(ctx, `INSERT INTO tokens (user_id, name, hash, scopes, created, expires, last_used,
			kind, uuid, app_id, sealed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.UserID, t.Name, t.Hash, scopes, stamp(created), nullStamp(t.Expires), nullStamp(t.LastUsed),
		kind, nullText(t.UUID), nullID(t.AppID), nullBytes(t.Sealed)).Scan(&t.ID)
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
	t, err := scanToken(q.rd.QueryRowContext(ctx,
		`SELECT `+tokenCols+` FROM tokens WHERE hash = ?`, hash))
	return t, wrap("get token", missing(err, "token not found"))
}

// GetTokenByUUID implements meta.Tokens.
func (q *queries) GetTokenByUUID(ctx context.Context, uuid string) (meta.Token, error) {
	t, err := scanToken(q.rd.QueryRowContext(ctx,
		`SELECT `+tokenCols+` FROM tokens WHERE uuid = ?`, uuid))
	return t, wrap("get token", missing(err, "token not found"))
}

// ListTokens implements meta.Tokens.
func (q *queries) ListTokens(ctx context.Context, userID int64) ([]meta.Token, error) {
	ts, err := list(ctx, q.rd, scanToken,
		`SELECT `+tokenCols+` FROM tokens WHERE user_id = ? ORDER BY id`, userID)
	return ts, wrap("list tokens", err)
}

// ListAppTokens implements meta.Tokens.
func (q *queries) ListAppTokens(ctx context.Context, appID int64) ([]meta.Token, error) {
	ts, err := list(ctx, q.rd, scanToken,
		`SELECT `+tokenCols+` FROM tokens WHERE app_id = ? ORDER BY id`, appID)
	return ts, wrap("list application tokens", err)
}

// TouchToken implements meta.Tokens. Errors: errs.NotFound.
func (q *queries) TouchToken(ctx context.Context, id int64, at time.Time) error {
	res, err := q.wr.ExecContext(ctx, `UPDATE tokens SET last_used = ? WHERE id = ?`, nullStamp(utc(at)), id)
	return wrap("touch token", changed(res, err, "token not found"))
}

// DeleteToken implements meta.Tokens.
func (q *queries) DeleteToken(ctx context.Context, id int64) error {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM tokens WHERE id = ?`, id)
	return wrap("delete token", changed(res, err, "token not found"))
}
