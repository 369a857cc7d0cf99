package e2e

import (
	"net/http"
	"testing"
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

	l := openUsageLog(t, e)
	nsID := l.namespaceID(t, org)
	oc.quayDo(t, http.MethodDelete, orgPath, nil).want(t, http.StatusNoContent)

	victim := e.newUser(t, false)
	var created struct{ Username string }
	sc.quayDo(t, http.MethodPost, "superuser/users/", map[string]any{"username": victim.name + "x", "email": "v@example.com"}).
		want(t, http.StatusOK).decode(t, &created)
	sc.quayDo(t, http.MethodPut, "superuser/users/"+victim.name, map[string]any{
		"password": "new-password", "email": "new@example.com", "enabled": false}).want(t, http.StatusOK)
	sc.quayDo(t, http.MethodPut, "superuser/users/"+victim.name, map[string]any{"enabled": true, "superuser": true}).want(t, http.StatusOK)
	sc.quayDo(t, http.MethodDelete, "superuser/users/"+created.Username, nil).want(t, http.StatusNoContent)

	teamKeys := []string{"team", "namespace"}
	member := []string{"member", "team", "namespace"}
	protoKeys := []string{"prototypeid", "username", "activating_username", "role", "delegate_team", "namespace"}
	l.check(t, owner.name, nil, []logWant{
		{"org_create", []string{"email", "namespace"}, nsID},
		{"org_change_invoicing", []string{"invoice_email", "namespace"}, nsID},
		{"org_change_email", []string{"email", "old_email", "namespace"}, nsID},
		{"org_change_tag_expiration", []string{"tag_expiration", "namespace"}, nsID},
		{"org_create_team", teamKeys, nsID},
		{"org_set_team_description", append(teamKeys, "description"), nsID},
		{"org_set_team_role", append(teamKeys, "role"), nsID},
		{"org_invite_team_member", append(member, "user"), nsID},
		{"org_add_team_member", member, nsID},
		{"org_remove_team_member", member, nsID},
		{"org_invite_team_member", append(member, "email"), nsID},
		{"org_delete_team_member_invite", append(member, "email"), nsID},
		{"org_invite_team_member", append(member, "email"), nsID},
		{"create_prototype_permission", protoKeys, nsID},
		{"modify_prototype_permission", append(protoKeys, "original_role"), nsID},
		{"delete_prototype_permission", protoKeys, nsID},
		{"org_remove_team_member", member, nsID},
		{"org_delete_team", teamKeys, nsID},
		{"org_delete", []string{"namespace"}, nsID},
	})
	l.check(t, invitee.name, nil, []logWant{
		{"org_team_member_invite_accepted", []string{"member", "team", "inviter"}, nsID},
		{"org_team_member_invite_declined", []string{"member", "team", "inviter"}, nsID},
	})
	l.check(t, super.name, nil, []logWant{
		{"user_create", []string{"username", "email"}, 0},
		{"user_change_password", []string{"username"}, 0},
		{"user_change_email", []string{"username", "email", "old_email"}, 0},
		{"user_disable", []string{"username"}, 0},
		{"user_enable", []string{"username"}, 0},
		{"user_change_metadata", []string{"username", "super_user"}, 0},
		{"user_delete", []string{"username"}, 0},
	})
}
