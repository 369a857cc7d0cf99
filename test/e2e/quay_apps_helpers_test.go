package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"wharf/internal/testserver"
)

// This file holds helpers of the tests of OAuth applications, the OAuth
// 2 endpoints, application-specific tokens and search.

// apiAs returns a client calling the Quay API with u's name and password.
func apiAs(u *user) *client { return u.basic() }

// quayErr is the problem document of a Quay API error.
type quayErr struct {
	Status       int    `json:"status"`
	Detail       string `json:"detail"`
	ErrorMessage string `json:"error_message"`
	Title        string `json:"title"`
	ErrorType    string `json:"error_type"`
	Type         string `json:"type"`
	Message      string `json:"message"`
}

// wantQuayError checks an error answer: its status and, for a problem
// document (errType not ""), its type; for a {"message"} answer (errType
// ""), that the message is not empty.
func (r *response) wantQuayError(t testing.TB, status int, errType string) quayErr {
	t.Helper()
	r.want(t, status)
	var p quayErr
	r.decode(t, &p)
	switch {
	case errType == "" && p.Message == "":
		t.Errorf("%s %s: want a message, got %s", r.method, r.target, r.Body)
	case errType != "" && (p.Status != status || p.Title != errType || p.ErrorType != errType ||
		p.Detail == "" || p.Detail != p.ErrorMessage || !strings.HasSuffix(p.Type, "/api/v1/error/"+errType)):
		t.Errorf("%s %s: problem document %+v, want status %d and type %s", r.method, r.target, p, status, errType)
	}
	return p
}

// wantDeniedAPI checks Quay's refusal: 401 invalid_token for the
// anonymous caller, 403 insufficient_scope for the others.
func (r *response) wantDeniedAPI(t testing.TB, anonymous bool) {
	t.Helper()
	if anonymous {
		r.wantQuayError(t, http.StatusUnauthorized, "invalid_token")
		return
	}
	r.wantQuayError(t, http.StatusForbidden, "insufficient_scope")
}

// makeOrg creates an organisation owned by u through the API and returns
// its name.
func makeOrg(t *testing.T, u *user) string {
	t.Helper()
	name := testserver.RandomName("org")
	apiAs(u).do(t, http.MethodPost, "/api/v1/organization/", mustJSON(t, map[string]any{
		"name": name, "email": name + "@example.com",
	})).want(t, http.StatusCreated)
	return name
}

// putTeamMember makes a team of org with role (creating it) and puts
// member in it, as the org's owner u.
func putTeamMember(t *testing.T, u *user, org, team, role string, member *user) {
	t.Helper()
	apiAs(u).putTeam(t, org, team, role)
	apiAs(u).join(t, org, team, member)
}

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

// makeOrgRobot creates the robot org+short as the org's owner u and
// returns its full name and a client signing in with its token.
func makeOrgRobot(t *testing.T, u *user, org, short string) (string, *client) {
	t.Helper()
	var rb struct {
		Name  string `json:"name"`
		Token string `json:"token"`
	}
	apiAs(u).do(t, http.MethodPut, "/api/v1/organization/"+org+"/robots/"+short, mustJSON(t, map[string]any{})).
		want(t, http.StatusCreated).decode(t, &rb)
	if rb.Name != org+"+"+short || rb.Token == "" {
		t.Fatalf("robot %+v", rb)
	}
	return rb.Name, u.e.withAuth(basicAuth(rb.Name, rb.Token))
}
