package config

import (
	"errors"
	"net"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Resolve fills in the derived values left empty: PublicURL from a valid
// Addr (http, with "localhost" for a wildcard or empty host), and the SQLite
// database, blob root and JWT key under DataDir. It also drops trailing
// slashes from PublicURL. Resolve does no I/O and is idempotent.
func (c *Config) Resolve() {
	if c.PublicURL == "" {
		if host, port, ok := splitAddr(c.Addr); ok {
			if host == "" || host == "0.0.0.0" || host == "::" {
				host = "localhost"
			}
			c.PublicURL = "http://" + net.JoinHostPort(host, port)
		}
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if c.Meta.SQLite.Path == "" {
		c.Meta.SQLite.Path = filepath.Join(c.DataDir, "wharf.db")
	}
	if c.Blob.FS.Root == "" {
		c.Blob.FS.Root = filepath.Join(c.DataDir, "blobs")
	}
	if c.Auth.JWTKeyFile == "" {
		c.Auth.JWTKeyFile = filepath.Join(c.DataDir, "jwt.key")
	}
	if c.Auth.SecretKeyFile == "" {
		c.Auth.SecretKeyFile = filepath.Join(c.DataDir, "secret.key")
	}
}

// Validate checks every setting and returns all problems found, joined
// with errors.Join; each is a *FieldError naming the setting's YAML path.
// Values Resolve derives may still be empty. It returns nil when the
// configuration is usable.
func (c *Config) Validate() error {
	var v validator
	if c.Version != Version {
		v.add("version", "unsupported version %d (want %d)", c.Version, Version)
	}
	v.addr("addr", c.Addr)
	if c.PublicURL != "" {
		v.url("public_url", c.PublicURL)
	}
	v.path("data_dir", c.DataDir, true)

	v.oneOf("log.format", c.Log.Format, "text", "json")
	v.oneOf("log.level", c.Log.Level, "debug", "info", "warn", "error")

	switch c.Meta.Driver {
	case "sqlite":
		v.path("meta.sqlite.path", c.Meta.SQLite.Path, false)
	case "postgres":
		if c.Meta.Postgres.DSN == "" && c.Meta.Postgres.DSNFile == "" {
			v.add("meta.postgres.dsn", "required when meta.driver is postgres (or set meta.postgres.dsn_file)")
		}
		v.path("meta.postgres.dsn_file", c.Meta.Postgres.DSNFile, false)
	default:
		v.add("meta.driver", "unknown driver %q (want sqlite or postgres)", c.Meta.Driver)
	}

	switch c.Blob.Driver {
	case "fs":
		v.path("blob.fs.root", c.Blob.FS.Root, false)
	case "s3":
		v.add("blob.driver", "s3 is not built yet (want fs)")
	default:
		v.add("blob.driver", "unknown driver %q (want fs)", c.Blob.Driver)
	}

	v.positive("auth.token_ttl", c.Auth.TokenTTL)
	v.notNegative("auth.user_cache_ttl", c.Auth.UserCacheTTL)
	v.path("auth.jwt_key_file", c.Auth.JWTKeyFile, false)
	v.path("auth.secret_key_file", c.Auth.SecretKeyFile, false)
	if c.Auth.Realm != "" {
		v.url("auth.realm", c.Auth.Realm)
	}

	if c.Limits.MaxManifestBytes <= 0 {
		v.add("limits.max_manifest_bytes", "must be positive")
	}
	if c.Limits.MaxManifestBytes > maxManifestBytes {
		v.add("limits.max_manifest_bytes", "must be at most %d (64 MiB)", maxManifestBytes)
	}
	if c.Limits.MaxGenericFileBytes < 0 {
		v.add("limits.max_generic_file_bytes", "must not be negative (0 means unlimited)")
	}

	v.notNegative("gc.interval", c.GC.Interval)
	v.notNegative("gc.grace_period", c.GC.GracePeriod)
	v.positive("gc.upload_ttl", c.GC.UploadTTL)

	v.positive("server.read_header_timeout", c.Server.ReadHeaderTimeout)
	v.positive("server.idle_timeout", c.Server.IdleTimeout)
	v.positive("server.shutdown_timeout", c.Server.ShutdownTimeout)

	v.validateGenerate(c.GitHub, c.Packages.Generate)
	v.validateHabitat(c.Packages.Habitat)
	return errors.Join(v.probs...)
}

// validator collects problems.
type validator struct{ probs []error }

func (v *validator) add(field, format string, args ...any) {
	v.probs = append(v.probs, problem(field, format, args...))
}

func (v *validator) oneOf(field, val string, allowed ...string) {
	if !slices.Contains(allowed, val) {
		v.add(field, "%q is not one of %s", val, strings.Join(allowed, ", "))
	}
}

func (v *validator) positive(field string, d time.Duration) {
	if d <= 0 {
		v.add(field, "must be a positive duration, got %v", d)
	}
}

func (v *validator) notNegative(field string, d time.Duration) {
	if d < 0 {
		v.add(field, "must not be negative, got %v", d)
	}
}

func (v *validator) path(field, p string, required bool) {
	switch {
	case p == "" && required:
		v.add(field, "is required")
	case strings.ContainsRune(p, 0):
		v.add(field, "contains a NUL byte")
	}
}

func (v *validator) addr(field, a string) {
	if _, _, err := net.SplitHostPort(a); err != nil {
		v.add(field, "%q is not host:port", a)
	} else if _, _, ok := splitAddr(a); !ok {
		v.add(field, "%q has an invalid port", a)
	}
}

// splitAddr splits host:port and reports whether the port is a decimal
// number from 0 to 65535.
func splitAddr(a string) (host, port string, ok bool) {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return "", "", false
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || strconv.FormatUint(n, 10) != port {
		return "", "", false
	}
	return host, port, true
}

// url checks an absolute http or https URL without user, query or
// fragment.
func (v *validator) url(field, s string) {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		v.add(field, "%q is not a URL", s)
	case u.Scheme != "http" && u.Scheme != "https":
		v.add(field, "%q must be an absolute http or https URL", s)
	case u.Host == "" || u.Opaque != "":
		v.add(field, "%q has no host", s)
	case u.User != nil:
		v.add(field, "must not contain credentials")
	case u.RawQuery != "" || u.ForceQuery:
		v.add(field, "%q must not have a query", s)
	case u.Fragment != "" || strings.Contains(s, "#"):
		v.add(field, "%q must not have a fragment", s)
	}
}

// maxManifestBytes is the most limits.max_manifest_bytes may allow: the
// manifest parser's own bound.
const maxManifestBytes = 64 << 20
