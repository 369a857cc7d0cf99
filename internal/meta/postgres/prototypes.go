package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const prototypeCols = `id, uuid, namespace_id, activating_user_id, delegate_user_id, delegate_team_id, role, created`

func scanPrototype(s pgx.Row) (meta.Prototype, error) {
	var p meta.Prototype
	var activating, delegateUser, delegateTeam *int64
	if err := s.Scan(&p.ID, &p.UUID, &p.NamespaceID, &activating, &delegateUser, &delegateTeam,
		&p.Role, &p.Created); err != nil {
		return meta.Prototype{}, err
	}
	p.ActivatingUserID, p.DelegateUserID, p.DelegateTeamID = unnullID(activating), unnullID(delegateUser), unnullID(delegateTeam)
	p.Created = p.Created.UTC()
	return p, nil
}

// prototypeParents holds when a prototype's namespace, activating user
// and delegate, the optional ones when set, exist.
const prototypeParents = `EXISTS (SELECT 1 FROM namespaces WHERE id = $1)
	AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = $2))
	AND ($3::bigint IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = $3))
	AND ($4::bigint IS NULL OR EXISTS (SELECT 1 FROM teams WHERE id = $4))`

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
	parents := []any{p.NamespaceID, nullID(p.ActivatingUserID), nullID(p.DelegateUserID), nullID(p.DelegateTeamID)}
	err := q.db.QueryRow(ctx, `INSERT INTO prototypes
		(namespace_id, activating_user_id, delegate_user_id, delegate_team_id, uuid, role, created)
		SELECT $1::bigint, $2::bigint, $3::bigint, $4::bigint, $5::text, $6::text, $7::timestamptz
		WHERE `+prototypeParents+`
		ON CONFLICT DO NOTHING RETURNING id`,
		append(parents, p.UUID, p.Role, created)...).Scan(&p.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		err = parentOrExists(ctx, q.db, "namespace, user or team not found", "prototype exists",
			`SELECT `+prototypeParents, parents...)
	}
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
	p, err := scanPrototype(q.db.QueryRow(ctx, `SELECT `+prototypeCols+` FROM prototypes
		WHERE uuid = $1 AND namespace_id = $2`, uuid, namespaceID))
	return p, wrap("get prototype", missing(err, "prototype not found"))
}

// ListPrototypes implements meta.Prototypes.
func (q *queries) ListPrototypes(ctx context.Context, namespaceID int64) ([]meta.Prototype, error) {
	ps, err := list(ctx, q.db, scanPrototype,
		`SELECT `+prototypeCols+` FROM prototypes WHERE namespace_id = $1 ORDER BY id`, namespaceID)
	return ps, wrap("list prototypes", err)
}

// UpdatePrototype implements meta.Prototypes. Errors beyond the
// interface's: errs.Invalid for an unknown role.
func (q *queries) UpdatePrototype(ctx context.Context, p meta.Prototype) error {
	if err := meta.CheckRepoRole(p.Role); err != nil {
		return err
	}
	tag, err := q.db.Exec(ctx, `UPDATE prototypes SET role = $1 WHERE id = $2`, p.Role, p.ID)
	return wrap("update prototype", changed(tag, err, "prototype not found"))
}

// DeletePrototype implements meta.Prototypes.
func (q *queries) DeletePrototype(ctx context.Context, id int64) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM prototypes WHERE id = $1`, id)
	return wrap("delete prototype", changed(tag, err, "prototype not found"))
}
