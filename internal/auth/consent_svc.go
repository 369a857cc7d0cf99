package auth

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"wharf/internal/errs"
)

// ConsentTTL is how long an OAuth consent form may be submitted after it
// was shown.
const ConsentTTL = 10 * time.Minute

// consentLabel starts every consent token, so that no other sealed value
// passes for one.
const consentLabel = "wharf oauth consent v1"

// SealConsent returns an opaque token that binds a consent form to the
// browser that was shown it (nonce, the value of a cookie set with the
// form) and to the authorization request (fields, the request's
// parameters in a fixed encoding). It is valid for ConsentTTL on every
// server sharing the secret key. Errors: errs.Unavailable without a
// sealer.
func (s *Service) SealConsent(nonce, fields string) (string, error) {
	if s.sealer == nil {
		return "", errs.E(errs.Unavailable, "no server secret key is configured")
	}
	plain := strings.Join([]string{consentLabel,
		strconv.FormatInt(s.now().Add(ConsentTTL).Unix(), 10), digest(nonce), digest(fields)}, "\n")
	sealed, err := s.sealer.Seal([]byte(plain))
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(sealed), nil
}

// CheckConsent verifies a token SealConsent made for the same nonce and
// fields that has not expired. Errors: errs.Invalid otherwise.
func (s *Service) CheckConsent(token, nonce, fields string) error {
	bad := errs.E(errs.Invalid, "the form has expired or was not issued for this request; reload the page")
	if s.sealer == nil || nonce == "" {
		return bad
	}
	sealed, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return bad
	}
	plain, err := s.sealer.Open(sealed)
	if err != nil {
		return bad
	}
	parts := strings.Split(string(plain), "\n")
	if len(parts) != 4 || parts[0] != consentLabel {
		return bad
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || !s.now().Before(time.Unix(exp, 0)) {
		return bad
	}
	want := digest(nonce) + digest(fields)
	if subtle.ConstantTimeCompare([]byte(parts[2]+parts[3]), []byte(want)) != 1 {
		return bad
	}
	return nil
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
