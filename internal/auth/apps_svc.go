package auth

import (
	"context"
	"fmt"
	"slices"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// ListApps returns an organisation's OAuth applications, oldest first.
func (s *Service) ListApps(ctx context.Context, org meta.Namespace) ([]meta.App, error) {
	apps, err := s.store.ListApps(ctx, org.ID)
	if err != nil {
		return nil, fmt.Errorf("applications of %s: %w", org.Name, err)
	}
	return apps, nil
}

// OrgApp returns the application with a client ID when org owns it.
// Errors: errs.NotFound, also for another organisation's application.
func (s *Service) OrgApp(ctx context.Context, org meta.Namespace, clientID string) (meta.App, error) {
	a, err := s.App(ctx, clientID)
	if err == nil && a.NamespaceID != org.ID {
		err = errs.E(errs.NotFound, "application %s not found", clientID)
	}
	return a, err
}

// DeleteApp removes an application with the tokens it issued and its
// pending codes. Errors: errs.NotFound.
func (s *Service) DeleteApp(ctx context.Context, a meta.App) error {
	if err := s.store.DeleteApp(ctx, a.ID); err != nil {
		return fmt.Errorf("delete application %s: %w", a.ClientID, err)
	}
	return nil
}

// IssuedToken is an OAuth access token with the name of the user it acts
// as.
type IssuedToken struct {
	meta.Token
	UserName string // "" when the user is gone
}

// AppTokens returns the OAuth access tokens an application issued, oldest
// first, with their users' names.
func (s *Service) AppTokens(ctx context.Context, a meta.App) ([]IssuedToken, error) {
	ts, err := s.store.ListAppTokens(ctx, a.ID)
	if err != nil {
		return nil, fmt.Errorf("tokens of application %s: %w", a.ClientID, err)
	}
	names := map[int64]string{}
	out := make([]IssuedToken, 0, len(ts))
	for _, t := range ts {
		name, ok := names[t.UserID]
		if !ok {
			u, err := s.store.GetUserByID(ctx, t.UserID)
			if err != nil && !errs.Is(err, errs.NotFound) {
				return nil, fmt.Errorf("tokens of application %s: %w", a.ClientID, err)
			}
			name, names[t.UserID] = u.Name, u.Name
		}
		out = append(out, IssuedToken{Token: t, UserName: name})
	}
	return out, nil
}

// RevokeOAuthToken removes the OAuth access token with uuid that a
// issued and returns it. Errors: errs.NotFound, also when another
// application issued it.
func (s *Service) RevokeOAuthToken(ctx context.Context, a meta.App, uuid string) (meta.Token, error) {
	t, err := s.store.GetTokenByUUID(ctx, uuid)
	if err == nil && (t.Kind != meta.TokenOAuth || t.AppID != a.ID) {
		err = errs.E(errs.NotFound, "token not found")
	}
	if err == nil {
		err = s.store.DeleteToken(ctx, t.ID)
	}
	if err != nil {
		return meta.Token{}, fmt.Errorf("revoke token %s of application %s: %w", uuid, a.ClientID, err)
	}
	return t, nil
}

// HoldsScopes reports whether p may hand out OAuth scopes (canonical
// names) to an application: a caller signed in with an OAuth token holds
// only what its scopes allow, one with a scoped API token holds none, and
// super:user needs a superuser. superuser is the user's current flag.
func HoldsScopes(p Principal, superuser bool, scopes []string) bool {
	if p.Anonymous() || p.Restricted || p.Robot {
		return false
	}
	if slices.Contains(scopes, "super:user") && !superuser {
		return false
	}
	if p.Caps == nil {
		return true
	}
	return p.Caps.Covers(capsOf(scopes))
}

// Covers reports whether c allows everything w allows.
func (c Caps) Covers(w Caps) bool {
	return roleRank(c.Repo) >= roleRank(w.Repo) &&
		(c.Create || !w.Create) && (c.UserRead || !w.UserRead) && (c.UserAdmin || !w.UserAdmin) &&
		(c.OrgAdmin || !w.OrgAdmin) && (c.Super || !w.Super)
}

// AppOrg returns the organisation that registered an application.
func (s *Service) AppOrg(ctx context.Context, a meta.App) (meta.Namespace, error) {
	ns, err := s.store.GetNamespaceByID(ctx, a.NamespaceID)
	if err != nil {
		return meta.Namespace{}, fmt.Errorf("organization of application %s: %w", a.ClientID, err)
	}
	return ns, nil
}
