package oci

import (
	"strings"

	"wharf/internal/errs"
)

// ParseContentRange parses the Content-Range of an upload chunk and returns
// its first and last byte offsets, both inclusive. It accepts the spec's
// form "<start>-<end>" and, because clients send them, "bytes=<start>-<end>"
// and the RFC 9110 form "bytes <start>-<end>/<size>" where size is "*" or a
// length greater than end. Numbers are unsigned decimals that fit an int64,
// and end is at least start. Surrounding spaces and tabs are ignored. The
// error wraps errs.Invalid; whether the range fits the upload is for the
// caller to decide.
func ParseContentRange(s string) (start, end int64, err error) {
	s = strings.Trim(s, " \t")
	r, size, sized := s, "", false
	if len(s) >= 6 && strings.EqualFold(s[:5], "bytes") {
		switch s[5] {
		case '=':
			r = s[6:]
		case ' ':
			var ok bool
			if r, size, ok = strings.Cut(strings.TrimLeft(s[6:], " "), "/"); !ok {
				return 0, 0, rangeError(s, "missing /<size>")
			}
			sized = true
		}
	}
	a, b, ok := strings.Cut(r, "-")
	if !ok {
		return 0, 0, rangeError(s, "want <start>-<end>")
	}
	if start, ok = parseUint(a); !ok {
		return 0, 0, rangeError(s, "start is not a non-negative integer")
	}
	if end, ok = parseUint(b); !ok {
		return 0, 0, rangeError(s, "end is not a non-negative integer")
	}
	if end < start {
		return 0, 0, rangeError(s, "end is before start")
	}
	if sized && size != "*" {
		n, ok := parseUint(size)
		if !ok {
			return 0, 0, rangeError(s, "size is neither * nor a non-negative integer")
		}
		if end >= n {
			return 0, 0, rangeError(s, "end is beyond size")
		}
	}
	return start, end, nil
}

func rangeError(s, why string) error {
	return errs.E(errs.Invalid, "invalid Content-Range %s: %s", quote(s), why)
}

// parseUint parses a non-empty string of ASCII digits that fits an int64.
func parseUint(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	const maxInt64 = 1<<63 - 1
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if n > (maxInt64-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}
