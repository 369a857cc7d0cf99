package sqlite

import (
	"context"
	"strings"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const namespaceCols = `id, name, kind, public, created,
	email, invoice_email, invoice_email_address, tag_expiration_s`

func scanNamespace(s scanner) (meta.Namespace, error) {
	var n meta.Namespace
	var created int64
	if err := s.Scan(&n.ID, &n.Name, &n.Kind, &n.Public, &created,
		&n.Email, &n.InvoiceEmail, &n.InvoiceEmailAddress, &n.TagExpirationSecs); err != nil {
		return meta.Namespace{}, err
	}
	n.Created = unstamp(created)
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
	err := q.wr.QueryRowContext(ctx, `INSERT INTO namespaces (name, lower_name, kind, public, created,
			email, invoice_email, invoice_email_address, tag_expiration_s)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		n.Name, strings.ToLower(n.Name), n.Kind, n.Public, stamp(created),
		n.Email, n.InvoiceEmail, n.InvoiceEmailAddress, expiration).Scan(&n.ID)
	switch {
	case isUnique(err):
		return errs.E(errs.Exists, "namespace exists")
	case err != nil:
		return wrap("create namespace", err)
	}
	n.Created, n.TagExpirationSecs = created, expiration
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

// LockNamespace implements meta.Namespaces. A transaction holds the
// database's write lock from its start (it begins IMMEDIATE), which is
// lock enough.
func (q *queries) LockNamespace(ctx context.Context, id int64) (meta.Namespace, error) {
	return q.GetNamespaceByID(ctx, id)
}

// UpdateNamespace implements meta.Namespaces. Errors beyond the
// interface's: errs.Invalid for a negative tag expiration.
func (q *queries) UpdateNamespace(ctx context.Context, n meta.Namespace) error {
	if n.TagExpirationSecs < 0 {
		return errs.E(errs.Invalid, "tag expiration is negative")
	}
	res, err := q.wr.ExecContext(ctx, `UPDATE namespaces SET public = ?, email = ?, invoice_email = ?,
		invoice_email_address = ?, tag_expiration_s = ? WHERE id = ?`,
		n.Public, n.Email, n.InvoiceEmail, n.InvoiceEmailAddress, n.TagExpirationSecs, n.ID)
	return wrap("update namespace", changed(res, err, "namespace not found"))
}

// DeleteNamespace implements meta.Namespaces: the checks and the deletes
// run in one transaction. Deleting the robots removes their tokens,
// memberships and permissions; the schema's cascades remove the
// namespace's teams, prototypes and applications.
func (q *queries) DeleteNamespace(ctx context.Context, id int64) error {
	err := q.atomic(ctx, func(c dbtx) error {
		var inUse bool
		err := c.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM repositories WHERE namespace_id = ?1)
			OR EXISTS (SELECT 1 FROM users WHERE namespace_id = ?1 AND robot = 0)
			FROM namespaces WHERE id = ?1`, id).Scan(&inUse)
		if err != nil {
			return missing(err, "namespace not found")
		}
		if inUse {
			return errs.E(errs.Conflict, "namespace owns repositories or an account")
		}
		if _, err := c.ExecContext(ctx, `DELETE FROM users WHERE namespace_id = ? AND robot = 1`, id); err != nil {
			return err
		}
		_, err = c.ExecContext(ctx, `DELETE FROM namespaces WHERE id = ?`, id)
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
	ns, err := list(ctx, q.rd, scanNamespace, query, w.args...)
	return ns, wrap("list namespaces", err)
}
