package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"wharf/internal/testserver"
)

// This file holds helpers of the tests of OAuth applications, the OAuth
// 2 endpoints and application-specific tokens.

// oauthApp is an application as the API shows it to admins.
type oauthApp struct {
	Name           string  `json:"name"`
	Description    string  `json:"description"`
	ApplicationURI string  `json:"application_uri"`
	ClientID       string  `json:"client_id"`
	ClientSecret   *string `json:"client_secret"`
	RedirectURI    string  `json:"redirect_uri"`
	AvatarEmail    string  `json:"avatar_email"`
}

// makeApp registers an application of org redirecting to redirect.
func makeApp(t *testing.T, c *client, org, redirect string) oauthApp {
	t.Helper()
	var a oauthApp
	c.do(t, http.MethodPost, "/api/v1/organization/"+org+"/applications", mustJSON(t, map[string]any{
		"name": "app " + testserver.RandomName(""), "redirect_uri": redirect, "application_uri": "https://client.example/",
	})).want(t, http.StatusOK).decode(t, &a)
	if a.ClientID == "" || a.ClientSecret == nil || *a.ClientSecret == "" {
		t.Fatalf("application without client ID or secret: %+v", a)
	}
	return a
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// consentForm is a consent page as a browser holds it: the form's token
// and the cookie that came with it.
type consentForm struct {
	csrf, cookie string
}

// openConsent loads the consent page for query and returns its form.
func openConsent(t *testing.T, e *env, q url.Values) consentForm {
	t.Helper()
	r := e.anon().do(t, http.MethodGet, "/oauth/authorize?"+q.Encode(), nil).want(t, http.StatusOK)
	m := csrfRE.FindSubmatch(r.Body)
	if m == nil {
		t.Fatalf("consent page without a form token:\n%s", r)
	}
	var cookie string
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == "wharf_oauth_nonce" {
			cookie = c.Name + "=" + c.Value
		}
	}
	if cookie == "" {
		t.Fatalf("consent page set no nonce cookie:\n%s", r)
	}
	return consentForm{csrf: string(m[1]), cookie: cookie}
}

// submitConsent posts the consent form with q's request fields, the
// user's credentials and action.
func submitConsent(t *testing.T, e *env, f consentForm, q url.Values, u *user, action string) *response {
	t.Helper()
	form := url.Values{"csrf_token": {f.csrf}, "username": {u.name}, "password": {u.pass}, "action": {action}}
	for k, v := range q {
		form[k] = v
	}
	hdr := []string{"Content-Type", "application/x-www-form-urlencoded"}
	if f.cookie != "" {
		hdr = append(hdr, "Cookie", f.cookie)
	}
	return e.anon().do(t, http.MethodPost, "/oauth/authorize", form.Encode(), hdr...)
}

// authorizeQuery is an authorization request of app.
func authorizeQuery(a oauthApp, responseType, scope, state string) url.Values {
	return url.Values{"response_type": {responseType}, "client_id": {a.ClientID},
		"redirect_uri": {a.RedirectURI}, "scope": {scope}, "state": {state}}
}

// oauthToken runs the implicit flow for u and returns the access token.
func oauthToken(t *testing.T, e *env, a oauthApp, u *user, scope string) string {
	t.Helper()
	q := authorizeQuery(a, "token", scope, "s")
	r := submitConsent(t, e, openConsent(t, e, q), q, u, "allow").want(t, http.StatusFound)
	loc, err := url.Parse(r.location(t))
	if err != nil {
		t.Fatal(err)
	}
	frag, err := url.ParseQuery(loc.Fragment)
	if err != nil || frag.Get("access_token") == "" {
		t.Fatalf("implicit grant without a token: %s", r.location(t))
	}
	return frag.Get("access_token")
}

// tokenReply is the JSON answer of /oauth/access_token.
type tokenReply struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
	Error       string `json:"error"`
}

func decodeTokenReply(t *testing.T, r *response) tokenReply {
	t.Helper()
	var tr tokenReply
	if err := json.Unmarshal(r.Body, &tr); err != nil {
		t.Fatalf("token endpoint answer is not JSON: %v\n%s", err, r)
	}
	return tr
}

// registryActions returns the actions a registry token obtained with
// authz grants on repo.
func registryActions(t *testing.T, e *env, authz, repo, actions string) []string {
	t.Helper()
	for _, a := range tokenAccess(t, e.fetchToken(t, authz, scope(repo, actions))) {
		if a.Type == "repository" && a.Name == repo {
			return a.Actions
		}
	}
	return nil
}

// registryLogin asks the registry's token endpoint for a token without a
// scope, as "docker login" does.
func registryLogin(t *testing.T, e *env, authz string) *response {
	t.Helper()
	r := e.anon().do(t, http.MethodGet, "/v2/", nil).want(t, http.StatusUnauthorized)
	ch := parseChallenge(t, r.Header.Get("WWW-Authenticate"))
	return e.withAuth(authz).do(t, http.MethodGet, ch.params["realm"]+"?service="+url.QueryEscape(ch.params["service"]), nil)
}
