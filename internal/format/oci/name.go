package oci

import (
	"fmt"

	"wharf/internal/errs"
)

// RepoType is the type of OCI repositories in repository records: the one
// name of the format that the core, the fronts and the wiring share.
const RepoType = "oci"

// MaxRepoNameLength is the longest repository name accepted, in bytes.
const MaxRepoNameLength = 255

// MaxTagLength is the longest tag accepted, in bytes.
const MaxTagLength = 128

// ValidRepoName reports whether name is a repository name of the
// distribution spec,
//
//	[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*
//
// at most MaxRepoNameLength bytes long. Each slash-separated component
// starts and ends with a lowercase letter or digit; runs of letters and
// digits inside it are joined by exactly one '.', one or two '_', or any
// number of '-'. The error wraps errs.Invalid and says what is wrong.
func ValidRepoName(name string) error {
	if name == "" {
		return errs.E(errs.Invalid, "repository name must not be empty")
	}
	if len(name) > MaxRepoNameLength {
		return errs.E(errs.Invalid, "repository name is longer than %d characters", MaxRepoNameLength)
	}
	// prev classifies the byte before i: 'a' for a letter or digit, '/'
	// for a slash (or the start), or the separator byte itself.
	prev := byte('/')
	run := 0 // length of the current run of '_'
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			prev, run = 'a', 0
		case c == '/':
			if prev != 'a' {
				return nameError(name, i, "a path component must not be empty or end with a separator")
			}
			prev = '/'
		case c == '.' || c == '-':
			if prev != 'a' && !(c == '-' && prev == '-') {
				return nameError(name, i, "separators must stand between lowercase letters or digits")
			}
			prev = c
		case c == '_':
			if prev != 'a' && !(prev == '_' && run == 1) {
				return nameError(name, i, "at most two underscores may stand between lowercase letters or digits")
			}
			prev = '_'
			run++
		default:
			return nameError(name, i, "only lowercase letters, digits, '.', '_', '-' and '/' are allowed")
		}
	}
	if prev != 'a' {
		return nameError(name, len(name)-1, "a name must end with a lowercase letter or digit")
	}
	return nil
}

func nameError(name string, at int, why string) error {
	return errs.E(errs.Invalid, "invalid repository name %s at offset %d: %s", quote(name), at, why)
}

// ValidTag reports whether tag is a tag of the distribution spec,
// [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}. The error wraps errs.Invalid.
func ValidTag(tag string) error {
	if tag == "" {
		return errs.E(errs.Invalid, "tag must not be empty")
	}
	if len(tag) > MaxTagLength {
		return errs.E(errs.Invalid, "tag is longer than %d characters", MaxTagLength)
	}
	for i := 0; i < len(tag); i++ {
		c := tag[i]
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' ||
			i > 0 && (c == '.' || c == '-')
		if !ok {
			return errs.E(errs.Invalid, "invalid tag %s at offset %d: a tag is letters, digits, '_', and after the first character '.' and '-'", quote(tag), i)
		}
	}
	return nil
}

// maxQuoted bounds how much of an input an error message repeats.
const maxQuoted = 80

// quote renders s for an error message, shortened when long.
func quote(s string) string {
	if len(s) > maxQuoted {
		return fmt.Sprintf("%q...", s[:maxQuoted])
	}
	return fmt.Sprintf("%q", s)
}
