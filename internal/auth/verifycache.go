package auth

import (
	"sync"
	"time"
)

// verifiedCacheSize bounds how many verified tokens a Signer remembers.
const verifiedCacheSize = 4096

// verifiedCache remembers tokens a Signer has verified until they expire,
// so that a client presenting the same token on every request pays for
// parsing and checking it once. Only successes are stored, keyed by the
// token and the audience asked for; the token itself is the secret, and
// nothing else is kept. The zero value is ready to use.
type verifiedCache struct {
	mu      sync.Mutex
	entries map[verifiedKey]verifiedEntry
}

type verifiedKey struct{ token, service string }

type verifiedEntry struct {
	p       Principal
	expires time.Time
}

// get returns the principal of a token verified before and not yet
// expired. Callers must not modify the principal's Grants.
func (c *verifiedCache) get(token, service string, now time.Time) (Principal, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[verifiedKey{token, service}]
	if !ok || !now.Before(e.expires) {
		return Principal{}, false
	}
	return e.p, true
}

// put remembers a verified token until expires. When full it drops the
// expired entries, then arbitrary ones.
func (c *verifiedCache) put(token, service string, p Principal, expires, now time.Time) {
	if !now.Before(expires) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[verifiedKey]verifiedEntry{}
	}
	if len(c.entries) >= verifiedCacheSize {
		for k, e := range c.entries {
			if !now.Before(e.expires) || len(c.entries) >= verifiedCacheSize {
				delete(c.entries, k)
			}
		}
	}
	c.entries[verifiedKey{token, service}] = verifiedEntry{p, expires}
}
