package spice

import (
	"container/list"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"wharf/internal/auth"
	"wharf/internal/httpx"
)

// maxBuckets is how many keys the limiter tracks. Past it, the key used
// least recently is forgotten: it starts again with a full bucket, which
// only a caller with that many other identities could arrange.
const maxBuckets = 10000

// limiter is a token bucket per key, in memory: a key may start burst
// requests at once, and then perMinute a minute. It is safe for
// concurrent use.
type limiter struct {
	perSec  float64
	burst   float64
	now     func() time.Time
	mu      sync.Mutex
	buckets map[string]*list.Element // of *bucket
	order   *list.List               // most recently used first
}

type bucket struct {
	key    string
	tokens float64
	at     time.Time
}

// newLimiter returns a limiter, or nil (which allows everything) when
// perMinute is not positive.
func newLimiter(perMinute, burst int64, now func() time.Time) *limiter {
	if perMinute <= 0 {
		return nil
	}
	return &limiter{perSec: float64(perMinute) / 60, burst: float64(max(burst, 1)), now: now,
		buckets: map[string]*list.Element{}, order: list.New()}
}

// allow takes a token of key's bucket. When there is none it reports how
// long until there is.
func (l *limiter) allow(key string) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(key, now)
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.perSec)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := math.Ceil((1 - b.tokens) / l.perSec)
	return false, time.Duration(wait) * time.Second
}

// bucket returns key's bucket, marked as the most recently used; a new
// one is full and may push out the least recently used.
func (l *limiter) bucket(key string, now time.Time) *bucket {
	if e := l.buckets[key]; e != nil {
		l.order.MoveToFront(e)
		return e.Value.(*bucket)
	}
	if l.order.Len() >= maxBuckets {
		old := l.order.Remove(l.order.Back()).(*bucket)
		delete(l.buckets, old.key)
	}
	b := &bucket{key: key, tokens: l.burst, at: now}
	l.buckets[key] = l.order.PushFront(b)
	return b
}

// limitKey names whom a request counts against: a signed-in caller's
// account, else the client's address, IPv6 addresses by their /64
// network, which a single host commonly holds whole.
func limitKey(r *http.Request, who auth.Principal) string {
	if !who.Anonymous() {
		return "user:" + strconv.FormatInt(who.UserID, 10)
	}
	ip := httpx.ClientIP(r)
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return "ip:" + ip
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return "ip:" + p.String()
	}
	return "ip:" + a.String()
}
