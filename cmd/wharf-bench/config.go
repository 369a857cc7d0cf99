package main

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Section names accepted by --skip.
const (
	secPush     = "push"
	secPull     = "pull"
	secManifest = "manifest"
	secImages   = "images"
)

var allSections = []string{secPush, secPull, secManifest, secImages}

// config holds the validated command-line settings.
type config struct {
	registry    *url.URL
	label       string
	user        string
	password    string
	token       string
	insecure    bool
	repo        string
	sizes       []int64
	chunk       int64
	duration    time.Duration
	concurrency []int
	images      int
	workers     int
	jsonOut     string
	skip        map[string]bool
	pid         int
	seed        uint64
}

// sizeUnits maps suffixes to multipliers; binary and decimal units are both
// accepted, and a bare number is bytes.
var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9},
	{"B", 1},
}

// parseSize parses sizes such as "256MiB", "1GiB", "100MB" or "4096".
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	num, mult := s, int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(s, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("invalid size %q: want a positive integer with an optional unit (KiB, MiB, GiB, KB, MB, GB)", s)
	}
	if n > (1<<62)/mult {
		return 0, fmt.Errorf("size %q is too large", s)
	}
	return n * mult, nil
}

// formatSize renders n with the largest binary unit that divides it exactly.
func formatSize(n int64) string {
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.mult && n%u.mult == 0 {
			return fmt.Sprintf("%d%s", n/u.mult, u.suffix)
		}
	}
	return fmt.Sprintf("%dB", n)
}

// parseSizes parses a comma-separated list of sizes.
func parseSizes(s string) ([]int64, error) {
	var out []int64
	for _, f := range splitList(s) {
		n, err := parseSize(f)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, errors.New("no sizes given")
	}
	return out, nil
}

// parseInts parses a comma-separated list of positive integers.
func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range splitList(s) {
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("invalid count %q: want a positive integer", f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, errors.New("no counts given")
	}
	return out, nil
}

// parseSkip parses a comma-separated list of section names.
func parseSkip(s string) (map[string]bool, error) {
	skip := make(map[string]bool)
	for _, f := range splitList(s) {
		known := false
		for _, sec := range allSections {
			known = known || f == sec
		}
		if !known {
			return nil, fmt.Errorf("unknown section %q in --skip: want one of %s", f, strings.Join(allSections, ", "))
		}
		skip[f] = true
	}
	return skip, nil
}

// parseRegistry validates the registry base URL.
func parseRegistry(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(s, "/"))
	if err != nil {
		return nil, fmt.Errorf("invalid --registry: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("invalid --registry %q: want http://host:port or https://host", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("invalid --registry %q: no query or fragment allowed", s)
	}
	return u, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
