package e2e

import (
	"net/http"
	"testing"
)

// TestQuayAppsUsageLog checks that the mutating calls of applications,
// OAuth grants and application-specific tokens write usage-log entries
// of Quay's kinds. No endpoint reads the log yet, so the test reads the
// SQLite database the server writes.
func TestQuayAppsUsageLog(t *testing.T) {
	e := newEnv(t, backends[0].opt)
	owner, grantee := e.newUser(t, false), e.newUser(t, false)
	org := owner.createOrg(t)
	c := owner.basic()
	a := makeApp(t, c, org, "https://client.example/cb")
	item := "/api/v1/organization/" + org + "/applications/" + a.ClientID
	c.do(t, http.MethodPut, item, mustJSON(t, map[string]any{
		"name": "renamed", "redirect_uri": a.RedirectURI, "application_uri": "https://client.example/",
	})).want(t, http.StatusOK)
	c.do(t, http.MethodPost, item+"/resetclientsecret", nil).want(t, http.StatusOK)
	var secret oauthApp
	c.do(t, http.MethodGet, item, nil).want(t, http.StatusOK).decode(t, &secret)
	tok := c.do(t, http.MethodPost, item+"/tokens", mustJSON(t, map[string]any{"name": "ci", "scope": "repo:read"})).
		want(t, http.StatusOK).jsonObject(t)
	c.do(t, http.MethodDelete, item+"/tokens/"+tok["uuid"].(string), nil).want(t, http.StatusNoContent)
	oauthToken(t, e, secret, grantee, "repo:read")
	exchange(t, e, codeForm(secret, codeFor(t, e, secret, grantee, "user:read"))).want(t, http.StatusOK)
	appTok := makeAppToken(t, owner, "laptop")
	c.do(t, http.MethodDelete, "/api/v1/user/apptoken/"+appTok.UUID, nil).want(t, http.StatusNoContent)
	c.do(t, http.MethodDelete, item, nil).want(t, http.StatusNoContent)

	l := openUsageLog(t, e)
	nsID := l.namespaceID(t, org)
	app := []string{"application_name", "client_id"}
	appToken := []string{"app_specific_token_title", "app_specific_token"}
	// Creating the organisation is logged too; it is another family's.
	l.check(t, owner.name, []string{"org_create"}, []logWant{
		{"create_application", app, nsID},
		{"update_application", app, nsID},
		{"reset_application_client_secret", app, nsID},
		{"create_oauth_api_token", append(app, "token_uuid", "scope"), nsID},
		{"revoke_oauth_api_token", append(app, "token_uuid"), nsID},
		{"create_app_specific_token", appToken, 0},
		{"revoke_app_specific_token", appToken, 0},
		{"delete_application", app, nsID},
	})
	l.check(t, grantee.name, nil, []logWant{
		{"oauth_token_assigned", append(app, "token_uuid", "scope"), nsID},
		{"oauth_token_assigned", append(app, "token_uuid", "scope"), nsID},
	})
}
