package postgres

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const namespaceCols = `id, name, kind, public, created,
	email, invoice_email, invoice_email_address, tag_expiration_s`

func scanNamespace(s pgx.Row) (meta.Namespace, error) {
	var n meta.Namespace
	if err := s.Scan(&n.ID, &n.Name, &n.Kind, &n.Public, &n.Created,
		&n.Email, &n.InvoiceEmail, &n.InvoiceEmailAddress, &n.TagExpirationSecs); err != nil {
		return meta.Namespace{}, err
	}
	n.Created = n.Created.UTC()
	return n, nil
}

// CreateNamespace implements meta.Namespaces. A zero TagExpirationSecs is
// stored, and set in n, as meta.DefaultTagExpirationSecs. Errors:
// errs.Invalid for an empty name, an unknown kind or a negative
// expiration.
func (q *queries) CreateNamespace(ctx context.Context, n *meta.Namespace) error {
	if n.Name == "" {
		return errs.E(errs.Invalid, "namespace name is empty")
	}
	if n.Kind != meta.KindUser && n.Kind != meta.KindOrg {
		return errs.E(errs.Invalid, "unknown namespace kind %q", n.Kind)
	}
	if n.TagExpirationSecs < 0 {
		return errs.E(errs.Invalid, "tag expiration is negative")
	}
	expiration := n.TagExpirationSecs
	if expiration == 0 {
		expiration = meta.DefaultTagExpirationSecs
	}
	created := now()
	err := q.db.QueryRow(ctx, `INSERT INTO namespaces (name, lower_name, kind, public, created,
			email, invoice_email, invoice_email_address, tag_expiration_s)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id`,
		n.Name, strings.ToLower(n.Name), string(n.Kind), n.Public, created,
		n.Email, n.InvoiceEmail, n.InvoiceEmailAddress, expiration).Scan(&n.ID)
	switch {
	case errors.Is(err, pgx.ErrNoRows) || isUnique(err):
		return errs.E(errs.Exists, "namespace exists")
	case err != nil:
		return wrap("create namespace", err)
	}
	n.Created, n.TagExpirationSecs = created, expiration
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

// LockNamespace implements meta.Namespaces with a row lock (FOR UPDATE).
func (q *queries) LockNamespace(ctx context.Context, id int64) (meta.Namespace, error) {
	n, err := scanNamespace(q.db.QueryRow(ctx, `SELECT `+namespaceCols+` FROM namespaces WHERE id = $1 FOR UPDATE`, id))
	return n, wrap("lock namespace", missing(err, "namespace not found"))
}

// UpdateNamespace implements meta.Namespaces. Errors beyond the
// interface's: errs.Invalid for a negative tag expiration.
func (q *queries) UpdateNamespace(ctx context.Context, n meta.Namespace) error {
	if n.TagExpirationSecs < 0 {
		return errs.E(errs.Invalid, "tag expiration is negative")
	}
	tag, err := q.db.Exec(ctx, `UPDATE namespaces SET public = $1, email = $2, invoice_email = $3,
		invoice_email_address = $4, tag_expiration_s = $5 WHERE id = $6`,
		n.Public, n.Email, n.InvoiceEmail, n.InvoiceEmailAddress, n.TagExpirationSecs, n.ID)
	return wrap("update namespace", changed(tag, err, "namespace not found"))
}

// DeleteNamespace implements meta.Namespaces in one transaction. It first
// locks the namespace's row, which holds off inserts that refer to it, so
// the checks that follow see every repository and account it will ever
// have. Deleting the robots removes their tokens, memberships and
// permissions; the schema's cascades remove the namespace's teams,
// prototypes and applications.
func (q *queries) DeleteNamespace(ctx context.Context, id int64) error {
	err := q.atomic(ctx, func(c dbtx) error {
		var locked int64
		err := c.QueryRow(ctx, `SELECT id FROM namespaces WHERE id = $1 FOR UPDATE`, id).Scan(&locked)
		if err != nil {
			return missing(err, "namespace not found")
		}
		var inUse bool
		err = c.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM repositories WHERE namespace_id = $1)
			OR EXISTS (SELECT 1 FROM users WHERE namespace_id = $1 AND NOT robot)`, id).Scan(&inUse)
		if err != nil {
			return err
		}
		if inUse {
			return errs.E(errs.Conflict, "namespace owns repositories or an account")
		}
		if _, err := c.Exec(ctx, `DELETE FROM users WHERE namespace_id = $1 AND robot`, id); err != nil {
			return err
		}
		_, err = c.Exec(ctx, `DELETE FROM namespaces WHERE id = $1`, id)
		if isForeignKey(err) {
			return errs.E(errs.Conflict, "namespace owns repositories or an account")
		}
		return err
	})
	return wrap("delete namespace", err)
}

// ListNamespaces implements meta.Namespaces. Limit <= 0 means no limit.
func (q *queries) ListNamespaces(ctx context.Context, f meta.NamespaceFilter) ([]meta.Namespace, error) {
	var w where
	if f.Kind != "" {
		w.and(`kind = ` + w.arg(string(f.Kind)))
	}
	if f.Prefix != "" {
		w.and(`lower_name LIKE ` + w.arg(prefixPattern(strings.ToLower(f.Prefix))) + ` ESCAPE '\'`)
	}
	w.and(`lower_name > ` + w.arg(strings.ToLower(f.After)))
	query := `SELECT ` + namespaceCols + ` FROM namespaces` + w.String() +
		` ORDER BY lower_name LIMIT ` + w.arg(limit(f.Limit))
	ns, err := list(ctx, q.db, scanNamespace, query, w.args...)
	return ns, wrap("list namespaces", err)
}
