package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// event is one record of `go test -json` (see `go doc test2json`).
type event struct {
	Action     string
	Package    string
	Test       string
	Output     string
	ImportPath string
}

// maxSkipLines bounds how much of a skipped test's output is echoed.
const maxSkipLines = 3

// summary accumulates test results from an event stream. It is not safe for
// concurrent use.
type summary struct {
	w                      io.Writer
	output                 map[string][]string // per "package\x00test"
	passed, failedN, skipN int
	failedPkgs             []string
	seenFailed             map[string]bool
	skipped                []string
}

func newSummary(w io.Writer) *summary {
	return &summary{w: w, output: make(map[string][]string), seenFailed: make(map[string]bool)}
}

// consume reads events until EOF. Lines that are not JSON (for example
// messages the go command prints itself) are echoed unchanged.
func (s *summary) consume(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			fmt.Fprintln(s.w, string(line))
			continue
		}
		s.handle(e)
	}
	return sc.Err()
}

func (s *summary) handle(e event) {
	switch {
	case e.Action == "build-output":
		fmt.Fprint(s.w, e.Output)
	case e.Action == "build-fail":
		s.failPackage(e.ImportPath + " [build failed]")
	case e.Test == "":
		s.handlePackage(e)
	default:
		s.handleTest(e)
	}
}

func (s *summary) handlePackage(e event) {
	switch e.Action {
	case "output":
		// Per-package lines: "ok", "FAIL", "? … [no test files]", panics
		// and timeouts outside any test.
		if strings.HasPrefix(e.Output, "PASS") || strings.HasPrefix(e.Output, "FAIL\n") {
			return
		}
		fmt.Fprint(s.w, e.Output)
	case "fail":
		s.failPackage(e.Package)
	}
}

// failPackage records a failed package once, keeping first-seen order.
func (s *summary) failPackage(name string) {
	if s.seenFailed[name] {
		return
	}
	s.seenFailed[name] = true
	s.failedPkgs = append(s.failedPkgs, name)
}

func (s *summary) handleTest(e event) {
	key := e.Package + "\x00" + e.Test
	switch e.Action {
	case "output":
		s.output[key] = append(s.output[key], e.Output)
	case "pass":
		s.passed++
		delete(s.output, key)
	case "fail":
		s.failedN++
		fmt.Fprintf(s.w, "--- FAIL: %s (%s)\n", e.Test, e.Package)
		for _, l := range s.output[key] {
			fmt.Fprint(s.w, "    ", l)
		}
		delete(s.output, key)
	case "skip":
		s.skipN++
		s.skipped = append(s.skipped, skipLine(e, s.output[key]))
		delete(s.output, key)
	}
}

// skipLine renders a skipped test with the first lines of its output, which
// carry the reason given to t.Skip.
func skipLine(e event, out []string) string {
	var reason []string
	for _, l := range out {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- SKIP") {
			continue
		}
		reason = append(reason, t)
		if len(reason) == maxSkipLines {
			break
		}
	}
	return fmt.Sprintf("%s %s: %s", e.Package, e.Test, strings.Join(reason, " | "))
}

// finish prints skipped tests, failed packages and the closing counts line.
func (s *summary) finish(label string) {
	if len(s.skipped) > 0 {
		sort.Strings(s.skipped)
		fmt.Fprintf(s.w, "\nskipped tests (%d):\n", len(s.skipped))
		for _, l := range s.skipped {
			fmt.Fprintln(s.w, "  ", l)
		}
	}
	if len(s.failedPkgs) > 0 {
		fmt.Fprintf(s.w, "\nfailed packages (%d):\n", len(s.failedPkgs))
		for _, p := range s.failedPkgs {
			fmt.Fprintln(s.w, "  ", p)
		}
	}
	fmt.Fprintf(s.w, "\n%s: %d passed, %d failed, %d skipped\n", label, s.passed, s.failedN, s.skipN)
}

// failed reports whether any test or package failed.
func (s *summary) failed() bool {
	return s.failedN > 0 || len(s.failedPkgs) > 0
}
