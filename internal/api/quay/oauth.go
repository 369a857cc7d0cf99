package quay

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"wharf/internal/audit"
	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/httpx"
	"wharf/internal/meta"
)

// OAuthPrefix is where the OAuth 2 endpoints are mounted.
const OAuthPrefix = "/oauth/"

// maxOAuthForm bounds the form bodies of the OAuth endpoints.
const maxOAuthForm = 64 << 10

// nonceCookie holds the random value that ties a consent form to the
// browser it was shown to.
const nonceCookie = "wharf_oauth_nonce"

// OAuthHandler serves the OAuth 2 authorization server of the
// organisations' applications: the login-and-consent page at
// /oauth/authorize (authorization code and implicit grants) and the token
// endpoint /oauth/access_token.
type OAuthHandler struct {
	opt Options
}

// NewOAuthHandler returns the handler of /oauth/.
func NewOAuthHandler(opt Options) *OAuthHandler {
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	return &OAuthHandler{opt: opt}
}

// ServeHTTP routes the OAuth endpoints.
func (h *OAuthHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var allow string
	switch r.URL.Path {
	case OAuthPrefix + "authorize":
		httpx.SetRoute(r, "oauth authorize")
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			h.showConsent(w, r)
			return
		case http.MethodPost:
			h.submitConsent(w, r)
			return
		}
		allow = "GET, POST"
	case OAuthPrefix + "access_token":
		httpx.SetRoute(r, "oauth access_token")
		if r.Method == http.MethodPost {
			h.accessToken(w, r)
			return
		}
		allow = "POST"
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Allow", allow)
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
}

// authzRequest is a checked authorization request.
type authzRequest struct {
	responseType string // "code" or "token"
	clientID     string
	redirectURI  string // the effective redirect URI: the registered one
	scope        string // as sent, for the form
	state        string
	scopes       []string // canonical scope names
	app          meta.App
	org          meta.Namespace
}

// fields is the request in the fixed encoding consent tokens bind.
func (a authzRequest) fields() string {
	return strings.Join([]string{a.responseType, a.clientID, a.redirectURI, strings.Join(a.scopes, " "), a.state}, "\x00")
}

// oauthError is an error of the authorization request that is sent back
// to the client at its redirect URI.
type oauthError struct {
	code, description string
}

// pageError is an error of the authorization request that is shown to
// the user, because the redirect URI cannot be trusted.
type pageError struct {
	status int
	msg    string
}

// parseAuthz checks the parameters of an authorization request. The
// client and its redirect URI are checked first: until both are known,
// errors are shown on the page; after that, they go back to the client.
// Unlike Quay, which accepts any redirect URI that starts with the
// registered one, the redirect URI must equal it, and an application
// without one cannot be authorized, so that a token is never sent where
// the organisation did not say.
func (h *OAuthHandler) parseAuthz(ctx context.Context, v url.Values) (authzRequest, *pageError, *oauthError, error) {
	a := authzRequest{responseType: v.Get("response_type"), clientID: v.Get("client_id"),
		scope: v.Get("scope"), state: v.Get("state")}
	if a.clientID == "" {
		return a, &pageError{http.StatusBadRequest, "The request names no application (client_id)."}, nil, nil
	}
	app, err := h.opt.Accounts.App(ctx, a.clientID)
	if errs.Is(err, errs.NotFound) {
		return a, &pageError{http.StatusBadRequest, "There is no application with this client_id."}, nil, nil
	}
	if err != nil {
		return a, nil, nil, err
	}
	a.app = app
	switch uri := v.Get("redirect_uri"); {
	case app.RedirectURI == "":
		return a, &pageError{http.StatusBadRequest, "The application has no registered redirect URI, so it cannot be authorized."}, nil, nil
	case uri != "" && uri != app.RedirectURI:
		return a, &pageError{http.StatusBadRequest, "The redirect_uri does not match the application's registered redirect URI."}, nil, nil
	}
	a.redirectURI = app.RedirectURI
	if a.org, err = h.opt.Accounts.AppOrg(ctx, app); err != nil {
		return a, nil, nil, err
	}
	if a.responseType != "code" && a.responseType != "token" {
		return a, nil, &oauthError{"unsupported_response_type", "response_type must be code or token"}, nil
	}
	if a.scopes, _, err = auth.ParseOAuthScopes(a.scope); err != nil {
		return a, nil, &oauthError{"invalid_scope", errs.Message(err)}, nil
	}
	return a, nil, nil, nil
}

// redirect sends the browser back to the client with params: in the
// query for the code flow, in the fragment for the implicit flow.
func redirect(w http.ResponseWriter, a authzRequest, params url.Values) {
	if a.state != "" {
		params.Set("state", a.state)
	}
	u, err := url.Parse(a.redirectURI)
	if err != nil {
		http.Error(w, "bad redirect URI", http.StatusBadRequest)
		return
	}
	if a.responseType == "token" {
		u.Fragment, u.RawFragment = "", ""
		target := u.String() + "#" + params.Encode()
		w.Header().Set("Location", target)
	} else {
		q := u.Query()
		for k, vs := range params {
			q[k] = vs
		}
		u.RawQuery = q.Encode()
		w.Header().Set("Location", u.String())
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusFound)
}

func redirectError(w http.ResponseWriter, a authzRequest, e *oauthError) {
	redirect(w, a, url.Values{"error": {e.code}, "error_description": {e.description}})
}

// browserNonce returns the consent nonce of the browser, setting a new
// cookie when it has none.
func browserNonce(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(nonceCookie); err == nil && len(c.Value) == 64 {
		return c.Value
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	v := hex.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: nonceCookie, Value: v, Path: OAuthPrefix, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: int(auth.ConsentTTL.Seconds()) * 6})
	return v
}

// assigned records that the application got a token for a user.
func (h *OAuthHandler) assigned(r *http.Request, app meta.App, userID int64, userName string, t meta.Token) {
	e := audit.Entry{Kind: "oauth_token_assigned", NamespaceID: app.NamespaceID, PerformerID: userID, IP: httpx.ClientIP(r),
		Metadata: map[string]any{"application_name": app.Name, "client_id": app.ClientID,
			"token_uuid": t.UUID, "scope": strings.Join(t.Scopes, " ")}}
	if userName != "" {
		e.Metadata["username"] = userName
	}
	recordEntry(r, h.opt, e)
}
