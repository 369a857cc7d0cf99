package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// sink is an io.Writer that records what it gets and how often, safe for
// the flusher goroutine and the test to use at once.
type sink struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes int
	err    error
}

func (s *sink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return 0, s.err
	}
	s.writes++
	return s.buf.Write(p)
}

func (s *sink) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func (s *sink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes
}

func TestLogWriterCloseFlushes(t *testing.T) {
	t.Parallel()
	var s sink
	lw := newLogWriter(&s)
	for _, l := range []string{"one\n", "two\n", "partial line without end"} {
		if n, err := lw.Write([]byte(l)); n != len(l) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", l, n, err)
		}
	}
	if err := lw.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got, want := s.String(), "one\ntwo\npartial line without end"; got != want {
		t.Errorf("after Close the writer holds %q, want %q", got, want)
	}
	select {
	case <-lw.done:
	default:
		t.Error("the flusher goroutine still runs after Close")
	}
}

func TestLogWriterFlushesPeriodically(t *testing.T) {
	t.Parallel()
	var s sink
	lw := newLogWriter(&s)
	defer lw.Close()
	const line = "request served\n"
	lw.Write([]byte(line))
	deadline := time.Now().Add(time.Second)
	for s.String() != line {
		if time.Now().After(deadline) {
			t.Fatalf("a line written without Close has not reached the writer after 1s (flush interval %v); it holds %q", flushEvery, s.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	// And again for lines that come later.
	lw.Write([]byte(line))
	deadline = time.Now().Add(time.Second)
	for s.String() != line+line {
		if time.Now().After(deadline) {
			t.Fatalf("a second line has not reached the writer after 1s; it holds %q", s.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestLogWriterBatches(t *testing.T) {
	t.Parallel()
	var s sink
	lw := newLogWriter(&s)
	const lines = 1000
	for i := range lines {
		fmt.Fprintf(lw, "line %d\n", i)
	}
	if err := lw.Close(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(s.String(), "\n"); got != lines {
		t.Fatalf("%d lines arrived, want %d", got, lines)
	}
	// Written back to back, the lines share a few writes to the
	// underlying writer rather than taking one each.
	if n := s.count(); n > 10 {
		t.Errorf("%d short lines took %d writes to the underlying writer", lines, n)
	}
}

func TestLogWriterConcurrentLinesStayWhole(t *testing.T) {
	t.Parallel()
	var s sink
	lw := newLogWriter(&s)
	const writers, perWriter = 8, 300
	line := func(g, i int) string {
		n := 20 + (g*perWriter+i)%200
		if i%100 == 7 {
			n = 100 << 10 // larger than the writer's buffer
		}
		return fmt.Sprintf("w%d i%d %s\n", g, i, strings.Repeat(string(rune('a'+g)), n))
	}
	var wg sync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			for i := range perWriter {
				l := line(g, i)
				if n, err := lw.Write([]byte(l)); n != len(l) || err != nil {
					t.Errorf("Write = %d, %v", n, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := lw.Close(); err != nil {
		t.Fatal(err)
	}
	got := strings.SplitAfter(s.String(), "\n")
	if got[len(got)-1] == "" {
		got = got[:len(got)-1]
	}
	if len(got) != writers*perWriter {
		t.Fatalf("%d lines arrived, want %d", len(got), writers*perWriter)
	}
	next := make([]int, writers)
	for n, l := range got {
		var g, i int
		if _, err := fmt.Sscanf(l, "w%d i%d ", &g, &i); err != nil || g < 0 || g >= writers {
			t.Fatalf("line %d is garbled: %.80q", n, l)
		}
		if i != next[g] {
			t.Fatalf("line %d: writer %d's line %d arrived when %d was due", n, g, i, next[g])
		}
		if l != line(g, i) {
			t.Fatalf("line %d (writer %d, line %d) was mixed with other output: %.80q", n, g, i, l)
		}
		next[g]++
	}
}

func TestLogWriterCloseReportsWriteError(t *testing.T) {
	t.Parallel()
	s := sink{err: errors.New("disk full")}
	lw := newLogWriter(&s)
	lw.Write([]byte("lost\n"))
	if err := lw.Close(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Close = %v, want the underlying writer's error", err)
	}
}
