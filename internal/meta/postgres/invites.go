package postgres

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const inviteCols = `id, team_id, user_id, email, inviter_id, code, created`

func scanInvite(s pgx.Row) (meta.Invite, error) {
	var i meta.Invite
	var userID, inviterID *int64
	if err := s.Scan(&i.ID, &i.TeamID, &userID, &i.Email, &inviterID, &i.Code, &i.Created); err != nil {
		return meta.Invite{}, err
	}
	i.UserID, i.InviterID = unnullID(userID), unnullID(inviterID)
	i.Created = i.Created.UTC()
	return i, nil
}

// inviteParents holds when an invitation's team, user and inviter, the
// last two when set, exist.
const inviteParents = `EXISTS (SELECT 1 FROM teams WHERE id = $1)
	AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = $2))
	AND ($3::bigint IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = $3))`

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
	err := q.db.QueryRow(ctx, `INSERT INTO team_invites
		(team_id, user_id, inviter_id, email, lower_email, code, created)
		SELECT $1::bigint, $2::bigint, $3::bigint, $4::text, $5::text, $6::text, $7::timestamptz
		WHERE `+inviteParents+`
		ON CONFLICT DO NOTHING RETURNING id`,
		i.TeamID, nullID(i.UserID), nullID(i.InviterID), i.Email, strings.ToLower(i.Email),
		i.Code, created).Scan(&i.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		err = parentOrExists(ctx, q.db, "team, user or inviter not found", "invitation exists",
			`SELECT `+inviteParents, i.TeamID, nullID(i.UserID), nullID(i.InviterID))
	}
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
	i, err := scanInvite(q.db.QueryRow(ctx, `SELECT `+inviteCols+` FROM team_invites WHERE code = $1`, code))
	return i, wrap("get invitation", missing(err, "invitation not found"))
}

// ListTeamInvites implements meta.Invites.
func (q *queries) ListTeamInvites(ctx context.Context, teamID int64) ([]meta.Invite, error) {
	is, err := list(ctx, q.db, scanInvite,
		`SELECT `+inviteCols+` FROM team_invites WHERE team_id = $1 ORDER BY id`, teamID)
	return is, wrap("list team invitations", err)
}

// ListUserInvites implements meta.Invites.
func (q *queries) ListUserInvites(ctx context.Context, userID int64, email string) ([]meta.Invite, error) {
	is, err := list(ctx, q.db, scanInvite, `SELECT `+inviteCols+` FROM team_invites
		WHERE user_id = $1 OR ($2::text <> '' AND lower_email = $2) ORDER BY id`, userID, strings.ToLower(email))
	return is, wrap("list user invitations", err)
}

// DeleteInvite implements meta.Invites.
func (q *queries) DeleteInvite(ctx context.Context, id int64) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM team_invites WHERE id = $1`, id)
	return wrap("delete invitation", changed(tag, err, "invitation not found"))
}
