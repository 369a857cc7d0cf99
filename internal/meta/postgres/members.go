package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const memberCols = `m.namespace_id, m.user_id, m.role, m.created, u.name`

func scanMember(s pgx.Row) (meta.Member, error) {
	var m meta.Member
	if err := s.Scan(&m.NamespaceID, &m.UserID, &m.Role, &m.Created, &m.UserName); err != nil {
		return meta.Member{}, err
	}
	m.Created = m.Created.UTC()
	return m, nil
}

// PutMember implements meta.Members. A new membership gets the current
// time; a changed one keeps the time it was made. Missing parents are
// found without a failing statement, which would abort a transaction.
func (q *queries) PutMember(ctx context.Context, m *meta.Member) error {
	if err := meta.CheckMemberRole(m.Role); err != nil {
		return err
	}
	var created time.Time
	err := q.db.QueryRow(ctx, `INSERT INTO members (namespace_id, user_id, role, created)
		SELECT $1::bigint, $2::bigint, $3::text, $4::timestamptz
		WHERE EXISTS (SELECT 1 FROM namespaces WHERE id = $1) AND EXISTS (SELECT 1 FROM users WHERE id = $2)
		ON CONFLICT (namespace_id, user_id) DO UPDATE SET role = excluded.role
		RETURNING created`, m.NamespaceID, m.UserID, m.Role, now()).Scan(&created)
	switch {
	case errors.Is(err, pgx.ErrNoRows), isForeignKey(err):
		return errs.E(errs.NotFound, "namespace or user not found")
	case err != nil:
		return wrap("put member", err)
	}
	m.Created = created.UTC()
	return nil
}

// GetMember implements meta.Members.
func (q *queries) GetMember(ctx context.Context, namespaceID, userID int64) (meta.Member, error) {
	m, err := scanMember(q.db.QueryRow(ctx, `SELECT `+memberCols+` FROM members m
		JOIN users u ON u.id = m.user_id WHERE m.namespace_id = $1 AND m.user_id = $2`, namespaceID, userID))
	return m, wrap("get member", missing(err, "member not found"))
}

// ListMembers implements meta.Members.
func (q *queries) ListMembers(ctx context.Context, namespaceID int64) ([]meta.Member, error) {
	ms, err := list(ctx, q.db, scanMember, `SELECT `+memberCols+` FROM members m
		JOIN users u ON u.id = m.user_id WHERE m.namespace_id = $1 ORDER BY u.lower_name`, namespaceID)
	return ms, wrap("list members", err)
}

// ListUserMembers implements meta.Members.
func (q *queries) ListUserMembers(ctx context.Context, userID int64) ([]meta.Member, error) {
	ms, err := list(ctx, q.db, scanMember, `SELECT `+memberCols+` FROM members m
		JOIN users u ON u.id = m.user_id WHERE m.user_id = $1 ORDER BY m.created, m.namespace_id`, userID)
	return ms, wrap("list memberships", err)
}

// DeleteMember implements meta.Members.
func (q *queries) DeleteMember(ctx context.Context, namespaceID, userID int64) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM members WHERE namespace_id = $1 AND user_id = $2`, namespaceID, userID)
	return wrap("delete member", changed(tag, err, "member not found"))
}
