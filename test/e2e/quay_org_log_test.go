package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"slices"
	"testing"

	"wharf/internal/meta"
	"wharf/internal/meta/sqlite"
)

// TestQuayOrgUsageLog checks that every change to organisations, teams,
// invitations, default permissions and accounts writes a usage-log entry
// of Quay's kind, in the organisation's or the account's namespace, with
// Quay's metadata keys. The test reads the SQLite database the server
// writes.
func TestQuayOrgUsageLog(t *testing.T) {
	e := newEnv(t, backends[0].opt)
	owner, invitee, super := e.newUser(t, false), e.newUser(t, false), e.newUser(t, true)
	oc, ic, sc := owner.basic(), invitee.basic(), super.basic()
	org := owner.createOrg(t)
	orgPath := "organization/" + org
	team := orgPath + "/team/devs"

	oc.quayDo(t, http.MethodPut, orgPath, map[string]any{"email": "o@example.com", "tag_expiration_s": 0, "invoice_email": true}).want(t, http.StatusOK)
	oc.quayDo(t, http.MethodPut, team, map[string]any{"role": "member"}).want(t, http.StatusOK)
	oc.quayDo(t, http.MethodPut, team, map[string]any{"role": "creator", "description": "d"}).want(t, http.StatusOK)
	oc.quayDo(t, http.MethodPut, team+"/members/"+invitee.name, nil).want(t, http.StatusOK)
	ic.quayDo(t, http.MethodPut, "teaminvite/"+invitee.inviteCode(t, org, "devs"), nil).want(t, http.StatusOK)
	oc.quayDo(t, http.MethodPut, orgPath+"/team/owners/members/"+invitee.name, nil).want(t, http.StatusOK)
	oc.quayDo(t, http.MethodDelete, team+"/members/"+invitee.name, nil).want(t, http.StatusNoContent)
	oc.quayDo(t, http.MethodPut, team+"/invite/x@example.com", nil).want(t, http.StatusOK)
	oc.quayDo(t, http.MethodDelete, team+"/invite/x@example.com", nil).want(t, http.StatusNoContent)
	oc.quayDo(t, http.MethodPut, team+"/invite/"+invitee.name+"@example.com", nil).want(t, http.StatusOK)
	ic.quayDo(t, http.MethodDelete, "teaminvite/"+invitee.inviteCode(t, org, "devs"), nil).want(t, http.StatusNoContent)
	var proto struct{ ID string }
	oc.quayDo(t, http.MethodPost, orgPath+"/prototypes", map[string]any{
		"role": "read", "delegate": map[string]any{"kind": "team", "name": "devs"}, "activating_user": map[string]any{"name": invitee.name},
	}).want(t, http.StatusOK).decode(t, &proto)
	oc.quayDo(t, http.MethodPut, orgPath+"/prototypes/"+proto.ID, map[string]any{"role": "write"}).want(t, http.StatusOK)
	oc.quayDo(t, http.MethodDelete, orgPath+"/prototypes/"+proto.ID, nil).want(t, http.StatusNoContent)
	oc.quayDo(t, http.MethodDelete, orgPath+"/members/"+invitee.name, nil).want(t, http.StatusNoContent)
	oc.quayDo(t, http.MethodDelete, team, nil).want(t, http.StatusNoContent)

	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(e.srv.DataDir, "wharf.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ns, err := st.GetNamespace(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	oc.quayDo(t, http.MethodDelete, orgPath, nil).want(t, http.StatusNoContent)

	victim := e.newUser(t, false)
	var created struct{ Username string }
	sc.quayDo(t, http.MethodPost, "superuser/users/", map[string]any{"username": victim.name + "x", "email": "v@example.com"}).
		want(t, http.StatusOK).decode(t, &created)
	sc.quayDo(t, http.MethodPut, "superuser/users/"+victim.name, map[string]any{
		"password": "new-password", "email": "new@example.com", "enabled": false}).want(t, http.StatusOK)
	sc.quayDo(t, http.MethodPut, "superuser/users/"+victim.name, map[string]any{"enabled": true, "superuser": true}).want(t, http.StatusOK)
	sc.quayDo(t, http.MethodDelete, "superuser/users/"+created.Username, nil).want(t, http.StatusNoContent)

	type want struct {
		kind string
		keys []string
	}
	check := func(t *testing.T, performer string, nsID int64, wants []want) {
		t.Helper()
		u, err := st.GetUser(ctx, performer)
		if err != nil {
			t.Fatal(err)
		}
		es, err := st.ListLogs(ctx, meta.LogFilter{PerformerID: u.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		slices.Reverse(es) // oldest first
		var kinds []string
		for _, e := range es {
			kinds = append(kinds, e.Kind)
		}
		if len(es) != len(wants) {
			t.Fatalf("%s's log kinds %v, want %v", performer, kinds, wants)
		}
		for i, w := range wants {
			var md map[string]any
			if err := json.Unmarshal(es[i].Metadata, &md); err != nil {
				t.Fatalf("entry %d: metadata %q: %v", i, es[i].Metadata, err)
			}
			if es[i].Kind != w.kind || es[i].IP == "" || (nsID != 0 && es[i].NamespaceID != nsID) || es[i].NamespaceID == 0 {
				t.Errorf("entry %d: %+v, want kind %s in namespace %d", i, es[i], w.kind, nsID)
			}
			for _, k := range w.keys {
				if _, ok := md[k]; !ok {
					t.Errorf("entry %d (%s): metadata %v lacks %s", i, es[i].Kind, md, k)
				}
			}
		}
	}
	teamKeys := []string{"team", "namespace"}
	member := []string{"member", "team", "namespace"}
	protoKeys := []string{"prototypeid", "username", "activating_username", "role", "delegate_team", "namespace"}
	check(t, owner.name, ns.ID, []want{
		{"org_create", []string{"email", "namespace"}},
		{"org_change_invoicing", []string{"invoice_email", "namespace"}},
		{"org_change_email", []string{"email", "old_email", "namespace"}},
		{"org_change_tag_expiration", []string{"tag_expiration", "namespace"}},
		{"org_create_team", teamKeys},
		{"org_set_team_description", append(teamKeys, "description")},
		{"org_set_team_role", append(teamKeys, "role")},
		{"org_invite_team_member", append(member, "user")},
		{"org_add_team_member", member},
		{"org_remove_team_member", member},
		{"org_invite_team_member", append(member, "email")},
		{"org_delete_team_member_invite", append(member, "email")},
		{"org_invite_team_member", append(member, "email")},
		{"create_prototype_permission", protoKeys},
		{"modify_prototype_permission", append(protoKeys, "original_role")},
		{"delete_prototype_permission", protoKeys},
		{"org_remove_team_member", member},
		{"org_delete_team", teamKeys},
		{"org_delete", []string{"namespace"}},
	})
	check(t, invitee.name, ns.ID, []want{
		{"org_team_member_invite_accepted", []string{"member", "team", "inviter"}},
		{"org_team_member_invite_declined", []string{"member", "team", "inviter"}},
	})
	check(t, super.name, 0, []want{
		{"user_create", []string{"username", "email"}},
		{"user_change_password", []string{"username"}},
		{"user_change_email", []string{"username", "email", "old_email"}},
		{"user_disable", []string{"username"}},
		{"user_enable", []string{"username"}},
		{"user_change_metadata", []string{"username", "super_user"}},
		{"user_delete", []string{"username"}},
	})
}
