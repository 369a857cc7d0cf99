package spicepod

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxPathLen bounds a repository path.
const maxPathLen = 1024

// CheckPath reports why p is not a clean relative repository path: one or
// more segments separated by single slashes, none empty, "." or "..", no
// control characters, backslashes or invalid UTF-8, and no leading drive
// letter ("C:"). Such a path is safe as a zip entry name, on Windows too.
// The error's text completes "path …".
func CheckPath(p string) error {
	switch {
	case p == "":
		return errors.New("is empty")
	case len(p) > maxPathLen:
		return fmt.Errorf("is longer than %d bytes", maxPathLen)
	case !utf8.ValidString(p):
		return errors.New("is not valid UTF-8")
	case strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }):
		return errors.New("contains a control character or a backslash")
	case len(p) >= 2 && p[1] == ':' && ('a' <= p[0]|0x20 && p[0]|0x20 <= 'z'):
		return errors.New("starts with a drive letter")
	}
	for seg := range strings.SplitSeq(p, "/") {
		switch seg {
		case "":
			return errors.New("has an empty segment")
		case ".", "..":
			return errors.New(`has a "." or ".." segment`)
		}
	}
	return nil
}

// cleanPath turns a path written in a spicepod into a repository path as
// Spice reads it: a leading "./" goes, then one leading and one trailing
// slash. What remains must pass CheckPath.
func cleanPath(p string) (string, error) {
	p = strings.TrimPrefix(p, "./")
	p = strings.TrimPrefix(p, "/")
	p = strings.TrimSuffix(p, "/")
	if err := CheckPath(p); err != nil {
		return "", err
	}
	return p, nil
}

// isFolder reports whether a clean path names a folder by Spice's rule:
// its last segment has no extension (no dot followed by something).
func isFolder(p string) bool {
	last := p[strings.LastIndexByte(p, '/')+1:]
	i := strings.LastIndexByte(last, '.')
	return i < 0 || i == len(last)-1
}

// filePath returns the repository path a dataset's from names, and
// whether it names one: "file:" then an optional "//" then the path.
func filePath(from string) (string, bool, error) {
	rest, ok := strings.CutPrefix(from, "file:")
	if !ok {
		return "", false, nil
	}
	rest = strings.TrimPrefix(rest, "//")
	p, err := cleanPath(rest)
	return p, true, err
}
