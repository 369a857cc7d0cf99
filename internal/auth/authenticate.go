package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// oauthBasicPassword is the password git-style clients send with a token
// as the user name.
const oauthBasicPassword = "x-oauth-basic"

// touchEvery is how often a token's LastUsed is written at most.
const touchEvery = time.Minute

func unauthenticated() error { return errs.E(errs.Unauthenticated, "invalid credentials") }

// Authenticate returns the principal that c identifies:
//
//   - None: the anonymous principal;
//   - Basic: the user by name and password. An API token is accepted as
//     the password with any user name, or as the user name with an empty
//     password or the password "x-oauth-basic";
//   - Bearer and Token: a JWT issued by the Service's Signer (checked
//     without store access; its principal is Restricted to the JWT's
//     access) or an API token.
//
// An API token with scopes gives a Restricted principal. Successful
// password checks are cached for up to a minute, keyed by user name and
// password, so a changed password may still be accepted for that long.
// Errors: errs.Unauthenticated for wrong, expired or malformed credentials
// and for disabled users; other errors are store failures.
func (s *Service) Authenticate(ctx context.Context, c Credentials) (Principal, error) {
	switch c.Kind {
	case None:
		return Principal{}, nil
	case Basic:
		return s.authBasic(ctx, c.User, c.Password)
	case Bearer, Token:
		if looksLikeToken(c.Token) {
			return s.authToken(ctx, c.Token)
		}
		if s.signer != nil && c.Signed() {
			p, err := s.signer.Verify(c.Token, "")
			p.Method = ByJWT
			return p, err
		}
		return Principal{}, unauthenticated()
	}
	return Principal{}, unauthenticated()
}

// Signed reports whether c carries a token in the form the Service's
// Signer issues (a JWT) rather than an API token. Such tokens are
// short-lived grants: the token endpoint must not accept one to issue
// another, or a grant could be renewed forever.
func (c Credentials) Signed() bool {
	return (c.Kind == Bearer || c.Kind == Token) && !looksLikeToken(c.Token) && strings.Count(c.Token, ".") == 2
}

// The user names that say what kind of token the password is, as Quay's
// clients send them.
const (
	oauthTokenUser = "$oauthtoken"
	appTokenUser   = "$app"
)

func (s *Service) authBasic(ctx context.Context, user, pw string) (Principal, error) {
	if (pw == "" || pw == oauthBasicPassword) && looksLikeToken(user) {
		return s.authToken(ctx, user)
	}
	switch {
	case user == oauthTokenUser:
		return s.authTokenOf(ctx, pw, ByOAuth)
	case user == appTokenUser:
		return s.authTokenOf(ctx, pw, ByAppToken)
	case strings.Contains(user, RobotSeparator):
		return s.authRobot(ctx, user, pw)
	}
	if looksLikeToken(pw) {
		p, err := s.authToken(ctx, pw)
		// A password may have the shape of a token; with a user name it is
		// still checked as a password.
		if !errs.Is(err, errs.Unauthenticated) || user == "" {
			return p, err
		}
	}
	if user == "" || pw == "" {
		return Principal{}, unauthenticated()
	}
	return s.authPassword(ctx, user, pw)
}

func (s *Service) authPassword(ctx context.Context, name, pw string) (Principal, error) {
	key := s.cache.key(name, pw)
	if p, ok := s.cache.get(key, s.now()); ok {
		return p, nil
	}
	u, err := s.store.GetUser(ctx, name)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return Principal{}, fmt.Errorf("authenticate %s: %w", name, err)
	}
	hash := u.PasswordHash
	if hash == "" {
		// Spend the time a real check takes, so response times do not
		// tell which user names exist or have a password.
		hash = s.dummy
	}
	ok, err := s.checkPassword(ctx, hash, pw)
	if err != nil {
		return Principal{}, fmt.Errorf("authenticate %s: %w", name, err)
	}
	if !ok || u.ID == 0 || u.PasswordHash == "" || u.Disabled {
		return Principal{}, unauthenticated()
	}
	p := principalOf(u)
	p.Method = ByPassword
	s.cache.put(key, p, s.now())
	return p, nil
}

// checkPassword is CheckPassword run in one of the Service's hashing
// slots. Each check takes tens of MiB for a few tens of milliseconds, so
// a flood of logins queues here instead of exhausting memory. Errors: the
// context's error when it ends while waiting for a slot.
func (s *Service) checkPassword(ctx context.Context, hash, pw string) (bool, error) {
	select {
	case s.hashSlots <- struct{}{}:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-s.hashSlots }()
	return CheckPassword(hash, pw)
}

// authTokenOf is authToken for a token that must be of one kind.
func (s *Service) authTokenOf(ctx context.Context, secret string, m Method) (Principal, error) {
	p, err := s.authToken(ctx, secret)
	if err == nil && p.Method != m {
		return Principal{}, unauthenticated()
	}
	return p, err
}

func (s *Service) authToken(ctx context.Context, secret string) (Principal, error) {
	t, err := s.store.GetTokenByHash(ctx, HashToken(secret))
	if errs.Is(err, errs.NotFound) {
		return Principal{}, unauthenticated()
	}
	if err != nil {
		return Principal{}, fmt.Errorf("authenticate token: %w", err)
	}
	now := s.now()
	if !t.Expires.IsZero() && !now.Before(t.Expires) {
		return Principal{}, errs.E(errs.Unauthenticated, "token expired")
	}
	u, err := s.store.GetUserByID(ctx, t.UserID)
	if errs.Is(err, errs.NotFound) {
		return Principal{}, unauthenticated()
	}
	if err != nil {
		return Principal{}, fmt.Errorf("authenticate token: %w", err)
	}
	if u.Disabled {
		return Principal{}, unauthenticated()
	}
	p := principalOf(u)
	p.Method = ByToken
	switch t.Kind {
	case meta.TokenApp:
		p.Method = ByAppToken
	case meta.TokenOAuth:
		p.Method = ByOAuth
		c := capsOf(t.Scopes)
		p.Caps = &c
		s.touch(ctx, t, now)
		return p, nil
	}
	if len(t.Scopes) > 0 {
		p.Restricted = true
		for _, sc := range t.Scopes {
			// Scopes were checked when the token was made; one that no
			// longer parses grants nothing.
			if g, err := ParseScope(sc); err == nil {
				p.Grants = append(p.Grants, g)
			}
		}
	}
	s.touch(ctx, t, now)
	return p, nil
}

// touch records that t was used, at most once per touchEvery per token and
// at best effort: a failure does not fail the request.
func (s *Service) touch(ctx context.Context, t meta.Token, now time.Time) {
	if now.Sub(t.LastUsed) < touchEvery {
		return
	}
	s.touchMu.Lock()
	last, ok := s.touched[t.ID]
	if ok && now.Sub(last) < touchEvery {
		s.touchMu.Unlock()
		return
	}
	if len(s.touched) >= cacheSize {
		for id, at := range s.touched {
			if now.Sub(at) >= touchEvery {
				delete(s.touched, id)
			}
		}
	}
	if len(s.touched) < cacheSize {
		s.touched[t.ID] = now
	}
	s.touchMu.Unlock()
	_ = s.store.TouchToken(ctx, t.ID, now)
}

func principalOf(u meta.User) Principal {
	return Principal{UserID: u.ID, Name: u.Name, Superuser: u.Superuser && !u.Robot, Robot: u.Robot}
}
