package quay

import (
	"context"
	"net/http"
	"strings"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// entityUsers is how many users and robots GET /entities/{prefix}
// returns at most.
const entityUsers = 10

// searchTeamsAndRobots finds, for find/all, the teams the caller is in
// and those of the organisations they administer, and the robots of their
// own namespace and of those organisations, whose names start with query.
func (h *Handler) searchTeamsAndRobots(ctx context.Context, c *call, query string) ([]map[string]any, error) {
	var out []map[string]any
	own, orgs, err := h.adminNamespaces(ctx, c)
	if err != nil {
		return nil, err
	}
	// Teams: the caller's own, then those of organisations they
	// administer, each once.
	mine, err := h.opt.Accounts.UserTeams(ctx, c.p.UserID, 0)
	if err != nil {
		return nil, err
	}
	teams := map[int64]bool{}
	addTeam := func(t meta.Team, org meta.Namespace) {
		if teams[t.ID] || len(teams) == searchPerKind || !strings.HasPrefix(strings.ToLower(t.Name), query) {
			return
		}
		teams[t.ID] = true
		out = append(out, map[string]any{"kind": "team", "name": t.Name, "organization": namespaceEntity(org),
			"avatar": teamAvatar(t), "score": scoreTeam, "href": "/organization/" + org.Name + "/teams/" + t.Name})
	}
	for _, t := range mine {
		org, err := h.opt.Accounts.NamespaceWithID(ctx, t.NamespaceID)
		if err != nil {
			return nil, err
		}
		addTeam(t, org)
	}
	for _, org := range orgs {
		ts, err := h.opt.Accounts.SearchTeams(ctx, org, query, searchPerKind)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			addTeam(t, org)
		}
	}
	// Robots.
	var robotNS []meta.Namespace
	if own.ID != 0 {
		if role, err := h.opt.Authorizer.RoleIn(ctx, c.p, own); err != nil {
			return nil, err
		} else if role == auth.AdminRole {
			robotNS = append(robotNS, own)
		}
	}
	robots := 0
	for _, ns := range append(robotNS, orgs...) {
		rs, err := h.opt.Accounts.SearchRobots(ctx, ns, query, searchPerKind-robots)
		if err != nil {
			return nil, err
		}
		for _, rb := range rs {
			robots++
			href := "/user/" + ns.Name + "?tab=robots&showRobot=" + rb.Name
			if ns.Kind == meta.KindOrg {
				href = "/organization/" + ns.Name + "?tab=robots&showRobot=" + rb.Name
			}
			out = append(out, map[string]any{"kind": "robot", "title": "robot", "name": rb.Name, "avatar": nil,
				"score": scoreEntity, "href": href, "short_name": strings.TrimPrefix(rb.Name, ns.Name+auth.RobotSeparator)})
		}
		if robots >= searchPerKind {
			break
		}
	}
	return out, nil
}

// findEntities answers GET /entities/{prefix}?namespace=&includeTeams=&includeOrgs=:
// the users (and, for members of namespace, its robots and teams) whose
// names start with prefix, for choosing whom to grant a permission.
// Unlike Quay, it answers signed-in callers only: the anonymous caller
// grants nothing and learns no user names.
func (h *Handler) findEntities(w http.ResponseWriter, r *http.Request, c *call) error {
	if c.p.Anonymous() {
		return unauthorized()
	}
	ctx := r.Context()
	prefix := strings.ToLower(strings.ReplaceAll(c.vars["prefix"], " ", ""))
	results := []map[string]any{}
	var (
		org      *meta.Namespace
		robotsOf *meta.Namespace
	)
	if name := r.URL.Query().Get("namespace"); name != "" && !c.p.Restricted {
		ns, err := h.opt.Accounts.Namespace(ctx, name)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
		role := auth.NoRole
		if err == nil {
			if role, err = h.opt.Authorizer.RoleIn(ctx, c.p, ns); err != nil {
				return err
			}
		}
		switch {
		case role == auth.NoRole:
		case ns.Kind == meta.KindOrg:
			org, robotsOf = &ns, &ns
			if truthy(r, "includeTeams", false) {
				ts, err := h.opt.Accounts.SearchTeams(ctx, ns, prefix, entityUsers)
				if err != nil {
					return err
				}
				for _, t := range ts {
					v := teamEntity(t)
					v["is_org_member"] = true
					results = append(results, v)
				}
			}
			// Quay shows the organisation to any member here; only its
			// admins see it.
			if truthy(r, "includeOrgs", false) && role == auth.AdminRole && strings.HasPrefix(ns.Name, prefix) {
				v := namespaceEntity(ns)
				v["is_org_member"] = true
				results = append(results, v)
			}
		case role == auth.AdminRole:
			robotsOf = &ns
		}
	}
	users, err := h.opt.Accounts.SearchUsers(ctx, prefix, entityUsers)
	if err != nil {
		return err
	}
	if robotsOf != nil && len(users) < entityUsers {
		short := strings.TrimPrefix(prefix, robotsOf.Name+auth.RobotSeparator)
		rs, err := h.opt.Accounts.SearchRobots(ctx, *robotsOf, short, entityUsers-len(users))
		if err != nil {
			return err
		}
		users = append(rs, users...)
	}
	for _, u := range users {
		v := userEntity(u)
		if org != nil {
			ts, err := h.opt.Accounts.UserTeams(ctx, u.ID, org.ID)
			if err != nil {
				return err
			}
			v["is_org_member"] = len(ts) > 0
		}
		results = append(results, v)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"results": results})
}
