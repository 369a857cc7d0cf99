package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// envVar binds an environment variable to the setting at a YAML path.
type envVar struct {
	name  string
	field string
	set   func(c *Config, v string) error
}

// envVars returns the variables Load reads, in the order of the fields
// they set.
func envVars() []envVar {
	return append([]envVar{
		{"WHARF_ADDR", "addr", str(func(c *Config) *string { return &c.Addr })},
		{"WHARF_PUBLIC_URL", "public_url", str(func(c *Config) *string { return &c.PublicURL })},
		{"WHARF_DATA", "data_dir", str(func(c *Config) *string { return &c.DataDir })},
		{"WHARF_LOG_FORMAT", "log.format", str(func(c *Config) *string { return &c.Log.Format })},
		{"WHARF_LOG_LEVEL", "log.level", str(func(c *Config) *string { return &c.Log.Level })},
		{"WHARF_META_DRIVER", "meta.driver", str(func(c *Config) *string { return &c.Meta.Driver })},
		{"WHARF_SQLITE_PATH", "meta.sqlite.path", str(func(c *Config) *string { return &c.Meta.SQLite.Path })},
		{"WHARF_POSTGRES_DSN", "meta.postgres.dsn", str(func(c *Config) *string { return &c.Meta.Postgres.DSN })},
		{"WHARF_POSTGRES_DSN_FILE", "meta.postgres.dsn_file", str(func(c *Config) *string { return &c.Meta.Postgres.DSNFile })},
		{"WHARF_BLOB_DRIVER", "blob.driver", str(func(c *Config) *string { return &c.Blob.Driver })},
		{"WHARF_BLOB_ROOT", "blob.fs.root", str(func(c *Config) *string { return &c.Blob.FS.Root })},
		{"WHARF_FSYNC", "blob.fs.fsync", boolean(func(c *Config) *bool { return &c.Blob.FS.Fsync })},
		{"WHARF_TOKEN_TTL", "auth.token_ttl", duration(func(c *Config) *time.Duration { return &c.Auth.TokenTTL })},
		{"WHARF_USER_CACHE_TTL", "auth.user_cache_ttl", duration(func(c *Config) *time.Duration { return &c.Auth.UserCacheTTL })},
		{"WHARF_JWT_KEY_FILE", "auth.jwt_key_file", str(func(c *Config) *string { return &c.Auth.JWTKeyFile })},
		{"WHARF_SECRET_KEY_FILE", "auth.secret_key_file", str(func(c *Config) *string { return &c.Auth.SecretKeyFile })},
		{"WHARF_SIGN_UP", "auth.sign_up", boolean(func(c *Config) *bool { return &c.Auth.SignUp })},
		{"WHARF_AUTH_REALM", "auth.realm", str(func(c *Config) *string { return &c.Auth.Realm })},
		{"WHARF_MAX_MANIFEST_BYTES", "limits.max_manifest_bytes", integer(func(c *Config) *int64 { return &c.Limits.MaxManifestBytes })},
		{"WHARF_MAX_GENERIC_FILE_BYTES", "limits.max_generic_file_bytes", integer(func(c *Config) *int64 { return &c.Limits.MaxGenericFileBytes })},
		{"WHARF_GC_INTERVAL", "gc.interval", duration(func(c *Config) *time.Duration { return &c.GC.Interval })},
		{"WHARF_GC_GRACE", "gc.grace_period", duration(func(c *Config) *time.Duration { return &c.GC.GracePeriod })},
		{"WHARF_UPLOAD_TTL", "gc.upload_ttl", duration(func(c *Config) *time.Duration { return &c.GC.UploadTTL })},
		{"WHARF_READ_HEADER_TIMEOUT", "server.read_header_timeout", duration(func(c *Config) *time.Duration { return &c.Server.ReadHeaderTimeout })},
		{"WHARF_IDLE_TIMEOUT", "server.idle_timeout", duration(func(c *Config) *time.Duration { return &c.Server.IdleTimeout })},
		{"WHARF_SHUTDOWN_TIMEOUT", "server.shutdown_timeout", duration(func(c *Config) *time.Duration { return &c.Server.ShutdownTimeout })},
	}, append(generateEnvVars(), habitatEnvVars()...)...)
}

func str(field func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error {
		*field(c) = v
		return nil
	}
}

func boolean(field func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("invalid boolean %q", v)
		}
		*field(c) = b
		return nil
	}
}

func integer(field func(*Config) *int64) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fmt.Errorf("invalid integer %q", v)
		}
		*field(c) = n
		return nil
	}
}

func duration(field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("invalid duration %q (want e.g. 90s, 5m, 1h30m)", v)
		}
		*field(c) = d
		return nil
	}
}

// applyEnv sets the fields named by the WHARF_* variables of env, given
// as "NAME=value" entries; when a name repeats the last entry wins, and an
// empty value counts as unset. Other variables, WHARF_CONFIG (the file
// name, read by the caller) among them, are ignored. It returns a
// *FieldError naming the variable for each value that does not parse.
func (c *Config) applyEnv(env []string) []error {
	vals := map[string]string{}
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if ok && strings.HasPrefix(k, "WHARF_") {
			vals[k] = v
		}
	}
	var probs []error
	for _, ev := range envVars() {
		v := vals[ev.name]
		if v == "" {
			continue
		}
		if err := ev.set(c, v); err != nil {
			probs = append(probs, problem(ev.name, "%v", err))
		}
	}
	return probs
}
