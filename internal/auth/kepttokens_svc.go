package auth

import (
	"context"
	"fmt"
	"slices"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// A kept token is an API token of a person whose secret is kept sealed,
// so that it can be shown again, and of which a person has at most one of
// a name: making a new one revokes the old. It is an ordinary API token
// with every right of its user, accepted wherever API tokens are.

// kept reports whether t is a kept token named name.
func kept(t meta.Token, name string) bool {
	return (t.Kind == meta.TokenAPI || t.Kind == "") && t.Name == name && t.Sealed != nil
}

// KeptTokens returns the user's kept tokens named name, oldest first.
func (s *Service) KeptTokens(ctx context.Context, userID int64, name string) ([]meta.Token, error) {
	ts, err := s.store.ListTokens(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("tokens of user %d: %w", userID, err)
	}
	return slices.DeleteFunc(ts, func(t meta.Token) bool { return !kept(t, name) }), nil
}

// RenewKeptToken creates a kept token named name for a person and deletes
// their other kept tokens of that name, in one transaction, and returns
// the new token's secret with its record. The transaction holds the
// user's lock, so renewals of one user run one after the other: each
// replaces the token of the one before, and the last leaves the only
// token. Errors: errs.NotFound for an unknown user or a robot;
// errs.Invalid for a bad name; errs.Unavailable when the Service has no
// Sealer.
func (s *Service) RenewKeptToken(ctx context.Context, userID int64, name string) (string, meta.Token, error) {
	if err := checkTokenName(name); err != nil {
		return "", meta.Token{}, err
	}
	secret, sealed, err := s.keptSecret("kept tokens")
	if err != nil {
		return "", meta.Token{}, err
	}
	var t meta.Token
	err = s.store.Tx(ctx, func(q meta.Queries) error {
		u, err := q.LockUser(ctx, userID)
		if err != nil {
			return err
		}
		if u.Robot {
			return errs.E(errs.NotFound, "user not found")
		}
		ts, err := q.ListTokens(ctx, userID)
		if err != nil {
			return err
		}
		for _, old := range ts {
			if kept(old, name) {
				// A token revoked meanwhile is gone as wanted.
				if err := q.DeleteToken(ctx, old.ID); err != nil && !errs.Is(err, errs.NotFound) {
					return err
				}
			}
		}
		t = meta.Token{UserID: userID, Name: name, Hash: HashToken(secret), Kind: meta.TokenAPI, Sealed: sealed}
		return q.CreateToken(ctx, &t)
	})
	if err != nil {
		return "", meta.Token{}, fmt.Errorf("renew token of user %d: %w", userID, err)
	}
	return secret, t, nil
}

// RevokeKeptToken deletes the user's kept token named name with id.
// Errors: errs.NotFound, also for another user's token or a token that is
// not a kept token of that name.
func (s *Service) RevokeKeptToken(ctx context.Context, userID int64, name string, id int64) error {
	ts, err := s.KeptTokens(ctx, userID, name)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(ts, func(t meta.Token) bool { return t.ID == id })
	if i < 0 {
		return errs.E(errs.NotFound, "token not found")
	}
	if err := s.store.DeleteToken(ctx, id); err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	}
	return nil
}
