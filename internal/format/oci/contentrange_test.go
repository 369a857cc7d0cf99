package oci

import (
	"testing"

	"wharf/internal/errs"
)

func TestParseContentRange(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in         string
		start, end int64
		ok         bool
	}{
		{"0-0", 0, 0, true},
		{"0-1023", 0, 1023, true},
		{"1024-2047", 1024, 2047, true},
		{"007-010", 7, 10, true},
		{" 5-9\t", 5, 9, true},
		{"0-9223372036854775807", 0, 1<<63 - 1, true},
		{"9223372036854775807-9223372036854775807", 1<<63 - 1, 1<<63 - 1, true},
		{"bytes=0-99", 0, 99, true},
		{"bytes 0-99/100", 0, 99, true},
		{"bytes 0-99/*", 0, 99, true},
		{"Bytes 10-19/1000", 10, 19, true},
		{"BYTES=3-4", 3, 4, true},

		{"", 0, 0, false},
		{"-", 0, 0, false},
		{"5-3", 0, 0, false},
		{"-1-2", 0, 0, false},
		{"1--2", 0, 0, false},
		{"1-", 0, 0, false},
		{"-2", 0, 0, false},
		{"+1-2", 0, 0, false},
		{"1-+2", 0, 0, false},
		{"0x1-0x2", 0, 0, false},
		{"1 - 2", 0, 0, false},
		{"1-2-3", 0, 0, false},
		{"0-9223372036854775808", 0, 0, false},
		{"99999999999999999999-99999999999999999999", 0, 0, false},
		{"bytes 0-99", 0, 0, false},
		{"bytes 0-99/99", 0, 0, false},
		{"bytes 0-99/x", 0, 0, false},
		{"bytes 0-99/", 0, 0, false},
		{"bytes */100", 0, 0, false},
		{"bytes=", 0, 0, false},
		{"bytes=5-3", 0, 0, false},
		{"bytes=0-1,3-4", 0, 0, false},
		{"items=0-1", 0, 0, false},
		{"١-٢", 0, 0, false},
	} {
		start, end, err := ParseContentRange(tc.in)
		if !tc.ok {
			if !errs.Is(err, errs.Invalid) {
				t.Errorf("ParseContentRange(%q) = %d, %d, %v; want an Invalid error", tc.in, start, end, err)
			}
			continue
		}
		if err != nil || start != tc.start || end != tc.end {
			t.Errorf("ParseContentRange(%q) = %d, %d, %v; want %d, %d", tc.in, start, end, err, tc.start, tc.end)
		}
	}
}
