package e2e

import (
	"net/http"
	"slices"
	"testing"

	"wharf/internal/testserver"
)

func TestQuayAppTokens(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.opt)
			t.Run("Lifecycle", func(t *testing.T) { t.Parallel(); testAppTokenLifecycle(t, e) })
			t.Run("Access", func(t *testing.T) { t.Parallel(); testAppTokenAccess(t, e) })
			t.Run("RegistryLogin", func(t *testing.T) { t.Parallel(); testAppTokenLogin(t, e) })
		})
	}
}

// appTokenView is an application-specific token as the API shows it.
type appTokenView struct {
	UUID         string  `json:"uuid"`
	Title        string  `json:"title"`
	LastAccessed *string `json:"last_accessed"`
	Created      *string `json:"created"`
	Expiration   *string `json:"expiration"`
	TokenCode    *string `json:"token_code"`
}

// makeAppToken creates an application-specific token of u and returns it
// with its secret.
func makeAppToken(t *testing.T, u *user, title string) appTokenView {
	t.Helper()
	var body struct {
		Token appTokenView `json:"token"`
	}
	u.basic().do(t, http.MethodPost, "/api/v1/user/apptoken", mustJSON(t, map[string]any{"title": title})).
		want(t, http.StatusOK).decode(t, &body)
	if body.Token.TokenCode == nil || *body.Token.TokenCode == "" || body.Token.UUID == "" || body.Token.Title != title ||
		body.Token.Created == nil || body.Token.Expiration != nil || body.Token.LastAccessed != nil {
		t.Fatalf("created token %+v", body.Token)
	}
	return body.Token
}

func testAppTokenLifecycle(t *testing.T, e *env) {
	u := e.newUser(t, false)
	c := u.basic()
	tok := makeAppToken(t, u, "laptop")

	var list struct {
		Tokens       []appTokenView `json:"tokens"`
		OnlyExpiring *bool          `json:"only_expiring"`
	}
	r := c.do(t, http.MethodGet, "/api/v1/user/apptoken", nil).want(t, http.StatusOK)
	r.decode(t, &list)
	if len(list.Tokens) != 1 || list.Tokens[0].UUID != tok.UUID || list.Tokens[0].TokenCode != nil || list.OnlyExpiring != nil {
		t.Fatalf("token list %s", r.Body)
	}
	if _, ok := r.jsonObject(t)["only_expiring"]; !ok {
		t.Errorf("list has no only_expiring key: %s", r.Body)
	}
	list.Tokens, list.OnlyExpiring = nil, nil
	c.do(t, http.MethodGet, "/api/v1/user/apptoken?expiring=true", nil).want(t, http.StatusOK).decode(t, &list)
	if len(list.Tokens) != 0 || list.OnlyExpiring == nil || !*list.OnlyExpiring {
		t.Errorf("expiring list %+v: a token without expiry is not expiring", list)
	}

	var one struct {
		Token appTokenView `json:"token"`
	}
	c.do(t, http.MethodGet, "/api/v1/user/apptoken/"+tok.UUID, nil).want(t, http.StatusOK).decode(t, &one)
	if one.Token.TokenCode == nil || *one.Token.TokenCode != *tok.TokenCode {
		t.Errorf("GET token %+v, want the code of %+v", one.Token, tok)
	}

	for _, tc := range []struct {
		name string
		body any
	}{
		{"no body", nil},
		{"no title", mustJSON(t, map[string]any{})},
		{"empty title", mustJSON(t, map[string]any{"title": "  "})},
		{"title not a string", mustJSON(t, map[string]any{"title": 1})},
		{"control character", mustJSON(t, map[string]any{"title": "a\nb"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.do(t, http.MethodPost, "/api/v1/user/apptoken", tc.body).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
		})
	}

	c.do(t, http.MethodDelete, "/api/v1/user/apptoken/"+tok.UUID, nil).want(t, http.StatusNoContent)
	c.do(t, http.MethodGet, "/api/v1/user/apptoken/"+tok.UUID, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	c.do(t, http.MethodDelete, "/api/v1/user/apptoken/"+tok.UUID, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	c.do(t, http.MethodGet, "/api/v1/user/apptoken", nil).want(t, http.StatusOK).decode(t, &list)
	if len(list.Tokens) != 0 {
		t.Errorf("revoked token still listed: %+v", list)
	}
}

func testAppTokenAccess(t *testing.T, e *env) {
	u, other := e.newUser(t, false), e.newUser(t, false)
	tok := makeAppToken(t, u, "ci")
	item := "/api/v1/user/apptoken/" + tok.UUID

	// Another user's token is not found; the anonymous caller is refused.
	other.basic().do(t, http.MethodGet, item, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	other.basic().do(t, http.MethodDelete, item, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	var list struct {
		Tokens []appTokenView `json:"tokens"`
	}
	other.basic().do(t, http.MethodGet, "/api/v1/user/apptoken", nil).want(t, http.StatusOK).decode(t, &list)
	if len(list.Tokens) != 0 {
		t.Errorf("another user's list shows %+v", list.Tokens)
	}
	for _, m := range []string{http.MethodGet, http.MethodDelete} {
		e.anon().do(t, m, item, nil).wantRefused(t, true)
	}
	e.anon().do(t, http.MethodGet, "/api/v1/user/apptoken", nil).wantRefused(t, true)
	e.anon().do(t, http.MethodPost, "/api/v1/user/apptoken", mustJSON(t, map[string]any{"title": "x"})).wantRefused(t, true)

	// An application-specific token is for registry logins only: the API
	// refuses it as a credential (401), whether sent as a bearer token or
	// as the password of "$app", so it cannot create organisations,
	// robots or applications beyond the registry.
	for name, authz := range map[string]string{
		"bearer": "Bearer " + *tok.TokenCode,
		"$app":   basicAuth("$app", *tok.TokenCode),
	} {
		t.Run("app token as "+name, func(t *testing.T) {
			c := e.withAuth(authz)
			c.do(t, http.MethodGet, "/api/v1/user/apptoken", nil).wantProblem(t, http.StatusUnauthorized, "invalid_token", "")
			c.do(t, http.MethodPost, "/api/v1/user/apptoken", mustJSON(t, map[string]any{"title": "x"})).
				wantProblem(t, http.StatusUnauthorized, "invalid_token", "")
			c.do(t, http.MethodDelete, item, nil).wantProblem(t, http.StatusUnauthorized, "invalid_token", "")
			c.do(t, http.MethodGet, "/api/v1/user/", nil).wantProblem(t, http.StatusUnauthorized, "invalid_token", "")
			c.do(t, http.MethodPost, "/api/v1/organization/", mustJSON(t, map[string]any{"name": testserver.RandomName("org")})).
				wantProblem(t, http.StatusUnauthorized, "invalid_token", "")
			c.do(t, http.MethodPut, "/api/v1/user/robots/viaapp", nil).wantProblem(t, http.StatusUnauthorized, "invalid_token", "")
		})
	}
	// An API token limited to a repository does not manage tokens.
	c := e.withAuth("Bearer " + u.apiToken(t, "repository:"+u.name+"/x:pull"))
	c.do(t, http.MethodGet, "/api/v1/user/apptoken", nil).wantRefused(t, false)
	c.do(t, http.MethodPost, "/api/v1/user/apptoken", mustJSON(t, map[string]any{"title": "x"})).wantRefused(t, false)
	c.do(t, http.MethodGet, item, nil).wantRefused(t, false)
	c.do(t, http.MethodDelete, item, nil).wantRefused(t, false)
	// Robots have no application-specific tokens.
	org := u.createOrg(t)
	_, robot := makeOrgRobot(t, u, org, "bot")
	robot.do(t, http.MethodGet, "/api/v1/user/apptoken", nil).wantRefused(t, false)
	robot.do(t, http.MethodPost, "/api/v1/user/apptoken", mustJSON(t, map[string]any{"title": "x"})).wantRefused(t, false)
	// An unscoped API token of the user may.
	e.withAuth("Bearer "+u.apiToken(t)).do(t, http.MethodGet, item, nil).want(t, http.StatusOK)
	u.basic().do(t, http.MethodGet, item, nil).want(t, http.StatusOK)
}

func testAppTokenLogin(t *testing.T, e *env) {
	u, other := e.newUser(t, false), e.newUser(t, false)
	repo, theirs := u.name+"/app", other.name+"/priv"
	pushedImage(t, other.bearer(t, scope(theirs, "pull,push")), theirs, "v1")
	tok := makeAppToken(t, u, "docker")
	app := basicAuth("$app", *tok.TokenCode)

	// docker login, then a push and a pull with the token.
	registryLogin(t, e, app).want(t, http.StatusOK)
	if got := registryActions(t, e, app, repo, "pull,push"); !slices.Equal(got, []string{"pull", "push"}) {
		t.Fatalf("$app token on own repository: actions %v", got)
	}
	pusher := e.withAuth("Bearer " + e.fetchToken(t, app, scope(repo, "pull,push")))
	pushedImage(t, pusher, repo, "v1")
	// It has the user's rights and no more.
	if got := registryActions(t, e, app, theirs, "pull,push"); len(got) != 0 {
		t.Errorf("$app token on another user's private repository: actions %v", got)
	}
	// The token is bound to its kind and its secret.
	registryLogin(t, e, basicAuth("$app", *tok.TokenCode+"x")).want(t, http.StatusUnauthorized)
	registryLogin(t, e, basicAuth("$oauthtoken", *tok.TokenCode)).want(t, http.StatusUnauthorized)
	registryLogin(t, e, basicAuth("$app", u.apiToken(t))).want(t, http.StatusUnauthorized)

	// Revoking it ends the logins.
	u.basic().do(t, http.MethodDelete, "/api/v1/user/apptoken/"+tok.UUID, nil).want(t, http.StatusNoContent)
	registryLogin(t, e, app).want(t, http.StatusUnauthorized)
}
