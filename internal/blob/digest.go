package blob

import (
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"strings"

	"wharf/internal/errs"
)

// hexLen returns the length of the hex part of a digest of a supported
// algorithm.
func hexLen(alg string) (int, bool) {
	switch alg {
	case "sha256":
		return 64, true
	case "sha512":
		return 128, true
	}
	return 0, false
}

// ParseDigest splits an "algorithm:hex" digest and checks it strictly, as
// every Store does with the digests it is given: the algorithm must be
// sha256 or sha512 and the hex part lowercase and of the algorithm's
// length. Errors: errs.Invalid.
func ParseDigest(digest string) (alg, hex string, err error) {
	alg, hex, ok := strings.Cut(digest, ":")
	if !ok || !validAlgorithm(alg) {
		return "", "", errs.E(errs.Invalid, "invalid digest %q", clip(digest))
	}
	n, ok := hexLen(alg)
	if !ok {
		return "", "", errs.E(errs.Invalid, "unsupported digest algorithm %q", clip(alg))
	}
	if len(hex) != n || !isLowerHex(hex) {
		return "", "", errs.E(errs.Invalid, "invalid digest %q", clip(digest))
	}
	return alg, hex, nil
}

// NewHash returns a fresh hash for an algorithm ParseDigest accepts.
func NewHash(alg string) hash.Hash {
	if alg == "sha512" {
		return sha512.New()
	}
	return sha256.New()
}

// validAlgorithm reports whether s follows the OCI algorithm grammar
// [a-z0-9]+([+._-][a-z0-9]+)*.
func validAlgorithm(s string) bool {
	if s == "" {
		return false
	}
	sep := true // at the start, as after a separator, a letter must follow
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			sep = false
		case c == '+' || c == '.' || c == '_' || c == '-':
			if sep {
				return false
			}
			sep = true
		default:
			return false
		}
	}
	return !sep
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// validID reports whether id is a usable upload id: 1 to 128 characters
// from [A-Za-z0-9-].
func validID(id string) bool {
	if len(id) == 0 || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// CheckUploadID returns errs.Invalid unless id is a usable upload id: 1 to
// 128 characters from [A-Za-z0-9-].
func CheckUploadID(id string) error {
	if !validID(id) {
		return errs.E(errs.Invalid, "invalid upload id %q", clip(id))
	}
	return nil
}

// clip shortens s for an error message so that hostile input cannot make
// messages arbitrarily long.
func clip(s string) string {
	const max = 140
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}
