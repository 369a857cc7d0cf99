package hab

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/errs"
)

func TestCompareVersions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		newer, older string
	}{
		{"1.2.0", "1.2"},       // longer array wins on an equal prefix
		{"1.2.3", "1.2.3-rc1"}, // no suffix ranks first
		{"1.0.0", "1.0.0-rc1"}, // the same, from Builder's tests
		{"v1.2.3-master", "v1.2.3-aaster"},
		{"10.0", "9.9"}, // numbers, not strings
		{"0.1.13", "0.1.4"},
		{"0.1.4", "0.1.3"},
		{"1.10", "1.9.9"},
		{"2", "1.99.99"},
		{"1.2.3-b", "1.2.3-a"},
		{"1.2.3-a", "1.2.3-B"},      // byte order: uppercase before lowercase
		{"1.2.3-rc2", "1.2.3-rc10"}, // suffixes compare as bytes
		{"1.2.3~", "1.2.3-"},
		{"1.2.3-", "1.2.3+"},
		{"1.2.3.", "1.2.3-x"}, // N stops at the last digit: suffix "."
		{"100000000000000000000000", "99999999999999999999999"}, // beyond 64 bits
		{"1.18446744073709551616", "1.18446744073709551615"},
		{"1.02", "1.1"}, // leading zeros drop: 2 > 1
		{"2.0", "1.0.9.9"},
		{"release-2", "release-1"}, // text before N is ignored
		{"3", "2-rc1-ultra"},
		{"1.2", "1.2a3"}, // N is 1.2 and suffix "a3" ranks below none
		{"1.3a", "1.2"},
	} {
		c, err := CompareVersions(tc.newer, tc.older)
		if err != nil || c <= 0 {
			t.Errorf("CompareVersions(%q, %q) = %d, %v; want > 0", tc.newer, tc.older, c, err)
		}
		c, err = CompareVersions(tc.older, tc.newer)
		if err != nil || c >= 0 {
			t.Errorf("CompareVersions(%q, %q) = %d, %v; want < 0", tc.older, tc.newer, c, err)
		}
	}
	for _, eq := range [][2]string{
		{"1.2", "1.2"}, {"v1.2", "1.2"}, {"1.02", "1.2"}, {"01.0", "1.00"},
		{"x1.2-rc", "y1.2-rc"}, {"0", "00"},
	} {
		if c, err := CompareVersions(eq[0], eq[1]); err != nil || c != 0 {
			t.Errorf("CompareVersions(%q, %q) = %d, %v; want 0", eq[0], eq[1], c, err)
		}
	}
}

func TestParseVersionKeyIneligible(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"", "master", "latest", "v.", "...", "-", ".5", "v.5", "1..2", "1...2-rc", "a.5", "x.1"} {
		_, err := ParseVersionKey(v)
		if !errs.Is(err, errs.Invalid) {
			t.Errorf("ParseVersionKey(%q) = %v, want an invalid error", v, err)
		}
		if _, err := CompareVersions("1.0", v); err == nil {
			t.Errorf("CompareVersions(1.0, %q) gave no error", v)
		}
		if _, err := CompareVersions(v, "1.0"); err == nil {
			t.Errorf("CompareVersions(%q, 1.0) gave no error", v)
		}
	}
	// Digits found only after a digit-less dotted run are fine.
	for _, v := range []string{"a.b1", "1.", "1.2.", "v1-..."} {
		if _, err := ParseVersionKey(v); err != nil {
			t.Errorf("ParseVersionKey(%q) = %v", v, err)
		}
	}
}

func TestNumericSpan(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in      string
		n, rest string
	}{
		{"1.2.3", "1.2.3", ""},
		{"1.2.3-rc1", "1.2.3", "-rc1"},
		{"v1.2.3-master", "1.2.3", "-master"},
		{"a.b1", "1", ""},
		{"x.1", ".1", ""}, // the run starts at the dot
		{"1.2.", "1.2", "."},
		{"..1..", "..1", ".."},
		{"rc.2.x", ".2", ".x"},
	} {
		s, e, ok := numericSpan(tc.in)
		if !ok || tc.in[s:e] != tc.n || tc.in[e:] != tc.rest {
			t.Errorf("numericSpan(%q) = %q, %q, %v; want %q, %q", tc.in, tc.in[s:e], tc.in[e:], ok, tc.n, tc.rest)
		}
	}
}

func TestCompareReleases(t *testing.T) {
	t.Parallel()
	a := Ident{"core", "redis", "1.0", "20200102000000"}
	b := Ident{"core", "redis", "1.0", "20200101000000"}
	if c, err := CompareReleases(a, b); err != nil || c <= 0 {
		t.Errorf("CompareReleases(newer release) = %d, %v", c, err)
	}
	b.Version = "0.9"
	b.Release = "20300101000000"
	if c, err := CompareReleases(a, b); err != nil || c <= 0 {
		t.Errorf("CompareReleases(newer version, older release) = %d, %v", c, err)
	}
	b.Version = "master"
	if _, err := CompareReleases(a, b); !errs.Is(err, errs.Invalid) {
		t.Errorf("CompareReleases(digit-less) = %v", err)
	}
}

func TestSortNewestFirst(t *testing.T) {
	t.Parallel()
	in := []string{
		"0.1.3/20171205003213",
		"master/20990101000000",
		"1.0.0-rc1/20180101000000",
		"0.1.13/20171201000000",
		"1.0.0/20170101000000",
		".5/20990101000000",
		"0.1.4/20171206004139",
		"1.0.0/20170102000000",
		"v1.2.3-aaster/20170101000000",
		"v1.2.3-master/20170101000000",
		"1..2/20990101000000",
		"1.2/20170101000000",
		"1.2.0/20160101000000",
	}
	split := func(s string) (string, string) { v, r, _ := strings.Cut(s, "/"); return v, r }
	sorted, excluded := SortNewestFirst(in, split)
	want := []string{
		"v1.2.3-master/20170101000000",
		"v1.2.3-aaster/20170101000000",
		"1.2.0/20160101000000",
		"1.2/20170101000000",
		"1.0.0/20170102000000",
		"1.0.0/20170101000000",
		"1.0.0-rc1/20180101000000",
		"0.1.13/20171201000000",
		"0.1.4/20171206004139",
		"0.1.3/20171205003213",
	}
	if diff := cmp.Diff(want, sorted); diff != "" {
		t.Errorf("sorted (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"master/20990101000000", ".5/20990101000000", "1..2/20990101000000"}, excluded); diff != "" {
		t.Errorf("excluded (-want +got):\n%s", diff)
	}
	if in[0] != "0.1.3/20171205003213" {
		t.Error("SortNewestFirst modified its input")
	}
	// Equal ranks keep their input order.
	ties := []string{"v1.0/20200101000000", "1.0/20200101000000", "x1.0/20200101000000"}
	if got, _ := SortNewestFirst(ties, split); !cmp.Equal(got, ties) {
		t.Errorf("ties reordered: %q", got)
	}
	// Newest agrees with the first of every order of the input.
	for i := range in {
		rotated := append(append([]string{}, in[i:]...), in[:i]...)
		first, _ := SortNewestFirst(rotated, split)
		if got, ok := Newest(rotated, split); !ok || got != first[0] {
			t.Errorf("Newest(rotation %d) = %q, %v; want %q", i, got, ok, first[0])
		}
	}
	if got, ok := Newest(ties, split); !ok || got != ties[0] {
		t.Errorf("Newest(ties) = %q, %v; want the first", got, ok)
	}
	if _, ok := Newest([]string{"master/1", ".5/2"}, split); ok {
		t.Error("Newest of versions without order reported one")
	}
}
