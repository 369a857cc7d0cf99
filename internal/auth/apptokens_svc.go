package auth

import (
	"context"
	"fmt"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// AppTokenExpiringWindow is how close to its expiry an
// application-specific token counts as expiring: a tenth of Quay's
// default four-week window.
const AppTokenExpiringWindow = 4 * 7 * 24 * time.Hour / 10

// ListAppTokens returns a user's application-specific tokens, oldest
// first; with expiring set, only those that have not expired but will
// within AppTokenExpiringWindow.
func (s *Service) ListAppTokens(ctx context.Context, userID int64, expiring bool) ([]meta.Token, error) {
	ts, err := s.store.ListTokens(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("application tokens: %w", err)
	}
	now := s.now()
	out := make([]meta.Token, 0, len(ts))
	for _, t := range ts {
		if t.Kind != meta.TokenApp {
			continue
		}
		if expiring && (t.Expires.IsZero() || !now.Before(t.Expires) || t.Expires.After(now.Add(AppTokenExpiringWindow))) {
			continue
		}
		out = append(out, t)
	}
	return out, nil
}

// AppToken returns the user's application-specific token with uuid.
// Errors: errs.NotFound, also for another user's token or a token of
// another kind.
func (s *Service) AppToken(ctx context.Context, userID int64, uuid string) (meta.Token, error) {
	t, err := s.store.GetTokenByUUID(ctx, uuid)
	if err == nil && (t.Kind != meta.TokenApp || t.UserID != userID) {
		err = errs.E(errs.NotFound, "token not found")
	}
	if err != nil {
		return meta.Token{}, fmt.Errorf("application token %s: %w", uuid, err)
	}
	return t, nil
}

// RevokeAppToken deletes the user's application-specific token with uuid
// and returns it. Errors: errs.NotFound as for AppToken.
func (s *Service) RevokeAppToken(ctx context.Context, userID int64, uuid string) (meta.Token, error) {
	t, err := s.AppToken(ctx, userID, uuid)
	if err != nil {
		return meta.Token{}, err
	}
	if err := s.store.DeleteToken(ctx, t.ID); err != nil {
		return meta.Token{}, fmt.Errorf("revoke application token %s: %w", uuid, err)
	}
	return t, nil
}
