package spice

import (
	"math"
	"sync"
	"time"
)

// maxBuckets is how many keys the limiter tracks before it forgets those
// whose buckets have refilled.
const maxBuckets = 10000

// limiter is a token bucket per key, in memory: a key may start burst
// requests at once, and then perMinute a minute. It is safe for
// concurrent use.
type limiter struct {
	perSec  float64
	burst   float64
	now     func() time.Time
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// newLimiter returns a limiter, or nil (which allows everything) when
// perMinute is not positive.
func newLimiter(perMinute, burst int64, now func() time.Time) *limiter {
	if perMinute <= 0 {
		return nil
	}
	return &limiter{perSec: float64(perMinute) / 60, burst: float64(max(burst, 1)), now: now, buckets: map[string]*bucket{}}
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
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.sweep(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.perSec)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := math.Ceil((1 - b.tokens) / l.perSec)
	return false, time.Duration(wait) * time.Second
}

// sweep forgets the buckets that are full again by now.
func (l *limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.perSec >= l.burst {
			delete(l.buckets, k)
		}
	}
}
