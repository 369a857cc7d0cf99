package spicepod

import (
	"fmt"
	"strings"

	"wharf/internal/errs"
)

// InvalidFromMessage is what Spice answers to a `from` field it cannot
// parse; ParseSource's errors carry it as their client message.
const InvalidFromMessage = "Invalid `from` field, specify a github source and retry (e.g. github:{org}/{repo}/{sha}/{path_to_spicepod.yaml})"

// sourcePrefix starts every source Spice knows.
const sourcePrefix = "github:"

// maxSourceLen bounds the `from` field.
const maxSourceLen = 2048

// Source is a spicepod manifest in a GitHub repository at a revision.
type Source struct {
	Org  string // the owner: a user or organisation
	Repo string
	Ref  string // a commit SHA, or a branch or tag name without slashes
	Path string // the manifest's path from the repository root
}

// String returns the source in the form ParseSource reads.
func (s Source) String() string {
	return sourcePrefix + s.Org + "/" + s.Repo + "/" + s.Ref + "/" + s.Path
}

// Immutable reports whether Ref is a full commit SHA (40 hex digits, or 64
// for SHA-256 repositories), so that the files it names never change.
// A branch named like a SHA is taken for one.
func (s Source) Immutable() bool {
	return (len(s.Ref) == 40 || len(s.Ref) == 64) && all(s.Ref, isHex)
}

// SourceError says why a `from` field was refused. Its client message,
// errs.Message, is InvalidFromMessage; Detail is the reason.
type SourceError struct {
	Detail string
}

func (e *SourceError) Error() string { return InvalidFromMessage + ": " + e.Detail }

// Unwrap makes the error an errs.Invalid with InvalidFromMessage.
func (e *SourceError) Unwrap() error { return errs.E(errs.Invalid, "%s", InvalidFromMessage) }

func badSource(detail string) error { return &SourceError{Detail: detail} }

// ParseSource parses "github:{org}/{repo}/{ref}/{path}". The path keeps
// its inner slashes and must pass CheckPath. org and repo are ASCII letters,
// digits, '-', '_' and '.'; ref adds '+'. Unlike Spice, which drops
// everything after a second colon, a colon is kept as part of the path.
// Errors: *SourceError.
func ParseSource(from string) (Source, error) {
	if len(from) > maxSourceLen {
		return Source{}, badSource(fmt.Sprintf("longer than %d bytes", maxSourceLen))
	}
	rest, ok := strings.CutPrefix(from, sourcePrefix)
	if !ok {
		return Source{}, badSource(`does not start with "github:"`)
	}
	parts := strings.SplitN(rest, "/", 4)
	if len(parts) < 4 {
		return Source{}, badSource("needs four parts: org, repository, revision and path")
	}
	s := Source{Org: parts[0], Repo: parts[1], Ref: parts[2], Path: parts[3]}
	switch {
	case !validName(s.Org, isNameByte):
		return Source{}, badSource("invalid organisation name")
	case !validName(s.Repo, isNameByte):
		return Source{}, badSource("invalid repository name")
	case !validName(s.Ref, isRefByte):
		return Source{}, badSource("invalid revision")
	}
	if err := CheckPath(s.Path); err != nil {
		return Source{}, badSource("path " + err.Error())
	}
	return s, nil
}

// validName reports whether s is 1 to 255 bytes of ok bytes, neither "."
// nor "..".
func validName(s string, ok func(byte) bool) bool {
	return s != "" && len(s) <= 255 && s != "." && s != ".." && all(s, ok)
}

func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.'
}

func isRefByte(c byte) bool { return isNameByte(c) || c == '+' }

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func all(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}
