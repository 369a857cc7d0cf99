package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const inviteCols = `id, team_id, user_id, email, inviter_id, code, created`

func scanInvite(s scanner) (meta.Invite, error) {
	var i meta.Invite
	var userID, inviterID sql.NullInt64
	var created int64
	if err := s.Scan(&i.ID, &i.TeamID, &userID, &i.Email, &inviterID, &i.Code, &created); err != nil {
		return meta.Invite{}, err
	}
	i.UserID, i.InviterID = userID.Int64, inviterID.Int64
	i.Created = unstamp(created)
	return i, nil
}

// CreateInvite implements meta.Invites. Errors beyond the interface's:
// errs.NotFound for a missing team, user or inviter; errs.Invalid unless
// exactly one of UserID and Email is set, or for an empty code.
func (q *queries) CreateInvite(ctx context.Context, i *meta.Invite) error {
	if (i.UserID == 0) == (i.Email == "") {
		return errs.E(errs.Invalid, "an invitation names a user or an address")
	}
	if i.Code == "" {
		return errs.E(errs.Invalid, "invitation code is empty")
	}
	created := now()
	err := q.wr.QueryRowContext(ctx, `INSERT INTO team_invites
		(team_id, user_id, email, lower_email, inviter_id, code, created)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		i.TeamID, nullID(i.UserID), i.Email, strings.ToLower(i.Email), nullID(i.InviterID),
		i.Code, stamp(created)).Scan(&i.ID)
	switch {
	case isUnique(err):
		return errs.E(errs.Exists, "invitation exists")
	case isForeignKey(err):
		return errs.E(errs.NotFound, "team, user or inviter not found")
	case err != nil:
		return wrap("create invitation", err)
	}
	i.Created = created
	return nil
}

// GetInvite implements meta.Invites.
func (q *queries) GetInvite(ctx context.Context, code string) (meta.Invite, error) {
	i, err := scanInvite(q.rd.QueryRowContext(ctx, `SELECT `+inviteCols+` FROM team_invites WHERE code = ?`, code))
	return i, wrap("get invitation", missing(err, "invitation not found"))
}

// ListTeamInvites implements meta.Invites.
func (q *queries) ListTeamInvites(ctx context.Context, teamID int64) ([]meta.Invite, error) {
	is, err := list(ctx, q.rd, scanInvite,
		`SELECT `+inviteCols+` FROM team_invites WHERE team_id = ? ORDER BY id`, teamID)
	return is, wrap("list team invitations", err)
}

// ListUserInvites implements meta.Invites.
func (q *queries) ListUserInvites(ctx context.Context, userID int64, email string) ([]meta.Invite, error) {
	is, err := list(ctx, q.rd, scanInvite, `SELECT `+inviteCols+` FROM team_invites
		WHERE user_id = ?1 OR (?2 <> '' AND lower_email = ?2) ORDER BY id`, userID, strings.ToLower(email))
	return is, wrap("list user invitations", err)
}

// DeleteInvite implements meta.Invites.
func (q *queries) DeleteInvite(ctx context.Context, id int64) error {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM team_invites WHERE id = ?`, id)
	return wrap("delete invitation", changed(res, err, "invitation not found"))
}
