package auth

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"

	"wharf/internal/errs"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

func newTestSigner(t testing.TB, now time.Time) *Signer {
	t.Helper()
	s, err := NewSigner(testKey, "wharf-test", 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return now }
	return s
}

func TestNewSignerRejects(t *testing.T) {
	t.Parallel()
	if _, err := NewSigner(testKey[:31], "x", time.Minute); !errs.Is(err, errs.Invalid) {
		t.Errorf("short key: err = %v, want invalid", err)
	}
	if _, err := NewSigner(testKey, "x", 0); !errs.Is(err, errs.Invalid) {
		t.Errorf("zero ttl: err = %v, want invalid", err)
	}
}

func TestSignerIssueVerify(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	s := newTestSigner(t, now)
	grants := []Grant{
		{Type: "repository", Name: "alice/app", Actions: []Action{Pull, Push}},
		{Type: "repository", Name: "alice/", Prefix: true, Actions: []Action{Pull}},
		{Type: "registry", Name: "catalog", Actions: []Action{Admin}},
	}
	tests := []struct {
		name string
		p    Principal
		want Principal
	}{
		{"user", Principal{UserID: 7, Name: "alice"},
			Principal{UserID: 7, Name: "alice", Restricted: true, Grants: grants}},
		{"superuser", Principal{UserID: 1, Name: "root1", Superuser: true},
			Principal{UserID: 1, Name: "root1", Superuser: true, Restricted: true, Grants: grants}},
		{"anonymous", Principal{}, Principal{Restricted: true, Grants: grants}},
		{"anonymous superuser flag dropped", Principal{Superuser: true, Name: "x"}, Principal{Restricted: true, Grants: grants}},
	}
	for _, tt := range tests {
		tok, ttl, iat, err := s.Issue(tt.p, "registry.example", grants)
		if err != nil {
			t.Fatalf("%s: Issue: %v", tt.name, err)
		}
		if ttl != 5*time.Minute || !iat.Equal(now) {
			t.Errorf("%s: Issue ttl, iat = %v, %v; want 5m, %v", tt.name, ttl, iat, now)
		}
		for _, svc := range []string{"registry.example", ""} {
			got, err := s.Verify(tok, svc)
			if err != nil {
				t.Fatalf("%s: Verify(service %q): %v", tt.name, svc, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s: Verify mismatch (-want +got):\n%s", tt.name, diff)
			}
		}
		if _, err := s.Verify(tok, "other.example"); !errs.Is(err, errs.Unauthenticated) {
			t.Errorf("%s: Verify(wrong audience) err = %v, want unauthenticated", tt.name, err)
		}
	}
}

func TestSignerClaims(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	s := newTestSigner(t, now)
	tok, _, _, err := s.Issue(Principal{UserID: 7, Name: "alice"}, "svc", []Grant{{Type: "repository", Name: "alice/app", Actions: []Action{Pull}}})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	header := decodeSegment(t, parts[0])
	if header["alg"] != "HS256" {
		t.Errorf("alg = %v, want HS256", header["alg"])
	}
	c := decodeSegment(t, parts[1])
	want := map[string]any{
		"iss": "wharf-test", "sub": "alice", "aud": []any{"svc"},
		"exp": float64(now.Add(5 * time.Minute).Unix()), "nbf": float64(now.Unix()), "iat": float64(now.Unix()),
		"access": []any{map[string]any{"type": "repository", "name": "alice/app", "actions": []any{"pull"}}},
		"uid":    float64(7),
	}
	jti, _ := c["jti"].(string)
	if len(jti) != 32 {
		t.Errorf("jti = %v, want 32 hex characters", c["jti"])
	}
	delete(c, "jti")
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("claims mismatch (-want +got):\n%s", diff)
	}
	// An empty grant list is an empty access array, as Docker expects.
	tok, _, _, err = s.Issue(Principal{}, "svc", nil)
	if err != nil {
		t.Fatal(err)
	}
	c = decodeSegment(t, strings.Split(tok, ".")[1])
	if diff := cmp.Diff([]any{}, c["access"]); diff != "" {
		t.Errorf("anonymous access mismatch (-want +got):\n%s", diff)
	}
}

func decodeSegment(t *testing.T, seg string) map[string]any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSignerVerifyTime(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	s := newTestSigner(t, now)
	tok, _, _, err := s.Issue(Principal{UserID: 2, Name: "bob"}, "svc", nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		at time.Time
		ok bool
	}{
		{now, true},
		{now.Add(5*time.Minute - time.Second), true},
		{now.Add(5*time.Minute + 10*time.Second), true}, // leeway
		{now.Add(5*time.Minute + time.Minute), false},   // expired
		{now.Add(-10 * time.Second), true},              // small clock skew
		{now.Add(-time.Hour), false},                    // not yet valid
	}
	for _, tt := range tests {
		v := newTestSigner(t, tt.at)
		_, err := v.Verify(tok, "svc")
		if tt.ok && err != nil {
			t.Errorf("Verify at %v: %v", tt.at.Sub(now), err)
		}
		if !tt.ok && !errs.Is(err, errs.Unauthenticated) {
			t.Errorf("Verify at %v: err = %v, want unauthenticated", tt.at.Sub(now), err)
		}
	}
}

func TestSignerVerifyRejects(t *testing.T) {
	t.Parallel()
	now := time.Now()
	s := newTestSigner(t, now)
	good, _, _, err := s.Issue(Principal{UserID: 2, Name: "bob"}, "svc", []Grant{{Type: "repository", Name: "bob/x", Actions: []Action{Pull}}})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, ".")
	claimsOf := func(m map[string]any) string {
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	valid := func() map[string]any {
		return map[string]any{"iss": "wharf-test", "sub": "bob", "uid": 2, "exp": now.Add(time.Minute).Unix(), "iat": now.Unix(), "access": []any{}}
	}
	sign := func(method jwt.SigningMethod, key any, c map[string]any) string {
		tok, err := jwt.NewWithClaims(method, jwt.MapClaims(c)).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	other, err := NewSigner(bytes.Repeat([]byte("k"), 32), "wharf-test", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	otherTok, _, _, err := other.Issue(Principal{UserID: 2, Name: "bob"}, "svc", nil)
	if err != nil {
		t.Fatal(err)
	}
	noneHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	c := valid()
	c["access"] = []any{map[string]any{"type": "repository", "name": "bob/x", "actions": []any{"push"}}}
	tampered := parts[0] + "." + claimsOf(c) + "." + parts[2]
	noExp := valid()
	delete(noExp, "exp")
	wrongIss := valid()
	wrongIss["iss"] = "someone-else"
	anonSU := valid()
	anonSU["sub"], anonSU["uid"], anonSU["su"] = "", 0, true
	subNoUID := valid()
	delete(subNoUID, "uid")
	uidNoSub := valid()
	delete(uidNoSub, "sub")
	tests := map[string]string{
		"empty":           "",
		"garbage":         "a.b.c",
		"tampered claims": tampered,
		"tampered sig":    parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2])),
		"no signature":    parts[0] + "." + parts[1] + ".",
		"alg none":        noneHeader + "." + claimsOf(valid()) + ".",
		"alg none sig":    noneHeader + "." + claimsOf(valid()) + "." + parts[2],
		"HS384":           sign(jwt.SigningMethodHS384, testKey, valid()),
		"HS512":           sign(jwt.SigningMethodHS512, testKey, valid()),
		"other key":       otherTok,
		"no exp":          sign(jwt.SigningMethodHS256, testKey, noExp),
		"wrong issuer":    sign(jwt.SigningMethodHS256, testKey, wrongIss),
		"anonymous su":    sign(jwt.SigningMethodHS256, testKey, anonSU),
		"sub without uid": sign(jwt.SigningMethodHS256, testKey, subNoUID),
		"uid without sub": sign(jwt.SigningMethodHS256, testKey, uidNoSub),
	}
	for name, tok := range tests {
		if p, err := s.Verify(tok, ""); !errs.Is(err, errs.Unauthenticated) {
			t.Errorf("%s: Verify = %+v, %v; want unauthenticated", name, p, err)
		}
	}
	// The hand-built valid claims are accepted, so the cases above fail for
	// the reason they name.
	if _, err := s.Verify(sign(jwt.SigningMethodHS256, testKey, valid()), ""); err != nil {
		t.Errorf("Verify(valid hand-built token): %v", err)
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "jwt.key")
	key, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != 32 {
		t.Errorf("len(key) = %d, want 32", len(key))
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
	again, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(key, again) {
		t.Errorf("second load returned another key")
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the key", len(entries))
	}

	short := filepath.Join(dir, "short.key")
	if err := os.WriteFile(short, []byte("too short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateKey(short); !errs.Is(err, errs.Invalid) {
		t.Errorf("short key file: err = %v, want invalid", err)
	}
}

func TestLoadOrCreateKeyConcurrent(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "jwt.key")
	keys := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, err := LoadOrCreateKey(path)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	for i := range keys {
		if !bytes.Equal(keys[i], keys[0]) {
			t.Fatalf("callers got different keys")
		}
	}
}

func BenchmarkSignerVerify(b *testing.B) {
	s := newTestSigner(b, time.Now())
	tok, _, _, err := s.Issue(Principal{UserID: 7, Name: "alice"}, "svc",
		[]Grant{{Type: "repository", Name: "alice/app", Actions: []Action{Pull, Push}}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Verify(tok, "svc"); err != nil {
			b.Fatal(err)
		}
	}
}
