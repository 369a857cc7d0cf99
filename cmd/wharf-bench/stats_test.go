package main

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	t.Parallel()
	var hundred latencies
	for i := 100; i >= 1; i-- {
		hundred = append(hundred, time.Duration(i))
	}
	tests := []struct {
		name string
		l    latencies
		p    float64
		want time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one", latencies{7}, 99, 7},
		{"p50 of 100", hundred, 50, 50},
		{"p99 of 100", hundred, 99, 99},
		{"p100 of 100", hundred, 100, 100},
		{"p50 of 4", latencies{4, 1, 3, 2}, 50, 2},
		{"p99 of 4", latencies{4, 1, 3, 2}, 99, 4},
		{"tiny p", latencies{5, 6}, 0.1, 5},
	}
	for _, tt := range tests {
		l := append(latencies(nil), tt.l...)
		if got := l.percentile(tt.p); got != tt.want {
			t.Errorf("%s: percentile(%v) = %v, want %v", tt.name, tt.p, got, tt.want)
		}
	}
}
