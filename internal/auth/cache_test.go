package auth

import (
	"fmt"
	"testing"
	"time"
)

func TestPrincipalCache(t *testing.T) {
	t.Parallel()
	c, err := newPrincipalCache(4, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1000, 0)
	alice := Principal{UserID: 1, Name: "alice"}
	k := c.key("alice", "pw")
	if _, ok := c.get(k, now); ok {
		t.Fatalf("empty cache hit")
	}
	c.put(k, alice, now)
	if p, ok := c.get(c.key("Alice", "pw"), now.Add(59*time.Second)); !ok || p.Name != "alice" {
		t.Errorf("get within ttl = %+v, %v; want alice", p, ok)
	}
	for _, other := range [][2]string{{"alice", "pW"}, {"alice", "pw "}, {"alice\x00p", "w"}, {"bob", "pw"}} {
		if _, ok := c.get(c.key(other[0], other[1]), now); ok {
			t.Errorf("get(%q, %q) hit alice's entry", other[0], other[1])
		}
	}
	if _, ok := c.get(k, now.Add(time.Minute)); ok {
		t.Errorf("get after ttl hit")
	}
	if c.len() != 0 {
		t.Errorf("expired entry kept: len = %d", c.len())
	}

	// The cache never grows past its size.
	for i := range 10 {
		c.put(c.key(fmt.Sprint("u", i), "pw"), Principal{UserID: int64(i + 1)}, now)
		if c.len() > 4 {
			t.Fatalf("len = %d after %d puts, want <= 4", c.len(), i+1)
		}
	}
	// The newest entry survives eviction.
	if _, ok := c.get(c.key("u9", "pw"), now); !ok {
		t.Errorf("newest entry evicted")
	}
	// Expired entries are dropped before live ones.
	later := now.Add(2 * time.Minute)
	c.put(c.key("fresh1", "pw"), Principal{UserID: 100}, later)
	c.put(c.key("fresh2", "pw"), Principal{UserID: 101}, later)
	c.put(c.key("fresh3", "pw"), Principal{UserID: 102}, later)
	for _, n := range []string{"fresh1", "fresh2", "fresh3"} {
		if _, ok := c.get(c.key(n, "pw"), later); !ok {
			t.Errorf("%s evicted while expired entries remained", n)
		}
	}
}

func TestPrincipalCacheKeyedPerProcess(t *testing.T) {
	t.Parallel()
	a, err := newPrincipalCache(4, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	b, err := newPrincipalCache(4, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if a.key("alice", "pw") == b.key("alice", "pw") {
		t.Errorf("two caches derive the same key: keys are not secret")
	}
}
