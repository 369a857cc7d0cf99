package auth

import (
	"testing"
	"time"
)

func TestConsentToken(t *testing.T) {
	svc, _ := newTestService(t)
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	svc.now = func() time.Time { return now }
	tok, err := svc.SealConsent("nonce-a", "code\x00client\x00uri\x00repo:read\x00st")
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.CheckConsent(tok, "nonce-a", "code\x00client\x00uri\x00repo:read\x00st"); err != nil {
		t.Fatalf("fresh token refused: %v", err)
	}
	other, err := svc.SealConsent("nonce-b", "x")
	if err != nil {
		t.Fatal(err)
	}
	b := []byte(tok)
	if b[len(b)/2] == 'A' {
		b[len(b)/2] = 'B'
	} else {
		b[len(b)/2] = 'A'
	}
	tampered := string(b)
	for _, tc := range []struct {
		name, token, nonce, fields string
		after                      time.Duration
	}{
		{"another nonce", tok, "nonce-b", "code\x00client\x00uri\x00repo:read\x00st", 0},
		{"no nonce", tok, "", "code\x00client\x00uri\x00repo:read\x00st", 0},
		{"other fields", tok, "nonce-a", "code\x00client\x00uri\x00repo:admin\x00st", 0},
		{"another form's token", other, "nonce-a", "code\x00client\x00uri\x00repo:read\x00st", 0},
		{"expired", tok, "nonce-a", "code\x00client\x00uri\x00repo:read\x00st", ConsentTTL},
		{"garbage", "not-a-token", "nonce-a", "x", 0},
		{"tampered", tampered, "nonce-a", "code\x00client\x00uri\x00repo:read\x00st", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			at := now.Add(tc.after)
			svc.now = func() time.Time { return at }
			if err := svc.CheckConsent(tc.token, tc.nonce, tc.fields); err == nil {
				t.Error("accepted")
			}
		})
	}
}

func TestHoldsScopes(t *testing.T) {
	user := Principal{UserID: 1, Name: "u"}
	oauth := func(scopes ...string) Principal {
		p := user
		c := capsOf(scopes)
		p.Caps = &c
		return p
	}
	for _, tc := range []struct {
		name  string
		p     Principal
		super bool
		want  []string
		ok    bool
	}{
		{"password, any scope", user, false, []string{"repo:admin", "org:admin", "user:admin"}, true},
		{"super:user for a user", user, false, []string{"super:user"}, false},
		{"super:user for a superuser", user, true, []string{"super:user"}, true},
		{"anonymous", Principal{}, false, []string{"repo:read"}, false},
		{"robot", Principal{UserID: 2, Robot: true}, false, []string{"repo:read"}, false},
		{"restricted token", Principal{UserID: 1, Restricted: true}, false, []string{"repo:read"}, false},
		{"oauth within", oauth("repo:write", "org:admin"), false, []string{"repo:read", "org:admin"}, true},
		{"oauth beyond", oauth("repo:read", "org:admin"), false, []string{"repo:write"}, false},
		{"oauth other family", oauth("org:admin"), false, []string{"user:read"}, false},
		{"user:admin covers user:read", oauth("user:admin"), false, []string{"user:read"}, true},
		{"oauth super without super:user", oauth("org:admin"), true, []string{"super:user"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := HoldsScopes(tc.p, tc.super, tc.want); got != tc.ok {
				t.Errorf("HoldsScopes = %v, want %v", got, tc.ok)
			}
		})
	}
}
