package sqlite

import (
	"context"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const memberCols = `m.namespace_id, m.user_id, m.role, m.created, u.name`

func scanMember(s scanner) (meta.Member, error) {
	var m meta.Member
	var created int64
	if err := s.Scan(&m.NamespaceID, &m.UserID, &m.Role, &created, &m.UserName); err != nil {
		return meta.Member{}, err
	}
	m.Created = unstamp(created)
	return m, nil
}

// PutMember implements meta.Members. A new membership gets the current
// time; a changed one keeps the time it was made.
func (q *queries) PutMember(ctx context.Context, m *meta.Member) error {
	if err := meta.CheckMemberRole(m.Role); err != nil {
		return err
	}
	var created int64
	err := q.wr.QueryRowContext(ctx, `INSERT INTO members (namespace_id, user_id, role, created)
		VALUES (?, ?, ?, ?)
		ON CONFLICT (namespace_id, user_id) DO UPDATE SET role = excluded.role
		RETURNING created`, m.NamespaceID, m.UserID, m.Role, stamp(now())).Scan(&created)
	if isForeignKey(err) {
		return errs.E(errs.NotFound, "namespace or user not found")
	}
	if err != nil {
		return wrap("put member", err)
	}
	m.Created = unstamp(created)
	return nil
}

// GetMember implements meta.Members.
func (q *queries) GetMember(ctx context.Context, namespaceID, userID int64) (meta.Member, error) {
	m, err := scanMember(q.rd.QueryRowContext(ctx, `SELECT `+memberCols+` FROM members m
		JOIN users u ON u.id = m.user_id WHERE m.namespace_id = ? AND m.user_id = ?`, namespaceID, userID))
	return m, wrap("get member", missing(err, "member not found"))
}

// ListMembers implements meta.Members.
func (q *queries) ListMembers(ctx context.Context, namespaceID int64) ([]meta.Member, error) {
	ms, err := list(ctx, q.rd, scanMember, `SELECT `+memberCols+` FROM members m
		JOIN users u ON u.id = m.user_id WHERE m.namespace_id = ? ORDER BY u.lower_name`, namespaceID)
	return ms, wrap("list members", err)
}

// ListUserMembers implements meta.Members.
func (q *queries) ListUserMembers(ctx context.Context, userID int64) ([]meta.Member, error) {
	ms, err := list(ctx, q.rd, scanMember, `SELECT `+memberCols+` FROM members m
		JOIN users u ON u.id = m.user_id WHERE m.user_id = ? ORDER BY m.created, m.namespace_id`, userID)
	return ms, wrap("list memberships", err)
}

// DeleteMember implements meta.Members.
func (q *queries) DeleteMember(ctx context.Context, namespaceID, userID int64) error {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM members WHERE namespace_id = ? AND user_id = ?`, namespaceID, userID)
	return wrap("delete member", changed(res, err, "member not found"))
}
