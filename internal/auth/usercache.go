package auth

import (
	"context"
	"sync"
	"time"

	"wharf/internal/meta"
)

// userCacheSize bounds how many user records an Authorizer keeps.
const userCacheSize = 4096

// userCache keeps user records read for access decisions for a short
// time, so that a client sending many requests does not cost a store read
// for each. Only successful reads are kept.
type userCache struct {
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	entries map[int64]userEntry
}

type userEntry struct {
	u    meta.User
	read time.Time
}

func (c *userCache) get(ctx context.Context, q meta.Queries, id int64) (meta.User, error) {
	if c.ttl <= 0 {
		return q.GetUserByID(ctx, id)
	}
	now := c.now()
	c.mu.Lock()
	e, ok := c.entries[id]
	c.mu.Unlock()
	if ok && now.Sub(e.read) < c.ttl {
		return e.u, nil
	}
	u, err := q.GetUserByID(ctx, id)
	if err != nil {
		return u, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= userCacheSize {
		c.entries = map[int64]userEntry{}
	}
	c.entries[id] = userEntry{u, now}
	return u, nil
}
