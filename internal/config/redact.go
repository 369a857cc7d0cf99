package config

import (
	"fmt"
	"net/url"
	"regexp"

	"gopkg.in/yaml.v3"
)

// mask replaces secrets in output.
const mask = "xxxxx"

// Redacted returns a copy of c with secrets masked, fit for logs.
func (c Config) Redacted() Config {
	c.Meta.Postgres.DSN = redactDSN(c.Meta.Postgres.DSN)
	return c
}

// String returns the configuration as YAML with secrets masked.
func (c Config) String() string {
	b, err := yaml.Marshal(c.Redacted())
	if err != nil {
		return fmt.Sprintf("config: %v", err)
	}
	return string(b)
}

// String describes p with its DSN masked.
func (p Postgres) String() string {
	return fmt.Sprintf("{dsn:%s dsn_file:%s}", redactDSN(p.DSN), p.DSNFile)
}

// GoString is String, so that %#v does not print the DSN either.
func (p Postgres) GoString() string { return p.String() }

// kvPassword finds the password of a key=value DSN: a single-quoted value
// with backslash escapes or a run of non-blanks.
var kvPassword = regexp.MustCompile(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'?|\S*)`)

// redactDSN masks the password of a PostgreSQL DSN in URL or key=value
// form. A DSN it cannot read is masked whole.
func redactDSN(dsn string) string {
	if dsn == "" {
		return ""
	}
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), mask)
		}
		q := u.Query()
		for k := range q {
			if k == "password" || k == "sslpassword" {
				q.Set(k, mask)
			}
		}
		u.RawQuery = q.Encode()
		return u.String()
	}
	if hasScheme.MatchString(dsn) {
		return mask
	}
	return kvPassword.ReplaceAllString(dsn, "${1}"+mask)
}

// hasScheme matches strings that look like URLs.
var hasScheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://`)
