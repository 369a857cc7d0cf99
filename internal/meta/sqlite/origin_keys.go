package sqlite

import (
	"context"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const originKeyCols = `id, namespace_id, kind, revision, body, owner_id, created`

func scanOriginKey(s scanner) (meta.OriginKey, error) {
	var k meta.OriginKey
	var created int64
	if err := s.Scan(&k.ID, &k.NamespaceID, &k.Kind, &k.Revision, &k.Body, &k.OwnerID, &created); err != nil {
		return meta.OriginKey{}, err
	}
	k.Created = unstamp(created)
	return k, nil
}

// CreateOriginKey implements meta.OriginKeys. Errors beyond the
// interface's: errs.Invalid for an unknown kind, a malformed revision or
// an empty body; errs.NotFound when the namespace does not exist.
func (q *queries) CreateOriginKey(ctx context.Context, k *meta.OriginKey) error {
	if err := meta.CheckOriginKey(k); err != nil {
		return err
	}
	created := now()
	err := q.wr.QueryRowContext(ctx, `INSERT INTO origin_keys (namespace_id, kind, revision, body, owner_id, created)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		k.NamespaceID, k.Kind, k.Revision, k.Body, k.OwnerID, stamp(created)).Scan(&k.ID)
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
	k, err := scanOriginKey(q.rd.QueryRowContext(ctx, `SELECT `+originKeyCols+` FROM origin_keys
		WHERE namespace_id = ? AND kind = ? AND revision = ?`, namespaceID, kind, revision))
	return k, wrap("get origin key", missing(err, "origin key not found"))
}

// LatestOriginKey implements meta.OriginKeys. Errors beyond the
// interface's: errs.Invalid for an unknown kind.
func (q *queries) LatestOriginKey(ctx context.Context, namespaceID int64, kind string) (meta.OriginKey, error) {
	if err := meta.CheckKeyKind(kind); err != nil {
		return meta.OriginKey{}, err
	}
	k, err := scanOriginKey(q.rd.QueryRowContext(ctx, `SELECT `+originKeyCols+` FROM origin_keys
		WHERE namespace_id = ? AND kind = ? ORDER BY revision DESC LIMIT 1`, namespaceID, kind))
	return k, wrap("get latest origin key", missing(err, "origin key not found"))
}

// ListOriginKeys implements meta.OriginKeys. Errors beyond the
// interface's: errs.Invalid for an unknown kind.
func (q *queries) ListOriginKeys(ctx context.Context, namespaceID int64, kind string) ([]meta.OriginKey, error) {
	if err := meta.CheckKeyKind(kind); err != nil {
		return nil, err
	}
	ks, err := list(ctx, q.rd, scanOriginKey, `SELECT `+originKeyCols+` FROM origin_keys
		WHERE namespace_id = ? AND kind = ? ORDER BY revision DESC`, namespaceID, kind)
	return ks, wrap("list origin keys", err)
}

const originSecretCols = `id, namespace_id, name, value, owner_id, created`

func scanOriginSecret(s scanner) (meta.OriginSecret, error) {
	var o meta.OriginSecret
	var created int64
	if err := s.Scan(&o.ID, &o.NamespaceID, &o.Name, &o.Value, &o.OwnerID, &created); err != nil {
		return meta.OriginSecret{}, err
	}
	o.Created = unstamp(created)
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
	err := q.wr.QueryRowContext(ctx, `INSERT INTO origin_secrets (namespace_id, name, value, owner_id, created)
		VALUES (?, ?, ?, ?, ?) RETURNING id`,
		s.NamespaceID, s.Name, s.Value, s.OwnerID, stamp(created)).Scan(&s.ID)
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
	ss, err := list(ctx, q.rd, scanOriginSecret, `SELECT `+originSecretCols+` FROM origin_secrets
		WHERE namespace_id = ? ORDER BY name`, namespaceID)
	return ss, wrap("list origin secrets", err)
}

// DeleteOriginSecret implements meta.OriginKeys.
func (q *queries) DeleteOriginSecret(ctx context.Context, namespaceID int64, name string) (bool, error) {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM origin_secrets WHERE namespace_id = ? AND name = ?`, namespaceID, name)
	if err != nil {
		return false, wrap("delete origin secret", err)
	}
	n, err := res.RowsAffected()
	return n > 0, wrap("delete origin secret", err)
}

const integrationCols = `id, namespace_id, integration, name, body, created, updated`

func scanIntegration(s scanner) (meta.Integration, error) {
	var i meta.Integration
	var created, updated int64
	if err := s.Scan(&i.ID, &i.NamespaceID, &i.Integration, &i.Name, &i.Body, &created, &updated); err != nil {
		return meta.Integration{}, err
	}
	i.Created, i.Updated = unstamp(created), unstamp(updated)
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
	var id, created int64
	err := q.wr.QueryRowContext(ctx, `INSERT INTO origin_integrations
		(namespace_id, integration, name, body, created, updated) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (namespace_id, integration, name) DO UPDATE SET
			body = excluded.body, updated = excluded.updated
		RETURNING id, created`,
		i.NamespaceID, i.Integration, i.Name, i.Body, stamp(at), stamp(at)).Scan(&id, &created)
	if isForeignKey(err) {
		return errs.E(errs.NotFound, "namespace not found")
	}
	if err != nil {
		return wrap("put integration", err)
	}
	i.ID, i.Created, i.Updated = id, unstamp(created), at
	return nil
}

// GetIntegration implements meta.OriginKeys.
func (q *queries) GetIntegration(ctx context.Context, namespaceID int64, integration, name string) (meta.Integration, error) {
	i, err := scanIntegration(q.rd.QueryRowContext(ctx, `SELECT `+integrationCols+` FROM origin_integrations
		WHERE namespace_id = ? AND integration = ? AND name = ?`, namespaceID, integration, name))
	return i, wrap("get integration", missing(err, "integration not found"))
}

// ListIntegrations implements meta.OriginKeys; kinds and names are
// ordered bytewise.
func (q *queries) ListIntegrations(ctx context.Context, namespaceID int64) ([]meta.Integration, error) {
	is, err := list(ctx, q.rd, scanIntegration, `SELECT `+integrationCols+` FROM origin_integrations
		WHERE namespace_id = ? ORDER BY integration, name`, namespaceID)
	return is, wrap("list integrations", err)
}

// DeleteIntegration implements meta.OriginKeys.
func (q *queries) DeleteIntegration(ctx context.Context, namespaceID int64, integration, name string) error {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM origin_integrations
		WHERE namespace_id = ? AND integration = ? AND name = ?`, namespaceID, integration, name)
	return wrap("delete integration", changed(res, err, "integration not found"))
}

const originInvitationCols = `i.id, i.namespace_id, i.user_id, i.inviter_id, i.ignored, i.created, i.updated, n.name, u.name`

// originInvitationFrom joins an invitation to the names it is read with.
const originInvitationFrom = ` FROM origin_invitations i
	JOIN namespaces n ON n.id = i.namespace_id JOIN users u ON u.id = i.user_id`

func scanOriginInvitation(s scanner) (meta.OriginInvitation, error) {
	var i meta.OriginInvitation
	var created, updated int64
	if err := s.Scan(&i.ID, &i.NamespaceID, &i.UserID, &i.InviterID, &i.Ignored, &created, &updated,
		&i.Origin, &i.UserName); err != nil {
		return meta.OriginInvitation{}, err
	}
	i.Created, i.Updated = unstamp(created), unstamp(updated)
	return i, nil
}

// CreateOriginInvitation implements meta.OriginInvitations. Errors beyond
// the interface's: errs.NotFound when the namespace or the user does not
// exist.
func (q *queries) CreateOriginInvitation(ctx context.Context, i *meta.OriginInvitation) error {
	at := now()
	err := q.wr.QueryRowContext(ctx, `INSERT INTO origin_invitations
		(namespace_id, user_id, inviter_id, ignored, created, updated) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		i.NamespaceID, i.UserID, i.InviterID, i.Ignored, stamp(at), stamp(at)).Scan(&i.ID)
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
	i, err := scanOriginInvitation(q.rd.QueryRowContext(ctx, `SELECT `+originInvitationCols+originInvitationFrom+`
		WHERE i.id = ?`, id))
	return i, wrap("get origin invitation", missing(err, "origin invitation not found"))
}

// ListOriginInvitations implements meta.OriginInvitations.
func (q *queries) ListOriginInvitations(ctx context.Context, namespaceID int64) ([]meta.OriginInvitation, error) {
	is, err := list(ctx, q.rd, scanOriginInvitation, `SELECT `+originInvitationCols+originInvitationFrom+`
		WHERE i.namespace_id = ? ORDER BY i.created, i.id`, namespaceID)
	return is, wrap("list origin invitations", err)
}

// ListUserInvitations implements meta.OriginInvitations.
func (q *queries) ListUserInvitations(ctx context.Context, userID int64) ([]meta.OriginInvitation, error) {
	is, err := list(ctx, q.rd, scanOriginInvitation, `SELECT `+originInvitationCols+originInvitationFrom+`
		WHERE i.user_id = ? AND i.ignored = 0 ORDER BY i.created, i.id`, userID)
	return is, wrap("list user origin invitations", err)
}

// IgnoreOriginInvitation implements meta.OriginInvitations.
func (q *queries) IgnoreOriginInvitation(ctx context.Context, id int64) error {
	res, err := q.wr.ExecContext(ctx, `UPDATE origin_invitations SET ignored = 1, updated = ? WHERE id = ?`,
		stamp(now()), id)
	return wrap("ignore origin invitation", changed(res, err, "origin invitation not found"))
}

// DeleteOriginInvitation implements meta.OriginInvitations.
func (q *queries) DeleteOriginInvitation(ctx context.Context, id int64) error {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM origin_invitations WHERE id = ?`, id)
	return wrap("delete origin invitation", changed(res, err, "origin invitation not found"))
}
