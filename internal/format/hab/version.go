package hab

import (
	"cmp"
	"slices"
	"strings"

	"wharf/internal/errs"
)

// VersionKey is the position of a version string in Builder's "latest"
// ordering. Builder takes the first match of ([\d\.]*\d+)(.+)? in the
// version: the numeric part N (compared as an array of numbers) and the
// suffix S after it (compared as bytes; a version whose N ends the string
// has no suffix and ranks above any suffix). Whatever precedes N is
// ignored, so "v1.2" and "1.2" rank equal.
type VersionKey struct {
	nums      []string // the components of N without leading zeros
	suffix    string
	hasSuffix bool
}

// ParseVersionKey derives the ordering key of a version. A version without
// a digit, or whose numeric part has an empty component (".5", "1..2"),
// cannot be ordered: Builder leaves the first out of every "latest" and
// version list and fails on the second. The error wraps errs.Invalid.
func ParseVersionKey(version string) (VersionKey, error) {
	start, end, ok := numericSpan(version)
	if !ok {
		return VersionKey{}, errs.E(errs.Invalid, "version %s has no digit and cannot be ordered", quote(version))
	}
	var k VersionKey
	for _, c := range strings.Split(version[start:end], ".") {
		if c == "" {
			return VersionKey{}, errs.E(errs.Invalid, "version %s has an empty numeric component and cannot be ordered", quote(version))
		}
		k.nums = append(k.nums, strings.TrimLeft(c, "0"))
	}
	k.suffix, k.hasSuffix = version[end:], end < len(version)
	return k, nil
}

// numericSpan finds N: it starts the first run of digits and dots that
// holds a digit and ends at the last digit of that run.
func numericSpan(s string) (start, end int, ok bool) {
	for i := 0; i < len(s); {
		if !isNumByte(s[i]) {
			i++
			continue
		}
		j, last := i, -1
		for ; j < len(s) && isNumByte(s[j]); j++ {
			if s[j] != '.' {
				last = j
			}
		}
		if last >= 0 {
			return i, last + 1, true
		}
		i = j
	}
	return 0, 0, false
}

func isNumByte(c byte) bool { return c == '.' || '0' <= c && c <= '9' }

// Compare orders k against o: positive when k is newer, negative when
// older, zero when Builder ranks them equal.
func (k VersionKey) Compare(o VersionKey) int {
	for i := 0; i < len(k.nums) && i < len(o.nums); i++ {
		if c := compareNumeral(k.nums[i], o.nums[i]); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(len(k.nums), len(o.nums)); c != 0 {
		return c
	}
	switch {
	case !k.hasSuffix && !o.hasSuffix:
		return 0
	case !k.hasSuffix:
		return 1
	case !o.hasSuffix:
		return -1
	}
	return strings.Compare(k.suffix, o.suffix)
}

// compareNumeral compares two digit strings without leading zeros as the
// numbers they spell, however long.
func compareNumeral(a, b string) int {
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// CompareVersions orders two versions as Builder does when it lists
// versions: positive when a is newer. The error, wrapping errs.Invalid,
// names the first version that cannot be ordered.
func CompareVersions(a, b string) (int, error) {
	ka, err := ParseVersionKey(a)
	if err != nil {
		return 0, err
	}
	kb, err := ParseVersionKey(b)
	if err != nil {
		return 0, err
	}
	return ka.Compare(kb), nil
}

// CompareReleases orders two fully qualified releases as Builder does
// when it picks "latest": by version key, then by release string (bytes),
// positive when a is newer. Origin and name are not compared. The error
// wraps errs.Invalid as CompareVersions' does.
func CompareReleases(a, b Ident) (int, error) {
	c, err := CompareVersions(a.Version, b.Version)
	if err != nil || c != 0 {
		return c, err
	}
	return strings.Compare(a.Release, b.Release), nil
}

// Newest returns the item SortNewestFirst would put first, in one pass
// without sorting: the first of those Builder ranks highest. ok is false
// when no item's version can be ordered.
func Newest[T any](items []T, ident func(T) (version, release string)) (newest T, ok bool) {
	var (
		bestKey     VersionKey
		bestRelease string
	)
	for _, it := range items {
		v, r := ident(it)
		k, err := ParseVersionKey(v)
		if err != nil {
			continue
		}
		if ok {
			c := k.Compare(bestKey)
			if c < 0 || c == 0 && strings.Compare(r, bestRelease) <= 0 {
				continue
			}
		}
		newest, bestKey, bestRelease, ok = it, k, r, true
	}
	return newest, ok
}

// SortNewestFirst orders items newest first by the version and release
// that ident returns, the order in which Builder lists them. Items whose
// version cannot be ordered (see ParseVersionKey) are left out of sorted
// and returned in excluded, in their input order. Items Builder ranks
// equal keep their input order. items itself is not modified.
func SortNewestFirst[T any](items []T, ident func(T) (version, release string)) (sorted, excluded []T) {
	type keyed struct {
		item    T
		key     VersionKey
		release string
	}
	ks := make([]keyed, 0, len(items))
	for _, it := range items {
		v, r := ident(it)
		k, err := ParseVersionKey(v)
		if err != nil {
			excluded = append(excluded, it)
			continue
		}
		ks = append(ks, keyed{it, k, r})
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		if c := b.key.Compare(a.key); c != 0 {
			return c
		}
		return strings.Compare(b.release, a.release)
	})
	sorted = make([]T, len(ks))
	for i, k := range ks {
		sorted[i] = k.item
	}
	return sorted, excluded
}
