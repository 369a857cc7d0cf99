package depot

import (
	"context"
	"fmt"
	"strings"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// AccessTokenName names a person's personal access token: an API token
// whose secret is kept so that it can be shown again, and of which a
// person has one, a new one revoking the old. It works wherever API
// tokens do.
const AccessTokenName = "personal access token"

// AccessToken is a personal access token with its secret.
type AccessToken struct {
	meta.Token
	Secret string
}

// account checks that p may act for its own account: errs.Unauthenticated
// for the anonymous caller, errs.Denied for a robot or a credential
// without that right (admin: act for it; else read it).
func account(p auth.Principal, admin bool) error {
	switch {
	case p.Anonymous():
		return errs.E(errs.Unauthenticated, "authentication required")
	case admin && !p.AdministersAccount(), !admin && !p.ReadsAccount():
		return errs.E(errs.Denied, "this credential may not act for its account")
	}
	return nil
}

// Profile returns the caller's account. Errors: errs.Unauthenticated;
// errs.Denied for a robot or a credential that may not read its account.
func (s *Service) Profile(ctx context.Context, p auth.Principal) (meta.User, error) {
	if err := account(p, false); err != nil {
		return meta.User{}, err
	}
	return s.acct.UserWithID(ctx, p.UserID)
}

// SetEmail changes the caller's e-mail address and returns the account.
// Errors: errs.Invalid for a bad address; errs.Unauthenticated;
// errs.Denied for a robot or a credential that may not act for its
// account.
func (s *Service) SetEmail(ctx context.Context, p auth.Principal, email string) (meta.User, error) {
	if err := account(p, true); err != nil {
		return meta.User{}, err
	}
	email = strings.TrimSpace(email)
	if email == "" {
		return meta.User{}, errs.E(errs.Invalid, "email is required")
	}
	return s.acct.UpdateAccount(ctx, p.Name, auth.AccountChanges{Email: &email})
}

// AccessTokens returns the caller's personal access token, if any, with
// its secret. Errors: errs.Unauthenticated; errs.Denied for a robot or a
// credential that may not act for its account.
func (s *Service) AccessTokens(ctx context.Context, p auth.Principal) ([]AccessToken, error) {
	if err := account(p, true); err != nil {
		return nil, err
	}
	ts, err := s.acct.KeptTokens(ctx, p.UserID, AccessTokenName)
	if err != nil {
		return nil, err
	}
	out := make([]AccessToken, 0, len(ts))
	for _, t := range ts {
		secret, err := s.acct.TokenSecret(t)
		if err != nil {
			return nil, fmt.Errorf("access token %d: %w", t.ID, err)
		}
		out = append(out, AccessToken{Token: t, Secret: secret})
	}
	return out, nil
}

// CreateAccessToken makes a new personal access token for the caller,
// revoking the one they had. Errors: errs.Unauthenticated; errs.Denied
// for a robot or a credential that may not act for its account;
// errs.Unavailable when the server keeps no sealed secrets.
func (s *Service) CreateAccessToken(ctx context.Context, p auth.Principal) (AccessToken, error) {
	if err := account(p, true); err != nil {
		return AccessToken{}, err
	}
	secret, t, err := s.acct.RenewKeptToken(ctx, p.UserID, AccessTokenName)
	if err != nil {
		return AccessToken{}, err
	}
	return AccessToken{Token: t, Secret: secret}, nil
}

// DeleteAccessToken revokes the caller's personal access token with id.
// Errors: errs.NotFound when the caller has no such token;
// errs.Unauthenticated; errs.Denied for a robot or a credential that may
// not act for its account.
func (s *Service) DeleteAccessToken(ctx context.Context, p auth.Principal, id int64) error {
	if err := account(p, true); err != nil {
		return err
	}
	return s.acct.RevokeKeptToken(ctx, p.UserID, AccessTokenName, id)
}
