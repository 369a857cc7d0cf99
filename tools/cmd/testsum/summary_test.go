package main

import (
	"strings"
	"testing"
)

func TestSummary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		in         string
		wantFailed bool
		wantLines  []string // must appear in the report, in this order
		absent     []string
	}{
		{
			name: "all pass",
			in: `{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"}
{"Action":"pass","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Output":"PASS\n"}
{"Action":"output","Package":"p","Output":"ok  \tp\t0.01s\n"}
{"Action":"pass","Package":"p"}
`,
			wantLines: []string{"ok  \tp\t0.01s", "tests: 1 passed, 0 failed, 0 skipped"},
			absent:    []string{"=== RUN", "PASS"},
		},
		{
			name: "failure prints output",
			in: `{"Action":"output","Package":"p","Test":"TestB","Output":"    b_test.go:9: boom\n"}
{"Action":"fail","Package":"p","Test":"TestB"}
{"Action":"output","Package":"p","Output":"FAIL\tp\t0.02s\n"}
{"Action":"fail","Package":"p"}
`,
			wantFailed: true,
			wantLines: []string{"--- FAIL: TestB (p)", "b_test.go:9: boom", "FAIL\tp\t0.02s",
				"failed packages (1):", "tests: 0 passed, 1 failed, 0 skipped"},
		},
		{
			name: "skip lists reason",
			in: `{"Action":"output","Package":"p","Test":"TestC","Output":"=== RUN   TestC\n"}
{"Action":"output","Package":"p","Test":"TestC","Output":"    c_test.go:3: no database\n"}
{"Action":"output","Package":"p","Test":"TestC","Output":"--- SKIP: TestC (0.00s)\n"}
{"Action":"skip","Package":"p","Test":"TestC"}
{"Action":"pass","Package":"p"}
`,
			wantLines: []string{"skipped tests (1):", "p TestC: c_test.go:3: no database",
				"tests: 0 passed, 0 failed, 1 skipped"},
		},
		{
			name: "build failure",
			in: `{"ImportPath":"p","Action":"build-output","Output":"p/x.go:1:1: syntax error\n"}
{"ImportPath":"p","Action":"build-fail"}
{"ImportPath":"p","Action":"build-fail"}
{"Action":"output","Package":"p","Output":"FAIL\tp [build failed]\n"}
{"Action":"fail","Package":"p"}
go: some message from the go command
`,
			wantFailed: true,
			wantLines: []string{"p/x.go:1:1: syntax error", "FAIL\tp [build failed]",
				"go: some message from the go command", "failed packages (2):", "p [build failed]"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b strings.Builder
			s := newSummary(&b)
			if err := s.consume(strings.NewReader(tt.in)); err != nil {
				t.Fatal(err)
			}
			s.finish("tests")
			out := b.String()
			if got := s.failed(); got != tt.wantFailed {
				t.Errorf("failed() = %v, want %v", got, tt.wantFailed)
			}
			rest := out
			for _, l := range tt.wantLines {
				i := strings.Index(rest, l)
				if i < 0 {
					t.Fatalf("report lacks %q (in order); report:\n%s", l, out)
				}
				rest = rest[i+len(l):]
			}
			for _, l := range tt.absent {
				if strings.Contains(out, l) {
					t.Errorf("report contains %q; report:\n%s", l, out)
				}
			}
		})
	}
}
