package e2e

import (
	"net/http"
	"slices"
	"testing"
)

// TestQuayPrototype covers an organisation's default permissions: their
// views, validation, changes, effect on new repositories, and access.
func TestQuayPrototype(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testQuayPrototype(t, newEnv(t, b.opt))
		})
	}
}

type protoView struct {
	ID             string
	Role           string
	ActivatingUser *struct {
		Name        string
		Kind        string
		IsRobot     bool `json:"is_robot"`
		IsOrgMember bool `json:"is_org_member"`
	} `json:"activating_user"`
	Delegate struct {
		Name        string
		Kind        string
		IsOrgMember *bool `json:"is_org_member"`
	}
}

func testQuayPrototype(t *testing.T, e *env) {
	oc := newOrgCast(t, e)
	path := "organization/" + oc.org + "/prototypes"

	var team, user protoView
	oc.ownerC.quayDo(t, http.MethodPost, path, map[string]any{
		"role": "write", "delegate": map[string]any{"kind": "team", "name": "readers"},
	}).want(t, http.StatusOK).decode(t, &team)
	if team.ID == "" || team.Role != "write" || team.ActivatingUser != nil || team.Delegate.Name != "readers" || team.Delegate.Kind != "team" {
		t.Errorf("team prototype: %+v", team)
	}
	oc.ownerC.quayDo(t, http.MethodPost, path, map[string]any{
		"role": "read", "delegate": map[string]any{"kind": "user", "name": oc.other.name},
		"activating_user": map[string]any{"name": oc.creator.name},
	}).want(t, http.StatusOK).decode(t, &user)
	if user.Role != "read" || user.ActivatingUser == nil || user.ActivatingUser.Name != oc.creator.name ||
		!user.ActivatingUser.IsOrgMember || user.ActivatingUser.Kind != "user" || user.Delegate.Name != oc.other.name ||
		user.Delegate.Kind != "user" || user.Delegate.IsOrgMember == nil || *user.Delegate.IsOrgMember {
		t.Errorf("user prototype: %+v", user)
	}
	var list struct{ Prototypes []protoView }
	oc.adminC.quayDo(t, http.MethodGet, path, nil).want(t, http.StatusOK).decode(t, &list)
	if len(list.Prototypes) != 2 || list.Prototypes[0].ID != team.ID || list.Prototypes[1].ID != user.ID {
		t.Errorf("prototypes: %+v", list)
	}

	for _, bad := range []any{
		nil, map[string]any{}, map[string]any{"role": "owner", "delegate": map[string]any{"kind": "team", "name": "readers"}},
		map[string]any{"role": "read"}, map[string]any{"role": "read", "delegate": map[string]any{"name": "readers"}},
		map[string]any{"role": "read", "delegate": map[string]any{"kind": "robot", "name": "readers"}},
		map[string]any{"role": "read", "delegate": map[string]any{"kind": "team", "name": "nosuchteam"}},
		map[string]any{"role": "read", "delegate": map[string]any{"kind": "user", "name": "nosuchuser1"}},
		map[string]any{"role": "read", "delegate": map[string]any{"kind": "team", "name": "readers"}, "activating_user": map[string]any{"name": "nosuchuser1"}},
	} {
		oc.ownerC.quayDo(t, http.MethodPost, path, bad).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
	}

	// Only the activating user's repositories get the user prototype.
	oc.ownerC.do(t, http.MethodPut, pkgPath(oc.org, "byowner", "1", "f.bin"), randBytes(t, 16)).want(t, http.StatusCreated)
	oc.creatorC.do(t, http.MethodPut, pkgPath(oc.org, "bycreator", "1", "f.bin"), randBytes(t, 16)).want(t, http.StatusCreated)
	var collab struct {
		Collaborators []struct {
			Name         string
			Repositories []string
		}
	}
	oc.ownerC.quayDo(t, http.MethodGet, "organization/"+oc.org+"/collaborators", nil).want(t, http.StatusOK).decode(t, &collab)
	if len(collab.Collaborators) != 1 || collab.Collaborators[0].Name != oc.other.name ||
		!slices.Equal(collab.Collaborators[0].Repositories, []string{"bycreator"}) {
		t.Errorf("collaborators: %+v", collab)
	}
	var perms struct {
		Permissions []struct{ Repository struct{ Name string } }
	}
	oc.ownerC.quayDo(t, http.MethodGet, "organization/"+oc.org+"/team/readers/permissions", nil).want(t, http.StatusOK).decode(t, &perms)
	if len(perms.Permissions) != 2 {
		t.Errorf("readers' permissions: %+v", perms)
	}

	var changed protoView
	oc.ownerC.quayDo(t, http.MethodPut, path+"/"+team.ID, map[string]any{"role": "admin"}).want(t, http.StatusOK).decode(t, &changed)
	if changed.ID != team.ID || changed.Role != "admin" || changed.Delegate.Name != "readers" {
		t.Errorf("changed prototype: %+v", changed)
	}
	for _, bad := range []any{nil, map[string]any{}, map[string]any{"role": "boss"}} {
		oc.ownerC.quayDo(t, http.MethodPut, path+"/"+team.ID, bad).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
	}
	oc.ownerC.quayDo(t, http.MethodPut, path+"/nosuchid", map[string]any{"role": "read"}).wantProblem(t, http.StatusNotFound, "not_found", "")
	oc.ownerC.quayDo(t, http.MethodDelete, path+"/"+user.ID, nil).want(t, http.StatusNoContent)
	oc.ownerC.quayDo(t, http.MethodDelete, path+"/"+user.ID, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	oc.ownerC.quayDo(t, http.MethodGet, path, nil).want(t, http.StatusOK).decode(t, &list)
	if len(list.Prototypes) != 1 || list.Prototypes[0].Role != "admin" {
		t.Errorf("prototypes after changes: %+v", list)
	}

	// A prototype of another organisation is not found through this one.
	org2 := oc.other.createOrg(t)
	var foreign protoView
	oc.other.basic().quayDo(t, http.MethodPost, "organization/"+org2+"/prototypes", map[string]any{
		"role": "read", "delegate": map[string]any{"kind": "team", "name": "owners"},
	}).want(t, http.StatusOK).decode(t, &foreign)
	oc.ownerC.quayDo(t, http.MethodPut, path+"/"+foreign.ID, map[string]any{"role": "admin"}).wantProblem(t, http.StatusNotFound, "not_found", "")
	oc.ownerC.quayDo(t, http.MethodDelete, path+"/"+foreign.ID, nil).wantProblem(t, http.StatusNotFound, "not_found", "")

	testQuayPrototypeAccess(t, e, oc, team.ID)
}

// testQuayPrototypeAccess runs every caller against every prototype
// endpoint, on the organisation and on a missing one.
func testQuayPrototypeAccess(t *testing.T, e *env, oc *orgCast, id string) {
	callers := []struct {
		name              string
		c                 *client
		admin, anon, supr bool
	}{
		{name: "anonymous", c: e.anon(), anon: true},
		{name: "owner", c: oc.ownerC, admin: true},
		{name: "org admin", c: oc.adminC, admin: true},
		{name: "creator", c: oc.creatorC},
		{name: "member", c: oc.membC},
		{name: "other user", c: oc.other.basic()},
		{name: "superuser", c: oc.super.basic(), admin: true, supr: true},
		{name: "owner's pull token", c: e.withAuth("Bearer " + oc.owner.apiToken(t, "pull"))},
		{name: "robot in readers", c: oc.robotC},
	}
	for _, who := range callers {
		t.Run(who.name, func(t *testing.T) {
			for _, org := range []string{oc.org, "nosuchorg1"} {
				path := "organization/" + org + "/prototypes"
				var created protoView
				ops := []struct {
					method string
					path   func() string
					body   any
					ok     int
				}{
					{http.MethodGet, func() string { return path }, nil, http.StatusOK},
					{http.MethodPost, func() string { return path }, map[string]any{"role": "read", "delegate": map[string]any{"kind": "team", "name": "admins"}}, http.StatusOK},
					{http.MethodPut, func() string { return path + "/" + id }, map[string]any{"role": "admin"}, http.StatusOK},
					{http.MethodDelete, func() string { return path + "/" + created.ID }, nil, http.StatusNoContent},
				}
				for _, op := range ops {
					if op.method == http.MethodDelete && created.ID == "" {
						created.ID = id
					}
					r := who.c.quayDo(t, op.method, op.path(), op.body)
					switch {
					case who.admin && org == oc.org:
						r.want(t, op.ok)
						if op.method == http.MethodPost {
							r.decode(t, &created)
						}
					case who.supr:
						r.wantProblem(t, http.StatusNotFound, "not_found", "")
					default:
						r.wantRefused(t, who.anon)
					}
				}
			}
		})
	}
	var list struct{ Prototypes []protoView }
	oc.ownerC.quayDo(t, http.MethodGet, "organization/"+oc.org+"/prototypes", nil).want(t, http.StatusOK).decode(t, &list)
	if len(list.Prototypes) != 1 || list.Prototypes[0].ID != id {
		t.Errorf("prototypes after the matrix: %+v", list)
	}
}

// TestQuayPrototypeOnPush checks that default permissions apply to a
// repository created by a push to the registry, as to one created
// through the API: the pusher becomes its admin and each matching
// prototype's delegate gets its role.
func TestQuayPrototypeOnPush(t *testing.T) {
	forEachBackendNoServer(t, func(t *testing.T, b backend) {
		e := newEnv(t, b.opt)
		owner, creator, reader := e.newUser(t, false), e.newUser(t, false), e.newUser(t, false)
		org := owner.createOrg(t)
		oc := owner.basic()
		oc.putTeam(t, org, "builders", "creator")
		oc.putTeam(t, org, "readers", "member")
		oc.join(t, org, "builders", creator)
		oc.join(t, org, "readers", reader)
		protos := "organization/" + org + "/prototypes"
		oc.quayDo(t, http.MethodPost, protos, map[string]any{
			"role": "write", "delegate": map[string]any{"name": "readers", "kind": "team"},
		}).want(t, http.StatusOK)
		oc.quayDo(t, http.MethodPost, protos, map[string]any{
			"role": "read", "delegate": map[string]any{"name": reader.name, "kind": "user"},
			"activating_user": map[string]any{"name": owner.name},
		}).want(t, http.StatusOK)

		repo := org + "/pushed"
		_, rc := e.basicRegistryLogin(t, creator.name, creator.pass, scope(repo, "pull,push"))
		if rc == nil {
			t.Fatal("the creator could not log in to push")
		}
		pushedImage(t, rc, repo, "v1")

		var teams struct {
			Permissions map[string]struct{ Role string } `json:"permissions"`
		}
		oc.quayDo(t, http.MethodGet, "repository/"+repo+"/permissions/team/", nil).want(t, http.StatusOK).decode(t, &teams)
		if p, ok := teams.Permissions["readers"]; !ok || p.Role != "write" || len(teams.Permissions) != 1 {
			t.Errorf("team permissions of the pushed repository: %+v", teams.Permissions)
		}
		var users struct {
			Permissions map[string]struct{ Role string } `json:"permissions"`
		}
		oc.quayDo(t, http.MethodGet, "repository/"+repo+"/permissions/user/", nil).want(t, http.StatusOK).decode(t, &users)
		if p := users.Permissions[creator.name]; p.Role != "admin" {
			t.Errorf("the pusher's permission: %+v", users.Permissions)
		}
		if _, ok := users.Permissions[reader.name]; ok {
			t.Errorf("a prototype for another activating user applied: %+v", users.Permissions)
		}
		// The readers team writes through the default permission.
		if got := registryActions(t, e, basicAuth(reader.name, reader.pass), repo, "pull,push"); !slices.Equal(got, []string{"pull", "push"}) {
			t.Errorf("a reader's actions on the pushed repository: %v", got)
		}
	})
}
