package httpx_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// entry is one log record with its attributes flattened to values.
type entry struct {
	Level slog.Level
	Msg   string
	Attrs map[string]any
}

// sink is a slog.Handler that keeps records for inspection.
type sink struct {
	mu      sync.Mutex
	entries []entry
}

func (s *sink) Enabled(context.Context, slog.Level) bool { return true }
func (s *sink) WithAttrs([]slog.Attr) slog.Handler       { return s }
func (s *sink) WithGroup(string) slog.Handler            { return s }

func (s *sink) Handle(_ context.Context, r slog.Record) error {
	e := entry{Level: r.Level, Msg: r.Message, Attrs: map[string]any{}}
	r.Attrs(func(a slog.Attr) bool {
		e.Attrs[a.Key] = a.Value.Any()
		return true
	})
	s.mu.Lock()
	s.entries = append(s.entries, e)
	s.mu.Unlock()
	return nil
}

// find returns the records with message msg.
func (s *sink) find(msg string) []entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []entry
	for _, e := range s.entries {
		if e.Msg == msg {
			out = append(out, e)
		}
	}
	return out
}

// wait returns the records with message msg once there are n of them; the
// server may log after the client has its response.
func (s *sink) wait(t *testing.T, msg string, n int) []entry {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		es := s.find(msg)
		if len(es) >= n {
			return es
		}
		if time.Now().After(deadline) {
			t.Fatalf("got %d %q log records, want %d", len(es), msg, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func newLogger() (*slog.Logger, *sink) {
	s := &sink{}
	return slog.New(s), s
}
