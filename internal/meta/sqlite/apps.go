package sqlite

import (
	"context"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const appCols = `id, namespace_id, client_id, sealed_secret, name, description,
	application_uri, redirect_uri, avatar_email, created`

func scanApp(s scanner) (meta.App, error) {
	var a meta.App
	var created int64
	if err := s.Scan(&a.ID, &a.NamespaceID, &a.ClientID, &a.SealedSecret, &a.Name, &a.Description,
		&a.ApplicationURI, &a.RedirectURI, &a.AvatarEmail, &created); err != nil {
		return meta.App{}, err
	}
	a.Created = unstamp(created)
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
	err := q.wr.QueryRowContext(ctx, `INSERT INTO apps (namespace_id, client_id, sealed_secret, name,
			description, application_uri, redirect_uri, avatar_email, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.NamespaceID, a.ClientID, a.SealedSecret, a.Name, a.Description, a.ApplicationURI,
		a.RedirectURI, a.AvatarEmail, stamp(created)).Scan(&a.ID)
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
	a, err := scanApp(q.rd.QueryRowContext(ctx, `SELECT `+appCols+` FROM apps WHERE client_id = ?`, clientID))
	return a, wrap("get application", missing(err, "application not found"))
}

// ListApps implements meta.Apps.
func (q *queries) ListApps(ctx context.Context, namespaceID int64) ([]meta.App, error) {
	as, err := list(ctx, q.rd, scanApp,
		`SELECT `+appCols+` FROM apps WHERE namespace_id = ? ORDER BY id`, namespaceID)
	return as, wrap("list applications", err)
}

// UpdateApp implements meta.Apps. Errors beyond the interface's:
// errs.Invalid for an empty name or secret.
func (q *queries) UpdateApp(ctx context.Context, a meta.App) error {
	if err := meta.CheckApp(&a); err != nil {
		return err
	}
	res, err := q.wr.ExecContext(ctx, `UPDATE apps SET sealed_secret = ?, name = ?, description = ?,
		application_uri = ?, redirect_uri = ?, avatar_email = ? WHERE id = ?`,
		a.SealedSecret, a.Name, a.Description, a.ApplicationURI, a.RedirectURI, a.AvatarEmail, a.ID)
	return wrap("update application", changed(res, err, "application not found"))
}

// DeleteApp implements meta.Apps. The schema's cascades remove its tokens
// and codes.
func (q *queries) DeleteApp(ctx context.Context, id int64) error {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM apps WHERE id = ?`, id)
	return wrap("delete application", changed(res, err, "application not found"))
}

const grantCodeCols = `hash, app_id, user_id, scopes, redirect_uri, created, expires`

func scanGrantCode(s scanner) (meta.GrantCode, error) {
	var c meta.GrantCode
	var scopes string
	var created, expires int64
	if err := s.Scan(&c.Hash, &c.AppID, &c.UserID, &scopes, &c.RedirectURI, &created, &expires); err != nil {
		return meta.GrantCode{}, err
	}
	var err error
	if c.Scopes, err = decodeScopes(scopes); err != nil {
		return meta.GrantCode{}, err
	}
	c.Created, c.Expires = unstamp(created), unstamp(expires)
	return c, nil
}

// CreateGrantCode implements meta.Apps. A zero Created is stored as now.
// Errors beyond the interface's: errs.NotFound for a missing App or user;
// errs.Invalid for an empty hash or a zero Expires.
func (q *queries) CreateGrantCode(ctx context.Context, c meta.GrantCode) error {
	if c.Hash == "" || c.Expires.IsZero() {
		return errs.E(errs.Invalid, "grant code hash or expiry is empty")
	}
	scopes, err := encodeScopes(c.Scopes)
	if err != nil {
		return wrap("create grant code", err)
	}
	created := utc(c.Created)
	if created.IsZero() {
		created = now()
	}
	_, err = q.wr.ExecContext(ctx, `INSERT INTO grant_codes (hash, app_id, user_id, scopes, redirect_uri, created, expires)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		c.Hash, c.AppID, c.UserID, scopes, c.RedirectURI, stamp(created), stamp(utc(c.Expires)))
	switch {
	case isUnique(err):
		return errs.E(errs.Exists, "grant code exists")
	case isForeignKey(err):
		return errs.E(errs.NotFound, "application or user not found")
	}
	return wrap("create grant code", err)
}

// TakeGrantCode implements meta.Apps in one statement, which removes the
// code whether or not it expired.
func (q *queries) TakeGrantCode(ctx context.Context, hash string, at time.Time) (meta.GrantCode, error) {
	c, err := scanGrantCode(q.wr.QueryRowContext(ctx,
		`DELETE FROM grant_codes WHERE hash = ? RETURNING `+grantCodeCols, hash))
	if err != nil {
		return meta.GrantCode{}, wrap("take grant code", missing(err, "grant code not found"))
	}
	if c.Expires.Before(at) {
		return meta.GrantCode{}, errs.E(errs.NotFound, "grant code not found")
	}
	return c, nil
}
