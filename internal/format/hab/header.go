package hab

import (
	"bufio"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"strings"

	"wharf/internal/errs"
)

// The fixed lines of a .hart header.
const (
	FormatVersion = "HART-1"
	HashType      = "BLAKE2b"
)

// maxHeaderLine bounds a header line; a real one is under 300 bytes.
const maxHeaderLine = 4096

// Header is the text header of a .hart: the signing key and the combined
// signature of the payload.
type Header struct {
	KeyName   string // "<origin>-<revision>" of the SIG key that signed the payload
	Signature []byte // Ed25519 signature (64 bytes) followed by the signed message
}

// KeyOrigin returns the origin part of KeyName, or "" if it has none.
func (h Header) KeyOrigin() string {
	n, _, _ := ParseNameWithRevision(h.KeyName)
	return n
}

// KeyRevision returns the revision part of KeyName, or "" if it has none.
func (h Header) KeyRevision() string {
	_, r, _ := ParseNameWithRevision(h.KeyName)
	return r
}

// String formats the header, the blank line included.
func (h Header) String() string {
	return FormatVersion + "\n" + h.KeyName + "\n" + HashType + "\n" + base64.StdEncoding.EncodeToString(h.Signature) + "\n\n"
}

// readHeader reads the five header lines from br, leaving it at the first
// byte of the payload. Its errors are *ArchiveError of StageArchive, or
// the source's own error.
func readHeader(br *bufio.Reader) (Header, error) {
	var lines [5]string
	for i := range lines {
		line, err := readLine(br)
		if err != nil {
			return Header{}, err
		}
		lines[i] = line
	}
	if lines[0] != FormatVersion {
		return Header{}, archiveErr(StageArchive, "unsupported format version %s", quote(lines[0]))
	}
	if _, _, err := ParseNameWithRevision(lines[1]); err != nil {
		return Header{}, archiveErr(StageArchive, "%s", errs.Message(err))
	}
	if lines[2] != HashType {
		return Header{}, archiveErr(StageArchive, "unsupported hash type %s", quote(lines[2]))
	}
	sig, err := base64.StdEncoding.DecodeString(lines[3])
	if err != nil {
		return Header{}, archiveErr(StageArchive, "signature is not base64")
	}
	if lines[4] != "" {
		return Header{}, archiveErr(StageArchive, "header does not end in a blank line")
	}
	return Header{KeyName: lines[1], Signature: sig}, nil
}

// readLine reads one '\n'-terminated line of at most maxHeaderLine bytes
// and trims white space from it.
func readLine(br *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		frag, err := br.ReadSlice('\n')
		b.Write(frag)
		if b.Len() > maxHeaderLine {
			return "", archiveErr(StageArchive, "header line longer than %d bytes", maxHeaderLine)
		}
		switch {
		case err == nil:
			return strings.TrimSpace(b.String()), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			return "", archiveErr(StageArchive, "header ends early")
		default:
			return "", err
		}
	}
}

// signHeader signs a payload digest (lowercase hex BLAKE2b-256) with a
// SIG-SEC-1 key, making the combined signature signature ‖ message.
func signHeader(key Key, payloadDigest string) (Header, error) {
	if key.Type != SigSecret || len(key.Material) != ed25519.PrivateKeySize {
		return Header{}, errs.E(errs.Invalid, "signing needs a %s key", SigSecret)
	}
	if b, err := hex.DecodeString(payloadDigest); err != nil || len(b) != 32 || hex.EncodeToString(b) != payloadDigest {
		return Header{}, errs.E(errs.Invalid, "payload digest %s is not 64 lowercase hex digits", quote(payloadDigest))
	}
	msg := []byte(payloadDigest)
	sig := ed25519.Sign(ed25519.PrivateKey(key.Material), msg)
	return Header{KeyName: key.NameWithRevision(), Signature: append(sig, msg...)}, nil
}

// VerifySignature checks that the archive's combined signature was made by
// the SIG-PUB-1 key pub, which must be the key the header names, and that
// the message it signs is the archive's payload digest. The error wraps
// errs.Invalid.
func VerifySignature(a *Archive, pub Key) error {
	if pub.Type != SigPublic || len(pub.Material) != ed25519.PublicKeySize {
		return errs.E(errs.Invalid, "verifying needs a %s key", SigPublic)
	}
	if pub.NameWithRevision() != a.Header.KeyName {
		return errs.E(errs.Invalid, "archive is signed by %s, not %s", quote(a.Header.KeyName), quote(pub.NameWithRevision()))
	}
	sig := a.Header.Signature
	if len(sig) != ed25519.SignatureSize+hex.EncodedLen(32) {
		return errs.E(errs.Invalid, "archive signature has %d bytes, want %d", len(sig), ed25519.SignatureSize+hex.EncodedLen(32))
	}
	msg := sig[ed25519.SignatureSize:]
	if !ed25519.Verify(ed25519.PublicKey(pub.Material), msg, sig[:ed25519.SignatureSize]) {
		return errs.E(errs.Invalid, "archive signature does not verify with %s", quote(pub.NameWithRevision()))
	}
	if string(msg) != a.PayloadDigest {
		return errs.E(errs.Invalid, "archive payload does not match its signature")
	}
	return nil
}
