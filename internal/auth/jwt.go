package auth

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"wharf/internal/errs"
)

// MinKeyBytes is the shortest signing key NewSigner accepts.
const MinKeyBytes = 32

// jwtLeeway is the clock skew tolerated on exp, nbf and iat.
const jwtLeeway = 30 * time.Second

// Signer issues and verifies the short-lived JWTs of Docker registry token
// authentication, signed with HS256. It is safe for concurrent use.
type Signer struct {
	key      []byte
	issuer   string
	ttl      time.Duration
	now      func() time.Time
	verified verifiedCache
}

// NewSigner returns a Signer that signs with key (at least MinKeyBytes
// long), names itself issuer in the tokens it issues and accepts, and
// issues tokens valid for ttl. An empty issuer means "wharf". Errors:
// errs.Invalid for a short key or a ttl that is not positive.
func NewSigner(key []byte, issuer string, ttl time.Duration) (*Signer, error) {
	if len(key) < MinKeyBytes {
		return nil, errs.E(errs.Invalid, "jwt key is %d bytes, want at least %d", len(key), MinKeyBytes)
	}
	if ttl <= 0 {
		return nil, errs.E(errs.Invalid, "jwt ttl must be positive")
	}
	if issuer == "" {
		issuer = "wharf"
	}
	return &Signer{key: append([]byte(nil), key...), issuer: issuer, ttl: ttl, now: time.Now}, nil
}

// LoadOrCreateKey returns the signing key stored in the file at path. When
// the file does not exist it creates it, readable by its owner only,
// holding 32 fresh random bytes, and any missing parent directories;
// creation is atomic, so concurrent callers
// end up with the same key. Errors: errs.Invalid when an existing file
// holds fewer than MinKeyBytes bytes.
func LoadOrCreateKey(path string) ([]byte, error) {
	key, err := os.ReadFile(path)
	if err == nil {
		if len(key) < MinKeyBytes {
			return nil, errs.E(errs.Invalid, "jwt key file %s holds %d bytes, want at least %d", path, len(key), MinKeyBytes)
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read jwt key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create jwt key: %w", err)
	}
	key = make([]byte, MinKeyBytes)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("jwt key: %w", err)
	}
	if err := writeNewFile(path, key); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return LoadOrCreateKey(path)
		}
		return nil, fmt.Errorf("create jwt key: %w", err)
	}
	return key, nil
}

// writeNewFile writes data to a temporary file beside path, syncs it and
// links it in place, failing with fs.ErrExist when path already exists.
func writeNewFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".jwt-key-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Link(tmp, path)
}

// accessEntry is one element of the "access" claim, in Docker's format.
type accessEntry struct {
	Type    string   `json:"type"`
	Name    string   `json:"name"`
	Actions []string `json:"actions"`
}

type claims struct {
	jwt.RegisteredClaims
	Access    []accessEntry `json:"access"`
	UserID    int64         `json:"uid,omitempty"`
	Superuser bool          `json:"su,omitempty"`
}

// Issue returns a token for p addressed to service and carrying grants,
// with how long it is valid and when it was issued. It signs what it is
// given: the caller decides which of the requested grants p may have
// (normally by asking the Authorizer about each action). A prefix grant is
// encoded as its name followed by "*".
func (s *Signer) Issue(p Principal, service string, grants []Grant) (string, time.Duration, time.Time, error) {
	now := s.now().Truncate(time.Second)
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", 0, time.Time{}, fmt.Errorf("jwt id: %w", err)
	}
	c := claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    s.issuer,
			Subject:   p.Name,
			ExpiresAt: jwt.NewNumericDate(now.Add(s.ttl)),
			NotBefore: jwt.NewNumericDate(now),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        hex.EncodeToString(jti),
		},
		Access:    make([]accessEntry, 0, len(grants)),
		UserID:    p.UserID,
		Superuser: p.Superuser && !p.Anonymous(),
	}
	if service != "" {
		c.Audience = jwt.ClaimStrings{service}
	}
	if p.Anonymous() {
		c.Subject = ""
	}
	for _, g := range grants {
		e := accessEntry{Type: g.Type, Name: g.Name, Actions: make([]string, len(g.Actions))}
		if g.Prefix {
			e.Name += "*"
		}
		for i, a := range g.Actions {
			e.Actions[i] = string(a)
		}
		c.Access = append(c.Access, e)
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(s.key)
	if err != nil {
		return "", 0, time.Time{}, fmt.Errorf("sign jwt: %w", err)
	}
	return tok, s.ttl, now, nil
}

// Verify checks a token issued by s and returns its principal: Restricted,
// with the token's access as Grants. Algorithm, signature, issuer, expiry
// and not-before are checked (with a small leeway for clock skew); when
// service is not empty the audience must include it. Errors:
// errs.Unauthenticated for any token s would not have issued or that has
// expired.
func (s *Signer) Verify(token, service string) (Principal, error) {
	now := s.now()
	if p, ok := s.verified.get(token, service, now); ok {
		return p, nil
	}
	p, exp, err := s.verify(token, service)
	if err != nil {
		return Principal{}, err
	}
	s.verified.put(token, service, p, exp, now)
	return p, nil
}

// verify does Verify's checks and also returns when the token expires.
func (s *Signer) verify(token, service string) (Principal, time.Time, error) {
	opts := []jwt.ParserOption{
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(s.issuer),
		jwt.WithLeeway(jwtLeeway),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(s.now),
	}
	if service != "" {
		opts = append(opts, jwt.WithAudience(service))
	}
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return s.key, nil }, opts...)
	if err != nil {
		return Principal{}, time.Time{}, errs.Wrap(errs.Unauthenticated, "invalid token", err)
	}
	if (c.UserID == 0) != (c.Subject == "") || (c.UserID == 0 && c.Superuser) || c.UserID < 0 {
		return Principal{}, time.Time{}, errs.E(errs.Unauthenticated, "invalid token")
	}
	p := Principal{UserID: c.UserID, Name: c.Subject, Superuser: c.Superuser, Restricted: true}
	for _, e := range c.Access {
		g := Grant{Type: e.Type, Name: e.Name}
		if n, ok := strings.CutSuffix(e.Name, "*"); ok {
			g.Name, g.Prefix = n, true
		}
		for _, a := range e.Actions {
			g.Actions = append(g.Actions, Action(a))
		}
		p.Grants = append(p.Grants, g)
	}
	return p, c.ExpiresAt.Time, nil
}
