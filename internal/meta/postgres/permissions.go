package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// permissionFrom joins a permission, p, with its repository, r, and its
// user, u, or team, t.
const permissionFrom = ` FROM permissions p
	JOIN repositories r ON r.id = p.repo_id
	LEFT JOIN users u ON u.id = p.user_id
	LEFT JOIN teams t ON t.id = p.team_id`

const permissionCols = `p.repo_id, p.user_id, p.team_id, p.role, p.created,
	u.name, u.robot, t.name, r.name, r.public`

func scanPermission(s pgx.Row) (meta.Permission, error) {
	var p meta.Permission
	var userID, teamID *int64
	var userName, teamName *string
	var robot *bool
	var created time.Time
	if err := s.Scan(&p.RepoID, &userID, &teamID, &p.Role, &created,
		&userName, &robot, &teamName, &p.RepoName, &p.Public); err != nil {
		return meta.Permission{}, err
	}
	p.UserID, p.TeamID = unnullID(userID), unnullID(teamID)
	if userName != nil {
		p.UserName, p.Robot = *userName, *robot
	}
	if teamName != nil {
		p.TeamName = *teamName
	}
	p.Created = created.UTC()
	return p, nil
}

// PutPermission implements meta.Permissions. The permission keeps the
// Created of its first grant. Errors beyond the interface's: errs.Invalid
// for an unknown role or unless exactly one of UserID and TeamID is set.
func (q *queries) PutPermission(ctx context.Context, p meta.Permission) error {
	if err := meta.CheckRepoRole(p.Role); err != nil {
		return err
	}
	if err := meta.CheckGrantee(p.UserID, p.TeamID); err != nil {
		return err
	}
	target := `(repo_id, user_id) WHERE user_id IS NOT NULL`
	if p.TeamID != 0 {
		target = `(repo_id, team_id) WHERE team_id IS NOT NULL`
	}
	tag, err := q.db.Exec(ctx, `INSERT INTO permissions (repo_id, user_id, team_id, role, created)
		SELECT $1::bigint, $2::bigint, $3::bigint, $4::text, $5::timestamptz
		WHERE EXISTS (SELECT 1 FROM repositories WHERE id = $1)
			AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = $2))
			AND ($3::bigint IS NULL OR EXISTS (SELECT 1 FROM teams WHERE id = $3))
		ON CONFLICT `+target+` DO UPDATE SET role = excluded.role`,
		p.RepoID, nullID(p.UserID), nullID(p.TeamID), p.Role, now())
	if isForeignKey(err) {
		return errs.E(errs.NotFound, "repository, user or team not found")
	}
	return wrap("put permission", changed(tag, err, "repository, user or team not found"))
}

// DeletePermission implements meta.Permissions. Errors beyond the
// interface's: errs.Invalid unless exactly one of userID and teamID is
// set.
func (q *queries) DeletePermission(ctx context.Context, repoID, userID, teamID int64) error {
	if err := meta.CheckGrantee(userID, teamID); err != nil {
		return err
	}
	query := `DELETE FROM permissions WHERE repo_id = $1 AND user_id = $2`
	id := userID
	if teamID != 0 {
		query, id = `DELETE FROM permissions WHERE repo_id = $1 AND team_id = $2`, teamID
	}
	tag, err := q.db.Exec(ctx, query, repoID, id)
	return wrap("delete permission", changed(tag, err, "permission not found"))
}

// ListRepoPermissions implements meta.Permissions. Every name is filled.
// The permissions are found through the two partial indexes on repo_id,
// users' and teams'.
func (q *queries) ListRepoPermissions(ctx context.Context, repoID int64) ([]meta.Permission, error) {
	ps, err := list(ctx, q.db, scanPermission, `SELECT `+permissionCols+permissionFrom+`
		WHERE p.id IN (
			SELECT id FROM permissions WHERE repo_id = $1 AND user_id IS NOT NULL
			UNION ALL
			SELECT id FROM permissions WHERE repo_id = $1 AND team_id IS NOT NULL)
		ORDER BY p.team_id IS NOT NULL, coalesce(u.lower_name, t.lower_name)`, repoID)
	return ps, wrap("list repository permissions", err)
}

// ListUserPermissions implements meta.Permissions. Every name is filled.
func (q *queries) ListUserPermissions(ctx context.Context, userID int64) ([]meta.Permission, error) {
	ps, err := list(ctx, q.db, scanPermission, `SELECT `+permissionCols+permissionFrom+`
		WHERE p.user_id = $1 ORDER BY r.lower_name, r.id`, userID)
	return ps, wrap("list user permissions", err)
}

// ListTeamPermissions implements meta.Permissions. Every name is filled.
func (q *queries) ListTeamPermissions(ctx context.Context, teamID int64) ([]meta.Permission, error) {
	ps, err := list(ctx, q.db, scanPermission, `SELECT `+permissionCols+permissionFrom+`
		WHERE p.team_id = $1 ORDER BY r.lower_name, r.id`, teamID)
	return ps, wrap("list team permissions", err)
}

// RepoRoles implements meta.Permissions in one query on the unique
// indexes of permissions and the user index of team_members.
func (q *queries) RepoRoles(ctx context.Context, userID, repoID int64) ([]string, error) {
	roles, err := list(ctx, q.db, scanString, `SELECT role FROM permissions
		WHERE repo_id = $1 AND user_id = $2
		UNION ALL
		SELECT p.role FROM team_members m
		JOIN permissions p ON p.repo_id = $1 AND p.team_id = m.team_id
		WHERE m.user_id = $2`, repoID, userID)
	return roles, wrap("repository roles", err)
}

// TeamRoles implements meta.Permissions in one query on the user index of
// team_members.
func (q *queries) TeamRoles(ctx context.Context, userID, namespaceID int64) ([]string, error) {
	roles, err := list(ctx, q.db, scanString, `SELECT t.role FROM team_members m
		JOIN teams t ON t.id = m.team_id
		WHERE m.user_id = $1 AND t.namespace_id = $2`, userID, namespaceID)
	return roles, wrap("team roles", err)
}
