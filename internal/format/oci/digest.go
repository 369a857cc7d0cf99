package oci

import (
	"strings"

	"wharf/internal/errs"
)

// Digest is a content digest, "algorithm:encoded". Only digests returned by
// ParseDigest are known to be well formed.
type Digest struct {
	Algorithm string // "sha256" or "sha512"
	Hex       string // the lowercase hex encoding of the hash
}

// String returns the digest in its "algorithm:hex" form.
func (d Digest) String() string { return d.Algorithm + ":" + d.Hex }

// hexLen returns the encoded length of a supported algorithm, or false.
func hexLen(alg string) (int, bool) {
	switch alg {
	case "sha256":
		return 64, true
	case "sha512":
		return 128, true
	}
	return 0, false
}

// ParseDigest parses a digest of the image spec's grammar:
//
//	digest                ::= algorithm ":" encoded
//	algorithm             ::= algorithm-component (algorithm-separator algorithm-component)*
//	algorithm-component   ::= [a-z0-9]+
//	algorithm-separator   ::= [+._-]
//	encoded               ::= [a-zA-Z0-9=_-]+
//
// sha256 (64 lowercase hex digits) and sha512 (128) are accepted. A digest
// that fits the grammar but names another algorithm wraps errs.Unsupported;
// anything else, including uppercase hex or a wrong length for sha256 and
// sha512, wraps errs.Invalid.
func ParseDigest(s string) (Digest, error) {
	alg, enc, ok := strings.Cut(s, ":")
	if !ok {
		return Digest{}, errs.E(errs.Invalid, "invalid digest %s: want algorithm:encoded", quote(s))
	}
	if !validAlgorithm(alg) {
		return Digest{}, errs.E(errs.Invalid, "invalid digest %s: malformed algorithm", quote(s))
	}
	if !validEncoded(enc) {
		return Digest{}, errs.E(errs.Invalid, "invalid digest %s: malformed encoded part", quote(s))
	}
	n, ok := hexLen(alg)
	if !ok {
		return Digest{}, errs.E(errs.Unsupported, "unsupported digest algorithm %s", quote(alg))
	}
	if len(enc) != n || !lowerHex(enc) {
		return Digest{}, errs.E(errs.Invalid, "invalid digest %s: %s needs %d lowercase hex digits", quote(s), alg, n)
	}
	return Digest{Algorithm: alg, Hex: enc}, nil
}

// IsDigest reports whether a manifest reference is meant as a digest rather
// than a tag: tags cannot contain ':'. It does not check the digest.
func IsDigest(ref string) bool { return strings.IndexByte(ref, ':') >= 0 }

func validAlgorithm(s string) bool {
	afterSep := true // at the start, as after a separator, a component must begin
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			afterSep = false
		case c == '+' || c == '.' || c == '_' || c == '-':
			if afterSep {
				return false
			}
			afterSep = true
		default:
			return false
		}
	}
	return !afterSep
}

func validEncoded(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '=' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func lowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
