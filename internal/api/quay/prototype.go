package quay

import (
	"context"
	"net/http"

	"wharf/internal/audit"
	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// prototypeRoutes serves an organisation's default permissions.
func (h *Handler) prototypeRoutes() []route {
	return []route{
		{http.MethodGet, "organization/{orgname}/prototypes", h.listPrototypes},
		{http.MethodPost, "organization/{orgname}/prototypes", h.createPrototype},
		{http.MethodPut, "organization/{orgname}/prototypes/{prototypeid}", h.updatePrototype},
		{http.MethodDelete, "organization/{orgname}/prototypes/{prototypeid}", h.deletePrototype},
	}
}

// protoViewer renders default permissions of one organisation, knowing
// its members and reading each account and team once.
type protoViewer struct {
	h       *Handler
	org     meta.Namespace
	members map[int64]bool
	users   map[int64]meta.User
	teams   map[int64]meta.Team
}

func (h *Handler) newProtoViewer(ctx context.Context, org meta.Namespace) (*protoViewer, error) {
	ms, err := h.opt.Accounts.OrgMembers(ctx, org)
	if err != nil {
		return nil, err
	}
	v := &protoViewer{h: h, org: org, members: map[int64]bool{}, users: map[int64]meta.User{}, teams: map[int64]meta.Team{}}
	for _, m := range ms {
		v.members[m.User.ID] = true
	}
	return v, nil
}

func (v *protoViewer) user(ctx context.Context, id int64) (map[string]any, error) {
	u, ok := v.users[id]
	if !ok {
		var err error
		if u, err = v.h.opt.Accounts.UserWithID(ctx, id); err != nil {
			return nil, err
		}
		v.users[id] = u
	}
	e := userEntity(u)
	e["is_org_member"] = u.Robot || v.members[u.ID]
	return e, nil
}

// view is Quay's prototype object.
func (v *protoViewer) view(ctx context.Context, p meta.Prototype) (map[string]any, error) {
	out := map[string]any{"id": p.UUID, "role": p.Role, "activating_user": nil}
	if p.ActivatingUserID != 0 {
		a, err := v.user(ctx, p.ActivatingUserID)
		if err != nil {
			return nil, err
		}
		out["activating_user"] = a
	}
	if p.DelegateUserID != 0 {
		d, err := v.user(ctx, p.DelegateUserID)
		if err != nil {
			return nil, err
		}
		out["delegate"] = d
		return out, nil
	}
	t, ok := v.teams[p.DelegateTeamID]
	if !ok {
		var err error
		if t, err = v.h.opt.Accounts.TeamWithID(ctx, p.DelegateTeamID); err != nil {
			return nil, err
		}
		v.teams[t.ID] = t
	}
	out["delegate"] = teamEntity(t)
	return out, nil
}

// record writes a usage-log entry about a default permission.
func (v *protoViewer) record(ctx context.Context, r *http.Request, c *call, kind string, p meta.Prototype, extra map[string]any) error {
	md := map[string]any{"prototypeid": p.UUID, "username": c.p.Name, "activating_username": nil,
		"role": p.Role, "namespace": v.org.Name}
	for k, x := range extra {
		md[k] = x
	}
	view, err := v.view(ctx, p)
	if err != nil {
		return err
	}
	if a, ok := view["activating_user"].(map[string]any); ok {
		md["activating_username"] = a["name"]
	}
	d := view["delegate"].(map[string]any)
	if d["kind"] == "team" {
		md["delegate_team"] = d["name"]
	} else {
		md["delegate_user"] = d["name"]
	}
	v.h.record(r, c, audit.Entry{Kind: kind, NamespaceID: v.org.ID, Metadata: md})
	return nil
}

// listPrototypes answers GET /organization/{orgname}/prototypes.
func (h *Handler) listPrototypes(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, err := h.orgAdmin(r.Context(), c, c.vars["orgname"])
	if err != nil {
		return err
	}
	ps, err := h.opt.Accounts.ListPrototypes(r.Context(), ns)
	if err != nil {
		return err
	}
	v, err := h.newProtoViewer(r.Context(), ns)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(ps))
	for _, p := range ps {
		pv, err := v.view(r.Context(), p)
		if err != nil {
			return err
		}
		out = append(out, pv)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"prototypes": out})
}

// createPrototype answers POST /organization/{orgname}/prototypes with
// 200 and the new default permission.
func (h *Handler) createPrototype(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, err := h.orgAdmin(r.Context(), c, c.vars["orgname"])
	if err != nil {
		return err
	}
	type named struct {
		Name *string `json:"name"`
		Kind *string `json:"kind"`
	}
	var body struct {
		Role           *string `json:"role"`
		Delegate       *named  `json:"delegate"`
		ActivatingUser *named  `json:"activating_user"`
	}
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	role, err := checkRole(body.Role)
	if err != nil {
		return err
	}
	switch {
	case body.Delegate == nil:
		return requestError("'delegate' is a required property")
	case body.Delegate.Name == nil || body.Delegate.Kind == nil:
		return requestError("'delegate' needs 'name' and 'kind'")
	case *body.Delegate.Kind != "user" && *body.Delegate.Kind != "team":
		return requestError("'" + *body.Delegate.Kind + "' is not one of ['user', 'team']")
	}
	req := auth.PrototypeRequest{Org: ns, Role: role}
	if body.ActivatingUser != nil && body.ActivatingUser.Name != nil {
		req.ActivatingUser = *body.ActivatingUser.Name
	}
	if *body.Delegate.Kind == "user" {
		req.DelegateUser = *body.Delegate.Name
	} else {
		req.DelegateTeam = *body.Delegate.Name
	}
	p, err := h.opt.Accounts.CreatePrototype(r.Context(), req)
	if err != nil {
		return err
	}
	return h.answerPrototype(w, r, c, ns, "create_prototype_permission", p, nil)
}

// answerPrototype logs a change of p and answers its view.
func (h *Handler) answerPrototype(w http.ResponseWriter, r *http.Request, c *call, ns meta.Namespace, kind string, p meta.Prototype, extra map[string]any) error {
	v, err := h.newProtoViewer(r.Context(), ns)
	if err != nil {
		return err
	}
	if err := v.record(r.Context(), r, c, kind, p, extra); err != nil {
		return err
	}
	view, err := v.view(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, view)
}

// updatePrototype answers PUT …/prototypes/{prototypeid}: a new role.
func (h *Handler) updatePrototype(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, err := h.orgAdmin(r.Context(), c, c.vars["orgname"])
	if err != nil {
		return err
	}
	role, err := roleBody(r)
	if err != nil {
		return err
	}
	before, after, err := h.opt.Accounts.SetPrototypeRole(r.Context(), ns, c.vars["prototypeid"], role)
	if err != nil {
		return err
	}
	return h.answerPrototype(w, r, c, ns, "modify_prototype_permission", after, map[string]any{"original_role": before.Role})
}

// deletePrototype answers DELETE …/prototypes/{prototypeid}.
func (h *Handler) deletePrototype(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, err := h.orgAdmin(r.Context(), c, c.vars["orgname"])
	if err != nil {
		return err
	}
	p, err := h.opt.Accounts.DeletePrototype(r.Context(), ns, c.vars["prototypeid"])
	if err != nil {
		return err
	}
	v, err := h.newProtoViewer(r.Context(), ns)
	if err != nil {
		return err
	}
	if err := v.record(r.Context(), r, c, "delete_prototype_permission", p, nil); err != nil && !errs.Is(err, errs.NotFound) {
		return err
	}
	return writeJSON(w, http.StatusNoContent, nil)
}
