package hab

import (
	"slices"

	"wharf/internal/errs"
)

// DefaultTarget is the target assumed when a request names none.
const DefaultTarget = "x86_64-linux"

// knownTargets are the package targets the hab tooling knows, in its
// order. A server serves a configured subset of them.
var knownTargets = []string{
	"x86_64-linux",
	"x86_64-linux-kernel2",
	"x86_64-windows",
	"x86_64-darwin",
	"aarch64-linux",
	"aarch64-darwin",
	"aarch64-windows",
}

// KnownTargets returns the targets the hab tooling knows; the slice is the
// caller's.
func KnownTargets() []string { return slices.Clone(knownTargets) }

// ValidTarget reports whether s is a known target. The error wraps
// errs.Invalid with Builder's message "Invalid package target '<s>'".
func ValidTarget(s string) error {
	if !slices.Contains(knownTargets, s) {
		if len(s) > maxQuoted {
			s = s[:maxQuoted] + "..."
		}
		return errs.E(errs.Invalid, "Invalid package target '%s'", s)
	}
	return nil
}
