package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"strings"
)

// TokenPrefix starts every API token secret, so that secrets are easy to
// recognise (by people and by secret scanners) and to tell from JWTs.
const TokenPrefix = "wharf_"

// tokenRandBytes random bytes make the 40 base32 characters of a secret.
const tokenRandBytes = 25

var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewTokenSecret returns a fresh API token secret: TokenPrefix followed by
// 40 lower-case base32 characters (200 random bits).
func NewTokenSecret() (string, error) {
	b := make([]byte, tokenRandBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("token secret: %w", err)
	}
	return TokenPrefix + tokenEncoding.EncodeToString(b), nil
}

// HashToken returns the hex sha256 of a token secret, the form stored in
// meta.Token.Hash.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// looksLikeToken reports whether s has the shape of an API token secret.
// It is a cheap filter; only a store lookup tells whether the token exists.
func looksLikeToken(s string) bool {
	rest, ok := strings.CutPrefix(s, TokenPrefix)
	return ok && len(rest) == 40
}
