package postgres

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// teamCols are the columns of a teams row aliased t, with its counts of
// members and of repositories it has a permission on.
const teamCols = `t.id, t.namespace_id, t.name, t.description, t.role, t.created,
	(SELECT count(*) FROM team_members m WHERE m.team_id = t.id),
	(SELECT count(*) FROM permissions p WHERE p.team_id = t.id)`

func scanTeam(s pgx.Row) (meta.Team, error) {
	var t meta.Team
	if err := s.Scan(&t.ID, &t.NamespaceID, &t.Name, &t.Description, &t.Role, &t.Created,
		&t.MemberCount, &t.RepoCount); err != nil {
		return meta.Team{}, err
	}
	t.Created = t.Created.UTC()
	return t, nil
}

// CreateTeam implements meta.Teams. Errors beyond the interface's:
// errs.Invalid for an empty name or an unknown role.
func (q *queries) CreateTeam(ctx context.Context, t *meta.Team) error {
	if t.Name == "" {
		return errs.E(errs.Invalid, "team name is empty")
	}
	if err := meta.CheckTeamRole(t.Role); err != nil {
		return err
	}
	created := now()
	err := q.db.QueryRow(ctx, `INSERT INTO teams (namespace_id, name, lower_name, description, role, created)
		SELECT $1::bigint, $2::text, $3::text, $4::text, $5::text, $6::timestamptz
		WHERE EXISTS (SELECT 1 FROM namespaces WHERE id = $1)
		ON CONFLICT DO NOTHING RETURNING id`,
		t.NamespaceID, t.Name, strings.ToLower(t.Name), t.Description, t.Role, created).Scan(&t.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		err = parentOrExists(ctx, q.db, "namespace not found", "team exists",
			`SELECT EXISTS (SELECT 1 FROM namespaces WHERE id = $1)`, t.NamespaceID)
	}
	switch {
	case isUnique(err):
		return errs.E(errs.Exists, "team exists")
	case isForeignKey(err):
		return errs.E(errs.NotFound, "namespace not found")
	case err != nil:
		return wrap("create team", err)
	}
	t.Created, t.MemberCount, t.RepoCount = created, 0, 0
	return nil
}

// GetTeam implements meta.Teams.
func (q *queries) GetTeam(ctx context.Context, namespaceID int64, name string) (meta.Team, error) {
	t, err := scanTeam(q.db.QueryRow(ctx, `SELECT `+teamCols+` FROM teams t
		WHERE t.namespace_id = $1 AND t.lower_name = $2`, namespaceID, strings.ToLower(name)))
	return t, wrap("get team", missing(err, "team not found"))
}

// GetTeamByID implements meta.Teams.
func (q *queries) GetTeamByID(ctx context.Context, id int64) (meta.Team, error) {
	t, err := scanTeam(q.db.QueryRow(ctx, `SELECT `+teamCols+` FROM teams t WHERE t.id = $1`, id))
	return t, wrap("get team", missing(err, "team not found"))
}

// ListTeams implements meta.Teams.
func (q *queries) ListTeams(ctx context.Context, namespaceID int64) ([]meta.Team, error) {
	ts, err := list(ctx, q.db, scanTeam, `SELECT `+teamCols+` FROM teams t
		WHERE t.namespace_id = $1 ORDER BY t.id`, namespaceID)
	return ts, wrap("list teams", err)
}

// UpdateTeam implements meta.Teams. Errors beyond the interface's:
// errs.Invalid for an unknown role.
func (q *queries) UpdateTeam(ctx context.Context, t meta.Team) error {
	if err := meta.CheckTeamRole(t.Role); err != nil {
		return err
	}
	tag, err := q.db.Exec(ctx, `UPDATE teams SET description = $1, role = $2 WHERE id = $3`,
		t.Description, t.Role, t.ID)
	return wrap("update team", changed(tag, err, "team not found"))
}

// DeleteTeam implements meta.Teams. The schema's cascades remove its
// members, invitations and permissions.
func (q *queries) DeleteTeam(ctx context.Context, id int64) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM teams WHERE id = $1`, id)
	return wrap("delete team", changed(tag, err, "team not found"))
}

// AddTeamMember implements meta.Teams.
func (q *queries) AddTeamMember(ctx context.Context, teamID, userID int64) error {
	tag, err := q.db.Exec(ctx, `INSERT INTO team_members (team_id, user_id, created)
		SELECT $1::bigint, $2::bigint, $3::timestamptz
		WHERE EXISTS (SELECT 1 FROM teams WHERE id = $1) AND EXISTS (SELECT 1 FROM users WHERE id = $2)
		ON CONFLICT DO NOTHING`, teamID, userID, now())
	if err == nil && tag.RowsAffected() == 0 {
		err = parentOrExists(ctx, q.db, "team or user not found", "user is a member of the team",
			`SELECT EXISTS (SELECT 1 FROM teams WHERE id = $1) AND EXISTS (SELECT 1 FROM users WHERE id = $2)`,
			teamID, userID)
	}
	if isForeignKey(err) {
		return errs.E(errs.NotFound, "team or user not found")
	}
	return wrap("add team member", err)
}

// RemoveTeamMember implements meta.Teams.
func (q *queries) RemoveTeamMember(ctx context.Context, teamID, userID int64) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM team_members WHERE team_id = $1 AND user_id = $2`, teamID, userID)
	return wrap("remove team member", changed(tag, err, "user is not a member of the team"))
}

// ListTeamMembers implements meta.Teams.
func (q *queries) ListTeamMembers(ctx context.Context, teamID int64) ([]meta.User, error) {
	us, err := list(ctx, q.db, scanUser, `SELECT `+prefixed("u", userCols)+` FROM team_members m
		JOIN users u ON u.id = m.user_id
		WHERE m.team_id = $1 ORDER BY u.lower_name`, teamID)
	return us, wrap("list team members", err)
}

// ListUserTeams implements meta.Teams.
func (q *queries) ListUserTeams(ctx context.Context, userID, namespaceID int64) ([]meta.Team, error) {
	ts, err := list(ctx, q.db, scanTeam, `SELECT `+teamCols+` FROM team_members mu
		JOIN teams t ON t.id = mu.team_id
		WHERE mu.user_id = $1 AND ($2::bigint = 0 OR t.namespace_id = $2) ORDER BY t.id`, userID, namespaceID)
	return ts, wrap("list user teams", err)
}
