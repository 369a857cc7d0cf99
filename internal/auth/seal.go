package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// Sealer encrypts the secrets Wharf must show again or use later (robot
// tokens, application secrets, signing keys), so that a copy of the
// metadata database alone does not reveal them. It is AES-256-GCM under a
// key derived from the server's secret key file; each sealed value
// carries its own random nonce. It is safe for concurrent use.
type Sealer struct {
	aead cipher.AEAD
}

// sealVersion is the first byte of every sealed value, so the format can
// change later without guessing.
const sealVersion = 1

// NewSealer returns a Sealer keyed by key, which must hold at least 32
// bytes (see LoadOrCreateKey).
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) < 32 {
		return nil, errors.New("sealer: key is shorter than 32 bytes")
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("wharf seal v1"))
	block, err := aes.NewCipher(mac.Sum(nil))
	if err != nil {
		return nil, fmt.Errorf("sealer: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("sealer: %w", err)
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plain. The result is version, nonce and ciphertext.
func (s *Sealer) Seal(plain []byte) ([]byte, error) {
	out := make([]byte, 1+s.aead.NonceSize(), 1+s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return s.aead.Seal(out, out[1:], plain, nil), nil
}

// Open decrypts what Seal returned. It fails when sealed was made with
// another key or was altered.
func (s *Sealer) Open(sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < 1+n || sealed[0] != sealVersion {
		return nil, errors.New("open sealed value: unknown format")
	}
	plain, err := s.aead.Open(nil, sealed[1:1+n], sealed[1+n:], nil)
	if err != nil {
		return nil, fmt.Errorf("open sealed value: %w", err)
	}
	return plain, nil
}
