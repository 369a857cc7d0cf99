package auth

import (
	"fmt"
	"testing"
	"time"
)

func TestVerifiedCache(t *testing.T) {
	t.Parallel()
	var c verifiedCache
	now := time.Unix(1_700_000_000, 0)
	p := Principal{UserID: 7, Name: "alice", Restricted: true}

	c.put("tok", "svc", p, now.Add(time.Minute), now)
	if got, ok := c.get("tok", "svc", now.Add(59*time.Second)); !ok || got.UserID != 7 {
		t.Fatalf("get before expiry = %+v, %v; want the principal", got, ok)
	}
	if _, ok := c.get("tok", "other", now); ok {
		t.Error("a token verified for one audience was found for another")
	}
	if _, ok := c.get("tok", "svc", now.Add(time.Minute)); ok {
		t.Error("an expired token was still found")
	}
	c.put("old", "svc", p, now, now)
	if _, ok := c.get("old", "svc", now.Add(-time.Second)); ok {
		t.Error("a token already expired when put was stored")
	}
	for i := range 2 * verifiedCacheSize {
		c.put(fmt.Sprint(i), "svc", p, now.Add(time.Hour), now)
	}
	if n := len(c.entries); n > verifiedCacheSize {
		t.Errorf("cache holds %d entries, bound is %d", n, verifiedCacheSize)
	}
}

func TestVerifyCachedTokenStillExpires(t *testing.T) {
	t.Parallel()
	s, err := NewSigner(make([]byte, MinKeyBytes), "wharf", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_700_000_000, 0)
	s.now = func() time.Time { return now }
	tok, _, _, err := s.Issue(Principal{UserID: 1, Name: "alice"}, "svc", nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := s.Verify(tok, ""); err != nil {
			t.Fatalf("Verify of a fresh token: %v", err)
		}
	}
	now = now.Add(time.Minute + jwtLeeway + time.Second)
	if _, err := s.Verify(tok, ""); err == nil {
		t.Error("Verify accepted an expired token that had been cached")
	}
}
