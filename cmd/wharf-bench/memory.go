package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// procMem is a reading of a process's memory from /proc/<pid>/status.
type procMem struct {
	RSSKiB int64 `json:"rss_kib"` // VmRSS: resident set now
	HWMKiB int64 `json:"hwm_kib"` // VmHWM: peak resident set since start
}

// readProcMem reads VmRSS and VmHWM of pid.
func readProcMem(pid int) (procMem, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return procMem{}, err
	}
	defer f.Close()
	var m procMem
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 10, 64)
		if err != nil {
			return procMem{}, fmt.Errorf("parse %s of pid %d: %w", key, pid, err)
		}
		if key == "VmRSS" {
			m.RSSKiB = n
		} else {
			m.HWMKiB = n
		}
	}
	if err := sc.Err(); err != nil {
		return procMem{}, err
	}
	if m.RSSKiB == 0 {
		return procMem{}, fmt.Errorf("pid %d: no VmRSS in /proc status", pid)
	}
	return m, nil
}

// rssInterval is how often a watch samples the server's RSS.
const rssInterval = 20 * time.Millisecond

// rssWatch samples a process's VmRSS in the background and remembers the
// largest value. VmHWM alone cannot attribute a peak to one transfer, since
// it only ever grows.
type rssWatch struct {
	pid  int
	done chan struct{}
	wg   sync.WaitGroup
	peak int64
}

// watchRSS starts sampling pid; pid 0 gives a watch that records nothing.
func watchRSS(pid int) *rssWatch {
	w := &rssWatch{pid: pid, done: make(chan struct{})}
	if pid == 0 {
		return w
	}
	w.sample()
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		t := time.NewTicker(rssInterval)
		defer t.Stop()
		for {
			select {
			case <-w.done:
				return
			case <-t.C:
				w.sample()
			}
		}
	}()
	return w
}

func (w *rssWatch) sample() {
	if m, err := readProcMem(w.pid); err == nil && m.RSSKiB > w.peak {
		w.peak = m.RSSKiB
	}
}

// stop ends sampling and returns the peak RSS in KiB (0 without a pid).
func (w *rssWatch) stop() int64 {
	if w.pid == 0 {
		return 0
	}
	close(w.done)
	w.wg.Wait()
	w.sample()
	return w.peak
}
