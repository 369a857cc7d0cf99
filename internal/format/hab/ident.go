package hab

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"wharf/internal/errs"
)

// MaxPartLength bounds every part of an ident. Builder enforces it for
// origins; Wharf applies it to names and versions too, so that idents stay
// usable as file and object names.
const MaxPartLength = 255

// ReleaseLength is the length of a release: a UTC timestamp YYYYMMDDhhmmss.
const ReleaseLength = 14

// Ident identifies a package: origin/name[/version[/release]]. A Release
// is only ever set together with a Version.
type Ident struct {
	Origin  string
	Name    string
	Version string // empty when the ident names no version
	Release string // empty when the ident names no release
}

// ParseIdent parses "origin/name", "origin/name/version" or
// "origin/name/version/release" and validates each part (see ValidOrigin,
// ValidName, ValidVersion and ValidRelease). The error wraps errs.Invalid.
func ParseIdent(s string) (Ident, error) {
	parts := strings.Split(s, "/")
	if len(parts) < 2 || len(parts) > 4 {
		return Ident{}, errs.E(errs.Invalid, "invalid package identifier %s: want origin/name[/version[/release]]", quote(s))
	}
	var id Ident
	id.Origin, id.Name = parts[0], parts[1]
	if len(parts) > 2 {
		id.Version = parts[2]
	}
	if len(parts) > 3 {
		id.Release = parts[3]
	}
	if err := id.validate(len(parts)); err != nil {
		return Ident{}, errs.E(errs.Invalid, "invalid package identifier %s: %s", quote(s), errs.Message(err))
	}
	return id, nil
}

// ParseFullIdent is ParseIdent that also requires all four parts.
func ParseFullIdent(s string) (Ident, error) {
	id, err := ParseIdent(s)
	if err != nil {
		return Ident{}, err
	}
	if !id.FullyQualified() {
		return Ident{}, errs.E(errs.Invalid, "package identifier %s is not fully qualified", quote(s))
	}
	return id, nil
}

// Validate checks the parts of an ident built by hand: a valid origin and
// name, an optional valid version, and a valid release only after a
// version. The error wraps errs.Invalid.
func (id Ident) Validate() error {
	n := 2
	if id.Version != "" {
		n = 3
	}
	if id.Release != "" {
		if id.Version == "" {
			return errs.E(errs.Invalid, "invalid package identifier %s: a release needs a version", quote(id.String()))
		}
		n = 4
	}
	return id.validate(n)
}

func (id Ident) validate(parts int) error {
	if err := ValidOrigin(id.Origin); err != nil {
		return err
	}
	if err := ValidName(id.Name); err != nil {
		return err
	}
	if parts > 2 {
		if err := ValidVersion(id.Version); err != nil {
			return err
		}
	}
	if parts > 3 {
		return ValidRelease(id.Release)
	}
	return nil
}

// String formats the ident as origin/name[/version[/release]].
func (id Ident) String() string {
	s := id.Origin + "/" + id.Name
	if id.Version != "" {
		s += "/" + id.Version
		if id.Release != "" {
			s += "/" + id.Release
		}
	}
	return s
}

// FullyQualified reports whether the ident names a version and a release.
func (id Ident) FullyQualified() bool { return id.Version != "" && id.Release != "" }

// ArchiveName returns the file name Builder gives the .hart of a fully
// qualified ident: <origin>-<name>-<version>-<release>-<target>.hart.
func (id Ident) ArchiveName(target string) string {
	return fmt.Sprintf("%s-%s-%s-%s-%s.hart", id.Origin, id.Name, id.Version, id.Release, target)
}

// ValidOrigin reports whether s may name an origin: a lowercase letter or
// digit, then lowercase letters, digits, '_' and '-' (^[a-z0-9][a-z0-9_-]*$),
// at most MaxPartLength bytes. The error wraps errs.Invalid.
func ValidOrigin(s string) error {
	ok := s != "" && len(s) <= MaxPartLength && isLowerAlnum(s[0])
	for i := 1; ok && i < len(s); i++ {
		ok = isLowerAlnum(s[i]) || s[i] == '_' || s[i] == '-'
	}
	if !ok {
		return errs.E(errs.Invalid, "invalid origin %s", quote(s))
	}
	return nil
}

// ValidName reports whether s may name a package: letters, digits, '_'
// and '-' (^[A-Za-z0-9_-]+$), at most MaxPartLength bytes. The error wraps
// errs.Invalid.
func ValidName(s string) error {
	ok := s != "" && len(s) <= MaxPartLength
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		ok = isLowerAlnum(c) || 'A' <= c && c <= 'Z' || c == '_' || c == '-'
	}
	if !ok {
		return errs.E(errs.Invalid, "invalid package name %s", quote(s))
	}
	return nil
}

// ValidVersion reports whether s may be a package version. Versions are
// free text chosen by plan authors; Wharf requires them to be non-empty,
// at most MaxPartLength bytes of UTF-8, and free of '/', ASCII white space
// and control characters (metadata files are split on white space). A version without
// a digit is valid but never "latest" (see ParseVersionKey). The error
// wraps errs.Invalid.
func ValidVersion(s string) error {
	ok := s != "" && len(s) <= MaxPartLength && utf8.ValidString(s)
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		ok = c > ' ' && c != 0x7f && c != '/'
	}
	if !ok {
		return errs.E(errs.Invalid, "invalid version %s", quote(s))
	}
	return nil
}

// ValidRelease reports whether s is a release: exactly ReleaseLength
// ASCII digits (a UTC timestamp YYYYMMDDhhmmss; the date itself is not
// checked). The error wraps errs.Invalid.
func ValidRelease(s string) error {
	if !isDigits(s, ReleaseLength) {
		return errs.E(errs.Invalid, "invalid release %s: want %d digits", quote(s), ReleaseLength)
	}
	return nil
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isLowerAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// maxQuoted bounds how much of an input an error message repeats.
const maxQuoted = 80

// quote renders s for an error message, shortened when long.
func quote(s string) string {
	if len(s) > maxQuoted {
		return fmt.Sprintf("%q...", s[:maxQuoted])
	}
	return fmt.Sprintf("%q", s)
}
