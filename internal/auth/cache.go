package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"
	"time"
)

// The password cache's bounds.
const (
	cacheSize = 1024
	cacheTTL  = 60 * time.Second
)

// principalCache remembers successful password checks for a short time,
// so that clients sending Basic credentials on every request do not pay
// for a slow hash each time. Only successes are stored. Keys are an HMAC,
// under a random per-process key, of the user name and password, so the
// cache holds nothing from which a password could be recovered offline. It
// is safe for concurrent use.
type principalCache struct {
	mac  []byte
	size int
	ttl  time.Duration

	mu      sync.Mutex
	entries map[[sha256.Size]byte]cacheEntry
}

type cacheEntry struct {
	p       Principal
	expires time.Time
}

func newPrincipalCache(size int, ttl time.Duration) (*principalCache, error) {
	mac := make([]byte, 32)
	if _, err := rand.Read(mac); err != nil {
		return nil, fmt.Errorf("cache key: %w", err)
	}
	return &principalCache{mac: mac, size: size, ttl: ttl, entries: map[[sha256.Size]byte]cacheEntry{}}, nil
}

// key returns the cache key of a user name (case-insensitive, as user
// lookups are) and password.
func (c *principalCache) key(user, pw string) [sha256.Size]byte {
	h := hmac.New(sha256.New, c.mac)
	h.Write([]byte(strings.ToLower(user)))
	h.Write([]byte{0})
	h.Write([]byte(pw))
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k
}

func (c *principalCache) get(k [sha256.Size]byte, now time.Time) (Principal, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok {
		return Principal{}, false
	}
	if !now.Before(e.expires) {
		delete(c.entries, k)
		return Principal{}, false
	}
	return e.p, true
}

// put stores p under k. When the cache is full it first drops expired
// entries, then, if still full, an arbitrary one.
func (c *principalCache) put(k [sha256.Size]byte, p Principal, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[k]; !ok && len(c.entries) >= c.size {
		for key, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, key)
			}
		}
		for key := range c.entries {
			if len(c.entries) < c.size {
				break
			}
			delete(c.entries, key)
		}
	}
	c.entries[k] = cacheEntry{p: p, expires: now.Add(c.ttl)}
}

func (c *principalCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
