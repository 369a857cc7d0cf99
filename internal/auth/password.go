package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"

	"wharf/internal/errs"
)

// MaxPasswordBytes is the longest password accepted.
const MaxPasswordBytes = 1024

// The argon2id parameters of new hashes (the OWASP minimum for argon2id).
// Existing hashes keep the parameters they were made with.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonSaltLen = 16
	argonKeyLen  = 32
)

// Bounds on the parameters of a stored hash, so that a corrupted or hostile
// record cannot make a check take unbounded memory or time.
const (
	maxArgonMemory = 1 << 20 // KiB (1 GiB)
	maxArgonTime   = 32
	minKeyLen      = 16
	maxKeyLen      = 128
)

var b64 = base64.RawStdEncoding

// HashPassword returns the argon2id hash of pw with a fresh random salt,
// encoded as "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>" (unpadded
// base64). Errors: errs.Invalid when pw is empty or longer than
// MaxPasswordBytes.
func HashPassword(pw string) (string, error) {
	if err := checkPasswordInput(pw); err != nil {
		return "", err
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

func checkPasswordInput(pw string) error {
	switch {
	case pw == "":
		return errs.E(errs.Invalid, "password is empty")
	case len(pw) > MaxPasswordBytes:
		return errs.E(errs.Invalid, "password is longer than %d bytes", MaxPasswordBytes)
	}
	return nil
}

// CheckPassword reports whether pw matches encoded, a hash made by
// HashPassword (possibly with other argon2id parameters). The comparison
// takes constant time. An empty or over-long pw never matches. It returns
// an error, without kind, only when encoded is not a valid argon2id hash.
func CheckPassword(encoded, pw string) (bool, error) {
	h, err := parseArgon(encoded)
	if err != nil {
		return false, err
	}
	if checkPasswordInput(pw) != nil {
		return false, nil
	}
	key := argon2.IDKey([]byte(pw), h.salt, h.time, h.memory, h.threads, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(key, h.key) == 1, nil
}

type argonHash struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

// parseArgon decodes "$argon2id$v=19$m=..,t=..,p=..$salt$key".
func parseArgon(encoded string) (argonHash, error) {
	var h argonHash
	bad := func(why string) (argonHash, error) {
		return argonHash{}, fmt.Errorf("password hash: %s", why)
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return bad("not an argon2id hash")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return bad("unsupported version")
	}
	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return bad("malformed parameters")
	}
	var vals [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		v, ok := strings.CutPrefix(params[i], name)
		if !ok {
			return bad("malformed parameters")
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return bad("malformed parameters")
		}
		vals[i] = n
	}
	if vals[0] < 8 || vals[0] > maxArgonMemory || vals[1] < 1 || vals[1] > maxArgonTime || vals[2] < 1 || vals[2] > 255 {
		return bad("parameters out of range")
	}
	h.memory, h.time, h.threads = uint32(vals[0]), uint32(vals[1]), uint8(vals[2])
	var err error
	if h.salt, err = b64.DecodeString(parts[4]); err != nil || len(h.salt) < 8 {
		return bad("malformed salt")
	}
	if h.key, err = b64.DecodeString(parts[5]); err != nil || len(h.key) < minKeyLen || len(h.key) > maxKeyLen {
		return bad("malformed key")
	}
	return h, nil
}
