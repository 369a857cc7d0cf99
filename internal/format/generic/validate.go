package generic

import (
	"strings"

	"wharf/internal/errs"
)

// RepoType is the type of generic packages in repository records: the one
// name of the format that the core, the fronts and the wiring share.
const RepoType = "generic"

// ValidPackageName reports whether s may name a generic package: one or
// more ASCII letters, digits and '-', '_', '+', '.' (`\A[-_+.\w]+\z`),
// where a one-character name must be a letter or digit and ".." is
// refused. The error wraps errs.Invalid with the message
// "invalid package name".
func ValidPackageName(s string) error {
	ok := s != "" && s != ".." && all(s, isNameByte) && (len(s) > 1 || isAlnum(s[0]))
	if !ok {
		return errs.E(errs.Invalid, "invalid package name")
	}
	return nil
}

// ValidFileName reports whether s may name a file of a generic package:
// one or more ASCII letters, digits, spaces and the characters
// -_+=:;.()[]{}~!@#$%^& (`\A[-_+=:;.()\[\]{}~!@#$%^& \w]+\z`), not
// starting or ending with a space, and neither "." nor "..". The error
// wraps errs.Invalid with the message "invalid filename".
func ValidFileName(s string) error {
	ok := s != "" && s != "." && s != ".." && all(s, isFileByte) && s[0] != ' ' && s[len(s)-1] != ' '
	if !ok {
		return errs.E(errs.Invalid, "invalid filename")
	}
	return nil
}

// ValidVersion reports whether s may be a generic package version: any
// non-empty string without leading or trailing white space (as
// strings.TrimSpace sees it); spaces inside are fine and no version
// scheme is imposed. The error wraps errs.Invalid with the message
// "invalid package version".
func ValidVersion(s string) error {
	if s == "" || strings.TrimSpace(s) != s {
		return errs.E(errs.Invalid, "invalid package version")
	}
	return nil
}

func all(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isNameByte(c byte) bool {
	return isAlnum(c) || c == '-' || c == '_' || c == '+' || c == '.'
}

func isFileByte(c byte) bool {
	return isAlnum(c) || strings.IndexByte("-_+=:;.()[]{}~!@#$%^& ", c) >= 0
}
