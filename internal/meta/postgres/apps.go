package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const appCols = `id, namespace_id, client_id, sealed_secret, name, description,
	application_uri, redirect_uri, avatar_email, created`

func scanApp(s pgx.Row) (meta.App, error) {
	var a meta.App
	if err := s.Scan(&a.ID, &a.NamespaceID, &a.ClientID, &a.SealedSecret, &a.Name, &a.Description,
		&a.ApplicationURI, &a.RedirectURI, &a.AvatarEmail, &a.Created); err != nil {
		return meta.App{}, err
	}
	a.Created = a.Created.UTC()
	return a, nil
}

// CreateApp implements meta.Apps. Errors beyond the interface's:
// errs.NotFound for a missing namespace; errs.Invalid for an empty client
// ID, name or secret.
func (q *queries) CreateApp(ctx context.Context, a *meta.App) error {
	if a.ClientID == "" {
		return errs.E(errs.Invalid, "application client ID is empty")
	}
	if err := meta.CheckApp(a); err != nil {
		return err
	}
	created := now()
	err := q.db.QueryRow(ctx, `INSERT INTO apps (namespace_id, client_id, sealed_secret, name,
			description, application_uri, redirect_uri, avatar_email, created)
		SELECT $1::bigint, $2::text, $3::bytea, $4::text, $5::text, $6::text, $7::text, $8::text, $9::timestamptz
		WHERE EXISTS (SELECT 1 FROM namespaces WHERE id = $1)
		ON CONFLICT DO NOTHING RETURNING id`,
		a.NamespaceID, a.ClientID, a.SealedSecret, a.Name, a.Description, a.ApplicationURI,
		a.RedirectURI, a.AvatarEmail, created).Scan(&a.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		err = parentOrExists(ctx, q.db, "namespace not found", "application exists",
			`SELECT EXISTS (SELECT 1 FROM namespaces WHERE id = $1)`, a.NamespaceID)
	}
	switch {
	case isUnique(err):
		return errs.E(errs.Exists, "application exists")
	case isForeignKey(err):
		return errs.E(errs.NotFound, "namespace not found")
	case err != nil:
		return wrap("create application", err)
	}
	a.Created = created
	return nil
}

// GetApp implements meta.Apps.
func (q *queries) GetApp(ctx context.Context, clientID string) (meta.App, error) {
	a, err := scanApp(q.db.QueryRow(ctx, `SELECT `+appCols+` FROM apps WHERE client_id = $1`, clientID))
	return a, wrap("get application", missing(err, "application not found"))
}

// ListApps implements meta.Apps.
func (q *queries) ListApps(ctx context.Context, namespaceID int64) ([]meta.App, error) {
	as, err := list(ctx, q.db, scanApp, `SELECT `+appCols+` FROM apps WHERE namespace_id = $1 ORDER BY id`, namespaceID)
	return as, wrap("list applications", err)
}

// UpdateApp implements meta.Apps. Errors beyond the interface's:
// errs.Invalid for an empty name or secret.
func (q *queries) UpdateApp(ctx context.Context, a meta.App) error {
	if err := meta.CheckApp(&a); err != nil {
		return err
	}
	tag, err := q.db.Exec(ctx, `UPDATE apps SET sealed_secret = $1, name = $2, description = $3,
		application_uri = $4, redirect_uri = $5, avatar_email = $6 WHERE id = $7`,
		a.SealedSecret, a.Name, a.Description, a.ApplicationURI, a.RedirectURI, a.AvatarEmail, a.ID)
	return wrap("update application", changed(tag, err, "application not found"))
}

// DeleteApp implements meta.Apps. The schema's cascades remove its tokens
// and codes.
func (q *queries) DeleteApp(ctx context.Context, id int64) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM apps WHERE id = $1`, id)
	return wrap("delete application", changed(tag, err, "application not found"))
}

const grantCodeCols = `hash, app_id, user_id, scopes, redirect_uri, created, expires`

func scanGrantCode(s pgx.Row) (meta.GrantCode, error) {
	var c meta.GrantCode
	if err := s.Scan(&c.Hash, &c.AppID, &c.UserID, &c.Scopes, &c.RedirectURI, &c.Created, &c.Expires); err != nil {
		return meta.GrantCode{}, err
	}
	if len(c.Scopes) == 0 {
		c.Scopes = nil
	}
	c.Created, c.Expires = c.Created.UTC(), c.Expires.UTC()
	return c, nil
}

// CreateGrantCode implements meta.Apps. A zero Created is stored as now.
// Errors beyond the interface's: errs.NotFound for a missing App or user;
// errs.Invalid for an empty hash or a zero Expires.
func (q *queries) CreateGrantCode(ctx context.Context, c meta.GrantCode) error {
	if c.Hash == "" || c.Expires.IsZero() {
		return errs.E(errs.Invalid, "grant code hash or expiry is empty")
	}
	scopes := c.Scopes
	if scopes == nil {
		scopes = []string{}
	}
	created := utc(c.Created)
	if created.IsZero() {
		created = now()
	}
	tag, err := q.db.Exec(ctx, `INSERT INTO grant_codes (app_id, user_id, hash, scopes, redirect_uri, created, expires)
		SELECT $1::bigint, $2::bigint, $3::text, $4::text[], $5::text, $6::timestamptz, $7::timestamptz
		WHERE EXISTS (SELECT 1 FROM apps WHERE id = $1) AND EXISTS (SELECT 1 FROM users WHERE id = $2)
		ON CONFLICT DO NOTHING`,
		c.AppID, c.UserID, c.Hash, scopes, c.RedirectURI, created, utc(c.Expires))
	if err == nil && tag.RowsAffected() == 0 {
		err = parentOrExists(ctx, q.db, "application or user not found", "grant code exists",
			`SELECT EXISTS (SELECT 1 FROM apps WHERE id = $1) AND EXISTS (SELECT 1 FROM users WHERE id = $2)`,
			c.AppID, c.UserID)
	}
	if isForeignKey(err) {
		return errs.E(errs.NotFound, "application or user not found")
	}
	return wrap("create grant code", err)
}

// TakeGrantCode implements meta.Apps in one statement, which removes the
// code whether or not it expired.
func (q *queries) TakeGrantCode(ctx context.Context, hash string, at time.Time) (meta.GrantCode, error) {
	c, err := scanGrantCode(q.db.QueryRow(ctx,
		`DELETE FROM grant_codes WHERE hash = $1 RETURNING `+grantCodeCols, hash))
	if err != nil {
		return meta.GrantCode{}, wrap("take grant code", missing(err, "grant code not found"))
	}
	if c.Expires.Before(at) {
		return meta.GrantCode{}, errs.E(errs.NotFound, "grant code not found")
	}
	return c, nil
}
