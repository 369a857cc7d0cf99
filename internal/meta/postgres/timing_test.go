package postgres

import (
	"context"
	"testing"
	"time"
)

func TestTiming(t *testing.T) {
	dsn := testDSN(t)
	for i := 0; i < 3; i++ {
		t0 := time.Now()
		cfg := newSchema(t, dsn)
		t1 := time.Now()
		s, err := OpenConfig(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t2 := time.Now()
		s.Close()
		t.Logf("schema %v open %v", t1.Sub(t0), t2.Sub(t1))
	}
}
