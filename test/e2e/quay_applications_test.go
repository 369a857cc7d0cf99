package e2e

import (
	"net/http"
	"testing"
)

func TestQuayApplications(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.opt)
			t.Run("Lifecycle", func(t *testing.T) { t.Parallel(); testAppLifecycle(t, e) })
			t.Run("Validation", func(t *testing.T) { t.Parallel(); testAppValidation(t, e) })
			t.Run("Access", func(t *testing.T) { t.Parallel(); testAppAccess(t, e) })
			t.Run("Tokens", func(t *testing.T) { t.Parallel(); testAppTokens(t, e) })
		})
	}
}

func testAppLifecycle(t *testing.T, e *env) {
	owner := e.newUser(t, false)
	org := owner.createOrg(t)
	c := owner.basic()
	base := "/api/v1/organization/" + org + "/applications"

	var a oauthApp
	c.do(t, http.MethodPost, base, mustJSON(t, map[string]any{
		"name": "Deployer", "description": "ships builds", "application_uri": "https://deploy.example/",
		"redirect_uri": "https://deploy.example/cb", "avatar_email": "deploy@example.com",
	})).want(t, http.StatusOK).decode(t, &a)
	if a.Name != "Deployer" || a.Description != "ships builds" || a.ApplicationURI != "https://deploy.example/" ||
		a.RedirectURI != "https://deploy.example/cb" || a.AvatarEmail != "deploy@example.com" ||
		len(a.ClientID) != 20 || a.ClientSecret == nil || len(*a.ClientSecret) < 32 {
		t.Fatalf("created application %+v", a)
	}
	item := base + "/" + a.ClientID

	var list struct {
		Applications []oauthApp `json:"applications"`
	}
	c.do(t, http.MethodGet, base, nil).want(t, http.StatusOK).decode(t, &list)
	if len(list.Applications) != 1 || list.Applications[0].ClientID != a.ClientID || *list.Applications[0].ClientSecret != *a.ClientSecret {
		t.Fatalf("application list %+v", list)
	}
	var got oauthApp
	c.do(t, http.MethodGet, item, nil).want(t, http.StatusOK).decode(t, &got)
	if got.Name != a.Name || *got.ClientSecret != *a.ClientSecret {
		t.Fatalf("GET application %+v, want %+v", got, a)
	}

	// PUT needs name, redirect_uri and application_uri; the others keep
	// their values when left out.
	c.do(t, http.MethodPut, item, mustJSON(t, map[string]any{"name": "Renamed"})).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "")
	c.do(t, http.MethodPut, item, mustJSON(t, map[string]any{
		"name": "Renamed", "redirect_uri": "https://deploy.example/cb2", "application_uri": "https://deploy.example/app",
	})).want(t, http.StatusOK).decode(t, &got)
	if got.Name != "Renamed" || got.RedirectURI != "https://deploy.example/cb2" || got.ApplicationURI != "https://deploy.example/app" ||
		got.Description != "ships builds" || got.AvatarEmail != "deploy@example.com" || got.ClientID != a.ClientID {
		t.Fatalf("updated application %+v", got)
	}

	var reset oauthApp
	c.do(t, http.MethodPost, item+"/resetclientsecret", nil).want(t, http.StatusOK).decode(t, &reset)
	if reset.ClientID != a.ClientID || *reset.ClientSecret == *a.ClientSecret || *reset.ClientSecret == "" {
		t.Fatalf("reset secret: %+v, old secret %q", reset, *a.ClientSecret)
	}

	// Anyone may see the public face of an application.
	pub := e.anon().do(t, http.MethodGet, "/api/v1/app/"+a.ClientID, nil).want(t, http.StatusOK).jsonObject(t)
	orgView, _ := pub["organization"].(map[string]any)
	if pub["name"] != "Renamed" || pub["uri"] != "https://deploy.example/app" || pub["description"] != "ships builds" ||
		pub["avatar"] == nil || orgView["name"] != org || orgView["is_admin"] != false || orgView["email"] != "" {
		t.Errorf("public application view %v", pub)
	}
	if _, ok := pub["client_secret"]; ok {
		t.Errorf("public application view shows the secret: %v", pub)
	}
	ownerView := c.do(t, http.MethodGet, "/api/v1/app/"+a.ClientID, nil).want(t, http.StatusOK).jsonObject(t)
	if ov := ownerView["organization"].(map[string]any); ov["is_admin"] != true || ov["is_member"] != true {
		t.Errorf("application view for the owner: %v", ownerView)
	}
	e.anon().do(t, http.MethodGet, "/api/v1/app/nosuchclientid", nil).wantProblem(t, http.StatusNotFound, "not_found", "")

	c.do(t, http.MethodDelete, item, nil).want(t, http.StatusNoContent)
	c.do(t, http.MethodGet, item, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	c.do(t, http.MethodDelete, item, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	e.anon().do(t, http.MethodGet, "/api/v1/app/"+a.ClientID, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	c.do(t, http.MethodGet, base, nil).want(t, http.StatusOK).decode(t, &list)
	if len(list.Applications) != 0 {
		t.Errorf("deleted application still listed: %+v", list)
	}
}

func testAppValidation(t *testing.T, e *env) {
	owner := e.newUser(t, false)
	org := owner.createOrg(t)
	c := owner.basic()
	base := "/api/v1/organization/" + org + "/applications"
	for _, tc := range []struct {
		name string
		body any
	}{
		{"no body", nil},
		{"not JSON", "{"},
		{"no name", mustJSON(t, map[string]any{"redirect_uri": "https://x.example/"})},
		{"empty name", mustJSON(t, map[string]any{"name": ""})},
		{"name not a string", mustJSON(t, map[string]any{"name": 5})},
		{"redirect not http", mustJSON(t, map[string]any{"name": "a", "redirect_uri": "javascript:alert(1)"})},
		{"application URI without host", mustJSON(t, map[string]any{"name": "a", "application_uri": "https://"})},
		{"bad avatar e-mail", mustJSON(t, map[string]any{"name": "a", "avatar_email": "nobody"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.do(t, http.MethodPost, base, tc.body).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
		})
	}
	var list struct {
		Applications []oauthApp `json:"applications"`
	}
	c.do(t, http.MethodGet, base, nil).want(t, http.StatusOK).decode(t, &list)
	if len(list.Applications) != 0 {
		t.Errorf("refused creates left applications: %+v", list)
	}

	a := makeApp(t, c, org, "https://client.example/cb")
	c.do(t, http.MethodPut, base+"/"+a.ClientID, mustJSON(t, map[string]any{
		"name": "x", "redirect_uri": "ftp://x.example/", "application_uri": "https://x.example/",
	})).wantProblem(t, http.StatusBadRequest, "invalid_request", "")

	// Another organisation's application is not found under this one.
	other := owner.createOrg(t)
	b := makeApp(t, c, other, "https://client.example/cb")
	c.do(t, http.MethodGet, base+"/"+b.ClientID, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	c.do(t, http.MethodDelete, base+"/"+b.ClientID, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	c.do(t, http.MethodGet, "/api/v1/organization/"+other+"/applications/"+b.ClientID, nil).want(t, http.StatusOK)

	// A user's namespace has no applications.
	c.do(t, http.MethodGet, "/api/v1/organization/"+owner.name+"/applications", nil).
		wantProblem(t, http.StatusNotFound, "not_found", "")
}

func testAppAccess(t *testing.T, e *env) {
	owner := e.newUser(t, false)
	org := owner.createOrg(t)
	admin, creator, member, stranger := e.newUser(t, false), e.newUser(t, false), e.newUser(t, false), e.newUser(t, false)
	putTeamMember(t, owner, org, "admins", "admin", admin)
	putTeamMember(t, owner, org, "creators", "creator", creator)
	putTeamMember(t, owner, org, "readers", "member", member)
	super := e.newUser(t, true)
	robotName, robot := makeOrgRobot(t, owner, org, "deployer")
	owner.basic().do(t, http.MethodPut, "/api/v1/organization/"+org+"/team/admins/members/"+robotName, nil).want(t, http.StatusOK)
	a := makeApp(t, owner.basic(), org, "https://client.example/cb")
	base := "/api/v1/organization/" + org + "/applications"
	item := base + "/" + a.ClientID
	appBody := mustJSON(t, map[string]any{"name": "n", "redirect_uri": "https://c.example/", "application_uri": "https://c.example/"})

	type call struct {
		method, target string
		body           []byte
		ok             int
	}
	calls := []call{
		{http.MethodGet, base, nil, http.StatusOK},
		{http.MethodGet, item, nil, http.StatusOK},
		{http.MethodPut, item, appBody, http.StatusOK},
		{http.MethodPost, item + "/resetclientsecret", nil, http.StatusOK},
		{http.MethodGet, item + "/tokens", nil, http.StatusOK},
		{http.MethodPost, item + "/tokens", mustJSON(t, map[string]any{"name": "t", "scope": "repo:read"}), http.StatusOK},
	}
	for _, who := range []struct {
		name    string
		c       *client
		allowed bool
	}{
		{"anonymous", e.anon(), false},
		{"stranger", stranger.basic(), false},
		{"member team", member.basic(), false},
		{"creator team", creator.basic(), false},
		{"admin team", admin.basic(), true},
		{"owner", owner.basic(), true},
		{"owner's repository-scoped token", e.withAuth("Bearer " + owner.apiToken(t, "repository:"+org+"/x:pull")), false},
		{"superuser", super.basic(), true},
		// A robot, even in an admin team, does not administer the
		// organisation through the API.
		{"robot in the admin team", robot, false},
	} {
		t.Run(who.name, func(t *testing.T) {
			for _, c := range calls {
				r := who.c.do(t, c.method, c.target, c.body)
				if who.allowed {
					r.want(t, c.ok)
				} else {
					r.wantRefused(t, who.c.authz == "")
				}
			}
			// Creating and deleting, and a missing organisation: refused
			// callers learn nothing of whether it exists.
			missing := "/api/v1/organization/" + "nosuchorg" + owner.name + "/applications"
			if who.allowed {
				var made oauthApp
				who.c.do(t, http.MethodPost, base, appBody).want(t, http.StatusOK).decode(t, &made)
				who.c.do(t, http.MethodDelete, base+"/"+made.ClientID, nil).want(t, http.StatusNoContent)
				if who.name == "superuser" {
					who.c.do(t, http.MethodGet, missing, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
				}
				return
			}
			who.c.do(t, http.MethodPost, base, appBody).wantRefused(t, who.c.authz == "")
			who.c.do(t, http.MethodDelete, item, nil).wantRefused(t, who.c.authz == "")
			who.c.do(t, http.MethodGet, missing, nil).wantRefused(t, who.c.authz == "")
			who.c.do(t, http.MethodGet, base+"/nosuchclient", nil).wantRefused(t, who.c.authz == "")
		})
	}
	// The application survived every refused call.
	owner.basic().do(t, http.MethodGet, item, nil).want(t, http.StatusOK)
}

func testAppTokens(t *testing.T, e *env) {
	owner := e.newUser(t, false)
	org := owner.createOrg(t)
	c := owner.basic()
	a := makeApp(t, c, org, "https://client.example/cb")
	tokens := "/api/v1/organization/" + org + "/applications/" + a.ClientID + "/tokens"

	made := c.do(t, http.MethodPost, tokens, mustJSON(t, map[string]any{
		"name": "ci", "scope": "org:admin repo:read", "expiration": 3600,
	})).want(t, http.StatusOK).jsonObject(t)
	secret, _ := made["token"].(string)
	if secret == "" || made["name"] != "ci" || made["scope"] != "repo:read org:admin" || made["created_by"] != owner.name ||
		made["uuid"] == "" || made["expires_at"] == nil || made["created"] == nil {
		t.Fatalf("created token %v", made)
	}
	var list struct {
		Tokens []map[string]any `json:"tokens"`
	}
	c.do(t, http.MethodGet, tokens, nil).want(t, http.StatusOK).decode(t, &list)
	if len(list.Tokens) != 1 || list.Tokens[0]["uuid"] != made["uuid"] || list.Tokens[0]["token"] != nil {
		t.Fatalf("token list %v", list)
	}

	// The token acts as its user, within its scopes.
	bearer := e.withAuth("Bearer " + secret)
	bearer.do(t, http.MethodGet, "/api/v1/organization/"+org+"/applications", nil).want(t, http.StatusOK)
	// It cannot hand out scopes it does not hold.
	bearer.do(t, http.MethodPost, tokens, mustJSON(t, map[string]any{"name": "more", "scope": "repo:write"})).
		wantMessage(t, http.StatusBadRequest, "")
	bearer.do(t, http.MethodPost, tokens, mustJSON(t, map[string]any{"name": "same", "scope": "repo:read"})).
		want(t, http.StatusOK)
	// Nobody hands out super:user without being a superuser.
	c.do(t, http.MethodPost, tokens, mustJSON(t, map[string]any{"name": "s", "scope": "super:user"})).
		wantMessage(t, http.StatusBadRequest, "")

	for _, tc := range []struct {
		name string
		body any
	}{
		{"no name", mustJSON(t, map[string]any{"scope": "repo:read"})},
		{"no scope", mustJSON(t, map[string]any{"name": "x"})},
		{"empty name", mustJSON(t, map[string]any{"name": " ", "scope": "repo:read"})},
		{"unknown scope", mustJSON(t, map[string]any{"name": "x", "scope": "repo:read repo:fly"})},
		{"empty scope", mustJSON(t, map[string]any{"name": "x", "scope": ""})},
		{"zero expiration", mustJSON(t, map[string]any{"name": "x", "scope": "repo:read", "expiration": 0})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.do(t, http.MethodPost, tokens, tc.body).want(t, http.StatusBadRequest)
			if len(r.Body) == 0 {
				t.Errorf("no error body")
			}
		})
	}

	uuid, _ := made["uuid"].(string)
	c.do(t, http.MethodDelete, tokens+"/"+uuid, nil).want(t, http.StatusNoContent)
	bearer.do(t, http.MethodGet, "/api/v1/organization/"+org+"/applications", nil).
		wantProblem(t, http.StatusUnauthorized, "invalid_token", "")
	c.do(t, http.MethodDelete, tokens+"/"+uuid, nil).wantProblem(t, http.StatusNotFound, "not_found", "")

	// A token issued by another application is not this one's to revoke.
	b := makeApp(t, c, org, "https://client.example/cb")
	other := c.do(t, http.MethodPost, "/api/v1/organization/"+org+"/applications/"+b.ClientID+"/tokens",
		mustJSON(t, map[string]any{"name": "b", "scope": "repo:read"})).want(t, http.StatusOK).jsonObject(t)
	c.do(t, http.MethodDelete, tokens+"/"+other["uuid"].(string), nil).wantProblem(t, http.StatusNotFound, "not_found", "")

	// Deleting an application revokes its tokens.
	otherBearer := e.withAuth("Bearer " + other["token"].(string))
	otherBearer.do(t, http.MethodGet, "/api/v1/app/"+b.ClientID, nil).want(t, http.StatusOK)
	c.do(t, http.MethodDelete, "/api/v1/organization/"+org+"/applications/"+b.ClientID, nil).want(t, http.StatusNoContent)
	otherBearer.do(t, http.MethodGet, "/api/v1/app/"+a.ClientID, nil).wantProblem(t, http.StatusUnauthorized, "invalid_token", "")
}
