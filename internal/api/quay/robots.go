package quay

import (
	"encoding/json"
	"net/http"
	"strconv"

	"wharf/internal/audit"
	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// robotRoutes serve the robots of the caller's own namespace and of
// organisations. Both sets share their handlers: robotScope tells them
// whose robots they serve.
func (h *Handler) robotRoutes() []route {
	var rs []route
	for _, base := range []string{"user/robots", "organization/{orgname}/robots"} {
		rs = append(rs,
			route{http.MethodGet, base, h.listRobots},
			route{http.MethodGet, base + "/{robot_shortname}", h.getRobot},
			route{http.MethodPut, base + "/{robot_shortname}", h.createRobot},
			route{http.MethodDelete, base + "/{robot_shortname}", h.deleteRobot},
			route{http.MethodGet, base + "/{robot_shortname}/permissions", h.robotPermissions},
			route{http.MethodPost, base + "/{robot_shortname}/regenerate", h.regenerateRobot},
		)
	}
	return rs
}

// errNoRobot is Quay's answer for a robot that does not exist: a 400.
func errNoRobot() error {
	return messageError(http.StatusBadRequest, "Could not find robot with specified username")
}

// robotNamespace returns the namespace whose robots the call is about
// and the caller's role in it, once the caller holds at least need
// there. With an organisation in the path the rules of orgRole apply;
// without one it is the caller's own namespace, which only its person
// administers, with user:admin when signed in with an OAuth token.
func (h *Handler) robotNamespace(r *http.Request, c *call, need auth.NamespaceRole) (meta.Namespace, auth.NamespaceRole, error) {
	ctx := r.Context()
	if org, ok := c.vars["orgname"]; ok {
		return h.orgRole(ctx, c, org, need)
	}
	if err := c.accountAdmin(); err != nil {
		return meta.Namespace{}, auth.NoRole, err
	}
	if _, err := h.caller(ctx, c); err != nil {
		return meta.Namespace{}, auth.NoRole, err
	}
	ns, err := h.opt.Accounts.Namespace(ctx, c.p.Name)
	return ns, auth.AdminRole, err
}

// robotView is Quay's view of a robot.
func robotView(rb auth.Robot, token, metadata bool) map[string]any {
	v := map[string]any{
		"name":          rb.Name,
		"created":       formatDate(rb.Created),
		"last_accessed": formatDate(rb.LastAccessed),
		"description":   rb.Description,
	}
	if token {
		v["token"] = rb.Secret
	}
	if metadata {
		md := json.RawMessage("{}")
		if len(rb.Metadata) > 0 {
			md = rb.Metadata
		}
		v["unstructured_metadata"] = md
	}
	return v
}

// listRobots answers GET …/robots. In an organisation any member may
// list; only admins see tokens and permissions.
func (h *Handler) listRobots(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	ns, role, err := h.robotNamespace(r, c, auth.MemberRole)
	if err != nil {
		return err
	}
	limit := 0
	if v := r.URL.Query().Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 0 {
			return requestError("limit must be a non-negative integer")
		}
	}
	admin := role == auth.AdminRole
	token := admin && truthy(r, "token", true)
	perms := admin && truthy(r, "permissions", false)
	robots, err := h.opt.Accounts.ListRobots(ctx, ns)
	if err != nil {
		return err
	}
	if limit > 0 && len(robots) > limit {
		robots = robots[:limit]
	}
	out := make([]map[string]any, 0, len(robots))
	for _, rb := range robots {
		v := robotView(rb, token, false)
		if perms {
			if err := h.addRobotReach(r, rb, v); err != nil {
				return err
			}
		}
		out = append(out, v)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"robots": out})
}

// addRobotReach adds the teams a robot is in and the repositories it has
// a permission on to its view.
func (h *Handler) addRobotReach(r *http.Request, rb auth.Robot, v map[string]any) error {
	teams, err := h.opt.Accounts.RobotTeams(r.Context(), rb)
	if err != nil {
		return err
	}
	ps, err := h.opt.Accounts.RobotPermissions(r.Context(), rb)
	if err != nil {
		return err
	}
	ts := make([]map[string]any, 0, len(teams))
	for _, t := range teams {
		ts = append(ts, map[string]any{"name": t.Name, "avatar": teamAvatar(t)})
	}
	repos := make([]string, 0, len(ps))
	for _, p := range ps {
		repos = append(repos, shortRepoName(p.RepoName))
	}
	v["teams"], v["repositories"] = ts, repos
	return nil
}

// oneRobot returns the robot the path names, for an admin of its
// namespace.
func (h *Handler) oneRobot(r *http.Request, c *call) (meta.Namespace, auth.Robot, error) {
	ns, _, err := h.robotNamespace(r, c, auth.AdminRole)
	if err != nil {
		return meta.Namespace{}, auth.Robot{}, err
	}
	rb, err := h.opt.Accounts.GetRobot(r.Context(), ns, c.vars["robot_shortname"])
	if errs.Is(err, errs.NotFound) {
		return meta.Namespace{}, auth.Robot{}, errNoRobot()
	}
	return ns, rb, err
}

// getRobot answers GET …/robots/{robot_shortname}.
func (h *Handler) getRobot(w http.ResponseWriter, r *http.Request, c *call) error {
	_, rb, err := h.oneRobot(r, c)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, robotView(rb, true, true))
}

// createRobot answers PUT …/robots/{robot_shortname}: 201 with the new
// robot and its token.
func (h *Handler) createRobot(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, _, err := h.robotNamespace(r, c, auth.AdminRole)
	if err != nil {
		return err
	}
	var b struct {
		Description *string         `json:"description"`
		Metadata    json.RawMessage `json:"unstructured_metadata"`
	}
	if err := decodeOptionalBody(r, &b); err != nil {
		return err
	}
	req := auth.RobotRequest{Namespace: ns, Short: c.vars["robot_shortname"]}
	if b.Description != nil {
		req.Description = *b.Description
	}
	if len(b.Metadata) > 0 && string(b.Metadata) != "null" {
		req.Metadata = b.Metadata
	}
	rb, err := h.opt.Accounts.CreateRobot(r.Context(), req)
	if err != nil {
		return err
	}
	h.record(r, c, audit.Entry{Kind: "create_robot", NamespaceID: ns.ID, Metadata: map[string]any{
		"robot": rb.Name, "description": rb.Description, "unstructured_metadata": robotView(rb, false, true)["unstructured_metadata"],
	}})
	return writeJSON(w, http.StatusCreated, robotView(rb, true, true))
}

// deleteRobot answers DELETE …/robots/{robot_shortname}.
func (h *Handler) deleteRobot(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, rb, err := h.oneRobot(r, c)
	if err != nil {
		return err
	}
	err = h.opt.Accounts.DeleteRobot(r.Context(), ns, rb.Short())
	if errs.Is(err, errs.NotFound) {
		return errNoRobot()
	}
	if err != nil {
		return err
	}
	h.record(r, c, audit.Entry{Kind: "delete_robot", NamespaceID: ns.ID, Metadata: map[string]any{"robot": rb.Name}})
	return writeJSON(w, http.StatusNoContent, nil)
}

// robotPermissions answers GET …/robots/{robot_shortname}/permissions:
// the robot's own repository permissions.
func (h *Handler) robotPermissions(w http.ResponseWriter, r *http.Request, c *call) error {
	_, rb, err := h.oneRobot(r, c)
	if err != nil {
		return err
	}
	ps, err := h.opt.Accounts.RobotPermissions(r.Context(), rb)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"permissions": repoPermissionsView(ps)})
}

// regenerateRobot answers POST …/robots/{robot_shortname}/regenerate: a
// new token, the old one refused from now on.
func (h *Handler) regenerateRobot(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, rb, err := h.oneRobot(r, c)
	if err != nil {
		return err
	}
	rb, err = h.opt.Accounts.RegenerateRobot(r.Context(), ns, rb.Short())
	if errs.Is(err, errs.NotFound) {
		return errNoRobot()
	}
	if err != nil {
		return err
	}
	h.record(r, c, audit.Entry{Kind: "regenerate_robot_token", NamespaceID: ns.ID, Metadata: map[string]any{"robot": rb.Name}})
	return writeJSON(w, http.StatusOK, robotView(rb, true, true))
}
