package hab

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/curve25519"
	"golang.org/x/crypto/nacl/box"

	"wharf/internal/errs"
)

// KeyType is the kind of a key file, named by its first line.
type KeyType int

// The key types Builder stores. Their zero value is not a key type.
const (
	SigPublic KeyType = iota + 1 // SIG-PUB-1: Ed25519 public key, 32 bytes
	SigSecret                    // SIG-SEC-1: Ed25519 secret key (seed ‖ public), 64 bytes
	BoxPublic                    // BOX-PUB-1: Curve25519 public key, 32 bytes
	BoxSecret                    // BOX-SEC-1: Curve25519 secret key, 32 bytes
)

var keyTypes = [...]struct {
	version, suffix string
	size            int
}{
	SigPublic: {"SIG-PUB-1", ".pub", ed25519.PublicKeySize},
	SigSecret: {"SIG-SEC-1", ".sig.key", ed25519.PrivateKeySize},
	BoxPublic: {"BOX-PUB-1", ".pub", 32},
	BoxSecret: {"BOX-SEC-1", ".box.key", 32},
}

// String returns the version line of the key type, such as "SIG-PUB-1".
func (t KeyType) String() string {
	if !t.valid() {
		return fmt.Sprintf("KeyType(%d)", int(t))
	}
	return keyTypes[t].version
}

func (t KeyType) valid() bool { return t >= SigPublic && t <= BoxSecret }

// suffix is the file name suffix of the key type.
func (t KeyType) suffix() string {
	if !t.valid() {
		return ""
	}
	return keyTypes[t].suffix
}

// Key is a parsed key file: its type, the name and revision on its second
// line, and the raw key bytes.
type Key struct {
	Type     KeyType
	Name     string // the origin, for origin keys
	Revision string // YYYYMMDDhhmmss
	Material []byte
}

// NameWithRevision returns "<name>-<revision>", the key's second line.
func (k Key) NameWithRevision() string { return k.Name + "-" + k.Revision }

// FileName returns the file name of the key, also sent as X-Filename:
// <name>-<rev>.pub for public keys, .sig.key and .box.key for secret ones.
func (k Key) FileName() string { return k.NameWithRevision() + k.Type.suffix() }

// String formats the key file: version line, name with revision, a blank
// line and the standard base64 of the material, without a final newline.
func (k Key) String() string {
	return k.Type.String() + "\n" + k.NameWithRevision() + "\n\n" + base64.StdEncoding.EncodeToString(k.Material)
}

// ParseKey parses a key file. Lines are trimmed of white space and a final
// newline is optional; the third line must be blank. The material must
// have the size of its type. want, when not zero, is the only type
// accepted. The error wraps errs.Invalid.
func ParseKey(text string, want KeyType) (Key, error) {
	lines := strings.Split(strings.TrimRight(text, " \t\r\n"), "\n")
	if len(lines) != 4 {
		return Key{}, errs.E(errs.Invalid, "invalid key file: want 4 lines, found %d", len(lines))
	}
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	var k Key
	for t := SigPublic; t <= BoxSecret; t++ {
		if lines[0] == keyTypes[t].version {
			k.Type = t
		}
	}
	if k.Type == 0 {
		return Key{}, errs.E(errs.Invalid, "invalid key file: unknown key type %s", quote(lines[0]))
	}
	if want != 0 && k.Type != want {
		return Key{}, errs.E(errs.Invalid, "invalid key file: a %s key where a %s key is expected", k.Type, want)
	}
	var err error
	if k.Name, k.Revision, err = ParseNameWithRevision(lines[1]); err != nil {
		return Key{}, err
	}
	if lines[2] != "" {
		return Key{}, errs.E(errs.Invalid, "invalid key file: the third line must be blank")
	}
	if k.Material, err = base64.StdEncoding.DecodeString(lines[3]); err != nil {
		return Key{}, errs.E(errs.Invalid, "invalid key file: the key is not base64")
	}
	if n := keyTypes[k.Type].size; len(k.Material) != n {
		return Key{}, errs.E(errs.Invalid, "invalid key file: a %s key has %d bytes, found %d", k.Type, n, len(k.Material))
	}
	if k.Type == SigSecret && !bytes.Equal(ed25519.NewKeyFromSeed(k.Material[:ed25519.SeedSize])[ed25519.SeedSize:], k.Material[ed25519.SeedSize:]) {
		return Key{}, errs.E(errs.Invalid, "invalid key file: the secret key does not match its public half")
	}
	return k, nil
}

// ParseNameWithRevision splits "<name>-<YYYYMMDDhhmmss>" (^(.+)-(\d{14})$).
// The name must be UTF-8 without white space or control characters. The
// error wraps errs.Invalid.
func ParseNameWithRevision(s string) (name, revision string, err error) {
	i := len(s) - ReleaseLength - 1
	if i < 1 || s[i] != '-' || !isDigits(s[i+1:], ReleaseLength) || !validKeyName(s[:i]) {
		return "", "", errs.E(errs.Invalid, "invalid key name %s: want <name>-<YYYYMMDDhhmmss>", quote(s))
	}
	return s[:i], s[i+1:], nil
}

func validKeyName(s string) bool {
	if len(s) > MaxPartLength || !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] == 0x7f {
			return false
		}
	}
	return true
}

// Revision returns the revision of a key made at t: its UTC time as
// YYYYMMDDhhmmss.
func Revision(t time.Time) string { return t.UTC().Format("20060102150405") }

// GenerateSigningPair makes an Ed25519 key pair for name (an origin) with
// the revision of t, reading randomness from rand (crypto/rand.Reader in
// production). It returns the SIG-PUB-1 and SIG-SEC-1 keys.
func GenerateSigningPair(name string, t time.Time, rand io.Reader) (public, secret Key, err error) {
	pub, sec, err := ed25519.GenerateKey(rand)
	if err != nil {
		return Key{}, Key{}, fmt.Errorf("generating signing key: %w", err)
	}
	rev := Revision(t)
	return Key{SigPublic, name, rev, pub}, Key{SigSecret, name, rev, sec}, nil
}

// GenerateBoxPair makes a Curve25519 key pair for name (an origin) with
// the revision of t, reading randomness from rand. It returns the
// BOX-PUB-1 and BOX-SEC-1 keys.
func GenerateBoxPair(name string, t time.Time, rand io.Reader) (public, secret Key, err error) {
	pub, sec, err := box.GenerateKey(rand)
	if err != nil {
		return Key{}, Key{}, fmt.Errorf("generating encryption key: %w", err)
	}
	rev := Revision(t)
	return Key{BoxPublic, name, rev, pub[:]}, Key{BoxSecret, name, rev, sec[:]}, nil
}

// Public returns the public key of a secret key: SIG-SEC-1 gives SIG-PUB-1
// and BOX-SEC-1 gives BOX-PUB-1. A public key is returned as it is.
func (k Key) Public() Key {
	switch k.Type {
	case SigSecret:
		return Key{SigPublic, k.Name, k.Revision, ed25519.PrivateKey(k.Material).Public().(ed25519.PublicKey)}
	case BoxSecret:
		pub, err := curve25519.X25519(k.Material, curve25519.Basepoint)
		if err != nil {
			// X25519 fails only for an all-zero product, and a clamped
			// scalar is never a multiple of the base point's order.
			panic(err)
		}
		return Key{BoxPublic, k.Name, k.Revision, pub}
	}
	return k
}
