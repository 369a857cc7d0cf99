package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const userCols = `id, name, email, password_hash, superuser, disabled, namespace_id, created,
	robot, description, metadata, sealed_secret, secret_hash, last_accessed`

func scanUser(s scanner) (meta.User, error) {
	var u meta.User
	var created int64
	var lastAccessed sql.NullInt64
	if err := s.Scan(&u.ID, &u.Name, &u.Email, &u.PasswordHash, &u.Superuser, &u.Disabled, &u.NamespaceID, &created,
		&u.Robot, &u.Description, &u.Metadata, &u.SealedSecret, &u.SecretHash, &lastAccessed); err != nil {
		return meta.User{}, err
	}
	u.Created = unstamp(created)
	u.LastAccessed = unnullStamp(lastAccessed)
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
	err := q.wr.QueryRowContext(ctx, `INSERT INTO users
		(name, lower_name, email, password_hash, superuser, disabled, namespace_id, created,
			robot, description, metadata, sealed_secret, secret_hash, last_accessed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Name, strings.ToLower(u.Name), u.Email, u.PasswordHash, u.Superuser, u.Disabled,
		u.NamespaceID, stamp(created), u.Robot, u.Description, nullBytes(u.Metadata),
		nullBytes(u.SealedSecret), u.SecretHash, nullStamp(u.LastAccessed)).Scan(&u.ID)
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

// LockUser implements meta.Users. A transaction holds the database's
// write lock from its start (it begins IMMEDIATE), which is lock enough.
func (q *queries) LockUser(ctx context.Context, id int64) (meta.User, error) {
	return q.GetUserByID(ctx, id)
}

// UpdateUser implements meta.Users. Errors: errs.NotFound for a missing
// user, errs.Exists when the new name is taken.
func (q *queries) UpdateUser(ctx context.Context, u meta.User) error {
	if u.Name == "" {
		return errs.E(errs.Invalid, "user name is empty")
	}
	res, err := q.wr.ExecContext(ctx, `UPDATE users SET name = ?, lower_name = ?, email = ?,
		password_hash = ?, superuser = ?, disabled = ?, description = ?, metadata = ?,
		sealed_secret = ?, secret_hash = ?, last_accessed = ? WHERE id = ?`,
		u.Name, strings.ToLower(u.Name), u.Email, u.PasswordHash, u.Superuser, u.Disabled,
		u.Description, nullBytes(u.Metadata), nullBytes(u.SealedSecret), u.SecretHash,
		nullStamp(utc(u.LastAccessed)), u.ID)
	if isUnique(err) {
		return errs.E(errs.Exists, "user exists")
	}
	return wrap("update user", changed(res, err, "user not found"))
}

// DeleteUser implements meta.Users. The schema's cascades remove what the
// account owns and clear the creator of its versions; its namespace stays.
func (q *queries) DeleteUser(ctx context.Context, id int64) error {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, id)
	return wrap("delete user", changed(res, err, "user not found"))
}

// ListUsers implements meta.Users. Limit <= 0 means no limit.
func (q *queries) ListUsers(ctx context.Context, f meta.UserFilter) ([]meta.User, error) {
	var w where
	w.and(`robot = ` + w.arg(f.Robots))
	if f.NamespaceID != 0 {
		w.and(`robot = 1 AND namespace_id = ` + w.arg(f.NamespaceID))
	}
	if f.Prefix != "" {
		w.and(`lower_name LIKE ` + w.arg(prefixPattern(strings.ToLower(f.Prefix))) + ` ESCAPE '\'`)
	}
	w.and(`lower_name > ` + w.arg(strings.ToLower(f.After)))
	query := `SELECT ` + userCols + ` FROM users` + w.String() + ` ORDER BY lower_name LIMIT ` + w.arg(limit(f.Limit))
	us, err := list(ctx, q.rd, scanUser, query, w.args...)
	return us, wrap("list users", err)
}
