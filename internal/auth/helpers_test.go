package auth

import (
	"testing"

	"golang.org/x/crypto/argon2"
)

// cheapKey returns the unpadded base64 argon2id key of pw with m=64, t=1,
// p=1 and the salt "saltsaltsaltsalt".
func cheapKey(t *testing.T, pw string) string {
	t.Helper()
	return b64.EncodeToString(argon2.IDKey([]byte(pw), []byte("saltsaltsaltsalt"), 1, 64, 1, 32))
}
