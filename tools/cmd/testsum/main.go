// Command testsum reads the event stream of `go test -json` on standard input
// and prints a compact report: the package result lines go test itself would
// print, build errors, the full output of every failed test, the names of
// skipped tests with their reasons, and finally one line of counts,
//
//	LABEL: N passed, N failed, N skipped
//
// It exits 1 when any test or package failed (including build failures) and
// 2 when the input cannot be read.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	label := flag.String("label", "tests", "word printed before the closing counts")
	raw := flag.String("raw", "", "also copy the raw JSON stream to this file")
	flag.Parse()

	var in io.Reader = os.Stdin
	if *raw != "" {
		f, err := os.Create(*raw)
		if err != nil {
			fmt.Fprintln(os.Stderr, "testsum:", err)
			os.Exit(2)
		}
		defer f.Close()
		in = io.TeeReader(os.Stdin, f)
	}
	s := newSummary(os.Stdout)
	if err := s.consume(in); err != nil {
		fmt.Fprintln(os.Stderr, "testsum:", err)
		os.Exit(2)
	}
	s.finish(*label)
	if s.failed() {
		os.Exit(1)
	}
}
