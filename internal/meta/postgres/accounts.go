package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const namespaceCols = `id, name, kind, public, created`

func scanNamespace(s pgx.Row) (meta.Namespace, error) {
	var n meta.Namespace
	if err := s.Scan(&n.ID, &n.Name, &n.Kind, &n.Public, &n.Created); err != nil {
		return meta.Namespace{}, err
	}
	n.Created = n.Created.UTC()
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
	err := q.db.QueryRow(ctx, `INSERT INTO namespaces (name, lower_name, kind, public, created)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id`,
		n.Name, strings.ToLower(n.Name), string(n.Kind), n.Public, created).Scan(&n.ID)
	switch {
	case errors.Is(err, pgx.ErrNoRows) || isUnique(err):
		return errs.E(errs.Exists, "namespace exists")
	case err != nil:
		return wrap("create namespace", err)
	}
	n.Created = created
	return nil
}

// GetNamespace implements meta.Namespaces.
func (q *queries) GetNamespace(ctx context.Context, name string) (meta.Namespace, error) {
	n, err := scanNamespace(q.db.QueryRow(ctx,
		`SELECT `+namespaceCols+` FROM namespaces WHERE lower_name = $1`, strings.ToLower(name)))
	return n, wrap("get namespace", missing(err, "namespace not found"))
}

// GetNamespaceByID implements meta.Namespaces.
func (q *queries) GetNamespaceByID(ctx context.Context, id int64) (meta.Namespace, error) {
	n, err := scanNamespace(q.db.QueryRow(ctx, `SELECT `+namespaceCols+` FROM namespaces WHERE id = $1`, id))
	return n, wrap("get namespace", missing(err, "namespace not found"))
}

const userCols = `id, name, email, password_hash, superuser, disabled, namespace_id, created`

func scanUser(s pgx.Row) (meta.User, error) {
	var u meta.User
	if err := s.Scan(&u.ID, &u.Name, &u.Email, &u.PasswordHash, &u.Superuser, &u.Disabled, &u.NamespaceID, &u.Created); err != nil {
		return meta.User{}, err
	}
	u.Created = u.Created.UTC()
	return u, nil
}

// CreateUser implements meta.Users. A missing namespace is errs.NotFound.
func (q *queries) CreateUser(ctx context.Context, u *meta.User) error {
	if u.Name == "" {
		return errs.E(errs.Invalid, "user name is empty")
	}
	created := now()
	err := q.db.QueryRow(ctx, `INSERT INTO users
		(name, lower_name, email, password_hash, superuser, disabled, namespace_id, created)
		SELECT $1::text, $2::text, $3::text, $4::text, $5::boolean, $6::boolean, $7::bigint, $8::timestamptz
		WHERE EXISTS (SELECT 1 FROM namespaces WHERE id = $7)
		ON CONFLICT DO NOTHING RETURNING id`,
		u.Name, strings.ToLower(u.Name), u.Email, u.PasswordHash, u.Superuser, u.Disabled,
		u.NamespaceID, created).Scan(&u.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		err = parentOrExists(ctx, q.db, `SELECT EXISTS (SELECT 1 FROM namespaces WHERE id = $1)`, u.NamespaceID,
			"namespace not found", "user exists")
	}
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

// parentOrExists explains an insert guarded by its parent's existence
// that inserted nothing: errs.NotFound with notFound when the parent query
// says it is gone, errs.Exists with exists otherwise.
func parentOrExists(ctx context.Context, c dbtx, parentQuery string, id any, notFound, exists string) error {
	var ok bool
	if err := c.QueryRow(ctx, parentQuery, id).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return errs.E(errs.NotFound, "%s", notFound)
	}
	return errs.E(errs.Exists, "%s", exists)
}

// GetUser implements meta.Users.
func (q *queries) GetUser(ctx context.Context, name string) (meta.User, error) {
	u, err := scanUser(q.db.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE lower_name = $1`, strings.ToLower(name)))
	return u, wrap("get user", missing(err, "user not found"))
}

// GetUserByID implements meta.Users.
func (q *queries) GetUserByID(ctx context.Context, id int64) (meta.User, error) {
	u, err := scanUser(q.db.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
	return u, wrap("get user", missing(err, "user not found"))
}

// UpdateUser implements meta.Users. Errors: errs.NotFound for a missing
// user, errs.Exists when the new name is taken.
func (q *queries) UpdateUser(ctx context.Context, u meta.User) error {
	if u.Name == "" {
		return errs.E(errs.Invalid, "user name is empty")
	}
	err := q.atomic(ctx, func(c dbtx) error {
		tag, err := c.Exec(ctx, `UPDATE users SET name = $1, lower_name = $2, email = $3,
			password_hash = $4, superuser = $5, disabled = $6 WHERE id = $7`,
			u.Name, strings.ToLower(u.Name), u.Email, u.PasswordHash, u.Superuser, u.Disabled, u.ID)
		if isUnique(err) {
			return errs.E(errs.Exists, "user exists")
		}
		return changed(tag, err, "user not found")
	})
	return wrap("update user", err)
}

const tokenCols = `id, user_id, name, hash, scopes, created, expires, last_used`

func scanToken(s pgx.Row) (meta.Token, error) {
	var t meta.Token
	var expires, lastUsed *time.Time
	if err := s.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &t.Scopes, &t.Created, &expires, &lastUsed); err != nil {
		return meta.Token{}, err
	}
	if len(t.Scopes) == 0 {
		t.Scopes = nil
	}
	t.Created = t.Created.UTC()
	t.Expires = unnullTime(expires)
	t.LastUsed = unnullTime(lastUsed)
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
	created := now()
	t.Expires = utc(t.Expires)
	t.LastUsed = utc(t.LastUsed)
	err := q.db.QueryRow(ctx, `INSERT INTO tokens (user_id, name, hash, scopes, created, expires, last_used)
		SELECT $1::bigint, $2::text, $3::text, $4::text[], $5::timestamptz, $6::timestamptz, $7::timestamptz
		WHERE EXISTS (SELECT 1 FROM users WHERE id = $1)
		ON CONFLICT DO NOTHING RETURNING id`,
		t.UserID, t.Name, t.Hash, scopes, created, nullTime(t.Expires), nullTime(t.LastUsed)).Scan(&t.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		err = parentOrExists(ctx, q.db, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)`, t.UserID,
			"user not found", "token exists")
	}
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
	t, err := scanToken(q.db.QueryRow(ctx, `SELECT `+tokenCols+` FROM tokens WHERE hash = $1`, hash))
	return t, wrap("get token", missing(err, "token not found"))
}

// ListTokens implements meta.Tokens.
func (q *queries) ListTokens(ctx context.Context, userID int64) ([]meta.Token, error) {
	ts, err := list(ctx, q.db, scanToken, `SELECT `+tokenCols+` FROM tokens WHERE user_id = $1 ORDER BY id`, userID)
	return ts, wrap("list tokens", err)
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
