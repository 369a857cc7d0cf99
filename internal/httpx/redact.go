package httpx

import (
	"net/url"
	"strings"
)

// redacted replaces query values that may be secret.
const redacted = "REDACTED"

// safeParam reports whether the values of query parameter key are safe to
// log. Everything else (token, password, signatures, unknown keys) is
// redacted.
func safeParam(key string) bool {
	switch key {
	case "n", "last", "digest", "mount", "from", "scope", "service", "artifactType":
		return true
	}
	return false
}

// secretPaths are path prefixes whose next segment is a secret, such as
// the code of a team invitation.
var secretPaths = []string{"/api/v1/teaminvite/"}

// logPath returns u's escaped path and query for the access log, with the
// value of every query parameter not known to be safe, and every secret
// path segment, replaced by REDACTED. Parameter order and keys are kept as
// sent.
func logPath(u *url.URL) string {
	p := u.EscapedPath()
	for _, prefix := range secretPaths {
		if rest, ok := strings.CutPrefix(p, prefix); ok && rest != "" {
			_, tail, _ := strings.Cut(rest, "/")
			p = prefix + redacted
			if tail != "" {
				p += "/" + tail
			}
		}
	}
	if u.RawQuery == "" {
		return p
	}
	var b strings.Builder
	b.Grow(len(p) + 1 + len(u.RawQuery))
	b.WriteString(p)
	b.WriteByte('?')
	for i, pair := range strings.Split(u.RawQuery, "&") {
		if i > 0 {
			b.WriteByte('&')
		}
		rawKey, _, hasValue := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(rawKey)
		if !hasValue || (err == nil && safeParam(key)) {
			b.WriteString(pair)
			continue
		}
		b.WriteString(rawKey)
		b.WriteString("=" + redacted)
	}
	return b.String()
}
