package sqlite

import (
	"context"
	"strings"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// teamCols are the columns of a teams row aliased t, with its counts of
// members and of repositories it has a permission on.
const teamCols = `t.id, t.namespace_id, t.name, t.description, t.role, t.created,
	(SELECT count(*) FROM team_members m WHERE m.team_id = t.id),
	(SELECT count(*) FROM permissions p WHERE p.team_id = t.id)`

func scanTeam(s scanner) (meta.Team, error) {
	var t meta.Team
	var created int64
	if err := s.Scan(&t.ID, &t.NamespaceID, &t.Name, &t.Description, &t.Role, &created,
		&t.MemberCount, &t.RepoCount); err != nil {
		return meta.Team{}, err
	}
	t.Created = unstamp(created)
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
	err := q.wr.QueryRowContext(ctx, `INSERT INTO teams (namespace_id, name, lower_name, description, role, created)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		t.NamespaceID, t.Name, strings.ToLower(t.Name), t.Description, t.Role, stamp(created)).Scan(&t.ID)
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
	t, err := scanTeam(q.rd.QueryRowContext(ctx, `SELECT `+teamCols+` FROM teams t
		WHERE t.namespace_id = ? AND t.lower_name = ?`, namespaceID, strings.ToLower(name)))
	return t, wrap("get team", missing(err, "team not found"))
}

// GetTeamByID implements meta.Teams.
func (q *queries) GetTeamByID(ctx context.Context, id int64) (meta.Team, error) {
	t, err := scanTeam(q.rd.QueryRowContext(ctx, `SELECT `+teamCols+` FROM teams t WHERE t.id = ?`, id))
	return t, wrap("get team", missing(err, "team not found"))
}

// ListTeams implements meta.Teams.
func (q *queries) ListTeams(ctx context.Context, namespaceID int64) ([]meta.Team, error) {
	ts, err := list(ctx, q.rd, scanTeam, `SELECT `+teamCols+` FROM teams t
		WHERE t.namespace_id = ? ORDER BY t.id`, namespaceID)
	return ts, wrap("list teams", err)
}

// UpdateTeam implements meta.Teams. Errors beyond the interface's:
// errs.Invalid for an unknown role.
func (q *queries) UpdateTeam(ctx context.Context, t meta.Team) error {
	if err := meta.CheckTeamRole(t.Role); err != nil {
		return err
	}
	res, err := q.wr.ExecContext(ctx, `UPDATE teams SET description = ?, role = ? WHERE id = ?`,
		t.Description, t.Role, t.ID)
	return wrap("update team", changed(res, err, "team not found"))
}

// DeleteTeam implements meta.Teams. The schema's cascades remove its
// members, invitations and permissions.
func (q *queries) DeleteTeam(ctx context.Context, id int64) error {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM teams WHERE id = ?`, id)
	return wrap("delete team", changed(res, err, "team not found"))
}

// AddTeamMember implements meta.Teams.
func (q *queries) AddTeamMember(ctx context.Context, teamID, userID int64) error {
	_, err := q.wr.ExecContext(ctx, `INSERT INTO team_members (team_id, user_id, created) VALUES (?, ?, ?)`,
		teamID, userID, stamp(now()))
	switch {
	case isUnique(err):
		return errs.E(errs.Exists, "user is a member of the team")
	case isForeignKey(err):
		return errs.E(errs.NotFound, "team or user not found")
	}
	return wrap("add team member", err)
}

// RemoveTeamMember implements meta.Teams.
func (q *queries) RemoveTeamMember(ctx context.Context, teamID, userID int64) error {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM team_members WHERE team_id = ? AND user_id = ?`, teamID, userID)
	return wrap("remove team member", changed(res, err, "user is not a member of the team"))
}

// ListTeamMembers implements meta.Teams.
func (q *queries) ListTeamMembers(ctx context.Context, teamID int64) ([]meta.User, error) {
	us, err := list(ctx, q.rd, scanUser, `SELECT `+prefixed("u", userCols)+` FROM team_members m
		JOIN users u ON u.id = m.user_id
		WHERE m.team_id = ? ORDER BY u.lower_name`, teamID)
	return us, wrap("list team members", err)
}

// ListUserTeams implements meta.Teams.
func (q *queries) ListUserTeams(ctx context.Context, userID, namespaceID int64) ([]meta.Team, error) {
	ts, err := list(ctx, q.rd, scanTeam, `SELECT `+teamCols+` FROM team_members mu
		JOIN teams t ON t.id = mu.team_id
		WHERE mu.user_id = ?1 AND (?2 = 0 OR t.namespace_id = ?2) ORDER BY t.id`, userID, namespaceID)
	return ts, wrap("list user teams", err)
}
