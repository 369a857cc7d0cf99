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

func TestLimiterForgets(t *testing.T) {
	t.Parallel()
	now := time.Unix(1000, 0)
	l := newLimiter(60, 1, func() time.Time { return now })
	for i := range maxBuckets {
		l.allow(fmt.Sprint(i))
	}
	now = now.Add(time.Minute)
	l.allow("new")
	if len(l.buckets) != 1 {
		t.Errorf("%d buckets kept, want only the new one", len(l.buckets))
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
