package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const namespaceCols = `id, name, kind, public, created`

func scanNamespace(s scanner) (meta.Namespace, error) {
	var n meta.Namespace
	var created int64
	if err := s.Scan(&n.ID, &n.Name, &n.Kind, &n.Public, &created); err != nil {
		return meta.Namespace{}, err
	}
	n.Created = unstamp(created)
	return n, nil
}

// CreateNamespace implements meta.Namespaces.
func (q *queries) CreateNamespace(ctx context.Context, n *meta.Namespace) error {
	if n.Name == "" {
		return errs.E(errs.Invalid, "namespace name is empty")
	}
	if n.Kind != meta.KindUser && n.Kind != meta.KindOrg {
		return errs.E(errs.Invalid, "unknown namespace kind %q", n.Kind)
	}
	created := now()
	err := q.wr.QueryRowContext(ctx, `INSERT INTO namespaces (name, lower_name, kind, public, created)
		VALUES (?, ?, ?, ?, ?) RETURNING id`,
		n.Name, strings.ToLower(n.Name), n.Kind, n.Public, stamp(created)).Scan(&n.ID)
	switch {
	case isUnique(err):
		return errs.E(errs.Exists, "namespace exists")
	case err != nil:
		return wrap("create namespace", err)
	}
	n.Created = created
	return nil
}

// GetNamespace implements meta.Namespaces.
func (q *queries) GetNamespace(ctx context.Context, name string) (meta.Namespace, error) {
	n, err := scanNamespace(q.rd.QueryRowContext(ctx,
		`SELECT `+namespaceCols+` FROM namespaces WHERE lower_name = ?`, strings.ToLower(name)))
	return n, wrap("get namespace", missing(err, "namespace not found"))
}

// GetNamespaceByID implements meta.Namespaces.
func (q *queries) GetNamespaceByID(ctx context.Context, id int64) (meta.Namespace, error) {
	n, err := scanNamespace(q.rd.QueryRowContext(ctx,
		`SELECT `+namespaceCols+` FROM namespaces WHERE id = ?`, id))
	return n, wrap("get namespace", missing(err, "namespace not found"))
}

const userCols = `id, name, email, password_hash, superuser, disabled, namespace_id, created`

func scanUser(s scanner) (meta.User, error) {
	var u meta.User
	var created int64
	if err := s.Scan(&u.ID, &u.Name, &u.Email, &u.PasswordHash, &u.Superuser, &u.Disabled, &u.NamespaceID, &created); err != nil {
		return meta.User{}, err
	}
	u.Created = unstamp(created)
	return u, nil
}

// CreateUser implements meta.Users. A missing namespace is errs.NotFound.
func (q *queries) CreateUser(ctx context.Context, u *meta.User) error {
	if u.Name == "" {
		return errs.E(errs.Invalid, "user name is empty")
	}
	created := now()
	err := q.wr.QueryRowContext(ctx, `INSERT INTO users
		(name, lower_name, email, password_hash, superuser, disabled, namespace_id, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Name, strings.ToLower(u.Name), u.Email, u.PasswordHash, u.Superuser, u.Disabled,
		u.NamespaceID, stamp(created)).Scan(&u.ID)
	switch {
	case isUnique(err):
		return errs.E(errs.Exists, "user exists")
	case isForeignKey(err):
		return errs.E(errs.NotFound, "namespace not found")
	case err != nil:
		return wrap("create user", err)
	}
	u.Created = created
	return nil
}

// GetUser implements meta.Users.
func (q *queries) GetUser(ctx context.Context, name string) (meta.User, error) {
	u, err := scanUser(q.rd.QueryRowContext(ctx,
		`SELECT `+userCols+` FROM users WHERE lower_name = ?`, strings.ToLower(name)))
	return u, wrap("get user", missing(err, "user not found"))
}

// GetUserByID implements meta.Users.
func (q *queries) GetUserByID(ctx context.Context, id int64) (meta.User, error) {
	u, err := scanUser(q.rd.QueryRowContext(ctx,
		`SELECT `+userCols+` FROM users WHERE id = ?`, id))
	return u, wrap("get user", missing(err, "user not found"))
}

// UpdateUser implements meta.Users. Errors: errs.NotFound for a missing
// user, errs.Exists when the new name is taken.
func (q *queries) UpdateUser(ctx context.Context, u meta.User) error {
	if u.Name == "" {
		return errs.E(errs.Invalid, "user name is empty")
	}
	res, err := q.wr.ExecContext(ctx, `UPDATE users SET name = ?, lower_name = ?, email = ?,
		password_hash = ?, superuser = ?, disabled = ? WHERE id = ?`,
		u.Name, strings.ToLower(u.Name), u.Email, u.PasswordHash, u.Superuser, u.Disabled, u.ID)
	if isUnique(err) {
		return errs.E(errs.Exists, "user exists")
	}
	return wrap("update user", changed(res, err, "user not found"))
}

const tokenCols = `id, user_id, name, hash, scopes, created, expires, last_used`

func scanToken(s scanner) (meta.Token, error) {
	var t meta.Token
	var scopes string
	var created int64
	var expires, lastUsed sql.NullInt64
	if err := s.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &scopes, &created, &expires, &lastUsed); err != nil {
		return meta.Token{}, err
	}
	if err := json.Unmarshal([]byte(scopes), &t.Scopes); err != nil {
		return meta.Token{}, err
	}
	if len(t.Scopes) == 0 {
		t.Scopes = nil
	}
	t.Created = unstamp(created)
	t.Expires = unnullStamp(expires)
	t.LastUsed = unnullStamp(lastUsed)
	return t, nil
}

// CreateToken implements meta.Tokens. Expires and LastUsed are stored to
// the microsecond in UTC and t is updated to match. A missing user is
// errs.NotFound.
func (q *queries) CreateToken(ctx context.Context, t *meta.Token) error {
	if t.Hash == "" {
		return errs.E(errs.Invalid, "token hash is empty")
	}
	scopes := t.Scopes
	if scopes == nil {
		scopes = []string{}
	}
	js, err := json.Marshal(scopes)
	if err != nil {
		return wrap("create token", err)
	}
	created := now()
	t.Expires = utc(t.Expires)
	t.LastUsed = utc(t.LastUsed)
	err = q.wr.QueryRowContext(ctx, `INSERT INTO tokens (user_id, name, hash, scopes, created, expires, last_used)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.UserID, t.Name, t.Hash, string(js), stamp(created), nullStamp(t.Expires), nullStamp(t.LastUsed)).Scan(&t.ID)
	switch {
	case isUnique(err):
		return errs.E(errs.Exists, "token exists")
	case isForeignKey(err):
		return errs.E(errs.NotFound, "user not found")
	case err != nil:
		return wrap("create token", err)
	}
	t.Created = created
	return nil
}

// GetTokenByHash implements meta.Tokens.
func (q *queries) GetTokenByHash(ctx context.Context, hash string) (meta.Token, error) {
	t, err := scanToken(q.rd.QueryRowContext(ctx,
		`SELECT `+tokenCols+` FROM tokens WHERE hash = ?`, hash))
	return t, wrap("get token", missing(err, "token not found"))
}

// ListTokens implements meta.Tokens.
func (q *queries) ListTokens(ctx context.Context, userID int64) ([]meta.Token, error) {
	ts, err := list(ctx, q.rd, scanToken,
		`SELECT `+tokenCols+` FROM tokens WHERE user_id = ? ORDER BY id`, userID)
	return ts, wrap("list tokens", err)
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

// utc is t as stored: UTC, whole microseconds; the zero time stays zero.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}
