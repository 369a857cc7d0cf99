package spice

import (
	"fmt"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	t.Parallel()
	now := time.Unix(1000, 0)
	l := newLimiter(6, 2, func() time.Time { return now }) // a token every 10s
	for i := range 2 {
		if ok, _ := l.allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.allow("a")
	if ok || wait != 10*time.Second {
		t.Errorf("past the burst: allowed %v, wait %v, want refused for 10s", ok, wait)
	}
	if ok, _ := l.allow("b"); !ok {
		t.Error("another key was refused")
	}
	now = now.Add(4 * time.Second)
	if ok, wait := l.allow("a"); ok || wait != 6*time.Second {
		t.Errorf("after 4s: allowed %v, wait %v, want refused for 6s", ok, wait)
	}
	now = now.Add(6 * time.Second)
	if ok, _ := l.allow("a"); !ok {
		t.Error("after 10s: refused")
	}
	if ok, _ := l.allow("a"); ok {
		t.Error("a second request after 10s was allowed")
	}
	now = now.Add(time.Hour)
	for i := range 2 {
		if ok, _ := l.allow("a"); !ok {
			t.Errorf("after an hour, request %d refused: the bucket holds at most the burst", i+1)
		}
	}
	if ok, _ := l.allow("a"); ok {
		t.Error("the bucket grew past the burst")
	}
}

// TestLimiterBounded checks that the limiter keeps at most maxBuckets
// buckets however many keys come at once, forgetting the least recently
// used, and that a key in use keeps its bucket.
func TestLimiterBounded(t *testing.T) {
	t.Parallel()
	now := time.Unix(1000, 0)
	l := newLimiter(1, 1, func() time.Time { return now }) // nothing refills during the test
	l.allow("hot")
	for i := range 3 * maxBuckets {
		l.allow(fmt.Sprint(i))
		if i%1000 == 0 {
			if ok, _ := l.allow("hot"); ok {
				t.Fatalf("after %d other keys, the emptied bucket of a key in use was refilled", i)
			}
		}
		if n := len(l.buckets); n > maxBuckets {
			t.Fatalf("%d buckets kept after %d keys, want at most %d", n, i+2, maxBuckets)
		}
	}
	if ok, _ := l.allow("0"); !ok {
		t.Error("the least recently used key was not forgotten")
	}
}

func TestNoLimit(t *testing.T) {
	t.Parallel()
	l := newLimiter(0, 0, time.Now)
	for range 100 {
		if ok, _ := l.allow("a"); !ok {
			t.Fatal("a limiter without a rate refused")
		}
	}
}
