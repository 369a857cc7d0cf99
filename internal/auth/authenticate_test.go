package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, st := newTestService(t)
	alice, err := svc.CreateUser(ctx, CreateUserRequest{Name: "alice", Email: "a@example.com", Password: "alice-pw"})
	if err != nil {
		t.Fatal(err)
	}
	// A password that has the shape of a token still works as a password.
	tokenShaped := TokenPrefix + strings.Repeat("q", 40)
	carol, err := svc.CreateUser(ctx, CreateUserRequest{Name: "carol", Email: "c@example.com", Password: tokenShaped})
	if err != nil {
		t.Fatal(err)
	}
	dave, err := svc.CreateUser(ctx, CreateUserRequest{Name: "dave", Email: "d@example.com", Password: "dave-pw"})
	if err != nil {
		t.Fatal(err)
	}
	addUser(t, st, "nopw", false, false) // no password hash
	full, _, err := svc.CreateToken(ctx, CreateTokenRequest{User: "alice", Name: "full"})
	if err != nil {
		t.Fatal(err)
	}
	scoped, _, err := svc.CreateToken(ctx, CreateTokenRequest{User: "alice", Name: "ro", Scopes: []string{"read:package", "repository:alice/app:push"}})
	if err != nil {
		t.Fatal(err)
	}
	daveTok, _, err := svc.CreateToken(ctx, CreateTokenRequest{User: "dave", Name: "t"})
	if err != nil {
		t.Fatal(err)
	}
	expired := TokenPrefix + strings.Repeat("e", 40)
	if err := st.CreateToken(ctx, &meta.Token{UserID: alice.ID, Name: "old", Hash: HashToken(expired), Expires: time.Now().Add(-time.Second)}); err != nil {
		t.Fatal(err)
	}
	dave.Disabled = true
	if err := st.UpdateUser(ctx, dave); err != nil {
		t.Fatal(err)
	}
	jwtTok, _, _, err := svc.signer.Issue(Principal{UserID: alice.ID, Name: "alice"}, "svc",
		[]Grant{{Type: "repository", Name: "alice/app", Actions: []Action{Pull}}})
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := NewSigner([]byte(strings.Repeat("z", 32)), "wharf-test", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	foreignTok, _, _, err := foreign.Issue(Principal{UserID: alice.ID, Name: "alice"}, "svc", nil)
	if err != nil {
		t.Fatal(err)
	}

	asAlice := Principal{UserID: alice.ID, Name: "alice", Method: ByPassword}
	asAliceTok := Principal{UserID: alice.ID, Name: "alice", Method: ByToken}
	asAliceScoped := Principal{UserID: alice.ID, Name: "alice", Method: ByToken, Restricted: true, Grants: []Grant{
		{Actions: []Action{Pull}},
		{Type: "repository", Name: "alice/app", Actions: []Action{Push}},
	}}
	asAliceJWT := Principal{UserID: alice.ID, Name: "alice", Method: ByJWT, Restricted: true, Grants: []Grant{
		{Type: "repository", Name: "alice/app", Actions: []Action{Pull}},
	}}
	ok := []struct {
		name string
		c    Credentials
		want Principal
	}{
		{"none", Credentials{}, Principal{}},
		{"password", Credentials{Kind: Basic, User: "alice", Password: "alice-pw"}, asAlice},
		{"password, name case", Credentials{Kind: Basic, User: "ALICE", Password: "alice-pw"}, asAlice},
		{"token-shaped password", Credentials{Kind: Basic, User: "carol", Password: tokenShaped}, Principal{UserID: carol.ID, Name: "carol", Method: ByPassword}},
		{"token as password", Credentials{Kind: Basic, User: "alice", Password: full}, asAliceTok},
		{"token as password, no user", Credentials{Kind: Basic, Password: full}, asAliceTok},
		{"token as password, any user", Credentials{Kind: Basic, User: "whoever", Password: full}, asAliceTok},
		{"token as user", Credentials{Kind: Basic, User: full}, asAliceTok},
		{"token as user, x-oauth-basic", Credentials{Kind: Basic, User: full, Password: "x-oauth-basic"}, asAliceTok},
		{"bearer token", Credentials{Kind: Bearer, Token: full}, asAliceTok},
		{"token scheme", Credentials{Kind: Token, Token: full}, asAliceTok},
		{"scoped token", Credentials{Kind: Token, Token: scoped}, asAliceScoped},
		{"scoped token in basic", Credentials{Kind: Basic, User: scoped}, asAliceScoped},
		{"jwt", Credentials{Kind: Bearer, Token: jwtTok}, asAliceJWT},
	}
	for _, tt := range ok {
		got, err := svc.Authenticate(ctx, tt.c)
		if err != nil {
			t.Errorf("%s: Authenticate: %v", tt.name, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: Authenticate mismatch (-want +got):\n%s", tt.name, diff)
		}
	}

	bad := []struct {
		name string
		c    Credentials
	}{
		{"wrong password", Credentials{Kind: Basic, User: "alice", Password: "alice-pw2"}},
		{"unknown user", Credentials{Kind: Basic, User: "nobody", Password: "alice-pw"}},
		{"no user", Credentials{Kind: Basic, Password: "alice-pw"}},
		{"empty password", Credentials{Kind: Basic, User: "alice"}},
		{"x-oauth-basic as password", Credentials{Kind: Basic, User: "alice", Password: "x-oauth-basic"}},
		{"user without password hash", Credentials{Kind: Basic, User: "nopw", Password: "anything"}},
		{"disabled user password", Credentials{Kind: Basic, User: "dave", Password: "dave-pw"}},
		{"disabled user token", Credentials{Kind: Bearer, Token: daveTok}},
		{"disabled user token in basic", Credentials{Kind: Basic, User: daveTok}},
		{"expired token", Credentials{Kind: Token, Token: expired}},
		{"expired token in basic", Credentials{Kind: Basic, Password: expired}},
		{"unknown token", Credentials{Kind: Token, Token: TokenPrefix + strings.Repeat("u", 40)}},
		{"unknown token as user", Credentials{Kind: Basic, User: TokenPrefix + strings.Repeat("u", 40)}},
		{"token as user with password", Credentials{Kind: Basic, User: full, Password: "alice-pw"}},
		{"truncated token", Credentials{Kind: Token, Token: full[:len(full)-1]}},
		{"garbage bearer", Credentials{Kind: Bearer, Token: "garbage"}},
		{"foreign jwt", Credentials{Kind: Bearer, Token: foreignTok}},
		{"tampered jwt", Credentials{Kind: Bearer, Token: jwtTok[:len(jwtTok)-2] + "xx"}},
		{"jwt in basic", Credentials{Kind: Basic, User: "alice", Password: jwtTok}},
		{"unknown kind", Credentials{Kind: CredKind(42), Token: full}},
	}
	for _, tt := range bad {
		if p, err := svc.Authenticate(ctx, tt.c); !errs.Is(err, errs.Unauthenticated) {
			t.Errorf("%s: Authenticate = %+v, %v; want unauthenticated", tt.name, p, err)
		}
	}
}

func TestAuthenticateWithoutSigner(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := newStore(t)
	svc, err := NewService(st, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := newTestSigner(t, time.Now())
	tok, _, _, err := s.Issue(Principal{}, "svc", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Authenticate(ctx, Credentials{Kind: Bearer, Token: tok}); !errs.Is(err, errs.Unauthenticated) {
		t.Errorf("jwt without signer: err = %v, want unauthenticated", err)
	}
}

func TestAuthenticatePasswordCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, st := newTestService(t)
	if _, err := svc.CreateUser(ctx, CreateUserRequest{Name: "alice", Email: "a@example.com", Password: "old-pw"}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	svc.now = func() time.Time { return now }
	auth := func(pw string) error {
		_, err := svc.Authenticate(ctx, Credentials{Kind: Basic, User: "alice", Password: pw})
		return err
	}
	// Failures are not cached as successes, nor successes as failures.
	if err := auth("wrong"); !errs.Is(err, errs.Unauthenticated) {
		t.Fatalf("wrong password: %v", err)
	}
	if err := auth("old-pw"); err != nil {
		t.Fatalf("right password after a wrong one: %v", err)
	}
	if err := auth("wrong"); !errs.Is(err, errs.Unauthenticated) {
		t.Fatalf("wrong password after a right one: %v", err)
	}
	if svc.cache.len() != 1 {
		t.Errorf("cache holds %d entries, want 1", svc.cache.len())
	}

	// Change the password in the store: the cached success lasts until its
	// TTL runs out, then the new password rules.
	u, err := st.GetUser(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	u.PasswordHash, err = HashPassword("new-pw")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := auth("old-pw"); err != nil {
		t.Errorf("old password within the cache ttl: %v", err)
	}
	now = now.Add(cacheTTL)
	if err := auth("old-pw"); !errs.Is(err, errs.Unauthenticated) {
		t.Errorf("old password after the cache ttl: err = %v, want unauthenticated", err)
	}
	if err := auth("new-pw"); err != nil {
		t.Errorf("new password: %v", err)
	}
}

func TestAuthenticateTouchesToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, st := newTestService(t)
	alice := addUser(t, st, "alice", false, false)
	secret, _, err := svc.CreateToken(ctx, CreateTokenRequest{User: "alice", Name: "t"})
	if err != nil {
		t.Fatal(err)
	}
	lastUsed := func() time.Time {
		t.Helper()
		toks, err := st.ListTokens(ctx, alice.ID)
		if err != nil || len(toks) != 1 {
			t.Fatalf("ListTokens = %v, %v", toks, err)
		}
		return toks[0].LastUsed
	}
	if !lastUsed().IsZero() {
		t.Fatalf("new token has LastUsed set")
	}
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	now := t0
	svc.now = func() time.Time { return now }
	use := func() {
		t.Helper()
		if _, err := svc.Authenticate(ctx, Credentials{Kind: Token, Token: secret}); err != nil {
			t.Fatal(err)
		}
	}
	use()
	if got := lastUsed(); !got.Equal(t0) {
		t.Errorf("LastUsed after first use = %v, want %v", got, t0)
	}
	now = t0.Add(30 * time.Second)
	use()
	if got := lastUsed(); !got.Equal(t0) {
		t.Errorf("LastUsed after use within a minute = %v, want unchanged %v", got, t0)
	}
	now = t0.Add(2 * time.Minute)
	use()
	if got := lastUsed(); !got.Equal(now) {
		t.Errorf("LastUsed after a minute = %v, want %v", got, now)
	}
}

func BenchmarkAuthenticateCachedBasic(b *testing.B) {
	ctx := context.Background()
	svc, _ := newTestService(b)
	if _, err := svc.CreateUser(ctx, CreateUserRequest{Name: "alice", Email: "a@example.com", Password: "alice-pw"}); err != nil {
		b.Fatal(err)
	}
	c := Credentials{Kind: Basic, User: "alice", Password: "alice-pw"}
	if _, err := svc.Authenticate(ctx, c); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := svc.Authenticate(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
}

// Password checks wait for a free hashing slot, so a flood of logins
// cannot run unboundedly many argon2 computations at once.
func TestAuthenticatePasswordSlots(t *testing.T) {
	t.Parallel()
	svc, _ := newTestService(t)
	for range cap(svc.hashSlots) {
		svc.hashSlots <- struct{}{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := svc.Authenticate(ctx, Credentials{Kind: Basic, User: "nobody", Password: "whatever"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("all slots taken: err = %v, want the context's deadline", err)
	}
	<-svc.hashSlots
	if _, err := svc.Authenticate(context.Background(), Credentials{Kind: Basic, User: "nobody", Password: "whatever"}); !errs.Is(err, errs.Unauthenticated) {
		t.Fatalf("a slot free: err = %v, want unauthenticated", err)
	}
}

func TestCredentialsSigned(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		c    Credentials
		want bool
	}{
		{Credentials{Kind: Bearer, Token: "aaa.bbb.ccc"}, true},
		{Credentials{Kind: Token, Token: "aaa.bbb.ccc"}, true},
		{Credentials{Kind: Basic, User: "aaa.bbb.ccc", Password: "x"}, false},
		{Credentials{Kind: Bearer, Token: "opaque"}, false},
		{Credentials{}, false},
	} {
		if got := tc.c.Signed(); got != tc.want {
			t.Errorf("%+v.Signed() = %v, want %v", tc.c, got, tc.want)
		}
	}
}
