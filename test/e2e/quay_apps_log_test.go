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

	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(e.srv.DataDir, "wharf.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	entries := func(name string) []meta.LogEntry {
		t.Helper()
		u, err := st.GetUser(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		es, err := st.ListLogs(ctx, meta.LogFilter{PerformerID: u.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		slices.Reverse(es) // oldest first
		// Keep the kinds of this family: creating the organisation is
		// logged too.
		return slices.DeleteFunc(es, func(e meta.LogEntry) bool { return e.Kind == "org_create" })
	}
	type want struct {
		kind string
		keys []string
		org  bool
	}
	check := func(t *testing.T, es []meta.LogEntry, wants []want) {
		t.Helper()
		var kinds []string
		for _, e := range es {
			kinds = append(kinds, e.Kind)
		}
		if len(es) != len(wants) {
			t.Fatalf("log kinds %v, want %d entries %v", kinds, len(wants), wants)
		}
		ns, err := st.GetNamespace(ctx, org)
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range wants {
			var md map[string]any
			if err := json.Unmarshal(es[i].Metadata, &md); err != nil {
				t.Fatalf("entry %d: metadata %q: %v", i, es[i].Metadata, err)
			}
			if es[i].Kind != w.kind || (w.org && es[i].NamespaceID != ns.ID) || es[i].IP == "" {
				t.Errorf("entry %d: %+v, want kind %s", i, es[i], w.kind)
			}
			for _, k := range w.keys {
				if v, ok := md[k].(string); !ok || v == "" {
					t.Errorf("entry %d (%s): metadata %v lacks %s", i, es[i].Kind, md, k)
				}
			}
		}
	}
	app := []string{"application_name", "client_id"}
	check(t, entries(owner.name), []want{
		{"create_application", app, true},
		{"update_application", app, true},
		{"reset_application_client_secret", app, true},
		{"create_oauth_api_token", append(app, "token_uuid", "scope"), true},
		{"revoke_oauth_api_token", append(app, "token_uuid"), true},
		{"create_app_specific_token", []string{"app_specific_token_title", "app_specific_token"}, false},
		{"revoke_app_specific_token", []string{"app_specific_token_title", "app_specific_token"}, false},
		{"delete_application", app, true},
	})
	check(t, entries(grantee.name), []want{
		{"oauth_token_assigned", append(app, "token_uuid", "scope"), true},
		{"oauth_token_assigned", append(app, "token_uuid", "scope"), true},
	})
}
