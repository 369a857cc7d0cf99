package e2e

import (
	"net/http"
	"testing"
)

// TestQuayRepoUsageLog checks that every change to repositories, their
// permissions and robots writes a usage-log entry of Quay's kind with
// Quay's metadata keys, filed under the namespace.
func TestQuayRepoUsageLog(t *testing.T) {
	e := newEnv(t, backends[0].opt)
	owner, friend := e.newUser(t, false), e.newUser(t, false)
	oc := owner.basic()
	org := owner.createOrg(t)
	repo := "repository/" + org + "/app"

	createQuayRepo(t, oc, org, "app", "private")
	oc.quayDo(t, http.MethodPut, repo, map[string]any{"description": "d"}).want(t, http.StatusOK)
	oc.quayDo(t, http.MethodPost, repo+"/changevisibility", map[string]any{"visibility": "public"}).want(t, http.StatusOK)
	oc.quayDo(t, http.MethodPost, repo+"/changetrust", map[string]any{"trust_enabled": true}).want(t, http.StatusOK)
	oc.quayDo(t, http.MethodPut, repo+"/permissions/user/"+friend.name, map[string]any{"role": "write"}).want(t, http.StatusOK)
	oc.quayDo(t, http.MethodDelete, repo+"/permissions/user/"+friend.name, nil).want(t, http.StatusNoContent)
	oc.putTeam(t, org, "devs", "member")
	oc.quayDo(t, http.MethodPut, repo+"/permissions/team/devs", map[string]any{"role": "read"}).want(t, http.StatusOK)
	oc.quayDo(t, http.MethodDelete, repo+"/permissions/team/devs", nil).want(t, http.StatusNoContent)
	robots := "organization/" + org + "/robots/bot"
	oc.quayDo(t, http.MethodPut, robots, map[string]any{"description": "ci"}).want(t, http.StatusCreated)
	oc.quayDo(t, http.MethodPost, robots+"/regenerate", nil).want(t, http.StatusOK)
	oc.quayDo(t, http.MethodDelete, robots, nil).want(t, http.StatusNoContent)
	oc.quayDo(t, http.MethodPut, "user/robots/mine", nil).want(t, http.StatusCreated)
	oc.quayDo(t, http.MethodDelete, repo, nil).want(t, http.StatusNoContent)

	l := openUsageLog(t, e)
	nsID, ownID := l.namespaceID(t, org), l.namespaceID(t, owner.name)
	repoKeys := []string{"repo", "namespace"}
	l.check(t, owner.name, []string{"org_create", "org_create_team"}, []logWant{
		{"create_repo", repoKeys, nsID},
		{"set_repo_description", append(repoKeys, "description"), nsID},
		{"change_repo_visibility", append(repoKeys, "visibility"), nsID},
		{"change_repo_trust", append(repoKeys, "trust_enabled"), nsID},
		{"change_repo_permission", append(repoKeys, "username", "role"), nsID},
		{"delete_repo_permission", append(repoKeys, "username"), nsID},
		{"change_repo_permission", append(repoKeys, "team", "role"), nsID},
		{"delete_repo_permission", append(repoKeys, "team"), nsID},
		{"create_robot", []string{"robot"}, nsID},
		{"regenerate_robot_token", []string{"robot"}, nsID},
		{"delete_robot", []string{"robot"}, nsID},
		{"create_robot", []string{"robot"}, ownID},
		{"delete_repo", repoKeys, nsID},
	})
}
