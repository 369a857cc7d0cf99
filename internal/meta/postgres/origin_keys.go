package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// The inserts below are guarded by their parents' existence and skip
// duplicates, so that neither a missing parent nor a taken key fails a
// statement, which would abort a transaction.

const originKeyCols = `id, namespace_id, kind, revision, body, owner_id, created`

func scanOriginKey(s pgx.Row) (meta.OriginKey, error) {
	var k meta.OriginKey
	if err := s.Scan(&k.ID, &k.NamespaceID, &k.Kind, &k.Revision, &k.Body, &k.OwnerID, &k.Created); err != nil {
		return meta.OriginKey{}, err
	}
	k.Created = k.Created.UTC()
	return k, nil
}

// namespaceExists holds when the namespace $1 exists.
const namespaceExists = `EXISTS (SELECT 1 FROM namespaces WHERE id = $1)`

// CreateOriginKey implements meta.OriginKeys. Errors beyond the
// interface's: errs.Invalid for an unknown kind, a malformed revision or
// an empty body; errs.NotFound when the namespace does not exist.
func (q *queries) CreateOriginKey(ctx context.Context, k *meta.OriginKey) error {
	if err := meta.CheckOriginKey(k); err != nil {
		return err
	}
	created := now()
	err := q.db.QueryRow(ctx, `INSERT INTO origin_keys (namespace_id, kind, revision, body, owner_id, created)
		SELECT $1::bigint, $2::text, $3::text, $4::bytea, $5::bigint, $6::timestamptz
		WHERE `+namespaceExists+`
		ON CONFLICT DO NOTHING RETURNING id`,
		k.NamespaceID, k.Kind, k.Revision, k.Body, k.OwnerID, created).Scan(&k.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		err = parentOrExists(ctx, q.db, "namespace not found", "origin key exists",
			`SELECT `+namespaceExists, k.NamespaceID)
	}
	switch {
	case isUnique(err):
		return errs.E(errs.Exists, "origin key exists")
	case isForeignKey(err):
		return errs.E(errs.NotFound, "namespace not found")
	case err != nil:
		return wrap("create origin key", err)
	}
	k.Created = created
	return nil
}

// GetOriginKey implements meta.OriginKeys. Errors beyond the interface's:
// errs.Invalid for an unknown kind or a malformed revision.
func (q *queries) GetOriginKey(ctx context.Context, namespaceID int64, kind, revision string) (meta.OriginKey, error) {
	if err := meta.CheckKeyRef(kind, revision); err != nil {
		return meta.OriginKey{}, err
	}
	k, err := scanOriginKey(q.db.QueryRow(ctx, `SELECT `+originKeyCols+` FROM origin_keys
		WHERE namespace_id = $1 AND kind = $2 AND revision = $3`, namespaceID, kind, revision))
	return k, wrap("get origin key", missing(err, "origin key not found"))
}

// LatestOriginKey implements meta.OriginKeys. Errors beyond the
// interface's: errs.Invalid for an unknown kind.
func (q *queries) LatestOriginKey(ctx context.Context, namespaceID int64, kind string) (meta.OriginKey, error) {
	if err := meta.CheckKeyKind(kind); err != nil {
		return meta.OriginKey{}, err
	}
	k, err := scanOriginKey(q.db.QueryRow(ctx, `SELECT `+originKeyCols+` FROM origin_keys
		WHERE namespace_id = $1 AND kind = $2 ORDER BY revision DESC LIMIT 1`, namespaceID, kind))
	return k, wrap("get latest origin key", missing(err, "origin key not found"))
}

// ListOriginKeys implements meta.OriginKeys. Errors beyond the
// interface's: errs.Invalid for an unknown kind.
func (q *queries) ListOriginKeys(ctx context.Context, namespaceID int64, kind string) ([]meta.OriginKey, error) {
	if err := meta.CheckKeyKind(kind); err != nil {
		return nil, err
	}
	ks, err := list(ctx, q.db, scanOriginKey, `SELECT `+originKeyCols+` FROM origin_keys
		WHERE namespace_id = $1 AND kind = $2 ORDER BY revision DESC`, namespaceID, kind)
	return ks, wrap("list origin keys", err)
}

const originSecretCols = `id, namespace_id, name, value, owner_id, created`

func scanOriginSecret(s pgx.Row) (meta.OriginSecret, error) {
	var o meta.OriginSecret
	if err := s.Scan(&o.ID, &o.NamespaceID, &o.Name, &o.Value, &o.OwnerID, &o.Created); err != nil {
		return meta.OriginSecret{}, err
	}
	o.Created = o.Created.UTC()
	return o, nil
}

// CreateOriginSecret implements meta.OriginKeys. Errors beyond the
// interface's: errs.Invalid for an empty name or value; errs.NotFound
// when the namespace does not exist.
func (q *queries) CreateOriginSecret(ctx context.Context, s *meta.OriginSecret) error {
	if err := meta.CheckOriginSecret(s); err != nil {
		return err
	}
	created := now()
	err := q.db.QueryRow(ctx, `INSERT INTO origin_secrets (namespace_id, name, value, owner_id, created)
		SELECT $1::bigint, $2::text, $3::text, $4::bigint, $5::timestamptz
		WHERE `+namespaceExists+`
		ON CONFLICT DO NOTHING RETURNING id`,
		s.NamespaceID, s.Name, s.Value, s.OwnerID, created).Scan(&s.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		err = parentOrExists(ctx, q.db, "namespace not found", "origin secret exists",
			`SELECT `+namespaceExists, s.NamespaceID)
	}
	switch {
	case isUnique(err):
		return errs.E(errs.Exists, "origin secret exists")
	case isForeignKey(err):
		return errs.E(errs.NotFound, "namespace not found")
	case err != nil:
		return wrap("create origin secret", err)
	}
	s.Created = created
	return nil
}

// ListOriginSecrets implements meta.OriginKeys; names are ordered
// bytewise.
func (q *queries) ListOriginSecrets(ctx context.Context, namespaceID int64) ([]meta.OriginSecret, error) {
	ss, err := list(ctx, q.db, scanOriginSecret, `SELECT `+originSecretCols+` FROM origin_secrets
		WHERE namespace_id = $1 ORDER BY name`, namespaceID)
	return ss, wrap("list origin secrets", err)
}

// DeleteOriginSecret implements meta.OriginKeys.
func (q *queries) DeleteOriginSecret(ctx context.Context, namespaceID int64, name string) (bool, error) {
	tag, err := q.db.Exec(ctx, `DELETE FROM origin_secrets WHERE namespace_id = $1 AND name = $2`, namespaceID, name)
	if err != nil {
		return false, wrap("delete origin secret", err)
	}
	return tag.RowsAffected() > 0, nil
}

const integrationCols = `id, namespace_id, integration, name, body, created, updated`

func scanIntegration(s pgx.Row) (meta.Integration, error) {
	var i meta.Integration
	if err := s.Scan(&i.ID, &i.NamespaceID, &i.Integration, &i.Name, &i.Body, &i.Created, &i.Updated); err != nil {
		return meta.Integration{}, err
	}
	i.Created, i.Updated = i.Created.UTC(), i.Updated.UTC()
	return i, nil
}

// PutIntegration implements meta.OriginKeys. A replaced integration keeps
// its ID and Created. Errors: errs.Invalid for an empty kind, name or
// body; errs.NotFound when the namespace does not exist.
func (q *queries) PutIntegration(ctx context.Context, i *meta.Integration) error {
	if err := meta.CheckIntegration(i); err != nil {
		return err
	}
	at := now()
	var id int64
	var created time.Time
	err := q.db.QueryRow(ctx, `INSERT INTO origin_integrations
		(namespace_id, integration, name, body, created, updated)
		SELECT $1::bigint, $2::text, $3::text, $4::bytea, $5::timestamptz, $5::timestamptz
		WHERE `+namespaceExists+`
		ON CONFLICT (namespace_id, integration, name) DO UPDATE SET
			body = excluded.body, updated = excluded.updated
		RETURNING id, created`,
		i.NamespaceID, i.Integration, i.Name, i.Body, at).Scan(&id, &created)
	switch {
	case errors.Is(err, pgx.ErrNoRows), isForeignKey(err):
		return errs.E(errs.NotFound, "namespace not found")
	case err != nil:
		return wrap("put integration", err)
	}
	i.ID, i.Created, i.Updated = id, created.UTC(), at
	return nil
}

// GetIntegration implements meta.OriginKeys.
func (q *queries) GetIntegration(ctx context.Context, namespaceID int64, integration, name string) (meta.Integration, error) {
	i, err := scanIntegration(q.db.QueryRow(ctx, `SELECT `+integrationCols+` FROM origin_integrations
		WHERE namespace_id = $1 AND integration = $2 AND name = $3`, namespaceID, integration, name))
	return i, wrap("get integration", missing(err, "integration not found"))
}

// ListIntegrations implements meta.OriginKeys; kinds and names are
// ordered bytewise.
func (q *queries) ListIntegrations(ctx context.Context, namespaceID int64) ([]meta.Integration, error) {
	is, err := list(ctx, q.db, scanIntegration, `SELECT `+integrationCols+` FROM origin_integrations
		WHERE namespace_id = $1 ORDER BY integration, name`, namespaceID)
	return is, wrap("list integrations", err)
}

// DeleteIntegration implements meta.OriginKeys.
func (q *queries) DeleteIntegration(ctx context.Context, namespaceID int64, integration, name string) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM origin_integrations
		WHERE namespace_id = $1 AND integration = $2 AND name = $3`, namespaceID, integration, name)
	return wrap("delete integration", changed(tag, err, "integration not found"))
}

const originInvitationCols = `i.id, i.namespace_id, i.user_id, i.inviter_id, i.ignored, i.created, i.updated, n.name, u.name`

// originInvitationFrom joins an invitation to the names it is read with.
const originInvitationFrom = ` FROM origin_invitations i
	JOIN namespaces n ON n.id = i.namespace_id JOIN users u ON u.id = i.user_id`

func scanOriginInvitation(s pgx.Row) (meta.OriginInvitation, error) {
	var i meta.OriginInvitation
	if err := s.Scan(&i.ID, &i.NamespaceID, &i.UserID, &i.InviterID, &i.Ignored, &i.Created, &i.Updated,
		&i.Origin, &i.UserName); err != nil {
		return meta.OriginInvitation{}, err
	}
	i.Created, i.Updated = i.Created.UTC(), i.Updated.UTC()
	return i, nil
}

// originInvitationParents holds when the namespace $1 and the user $2
// exist.
const originInvitationParents = `EXISTS (SELECT 1 FROM namespaces WHERE id = $1)
	AND EXISTS (SELECT 1 FROM users WHERE id = $2)`

// CreateOriginInvitation implements meta.OriginInvitations. Errors beyond
// the interface's: errs.NotFound when the namespace or the user does not
// exist.
func (q *queries) CreateOriginInvitation(ctx context.Context, i *meta.OriginInvitation) error {
	at := now()
	err := q.db.QueryRow(ctx, `INSERT INTO origin_invitations
		(namespace_id, user_id, inviter_id, ignored, created, updated)
		SELECT $1::bigint, $2::bigint, $3::bigint, $4::boolean, $5::timestamptz, $5::timestamptz
		WHERE `+originInvitationParents+`
		ON CONFLICT DO NOTHING RETURNING id`,
		i.NamespaceID, i.UserID, i.InviterID, i.Ignored, at).Scan(&i.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		err = parentOrExists(ctx, q.db, "namespace or user not found", "origin invitation exists",
			`SELECT `+originInvitationParents, i.NamespaceID, i.UserID)
	}
	switch {
	case isUnique(err):
		return errs.E(errs.Exists, "origin invitation exists")
	case isForeignKey(err):
		return errs.E(errs.NotFound, "namespace or user not found")
	case err != nil:
		return wrap("create origin invitation", err)
	}
	i.Created, i.Updated = at, at
	return nil
}

// GetOriginInvitation implements meta.OriginInvitations.
func (q *queries) GetOriginInvitation(ctx context.Context, id int64) (meta.OriginInvitation, error) {
	i, err := scanOriginInvitation(q.db.QueryRow(ctx, `SELECT `+originInvitationCols+originInvitationFrom+`
		WHERE i.id = $1`, id))
	return i, wrap("get origin invitation", missing(err, "origin invitation not found"))
}

// ListOriginInvitations implements meta.OriginInvitations.
func (q *queries) ListOriginInvitations(ctx context.Context, namespaceID int64) ([]meta.OriginInvitation, error) {
	is, err := list(ctx, q.db, scanOriginInvitation, `SELECT `+originInvitationCols+originInvitationFrom+`
		WHERE i.namespace_id = $1 ORDER BY i.created, i.id`, namespaceID)
	return is, wrap("list origin invitations", err)
}

// ListUserInvitations implements meta.OriginInvitations.
func (q *queries) ListUserInvitations(ctx context.Context, userID int64) ([]meta.OriginInvitation, error) {
	is, err := list(ctx, q.db, scanOriginInvitation, `SELECT `+originInvitationCols+originInvitationFrom+`
		WHERE i.user_id = $1 AND NOT i.ignored ORDER BY i.created, i.id`, userID)
	return is, wrap("list user origin invitations", err)
}

// IgnoreOriginInvitation implements meta.OriginInvitations.
func (q *queries) IgnoreOriginInvitation(ctx context.Context, id int64) error {
	tag, err := q.db.Exec(ctx, `UPDATE origin_invitations SET ignored = true, updated = $2 WHERE id = $1`, id, now())
	return wrap("ignore origin invitation", changed(tag, err, "origin invitation not found"))
}

// DeleteOriginInvitation implements meta.OriginInvitations.
func (q *queries) DeleteOriginInvitation(ctx context.Context, id int64) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM origin_invitations WHERE id = $1`, id)
	return wrap("delete origin invitation", changed(tag, err, "origin invitation not found"))
}
