package hab

import (
	"encoding/base64"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/nacl/box"

	"wharf/internal/errs"
)

// boxVersion is the first line of an anonymous box.
const boxVersion = "ANONYMOUS-BOX-1"

// MaxSecretSize bounds the text of an anonymous box ParseAnonymousBox
// accepts.
const MaxSecretSize = 64 << 10

// AnonymousBox is an origin secret: a value sealed (libsodium
// crypto_box_seal) to the origin's public encryption key. Its text is
//
//	ANONYMOUS-BOX-1
//	<origin>-<revision of the encryption key>
//	<standard base64 of the ciphertext>
type AnonymousBox struct {
	Receiver   string // the encryption key's name with revision
	Ciphertext []byte
}

// String formats the box as text, without a final newline.
func (b AnonymousBox) String() string {
	return boxVersion + "\n" + b.Receiver + "\n" + base64.StdEncoding.EncodeToString(b.Ciphertext)
}

// ParseAnonymousBox parses the text of an anonymous box. Lines are trimmed
// of white space; a final newline is optional. It does not decrypt. The
// error wraps errs.Invalid, or errs.TooLarge above MaxSecretSize.
func ParseAnonymousBox(text string) (AnonymousBox, error) {
	if len(text) > MaxSecretSize {
		return AnonymousBox{}, errs.E(errs.TooLarge, "secret larger than %d bytes", MaxSecretSize)
	}
	lines := strings.Split(strings.TrimRight(text, " \t\r\n"), "\n")
	if len(lines) != 3 {
		return AnonymousBox{}, errs.E(errs.Invalid, "invalid secret: want 3 lines, found %d", len(lines))
	}
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	if lines[0] != boxVersion {
		return AnonymousBox{}, errs.E(errs.Invalid, "invalid secret: want %s, found %s", boxVersion, quote(lines[0]))
	}
	if _, _, err := ParseNameWithRevision(lines[1]); err != nil {
		return AnonymousBox{}, errs.E(errs.Invalid, "invalid secret: %s", errs.Message(err))
	}
	ct, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil {
		return AnonymousBox{}, errs.E(errs.Invalid, "invalid secret: the ciphertext is not base64")
	}
	if len(ct) < box.AnonymousOverhead {
		return AnonymousBox{}, errs.E(errs.Invalid, "invalid secret: the ciphertext is shorter than a sealed box")
	}
	return AnonymousBox{Receiver: lines[1], Ciphertext: ct}, nil
}

// SealAnonymous seals plaintext to a BOX-PUB-1 key, reading randomness
// from rand (crypto/rand.Reader in production).
func SealAnonymous(plaintext []byte, to Key, rand io.Reader) (AnonymousBox, error) {
	if to.Type != BoxPublic || len(to.Material) != 32 {
		return AnonymousBox{}, errs.E(errs.Invalid, "sealing needs a %s key", BoxPublic)
	}
	ct, err := box.SealAnonymous(nil, plaintext, (*[32]byte)(to.Material), rand)
	if err != nil {
		return AnonymousBox{}, fmt.Errorf("sealing secret: %w", err)
	}
	return AnonymousBox{Receiver: to.NameWithRevision(), Ciphertext: ct}, nil
}

// Open decrypts the box with a BOX-SEC-1 key, which must be the one the
// box names. The error wraps errs.Invalid when the key is not the box's
// receiver or the ciphertext does not open.
func (b AnonymousBox) Open(key Key) ([]byte, error) {
	if key.Type != BoxSecret || len(key.Material) != 32 {
		return nil, errs.E(errs.Invalid, "opening a secret needs a %s key", BoxSecret)
	}
	if key.NameWithRevision() != b.Receiver {
		return nil, errs.E(errs.Invalid, "secret is sealed to %s, not to %s", quote(b.Receiver), quote(key.NameWithRevision()))
	}
	pub := key.Public()
	plain, ok := box.OpenAnonymous(nil, b.Ciphertext, (*[32]byte)(pub.Material), (*[32]byte)(key.Material))
	if !ok {
		return nil, errs.E(errs.Invalid, "secret cannot be decrypted with %s", quote(b.Receiver))
	}
	return plain, nil
}
