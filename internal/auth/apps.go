package auth

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/url"
	"strings"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// OAuthTokenTTL is how long an OAuth access token lives: as in Quay, ten
// years, because tools store them as long-lived credentials.
const OAuthTokenTTL = 10 * 365 * 24 * time.Hour

// grantCodeTTL is how long an authorization code may be exchanged.
const grantCodeTTL = 10 * time.Minute

// AppRequest holds the editable fields of an OAuth application.
type AppRequest struct {
	Name           string
	Description    string
	ApplicationURI string
	RedirectURI    string
	AvatarEmail    string
}

func (r AppRequest) validate() error {
	if strings.TrimSpace(r.Name) == "" || len(r.Name) > 255 {
		return errs.E(errs.Invalid, "application name must be 1 to 255 characters")
	}
	for _, u := range []string{r.ApplicationURI, r.RedirectURI} {
		if u == "" {
			continue
		}
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return errs.E(errs.Invalid, "%q is not an http or https URL", u)
		}
	}
	if r.AvatarEmail != "" {
		return validEmail(r.AvatarEmail)
	}
	return nil
}

// CreateApp registers an OAuth application of an organisation with a
// fresh client ID and secret. Errors: errs.Invalid for bad fields;
// errs.Unavailable without a sealer.
func (s *Service) CreateApp(ctx context.Context, org meta.Namespace, req AppRequest) (meta.App, error) {
	if err := req.validate(); err != nil {
		return meta.App{}, err
	}
	sealed, err := s.newAppSecret()
	if err != nil {
		return meta.App{}, err
	}
	id, err := newRobotSecret()
	if err != nil {
		return meta.App{}, err
	}
	a := meta.App{NamespaceID: org.ID, ClientID: id[:20], SealedSecret: sealed}
	setAppFields(&a, req)
	if err := s.store.CreateApp(ctx, &a); err != nil {
		return meta.App{}, fmt.Errorf("create application in %s: %w", org.Name, err)
	}
	return a, nil
}

func setAppFields(a *meta.App, req AppRequest) {
	a.Name, a.Description, a.ApplicationURI, a.RedirectURI, a.AvatarEmail =
		req.Name, req.Description, req.ApplicationURI, req.RedirectURI, req.AvatarEmail
}

func (s *Service) newAppSecret() ([]byte, error) {
	if s.sealer == nil {
		return nil, errs.E(errs.Unavailable, "applications need a server secret key, and none is configured")
	}
	secret, err := newRobotSecret()
	if err != nil {
		return nil, err
	}
	return s.sealer.Seal([]byte(secret[:40]))
}

// AppSecret returns an application's client secret.
func (s *Service) AppSecret(a meta.App) (string, error) {
	if s.sealer == nil {
		return "", errs.E(errs.Unavailable, "no server secret key is configured")
	}
	b, err := s.sealer.Open(a.SealedSecret)
	if err != nil {
		return "", fmt.Errorf("application %s: %w", a.ClientID, err)
	}
	return string(b), nil
}

// App returns the application with a client ID. Errors: errs.NotFound.
func (s *Service) App(ctx context.Context, clientID string) (meta.App, error) {
	a, err := s.store.GetApp(ctx, clientID)
	if err != nil {
		return meta.App{}, fmt.Errorf("application %s: %w", clientID, err)
	}
	return a, nil
}

// UpdateApp stores new fields of an application. Errors: errs.Invalid.
func (s *Service) UpdateApp(ctx context.Context, a meta.App, req AppRequest) (meta.App, error) {
	if err := req.validate(); err != nil {
		return meta.App{}, err
	}
	setAppFields(&a, req)
	if err := s.store.UpdateApp(ctx, a); err != nil {
		return meta.App{}, fmt.Errorf("update application %s: %w", a.ClientID, err)
	}
	return a, nil
}

// ResetAppSecret gives an application a new client secret.
func (s *Service) ResetAppSecret(ctx context.Context, a meta.App) (meta.App, error) {
	sealed, err := s.newAppSecret()
	if err != nil {
		return meta.App{}, err
	}
	a.SealedSecret = sealed
	if err := s.store.UpdateApp(ctx, a); err != nil {
		return meta.App{}, fmt.Errorf("reset secret of application %s: %w", a.ClientID, err)
	}
	return a, nil
}

// IssueOAuthToken creates an OAuth access token of app acting as user
// with scopes (canonical names, see ParseOAuthScopes), living ttl (0:
// OAuthTokenTTL). It returns the secret, shown once.
func (s *Service) IssueOAuthToken(ctx context.Context, app meta.App, userID int64, name string, scopes []string, ttl time.Duration) (string, meta.Token, error) {
	if ttl <= 0 {
		ttl = OAuthTokenTTL
	}
	secret, err := NewTokenSecret()
	if err != nil {
		return "", meta.Token{}, err
	}
	if name == "" {
		name = app.Name
	}
	t := meta.Token{UserID: userID, Name: name, Hash: HashToken(secret), Scopes: scopes,
		Kind: meta.TokenOAuth, UUID: newUUID(), AppID: app.ID, Expires: s.now().Add(ttl)}
	if err := s.store.CreateToken(ctx, &t); err != nil {
		return "", meta.Token{}, fmt.Errorf("issue token of application %s: %w", app.ClientID, err)
	}
	return secret, t, nil
}

// CreateGrantCode records an authorization code for the code flow and
// returns it.
func (s *Service) CreateGrantCode(ctx context.Context, app meta.App, userID int64, scopes []string, redirectURI string) (string, error) {
	code, err := NewTokenSecret()
	if err != nil {
		return "", err
	}
	now := s.now()
	c := meta.GrantCode{Hash: HashToken(code), AppID: app.ID, UserID: userID, Scopes: scopes,
		RedirectURI: redirectURI, Created: now, Expires: now.Add(grantCodeTTL)}
	if err := s.store.CreateGrantCode(ctx, c); err != nil {
		return "", fmt.Errorf("authorization code: %w", err)
	}
	return code, nil
}

// ExchangeCode trades an authorization code for an access token: the
// client must prove itself with its secret and send the redirect URI the
// code was issued for. A code works once. Errors: errs.Unauthenticated
// for a wrong client or secret; errs.Invalid for an unknown, used or
// expired code or a redirect URI mismatch.
func (s *Service) ExchangeCode(ctx context.Context, clientID, clientSecret, code, redirectURI string) (string, meta.Token, error) {
	app, err := s.store.GetApp(ctx, clientID)
	if errs.Is(err, errs.NotFound) {
		return "", meta.Token{}, errs.E(errs.Unauthenticated, "invalid client")
	}
	if err != nil {
		return "", meta.Token{}, err
	}
	secret, err := s.AppSecret(app)
	if err != nil {
		return "", meta.Token{}, err
	}
	if subtle.ConstantTimeCompare([]byte(secret), []byte(clientSecret)) != 1 {
		return "", meta.Token{}, errs.E(errs.Unauthenticated, "invalid client")
	}
	c, err := s.store.TakeGrantCode(ctx, HashToken(code), s.now())
	if errs.Is(err, errs.NotFound) || (err == nil && c.AppID != app.ID) {
		return "", meta.Token{}, errs.E(errs.Invalid, "invalid or expired code")
	}
	if err != nil {
		return "", meta.Token{}, err
	}
	if c.RedirectURI != "" && c.RedirectURI != redirectURI {
		return "", meta.Token{}, errs.E(errs.Invalid, "redirect_uri does not match the authorization request")
	}
	return s.IssueOAuthToken(ctx, app, c.UserID, "", c.Scopes, 0)
}

// CreateAppToken creates an application-specific token of a user, for
// registry logins, titled title. Its secret is kept sealed so that the
// user can see it again. Errors: errs.Invalid for a bad title.
func (s *Service) CreateAppToken(ctx context.Context, userID int64, title string, ttl time.Duration) (string, meta.Token, error) {
	title = strings.TrimSpace(title)
	if !printable(title, 255) {
		return "", meta.Token{}, errs.E(errs.Invalid, "title must be 1 to 255 printable characters")
	}
	secret, sealed, err := s.keptSecret("application tokens")
	if err != nil {
		return "", meta.Token{}, err
	}
	t := meta.Token{UserID: userID, Name: title, Hash: HashToken(secret), Kind: meta.TokenApp, UUID: newUUID(), Sealed: sealed}
	if ttl > 0 {
		t.Expires = s.now().Add(ttl)
	}
	if err := s.store.CreateToken(ctx, &t); err != nil {
		return "", meta.Token{}, fmt.Errorf("create application token: %w", err)
	}
	return secret, t, nil
}

// TokenSecret opens the sealed secret of a token that keeps one.
func (s *Service) TokenSecret(t meta.Token) (string, error) {
	if s.sealer == nil || t.Sealed == nil {
		return "", errs.E(errs.NotFound, "the token's secret is not kept")
	}
	b, err := s.sealer.Open(t.Sealed)
	if err != nil {
		return "", fmt.Errorf("token %s: %w", t.UUID, err)
	}
	return string(b), nil
}
