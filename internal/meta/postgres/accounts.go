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

const userCols = `id, name, email, password_hash, superuser, disabled, namespace_id, created,
	robot, description, metadata, sealed_secret, secret_hash, last_accessed`

func scanUser(s pgx.Row) (meta.User, error) {
	var u meta.User
	var lastAccessed *time.Time
	if err := s.Scan(&u.ID, &u.Name, &u.Email, &u.PasswordHash, &u.Superuser, &u.Disabled, &u.NamespaceID, &u.Created,
		&u.Robot, &u.Description, &u.Metadata, &u.SealedSecret, &u.SecretHash, &lastAccessed); err != nil {
		return meta.User{}, err
	}
	u.Metadata, u.SealedSecret = nullBytes(u.Metadata), nullBytes(u.SealedSecret)
	u.Created = u.Created.UTC()
	u.LastAccessed = unnullTime(lastAccessed)
	return u, nil
}

// CreateUser implements meta.Users, robot fields included. LastAccessed is
// stored to the microsecond in UTC and u is updated to match. A missing
// namespace is errs.NotFound.
func (q *queries) CreateUser(ctx context.Context, u *meta.User) error {
	if u.Name == "" {
		return errs.E(errs.Invalid, "user name is empty")
	}
	created := now()
	u.LastAccessed = utc(u.LastAccessed)
	err := q.db.QueryRow(ctx, `INSERT INTO users
		(name, lower_name, email, password_hash, superuser, disabled, namespace_id, created,
			robot, description, metadata, sealed_secret, secret_hash, last_accessed)
		SELECT $1::text, $2::text, $3::text, $4::text, $5::boolean, $6::boolean, $7::bigint, $8::timestamptz,
			$9::boolean, $10::text, $11::bytea, $12::bytea, $13::text, $14::timestamptz
		WHERE EXISTS (SELECT 1 FROM namespaces WHERE id = $7)
		ON CONFLICT DO NOTHING RETURNING id`,
		u.Name, strings.ToLower(u.Name), u.Email, u.PasswordHash, u.Superuser, u.Disabled,
		u.NamespaceID, created, u.Robot, u.Description, nullBytes(u.Metadata), nullBytes(u.SealedSecret),
		u.SecretHash, nullTime(u.LastAccessed)).Scan(&u.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		err = parentOrExists(ctx, q.db, "namespace not found", "user exists",
			`SELECT EXISTS (SELECT 1 FROM namespaces WHERE id = $1)`, u.NamespaceID)
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

// LockUser implements meta.Users with a row lock (FOR UPDATE).
func (q *queries) LockUser(ctx context.Context, id int64) (meta.User, error) {
	u, err := scanUser(q.db.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = $1 FOR UPDATE`, id))
	return u, wrap("lock user", missing(err, "user not found"))
}

// UpdateUser implements meta.Users. Errors: errs.NotFound for a missing
// user, errs.Exists when the new name is taken.
func (q *queries) UpdateUser(ctx context.Context, u meta.User) error {
	if u.Name == "" {
		return errs.E(errs.Invalid, "user name is empty")
	}
	err := q.atomic(ctx, func(c dbtx) error {
		tag, err := c.Exec(ctx, `UPDATE users SET name = $1, lower_name = $2, email = $3,
			password_hash = $4, superuser = $5, disabled = $6, description = $7, metadata = $8,
			sealed_secret = $9, secret_hash = $10, last_accessed = $11 WHERE id = $12`,
			u.Name, strings.ToLower(u.Name), u.Email, u.PasswordHash, u.Superuser, u.Disabled,
			u.Description, nullBytes(u.Metadata), nullBytes(u.SealedSecret), u.SecretHash,
			nullTime(u.LastAccessed), u.ID)
		if isUnique(err) {
			return errs.E(errs.Exists, "user exists")
		}
		return changed(tag, err, "user not found")
	})
	return wrap("update user", err)
}

// DeleteUser implements meta.Users. The schema's cascades remove what the
// account owns and clear the creator of its versions; its namespace stays.
func (q *queries) DeleteUser(ctx context.Context, id int64) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM users WHERE id = $1`, id)
	return wrap("delete user", changed(tag, err, "user not found"))
}

// ListUsers implements meta.Users. Limit <= 0 means no limit.
func (q *queries) ListUsers(ctx context.Context, f meta.UserFilter) ([]meta.User, error) {
	var w where
	w.and(`robot = ` + w.arg(f.Robots))
	if f.NamespaceID != 0 {
		w.and(`robot AND namespace_id = ` + w.arg(f.NamespaceID))
	}
	if f.Prefix != "" {
		w.and(`lower_name LIKE ` + w.arg(prefixPattern(strings.ToLower(f.Prefix))) + ` ESCAPE '\'`)
	}
	w.and(`lower_name > ` + w.arg(strings.ToLower(f.After)))
	query := `SELECT ` + userCols + ` FROM users` + w.String() + ` ORDER BY lower_name LIMIT ` + w.arg(limit(f.Limit))
	us, err := list(ctx, q.db, scanUser, query, w.args...)
	return us, wrap("list users", err)
}
