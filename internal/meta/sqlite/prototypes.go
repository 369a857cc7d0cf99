package sqlite

import (
	"context"
	"database/sql"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const prototypeCols = `id, uuid, namespace_id, activating_user_id, delegate_user_id, delegate_team_id, role, created`

func scanPrototype(s scanner) (meta.Prototype, error) {
	var p meta.Prototype
	var activating, delegateUser, delegateTeam sql.NullInt64
	var created int64
	if err := s.Scan(&p.ID, &p.UUID, &p.NamespaceID, &activating, &delegateUser, &delegateTeam,
		&p.Role, &created); err != nil {
		return meta.Prototype{}, err
	}
	p.ActivatingUserID, p.DelegateUserID, p.DelegateTeamID = activating.Int64, delegateUser.Int64, delegateTeam.Int64
	p.Created = unstamp(created)
	return p, nil
}

// CreatePrototype implements meta.Prototypes. Errors beyond the
// interface's: errs.NotFound for a missing namespace, user or team;
// errs.Invalid for an empty UUID, an unknown role or unless exactly one
// delegate is set.
func (q *queries) CreatePrototype(ctx context.Context, p *meta.Prototype) error {
	if p.UUID == "" {
		return errs.E(errs.Invalid, "prototype UUID is empty")
	}
	if err := meta.CheckRepoRole(p.Role); err != nil {
		return err
	}
	if err := meta.CheckGrantee(p.DelegateUserID, p.DelegateTeamID); err != nil {
		return err
	}
	created := now()
	err := q.wr.QueryRowContext(ctx, `INSERT INTO prototypes
		(uuid, namespace_id, activating_user_id, delegate_user_id, delegate_team_id, role, created)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.UUID, p.NamespaceID, nullID(p.ActivatingUserID), nullID(p.DelegateUserID), nullID(p.DelegateTeamID),
		p.Role, stamp(created)).Scan(&p.ID)
	switch {
	case isUnique(err):
		return errs.E(errs.Exists, "prototype exists")
	case isForeignKey(err):
		return errs.E(errs.NotFound, "namespace, user or team not found")
	case err != nil:
		return wrap("create prototype", err)
	}
	p.Created = created
	return nil
}

// GetPrototype implements meta.Prototypes.
func (q *queries) GetPrototype(ctx context.Context, namespaceID int64, uuid string) (meta.Prototype, error) {
	p, err := scanPrototype(q.rd.QueryRowContext(ctx, `SELECT `+prototypeCols+` FROM prototypes
		WHERE uuid = ? AND namespace_id = ?`, uuid, namespaceID))
	return p, wrap("get prototype", missing(err, "prototype not found"))
}

// ListPrototypes implements meta.Prototypes.
func (q *queries) ListPrototypes(ctx context.Context, namespaceID int64) ([]meta.Prototype, error) {
	ps, err := list(ctx, q.rd, scanPrototype,
		`SELECT `+prototypeCols+` FROM prototypes WHERE namespace_id = ? ORDER BY id`, namespaceID)
	return ps, wrap("list prototypes", err)
}

// UpdatePrototype implements meta.Prototypes. Errors beyond the
// interface's: errs.Invalid for an unknown role.
func (q *queries) UpdatePrototype(ctx context.Context, p meta.Prototype) error {
	if err := meta.CheckRepoRole(p.Role); err != nil {
		return err
	}
	res, err := q.wr.ExecContext(ctx, `UPDATE prototypes SET role = ? WHERE id = ?`, p.Role, p.ID)
	return wrap("update prototype", changed(res, err, "prototype not found"))
}

// DeletePrototype implements meta.Prototypes.
func (q *queries) DeletePrototype(ctx context.Context, id int64) error {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM prototypes WHERE id = ?`, id)
	return wrap("delete prototype", changed(res, err, "prototype not found"))
}
