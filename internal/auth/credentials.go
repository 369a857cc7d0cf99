package auth

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"wharf/internal/errs"
)

// CredKind says what form of credentials a request carried.
type CredKind int

// Credential kinds.
const (
	None   CredKind = iota // no Authorization header
	Basic                  // "Basic base64(user:password)"
	Bearer                 // "Bearer <token>"
	Token                  // "token <token>", the Gitea form
)

func (k CredKind) String() string {
	switch k {
	case None:
		return "none"
	case Basic:
		return "basic"
	case Bearer:
		return "bearer"
	case Token:
		return "token"
	}
	return "unknown"
}

// Credentials are what a request presented. User and Password are set for
// Basic; Token for Bearer and Token.
type Credentials struct {
	Kind     CredKind
	User     string
	Password string
	Token    string
}

// maxAuthorization bounds the Authorization header value accepted.
const maxAuthorization = 8 << 10

// ParseAuthorization parses an Authorization header value. The scheme is
// case-insensitive; an empty header gives Kind None. Errors:
// errs.Unauthenticated for an unknown scheme or a malformed value.
func ParseAuthorization(header string) (Credentials, error) {
	header = strings.TrimSpace(header)
	if header == "" {
		return Credentials{}, nil
	}
	if len(header) > maxAuthorization {
		return Credentials{}, errs.E(errs.Unauthenticated, "authorization header too long")
	}
	scheme, value, _ := strings.Cut(header, " ")
	value = strings.TrimSpace(value)
	switch strings.ToLower(scheme) {
	case "basic":
		return parseBasic(value)
	case "bearer":
		return parseBearer(Bearer, value)
	case "token":
		return parseBearer(Token, value)
	}
	return Credentials{}, errs.E(errs.Unauthenticated, "unsupported authorization scheme")
}

func parseBasic(value string) (Credentials, error) {
	raw, err := base64.StdEncoding.DecodeString(value)
	if err != nil {
		// Some clients leave out the padding.
		raw, err = base64.RawStdEncoding.DecodeString(value)
	}
	if err != nil || value == "" {
		return Credentials{}, errs.E(errs.Unauthenticated, "malformed basic credentials")
	}
	s := string(raw)
	user, pw, ok := strings.Cut(s, ":")
	if !ok || !utf8.ValidString(s) || strings.ContainsFunc(user, isCtl) {
		return Credentials{}, errs.E(errs.Unauthenticated, "malformed basic credentials")
	}
	return Credentials{Kind: Basic, User: user, Password: pw}, nil
}

func parseBearer(kind CredKind, value string) (Credentials, error) {
	if value == "" || strings.ContainsFunc(value, func(r rune) bool { return r == ' ' || r == '\t' || isCtl(r) }) {
		return Credentials{}, errs.E(errs.Unauthenticated, "malformed %s credentials", kind)
	}
	return Credentials{Kind: kind, Token: value}, nil
}

func isCtl(r rune) bool { return r < 0x20 || r == 0x7f }
