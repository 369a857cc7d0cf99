package auth

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func newTestService(t testing.TB) (*Service, meta.Store) {
	t.Helper()
	st := newStore(t)
	svc, err := NewService(st, newTestSigner(t, time.Now()), testSealer(t))
	if err != nil {
		t.Fatal(err)
	}
	return svc, st
}

func TestValidUserName(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"ab", "alice", "a1", "al.ice", "al_ice", "al-ice", "a.b-c_d", "0day", strings.Repeat("a", 64)} {
		if err := ValidUserName(name); err != nil {
			t.Errorf("ValidUserName(%q): %v", name, err)
		}
	}
	for _, name := range []string{
		"", "a", strings.Repeat("a", 65), "Alice", "al ice", "al..ice", "al__ice", "al--ice",
		"-alice", "alice-", ".alice", "_alice", "al/ice", "al:ice", "álice", "v2", "api", "admin", "auth",
		"_catalog", "al+ice",
	} {
		if err := ValidUserName(name); !errs.Is(err, errs.Invalid) {
			t.Errorf("ValidUserName(%q) = %v, want invalid", name, err)
		}
	}
}

func TestCreateUser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, st := newTestService(t)
	u, err := svc.CreateUser(ctx, CreateUserRequest{Name: "alice", Email: "alice@example.com", Password: "pw1", Superuser: true})
	if err != nil {
		t.Fatal(err)
	}
	if u.ID == 0 || u.Name != "alice" || u.Email != "alice@example.com" || !u.Superuser || u.Disabled {
		t.Errorf("CreateUser = %+v", u)
	}
	ns, err := st.GetNamespace(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(meta.Namespace{ID: u.NamespaceID, Name: "alice", Kind: meta.KindUser, Public: true, TagExpirationSecs: meta.DefaultTagExpirationSecs}, ns,
		cmpIgnoreCreated()); diff != "" {
		t.Errorf("namespace mismatch (-want +got):\n%s", diff)
	}
	stored, err := st.GetUser(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := CheckPassword(stored.PasswordHash, "pw1"); err != nil || !ok {
		t.Errorf("stored hash does not verify: %v, %v", ok, err)
	}

	if _, err := svc.CreateUser(ctx, CreateUserRequest{Name: "alice", Email: "a2@example.com", Password: "x"}); !errs.Is(err, errs.Exists) {
		t.Errorf("duplicate user: err = %v, want exists", err)
	}
	org := meta.Namespace{Name: "corp", Kind: meta.KindOrg, Public: true}
	if err := st.CreateNamespace(ctx, &org); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateUser(ctx, CreateUserRequest{Name: "corp", Email: "c@example.com", Password: "x"}); !errs.Is(err, errs.Exists) {
		t.Errorf("user named like an org: err = %v, want exists", err)
	}
	if _, err := st.GetUser(ctx, "corp"); !errs.Is(err, errs.NotFound) {
		t.Errorf("failed create left a user: %v", err)
	}
}

func TestCreateUserInvalid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, st := newTestService(t)
	tests := []CreateUserRequest{
		{Name: "Bob", Email: "b@example.com", Password: "pw"},
		{Name: "b", Email: "b@example.com", Password: "pw"},
		{Name: "admin", Email: "b@example.com", Password: "pw"},
		{Name: "bob", Email: "", Password: "pw"},
		{Name: "bob", Email: "bob.example.com", Password: "pw"},
		{Name: "bob", Email: "b@b@example.com", Password: "pw"},
		{Name: "bob", Email: "@example.com", Password: "pw"},
		{Name: "bob", Email: "bob@", Password: "pw"},
		{Name: "bob", Email: "bo b@example.com", Password: "pw"},
		{Name: "bob", Email: "bob@example.com", Password: ""},
		{Name: "bob", Email: "bob@example.com", Password: strings.Repeat("p", MaxPasswordBytes+1)},
	}
	for _, req := range tests {
		if _, err := svc.CreateUser(ctx, req); !errs.Is(err, errs.Invalid) {
			t.Errorf("CreateUser(%q, %q, %d-byte password) = %v, want invalid", req.Name, req.Email, len(req.Password), err)
		}
	}
	if _, err := st.GetNamespace(ctx, "bob"); !errs.Is(err, errs.NotFound) {
		t.Errorf("invalid requests created a namespace: %v", err)
	}
}

func TestCreateToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, st := newTestService(t)
	alice := addUser(t, st, "alice", false, false)
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	svc.now = func() time.Time { return now }

	secret, tok, err := svc.CreateToken(ctx, CreateTokenRequest{
		User: "Alice", Name: " ci ", Scopes: []string{"read:package", "repository:alice/app:pull,push", "pull"}, TTL: time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !looksLikeToken(secret) || strings.ToLower(secret) != secret {
		t.Errorf("secret %q does not have the token form", secret)
	}
	want := meta.Token{
		ID: tok.ID, UserID: alice.ID, Name: "ci", Hash: HashToken(secret),
		Scopes:  []string{"pull", "repository:alice/app:pull,push"},
		Expires: now.Add(time.Hour), Created: tok.Created, Kind: meta.TokenAPI,
	}
	if diff := cmp.Diff(want, tok); diff != "" {
		t.Errorf("token mismatch (-want +got):\n%s", diff)
	}
	stored, err := st.GetTokenByHash(ctx, HashToken(secret))
	if err != nil {
		t.Fatal(err)
	}
	if stored.ID != tok.ID || strings.Contains(stored.Hash, secret) {
		t.Errorf("stored token = %+v", stored)
	}

	secret2, tok2, err := svc.CreateToken(ctx, CreateTokenRequest{User: "alice", Name: "all"})
	if err != nil {
		t.Fatal(err)
	}
	if secret2 == secret || len(tok2.Scopes) != 0 || !tok2.Expires.IsZero() {
		t.Errorf("second token = %q, %+v", secret2, tok2)
	}

	bad := []struct {
		req  CreateTokenRequest
		kind errs.Kind
	}{
		{CreateTokenRequest{User: "nobody", Name: "x"}, errs.NotFound},
		{CreateTokenRequest{User: "alice", Name: ""}, errs.Invalid},
		{CreateTokenRequest{User: "alice", Name: "  "}, errs.Invalid},
		{CreateTokenRequest{User: "alice", Name: strings.Repeat("n", 101)}, errs.Invalid},
		{CreateTokenRequest{User: "alice", Name: "x", Scopes: []string{"pull", "fly"}}, errs.Invalid},
		{CreateTokenRequest{User: "alice", Name: "x", Scopes: []string{"repository:alice/app"}}, errs.Invalid},
		{CreateTokenRequest{User: "alice", Name: "x", TTL: -time.Second}, errs.Invalid},
	}
	for _, tt := range bad {
		if _, _, err := svc.CreateToken(ctx, tt.req); !errs.Is(err, tt.kind) {
			t.Errorf("CreateToken(%+v) = %v, want %v", tt.req, err, tt.kind)
		}
	}
	toks, err := st.ListTokens(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(toks) != 2 {
		t.Errorf("alice has %d tokens, want 2", len(toks))
	}
}

func cmpIgnoreCreated() cmp.Option {
	return cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Created" }, cmp.Ignore())
}
