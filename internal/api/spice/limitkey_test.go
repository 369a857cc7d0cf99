package spice

import (
	"net/http/httptest"
	"testing"

	"wharf/internal/auth"
)

// TestLimitKey checks whom the rate limit counts a request against: a
// signed-in caller by account, an anonymous one by address, an IPv6
// address by its /64 network, which one host commonly has whole.
func TestLimitKey(t *testing.T) {
	t.Parallel()
	key := func(remote string, who auth.Principal) string {
		r := httptest.NewRequest("POST", Path, nil)
		r.RemoteAddr = remote
		return limitKey(r, who)
	}
	anon := auth.Principal{}
	if a, b := key("[2001:db8:1:2::1]:5000", anon), key("[2001:db8:1:2:ffff:ffff:ffff:ffff]:6000", anon); a != b {
		t.Errorf("two addresses of one /64 have keys %q and %q", a, b)
	}
	if a, b := key("[2001:db8:1:2::1]:5000", anon), key("[2001:db8:1:3::1]:5000", anon); a == b {
		t.Errorf("two /64 networks share the key %q", a)
	}
	if a, b := key("192.0.2.1:5000", anon), key("192.0.2.2:5000", anon); a == b {
		t.Errorf("two IPv4 addresses share the key %q", a)
	}
	if a, b := key("[::ffff:192.0.2.1]:5000", anon), key("192.0.2.1:5000", anon); a != b {
		t.Errorf("an IPv4-mapped address has the key %q, its IPv4 address %q", a, b)
	}
	user := auth.Principal{UserID: 7, Name: "u"}
	if a, b := key("192.0.2.1:5000", user), key("192.0.2.9:5000", user); a != b || a != "user:7" {
		t.Errorf("a user from two addresses has keys %q and %q, want user:7", a, b)
	}
}
