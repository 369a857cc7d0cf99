package artifact

import (
	"container/list"
	"sync"
)

// contentCache keeps small immutable contents by digest, evicting the least
// recently used when its byte budget is spent. Contents are addressed by
// their digest, so an entry can never be stale.
type contentCache struct {
	mu    sync.Mutex
	max   int64
	used  int64
	order *list.List // front = most recent; values are *cacheEntry
	byKey map[string]*list.Element
}

type cacheEntry struct {
	key  string
	data []byte
}

func newContentCache(max int64) *contentCache {
	return &contentCache{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

// get returns the cached bytes of digest; callers must not modify them.
func (c *contentCache) get(digest string) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[digest]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cacheEntry).data, true
}

// put caches data under digest; data must not be modified afterwards.
func (c *contentCache) put(digest string, data []byte) {
	if c == nil || int64(len(data)) > c.max/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[digest]; ok {
		return
	}
	c.byKey[digest] = c.order.PushFront(&cacheEntry{key: digest, data: data})
	c.used += int64(len(data))
	for c.used > c.max {
		last := c.order.Back()
		ent := last.Value.(*cacheEntry)
		c.order.Remove(last)
		delete(c.byKey, ent.key)
		c.used -= int64(len(ent.data))
	}
}

// drop forgets digest.
func (c *contentCache) drop(digest string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[digest]; ok {
		c.order.Remove(e)
		delete(c.byKey, digest)
		c.used -= int64(len(e.Value.(*cacheEntry).data))
	}
}
