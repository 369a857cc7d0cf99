package quay

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/httpx"
)

// scopeDescriptions tell the user what each OAuth scope lets an
// application do.
var scopeDescriptions = map[string]string{
	"repo:read":   "View all visible repositories",
	"repo:write":  "Read/Write to any accessible repositories",
	"repo:admin":  "Administer repositories",
	"repo:create": "Create repositories",
	"user:read":   "Read user information",
	"user:admin":  "Administer user",
	"org:admin":   "Administer organization",
	"super:user":  "Super user",
}

// consentPage is the login-and-consent page. It needs no script; the
// form posts back to /oauth/authorize.
var consentPage = template.Must(template.New("consent").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Authorize {{.App}}</title>
<style>body{font-family:sans-serif;max-width:32em;margin:2em auto}label{display:block;margin:.5em 0}.error{color:#b00}</style>
</head><body>
{{if .Fatal}}<h1>Authorization failed</h1><p class="error">{{.Fatal}}</p>{{else}}
<h1>Authorize {{.App}}</h1>
<p>The application <strong>{{.App}}</strong> of the organization <strong>{{.Org}}</strong> asks for these permissions:</p>
<ul>{{range .Scopes}}<li><code>{{.Name}}</code>: {{.Text}}</li>{{end}}</ul>
<p>When you authorize it, you will be sent to <code>{{.Redirect}}</code>.</p>
{{if .Error}}<p class="error">{{.Error}}</p>{{end}}
<form method="post" action="authorize">
<input type="hidden" name="response_type" value="{{.ResponseType}}">
<input type="hidden" name="client_id" value="{{.ClientID}}">
<input type="hidden" name="redirect_uri" value="{{.Redirect}}">
<input type="hidden" name="scope" value="{{.Scope}}">
<input type="hidden" name="state" value="{{.State}}">
<input type="hidden" name="csrf_token" value="{{.CSRF}}">
<label>User name <input name="username" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit" name="action" value="allow">Authorize application</button>
<button type="submit" name="action" value="deny" formnovalidate>Deny</button>
</form>{{end}}
</body></html>
`))

type scopeLine struct{ Name, Text string }

type consentData struct {
	Fatal, Error                               string
	App, Org, Redirect                         string
	ResponseType, ClientID, Scope, State, CSRF string
	Scopes                                     []scopeLine
}

// pageHeaders forbid framing the page (clickjacking) and caching it.
func pageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
}

func (h *OAuthHandler) render(w http.ResponseWriter, r *http.Request, status int, d consentData) {
	pageHeaders(w)
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	if err := consentPage.Execute(w, d); err != nil {
		h.opt.Log.ErrorContext(r.Context(), "oauth consent page", "err", err)
	}
}

// renderForm shows the consent form of a checked request, with a fresh
// consent token, and msg as an error when set.
func (h *OAuthHandler) renderForm(w http.ResponseWriter, r *http.Request, status int, a authzRequest, msg string) {
	token, err := h.opt.Accounts.SealConsent(browserNonce(w, r), a.fields())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := consentData{Error: msg, App: a.app.Name, Org: a.org.Name, Redirect: a.redirectURI,
		ResponseType: a.responseType, ClientID: a.clientID, Scope: a.scope, State: a.state, CSRF: token}
	for _, s := range a.scopes {
		d.Scopes = append(d.Scopes, scopeLine{s, scopeDescriptions[s]})
	}
	h.render(w, r, status, d)
}

// fail answers an unexpected error with a page that tells nothing.
func (h *OAuthHandler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.opt.Log.ErrorContext(r.Context(), "oauth", "err", err, "path", r.URL.Path)
	h.render(w, r, http.StatusInternalServerError, consentData{Fatal: "Internal Server Error"})
}

// showConsent answers GET /oauth/authorize.
func (h *OAuthHandler) showConsent(w http.ResponseWriter, r *http.Request) {
	a, pe, oe, err := h.parseAuthz(r.Context(), r.URL.Query())
	switch {
	case err != nil:
		h.fail(w, r, err)
	case pe != nil:
		h.render(w, r, pe.status, consentData{Fatal: pe.msg})
	case oe != nil:
		redirectError(w, a, oe)
	default:
		h.renderForm(w, r, http.StatusOK, a, "")
	}
}

// submitConsent answers POST /oauth/authorize: the user's decision, with
// their name and password. The form must carry the consent token issued
// with it to this browser for this very request.
func (h *OAuthHandler) submitConsent(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxOAuthForm)
	if err := r.ParseForm(); err != nil {
		h.render(w, r, http.StatusBadRequest, consentData{Fatal: "The form could not be read."})
		return
	}
	a, pe, oe, err := h.parseAuthz(r.Context(), r.PostForm)
	switch {
	case err != nil:
		h.fail(w, r, err)
		return
	case pe != nil:
		h.render(w, r, pe.status, consentData{Fatal: pe.msg})
		return
	case oe != nil:
		redirectError(w, a, oe)
		return
	}
	nonce := ""
	if c, err := r.Cookie(nonceCookie); err == nil {
		nonce = c.Value
	}
	if err := h.opt.Accounts.CheckConsent(r.PostForm.Get("csrf_token"), nonce, a.fields()); err != nil {
		h.render(w, r, http.StatusForbidden, consentData{Fatal: errs.Message(err)})
		return
	}
	switch r.PostForm.Get("action") {
	case "deny":
		redirectError(w, a, &oauthError{"access_denied", "the user denied the request"})
		return
	case "allow":
	default:
		h.renderForm(w, r, http.StatusBadRequest, a, "Choose whether to authorize the application.")
		return
	}
	p, err := h.opt.Accounts.Authenticate(r.Context(), auth.Credentials{Kind: auth.Basic,
		User: r.PostForm.Get("username"), Password: r.PostForm.Get("password")})
	if errs.Is(err, errs.Unauthenticated) || (err == nil && (p.Method != auth.ByPassword || p.Robot)) {
		h.renderForm(w, r, http.StatusUnauthorized, a, "Invalid user name or password.")
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.SetUser(r, p.Name)
	if slices.Contains(a.scopes, "super:user") && !p.Superuser {
		redirectError(w, a, &oauthError{"invalid_scope", "super:user needs a superuser"})
		return
	}
	h.grant(w, r, a, p)
}

// grant sends the client a code (code flow) or a token (implicit flow).
func (h *OAuthHandler) grant(w http.ResponseWriter, r *http.Request, a authzRequest, p auth.Principal) {
	if a.responseType == "code" {
		code, err := h.opt.Accounts.CreateGrantCode(r.Context(), a.app, p.UserID, a.scopes, a.redirectURI)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		redirect(w, a, url.Values{"code": {code}})
		return
	}
	secret, t, err := h.opt.Accounts.IssueOAuthToken(r.Context(), a.app, p.UserID, "", a.scopes, 0)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.assigned(r, a.app, p.UserID, p.Name, t)
	redirect(w, a, url.Values{
		"access_token": {secret},
		"token_type":   {"Bearer"},
		"expires_in":   {strconv.FormatInt(int64(time.Until(t.Expires).Seconds()), 10)},
		"scope":        {strings.Join(a.scopes, " ")},
	})
}
