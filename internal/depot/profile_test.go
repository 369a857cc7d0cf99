package depot_test

import (
	"context"
	"testing"

	"wharf/internal/auth"
	"wharf/internal/depot"
	"wharf/internal/errs"
)

func TestProfile(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	bobo := e.person(t, "bobo")
	u, err := e.svc.Profile(ctx, bobo)
	if err != nil || u.Name != "bobo" || u.Email != "bobo@example.com" || u.ID != bobo.UserID {
		t.Errorf("Profile = %+v, %v", u, err)
	}
	if _, err := e.svc.SetEmail(ctx, bobo, "new@example.com"); err != nil {
		t.Fatal(err)
	}
	if u, _ := e.svc.Profile(ctx, bobo); u.Email != "new@example.com" {
		t.Errorf("email after SetEmail = %q", u.Email)
	}
	_, err = e.svc.SetEmail(ctx, bobo, "not an address")
	wantErr(t, "SetEmail bad", err, errs.Invalid, "")
	_, err = e.svc.SetEmail(ctx, bobo, "")
	wantErr(t, "SetEmail empty", err, errs.Invalid, "")
	_, err = e.svc.Profile(ctx, auth.Principal{})
	wantErr(t, "Profile anonymous", err, errs.Unauthenticated, "")
}

func TestAccessTokens(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	bobo, wesker := e.person(t, "bobo"), e.person(t, "wesker")
	plain := mustToken(t, e, "bobo")

	if ts, err := e.svc.AccessTokens(ctx, bobo); err != nil || len(ts) != 0 {
		t.Fatalf("AccessTokens before any = %+v, %v", ts, err)
	}
	first, err := e.svc.CreateAccessToken(ctx, bobo)
	if err != nil {
		t.Fatal(err)
	}
	if first.Secret == "" || first.UserID != bobo.UserID || first.ID == 0 || first.Name != depot.AccessTokenName {
		t.Errorf("CreateAccessToken = %+v", first)
	}
	ts, err := e.svc.AccessTokens(ctx, bobo)
	if err != nil || len(ts) != 1 || ts[0].ID != first.ID || ts[0].Secret != first.Secret {
		t.Errorf("AccessTokens = %+v, %v", ts, err)
	}
	// It is an ordinary API token with the user's rights.
	p := e.auth(t, first.Secret)
	if p.UserID != bobo.UserID || p.Restricted || p.Method != auth.ByToken {
		t.Errorf("principal of the access token = %+v", p)
	}
	e.origin(t, p, "neurosis")

	// A new one replaces the old, which stops working at once.
	second, err := e.svc.CreateAccessToken(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.acct.Authenticate(ctx, auth.Credentials{Kind: auth.Bearer, Token: first.Secret}); !errs.Is(err, errs.Unauthenticated) {
		t.Errorf("replaced token authenticates: %v", err)
	}
	e.auth(t, second.Secret)
	ts, _ = e.svc.AccessTokens(ctx, bobo)
	if len(ts) != 1 || ts[0].ID != second.ID || ts[0].Secret != second.Secret {
		t.Errorf("AccessTokens after renewal = %+v", ts)
	}
	// Another API token of the user is not a personal access token and
	// survives.
	e.auth(t, plain)

	wantErr(t, "delete another's token", e.svc.DeleteAccessToken(ctx, wesker, second.ID), errs.NotFound, "")
	wantErr(t, "delete a replaced token", e.svc.DeleteAccessToken(ctx, bobo, first.ID), errs.NotFound, "")
	wantErr(t, "delete anonymous", e.svc.DeleteAccessToken(ctx, auth.Principal{}, second.ID), errs.Unauthenticated, "")
	e.auth(t, second.Secret)
	if err := e.svc.DeleteAccessToken(ctx, bobo, second.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.acct.Authenticate(ctx, auth.Credentials{Kind: auth.Bearer, Token: second.Secret}); !errs.Is(err, errs.Unauthenticated) {
		t.Errorf("deleted token authenticates: %v", err)
	}
	if ts, _ := e.svc.AccessTokens(ctx, bobo); len(ts) != 0 {
		t.Errorf("AccessTokens after deletion = %+v", ts)
	}

	// A credential restricted to some repositories may not make one.
	secret, _, err := e.acct.CreateToken(ctx, auth.CreateTokenRequest{User: "wesker", Name: "narrow", Scopes: []string{"repository:wesker/app:pull"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.CreateAccessToken(ctx, e.auth(t, secret))
	wantErr(t, "CreateAccessToken with a restricted token", err, errs.Denied, "")
	_, err = e.svc.AccessTokens(ctx, e.auth(t, secret))
	wantErr(t, "AccessTokens with a restricted token", err, errs.Denied, "")
}

// mustToken makes an API token of a user and returns its secret.
func mustToken(t *testing.T, e *env, user string) string {
	t.Helper()
	secret, _, err := e.acct.CreateToken(context.Background(), auth.CreateTokenRequest{User: user, Name: "other"})
	if err != nil {
		t.Fatal(err)
	}
	return secret
}
