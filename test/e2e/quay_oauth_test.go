package e2e

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestQuayOAuth(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.opt)
			owner := e.newUser(t, false)
			org := owner.createOrg(t)
			a := makeApp(t, owner.basic(), org, "https://client.example/cb")
			t.Run("CodeFlow", func(t *testing.T) { t.Parallel(); testOAuthCode(t, e, a) })
			t.Run("TokenEndpointErrors", func(t *testing.T) { t.Parallel(); testOAuthTokenErrors(t, e, a) })
			t.Run("Implicit", func(t *testing.T) { t.Parallel(); testOAuthImplicit(t, e, a) })
			t.Run("BadRequests", func(t *testing.T) { t.Parallel(); testOAuthBadRequests(t, e, a, owner, org) })
			t.Run("Consent", func(t *testing.T) { t.Parallel(); testOAuthConsent(t, e, a) })
			t.Run("Scopes", func(t *testing.T) { t.Parallel(); testOAuthScopes(t, e, a, org) })
		})
	}
}

// codeFor runs the consent step of the code flow for u and returns the
// code.
func codeFor(t *testing.T, e *env, a oauthApp, u *user, scope string) string {
	t.Helper()
	q := authorizeQuery(a, "code", scope, "st-1")
	r := submitConsent(t, e, openConsent(t, e, q), q, u, "allow").want(t, http.StatusFound)
	loc, err := url.Parse(r.location(t))
	if err != nil {
		t.Fatal(err)
	}
	if loc.Scheme+"://"+loc.Host+loc.Path != a.RedirectURI || loc.Query().Get("state") != "st-1" || loc.Query().Get("code") == "" {
		t.Fatalf("code redirect %s", loc)
	}
	return loc.Query().Get("code")
}

func exchange(t *testing.T, e *env, form url.Values, hdr ...string) *response {
	t.Helper()
	hdr = append(hdr, "Content-Type", "application/x-www-form-urlencoded")
	return e.anon().do(t, http.MethodPost, "/oauth/access_token", form.Encode(), hdr...)
}

func codeForm(a oauthApp, code string) url.Values {
	return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {a.RedirectURI},
		"client_id": {a.ClientID}, "client_secret": {*a.ClientSecret}}
}

func testOAuthCode(t *testing.T, e *env, a oauthApp) {
	u := e.newUser(t, false)
	code := codeFor(t, e, a, u, "user:admin,repo:read")
	r := exchange(t, e, codeForm(a, code)).want(t, http.StatusOK).wantHeader(t, "Cache-Control", "no-store")
	tr := decodeTokenReply(t, r)
	if tr.AccessToken == "" || tr.TokenType != "Bearer" || tr.Scope != "repo:read user:admin" || tr.ExpiresIn < 3600 {
		t.Fatalf("token reply %+v", tr)
	}
	bearer := e.withAuth("Bearer " + tr.AccessToken)
	bearer.do(t, http.MethodGet, "/api/v1/user/apptoken", nil).want(t, http.StatusOK)

	// A code works once.
	r = exchange(t, e, codeForm(a, code)).want(t, http.StatusBadRequest)
	if got := decodeTokenReply(t, r).Error; got != "invalid_grant" {
		t.Errorf("second exchange: error %q, want invalid_grant", got)
	}
	// Client credentials may come as HTTP Basic.
	form := codeForm(a, codeFor(t, e, a, u, "repo:read"))
	form.Del("client_id")
	form.Del("client_secret")
	r = exchange(t, e, form, "Authorization", basicAuth(a.ClientID, *a.ClientSecret)).want(t, http.StatusOK)
	if tr := decodeTokenReply(t, r); tr.Scope != "repo:read" {
		t.Errorf("token reply %+v", tr)
	}
}

func testOAuthTokenErrors(t *testing.T, e *env, a oauthApp) {
	u := e.newUser(t, false)
	for _, tc := range []struct {
		name   string
		change func(f url.Values)
		status int
		err    string
	}{
		{"no grant type", func(f url.Values) { f.Del("grant_type") }, http.StatusBadRequest, "invalid_request"},
		{"password grant", func(f url.Values) { f.Set("grant_type", "password") }, http.StatusBadRequest, "unsupported_grant_type"},
		{"no code", func(f url.Values) { f.Del("code") }, http.StatusBadRequest, "invalid_request"},
		{"unknown code", func(f url.Values) { f.Set("code", "wharf_nosuchcode") }, http.StatusBadRequest, "invalid_grant"},
		{"wrong secret", func(f url.Values) { f.Set("client_secret", "nope") }, http.StatusUnauthorized, "invalid_client"},
		{"no secret", func(f url.Values) { f.Del("client_secret") }, http.StatusUnauthorized, "invalid_client"},
		{"unknown client", func(f url.Values) { f.Set("client_id", "nosuchclient") }, http.StatusUnauthorized, "invalid_client"},
		{"other redirect", func(f url.Values) { f.Set("redirect_uri", "https://evil.example/cb") }, http.StatusBadRequest, "invalid_grant"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := codeForm(a, codeFor(t, e, a, u, "repo:read"))
			tc.change(f)
			r := exchange(t, e, f).want(t, tc.status)
			if got := decodeTokenReply(t, r); got.Error != tc.err || got.AccessToken != "" {
				t.Errorf("reply %+v, want error %s", got, tc.err)
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
	e.anon().do(t, http.MethodGet, "/oauth/access_token", nil).want(t, http.StatusMethodNotAllowed)
}

func testOAuthImplicit(t *testing.T, e *env, a oauthApp) {
	u := e.newUser(t, false)
	q := authorizeQuery(a, "token", "repo:read user:read", "xyz")
	r := submitConsent(t, e, openConsent(t, e, q), q, u, "allow").want(t, http.StatusFound)
	loc, err := url.Parse(r.location(t))
	if err != nil {
		t.Fatal(err)
	}
	frag, _ := url.ParseQuery(loc.Fragment)
	if loc.RawQuery != "" || frag.Get("access_token") == "" || frag.Get("token_type") != "Bearer" ||
		frag.Get("scope") != "repo:read user:read" || frag.Get("state") != "xyz" || frag.Get("expires_in") == "" {
		t.Fatalf("implicit redirect %s", loc)
	}
	e.withAuth("Bearer "+frag.Get("access_token")).do(t, http.MethodGet, "/api/v1/app/"+a.ClientID, nil).want(t, http.StatusOK)
}

func testOAuthBadRequests(t *testing.T, e *env, a oauthApp, owner *user, org string) {
	page := func(t *testing.T, q url.Values, status int) {
		t.Helper()
		r := e.anon().do(t, http.MethodGet, "/oauth/authorize?"+q.Encode(), nil).want(t, status)
		if r.Header.Get("Location") != "" || csrfRE.Match(r.Body) {
			t.Errorf("refused request shows a form or redirects:\n%s", r)
		}
	}
	// Until the client and its redirect URI are trusted, errors stay on
	// the page.
	q := authorizeQuery(a, "code", "repo:read", "s")
	q.Set("client_id", "nosuchclient")
	page(t, q, http.StatusBadRequest)
	q = authorizeQuery(a, "code", "repo:read", "s")
	q.Del("client_id")
	page(t, q, http.StatusBadRequest)
	for _, uri := range []string{"https://evil.example/cb", a.RedirectURI + "/more", a.RedirectURI + "?x=1"} {
		q = authorizeQuery(a, "token", "repo:read", "s")
		q.Set("redirect_uri", uri)
		page(t, q, http.StatusBadRequest)
	}
	noRedirect := makeApp(t, owner.basic(), org, "")
	page(t, authorizeQuery(noRedirect, "token", "repo:read", "s"), http.StatusBadRequest)

	// Then they go back to the client.
	back := func(t *testing.T, q url.Values, code string) {
		t.Helper()
		r := e.anon().do(t, http.MethodGet, "/oauth/authorize?"+q.Encode(), nil).want(t, http.StatusFound)
		loc, _ := url.Parse(r.location(t))
		if loc.Query().Get("error") != code || loc.Query().Get("state") != "s" {
			t.Errorf("redirect %s, want error %s", loc, code)
		}
	}
	back(t, authorizeQuery(a, "code", "repo:read repo:fly", "s"), "invalid_scope")
	back(t, authorizeQuery(a, "code", "", "s"), "invalid_scope")
	back(t, authorizeQuery(a, "password", "repo:read", "s"), "unsupported_response_type")

	// Without redirect_uri the registered one is used.
	q = authorizeQuery(a, "code", "repo:read", "s")
	q.Del("redirect_uri")
	e.anon().do(t, http.MethodGet, "/oauth/authorize?"+q.Encode(), nil).want(t, http.StatusOK)
	e.anon().do(t, http.MethodDelete, "/oauth/authorize", nil).want(t, http.StatusMethodNotAllowed)
	e.anon().do(t, http.MethodGet, "/oauth/nothing", nil).want(t, http.StatusNotFound)
}

func testOAuthConsent(t *testing.T, e *env, a oauthApp) {
	u := e.newUser(t, false)
	q := authorizeQuery(a, "code", "repo:read", "s")
	r := e.anon().do(t, http.MethodGet, "/oauth/authorize?"+q.Encode(), nil).want(t, http.StatusOK)
	r.wantHeader(t, "X-Frame-Options", "DENY")
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	if !strings.Contains(string(r.Body), a.Name) || !strings.Contains(string(r.Body), "repo:read") {
		t.Errorf("consent page names neither the application nor the scope:\n%s", r.Body)
	}
	f := openConsent(t, e, q)

	// A form without the browser's cookie, with another browser's cookie,
	// with another request's fields or without a token is refused.
	submitConsent(t, e, consentForm{csrf: f.csrf}, q, u, "allow").want(t, http.StatusForbidden)
	other := openConsent(t, e, q)
	submitConsent(t, e, consentForm{csrf: f.csrf, cookie: other.cookie}, q, u, "allow").want(t, http.StatusForbidden)
	wider := authorizeQuery(a, "code", "repo:admin", "s")
	submitConsent(t, e, f, wider, u, "allow").want(t, http.StatusForbidden)
	submitConsent(t, e, consentForm{csrf: "forged", cookie: f.cookie}, q, u, "allow").want(t, http.StatusForbidden)

	// A wrong password shows the form again.
	bad := *u
	bad.pass = "wrong-password"
	r = submitConsent(t, e, f, q, &bad, "allow").want(t, http.StatusUnauthorized)
	if r.Header.Get("Location") != "" || !csrfRE.Match(r.Body) {
		t.Errorf("wrong password:\n%s", r)
	}
	// Denying sends access_denied back.
	r = submitConsent(t, e, f, q, u, "deny").want(t, http.StatusFound)
	loc, _ := url.Parse(r.location(t))
	if loc.Query().Get("error") != "access_denied" || loc.Query().Get("code") != "" || loc.Query().Get("state") != "s" {
		t.Errorf("deny redirect %s", loc)
	}
	// super:user needs a superuser.
	sq := authorizeQuery(a, "code", "super:user", "s")
	r = submitConsent(t, e, openConsent(t, e, sq), sq, u, "allow").want(t, http.StatusFound)
	if loc, _ := url.Parse(r.location(t)); loc.Query().Get("error") != "invalid_scope" {
		t.Errorf("super:user for a user: %s", loc)
	}
	// The form still works for its request.
	submitConsent(t, e, f, q, u, "allow").want(t, http.StatusFound)
}

func testOAuthScopes(t *testing.T, e *env, a oauthApp, org string) {
	u := e.newUser(t, false)
	repo := u.name + "/img"
	pushedImage(t, u.bearer(t, scope(repo, "pull,push")), repo, "v1")
	oauth := func(tok string) string { return basicAuth("$oauthtoken", tok) }

	read := oauthToken(t, e, a, u, "repo:read")
	if got := registryActions(t, e, oauth(read), repo, "pull,push"); !slices.Equal(got, []string{"pull"}) {
		t.Errorf("repo:read token: actions %v, want [pull]", got)
	}
	if got := registryActions(t, e, oauth(read), u.name+"/new", "pull,push"); len(got) != 0 {
		t.Errorf("repo:read token on a new repository: actions %v, want none", got)
	}
	write := oauthToken(t, e, a, u, "repo:write")
	if got := registryActions(t, e, oauth(write), repo, "pull,push"); !slices.Equal(got, []string{"pull", "push"}) {
		t.Errorf("repo:write token: actions %v, want [pull push]", got)
	}
	if got := registryActions(t, e, oauth(write), u.name+"/new", "push"); len(got) != 0 {
		t.Errorf("repo:write token without repo:create on a new repository: actions %v, want none", got)
	}
	create := oauthToken(t, e, a, u, "repo:write repo:create")
	if got := registryActions(t, e, oauth(create), u.name+"/new", "push"); !slices.Equal(got, []string{"push"}) {
		t.Errorf("repo:create token on a new repository: actions %v, want [push]", got)
	}
	orgAdmin := oauthToken(t, e, a, u, "org:admin")
	if got := registryActions(t, e, oauth(orgAdmin), repo, "pull,push"); len(got) != 0 {
		t.Errorf("org:admin token: actions %v, want none", got)
	}
	// "$app" takes application-specific tokens only.
	registryLogin(t, e, basicAuth("$app", read)).want(t, http.StatusUnauthorized)
	registryLogin(t, e, oauth(read)).want(t, http.StatusOK)

	// On the API, the scopes cap the user's own rights.
	userRead := e.withAuth("Bearer " + oauthToken(t, e, a, u, "user:read"))
	userRead.do(t, http.MethodGet, "/api/v1/user/apptoken", nil).wantProblem(t, http.StatusForbidden, "insufficient_scope", "")
	if me := userRead.do(t, http.MethodGet, "/api/v1/user/", nil).want(t, http.StatusOK).jsonObject(t); me["username"] != u.name {
		t.Errorf("GET /user/ with user:read: %v", me)
	}
	e.withAuth("Bearer "+read).do(t, http.MethodGet, "/api/v1/user/", nil).wantProblem(t, http.StatusForbidden, "insufficient_scope", "")
	userAdmin := e.withAuth("Bearer " + oauthToken(t, e, a, u, "user:admin"))
	userAdmin.do(t, http.MethodGet, "/api/v1/user/apptoken", nil).want(t, http.StatusOK)
	// Starring is account administration in Quay: user:admin, also to list.
	userRead.do(t, http.MethodGet, "/api/v1/user/starred", nil).wantProblem(t, http.StatusForbidden, "insufficient_scope", "")
	userAdmin.do(t, http.MethodGet, "/api/v1/user/starred", nil).want(t, http.StatusOK)
	// An application-specific token carries every registry right of its
	// user, so a token hands one out only when its own scopes cover them.
	newApp := func() any { return mustJSON(t, map[string]any{"title": "from oauth"}) }
	userAdmin.do(t, http.MethodPost, "/api/v1/user/apptoken", newApp()).wantProblem(t, http.StatusForbidden, "insufficient_scope", "")
	e.withAuth("Bearer "+oauthToken(t, e, a, u, "user:admin repo:write repo:create")).
		do(t, http.MethodPost, "/api/v1/user/apptoken", newApp()).wantProblem(t, http.StatusForbidden, "insufficient_scope", "")
	e.withAuth("Bearer "+oauthToken(t, e, a, u, "user:admin repo:admin repo:create")).
		do(t, http.MethodPost, "/api/v1/user/apptoken", newApp()).want(t, http.StatusOK)
	// u is no admin of the application's organisation: org:admin does
	// not make him one.
	e.withAuth("Bearer "+orgAdmin).do(t, http.MethodGet, "/api/v1/organization/"+org+"/applications", nil).
		wantProblem(t, http.StatusForbidden, "insufficient_scope", "")
}
