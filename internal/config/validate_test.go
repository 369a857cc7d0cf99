package config

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestValidateReportsEverything(t *testing.T) {
	t.Parallel()
	c := Config{
		Version:   3,
		Addr:      "nohost",
		PublicURL: "ftp://x",
		Log:       Log{Format: "xml", Level: "trace"},
		Meta:      Meta{Driver: "mysql"},
		Blob:      Blob{Driver: "s3"},
		Auth:      Auth{TokenTTL: -time.Second, Realm: "/relative"},
		Limits:    Limits{MaxManifestBytes: 0, MaxGenericFileBytes: -1},
		GC:        GC{Interval: -1, GracePeriod: -1, UploadTTL: 0},
		Server:    Server{},
		GitHub:    GitHub{APIURL: "api.github.com", RawURL: ""},
		Packages:  Packages{Generate: Generate{Timeout: -1, Concurrency: 65, CacheTTL: -1, RatePerMinute: 5}},
	}
	want := []string{
		"version", "addr", "public_url", "data_dir", "log.format", "log.level", "meta.driver", "blob.driver",
		"auth.token_ttl", "auth.realm", "limits.max_manifest_bytes", "limits.max_generic_file_bytes",
		"gc.interval", "gc.grace_period", "gc.upload_ttl",
		"server.read_header_timeout", "server.idle_timeout", "server.shutdown_timeout",
		"github.api_url", "github.raw_url", "packages.generate.max_files", "packages.generate.max_bytes",
		"packages.generate.timeout", "packages.generate.concurrency", "packages.generate.max_running", "packages.generate.cache_ttl",
		"packages.generate.rate_burst", "packages.habitat.targets", "packages.habitat.private_max_age",
	}
	if diff := cmp.Diff(want, fieldsOf(t, c.Validate())); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s", diff)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(*Config)
		want []string // fields with problems; none means valid
	}{
		{"defaults", func(*Config) {}, nil},
		{"addr without host", func(c *Config) { c.Addr = ":5000" }, nil},
		{"addr ipv6", func(c *Config) { c.Addr = "[::1]:5000" }, nil},
		{"addr port zero", func(c *Config) { c.Addr = "127.0.0.1:0" }, nil},
		{"addr no port", func(c *Config) { c.Addr = "127.0.0.1" }, []string{"addr"}},
		{"addr named port", func(c *Config) { c.Addr = "127.0.0.1:http" }, []string{"addr"}},
		{"addr big port", func(c *Config) { c.Addr = "127.0.0.1:65536" }, []string{"addr"}},
		{"addr signed port", func(c *Config) { c.Addr = "127.0.0.1:+80" }, []string{"addr"}},
		{"public url https", func(c *Config) { c.PublicURL = "https://r.example.com:8443" }, nil},
		{"public url with path", func(c *Config) { c.PublicURL = "https://example.com/registry" }, nil},
		{"public url relative", func(c *Config) { c.PublicURL = "r.example.com" }, []string{"public_url"}},
		{"public url scheme", func(c *Config) { c.PublicURL = "ftp://r.example.com" }, []string{"public_url"}},
		{"public url no host", func(c *Config) { c.PublicURL = "http://" }, []string{"public_url"}},
		{"public url query", func(c *Config) { c.PublicURL = "https://r.example.com/?a=b" }, []string{"public_url"}},
		{"public url empty query", func(c *Config) { c.PublicURL = "https://r.example.com/?" }, []string{"public_url"}},
		{"public url fragment", func(c *Config) { c.PublicURL = "https://r.example.com/#x" }, []string{"public_url"}},
		{"public url credentials", func(c *Config) { c.PublicURL = "https://u:p@r.example.com" }, []string{"public_url"}},
		{"public url unparsable", func(c *Config) { c.PublicURL = "http://[::1" }, []string{"public_url"}},
		{"no data dir", func(c *Config) { c.DataDir = "" }, []string{"data_dir"}},
		{"nul in path", func(c *Config) { c.Meta.SQLite.Path = "a\x00b" }, []string{"meta.sqlite.path"}},
		{"log levels", func(c *Config) { c.Log.Level = "debug" }, nil},
		{"log level case", func(c *Config) { c.Log.Level = "INFO" }, []string{"log.level"}},
		{"postgres with dsn", func(c *Config) { c.Meta.Driver, c.Meta.Postgres.DSN = "postgres", "postgres://h/db" }, nil},
		{"postgres with dsn file", func(c *Config) { c.Meta.Driver, c.Meta.Postgres.DSNFile = "postgres", "/run/dsn" }, nil},
		{"postgres without dsn", func(c *Config) { c.Meta.Driver = "postgres" }, []string{"meta.postgres.dsn"}},
		{"sqlite ignores postgres", func(c *Config) { c.Meta.Postgres.DSNFile = "" }, nil},
		{"blob s3", func(c *Config) { c.Blob.Driver = "s3" }, []string{"blob.driver"}},
		{"blob unknown", func(c *Config) { c.Blob.Driver = "" }, []string{"blob.driver"}},
		{"realm", func(c *Config) { c.Auth.Realm = "https://auth.example.com/token" }, nil},
		{"realm relative", func(c *Config) { c.Auth.Realm = "/v2/token" }, []string{"auth.realm"}},
		{"token ttl zero", func(c *Config) { c.Auth.TokenTTL = 0 }, []string{"auth.token_ttl"}},
		{"gc disabled", func(c *Config) { c.GC.Interval = 0 }, nil},
		{"no grace", func(c *Config) { c.GC.GracePeriod = 0 }, nil},
		{"unlimited generic files", func(c *Config) { c.Limits.MaxGenericFileBytes = 0 }, nil},
		{"version zero", func(c *Config) { c.Version = 0 }, []string{"version"}},
		{"github enterprise", func(c *Config) {
			c.GitHub = GitHub{APIURL: "https://ghe.example.com/api/v3", RawURL: "https://ghe.example.com/raw"}
		}, nil},
		{"github on loopback", func(c *Config) { c.GitHub.RawURL = "http://127.0.0.1:8080/raw" }, nil},
		{"github api with query", func(c *Config) { c.GitHub.APIURL = "https://api.github.com/?x=1" }, []string{"github.api_url"}},
		{"github raw relative", func(c *Config) { c.GitHub.RawURL = "/raw" }, []string{"github.raw_url"}},
		{"generate public", func(c *Config) { c.Packages.Generate.Public = true }, nil},
		{"generate no cache", func(c *Config) { c.Packages.Generate.CacheTTL = 0 }, nil},
		{"generate no rate limit", func(c *Config) { c.Packages.Generate.RatePerMinute, c.Packages.Generate.RateBurst = 0, 0 }, nil},
		{"generate negative rate", func(c *Config) { c.Packages.Generate.RatePerMinute = -1 }, []string{"packages.generate.rate_per_minute"}},
		{"generate no burst", func(c *Config) { c.Packages.Generate.RateBurst = 0 }, []string{"packages.generate.rate_burst"}},
		{"generate one at a time", func(c *Config) { c.Packages.Generate.Concurrency = 1 }, nil},
		{"generate no concurrency", func(c *Config) { c.Packages.Generate.Concurrency = 0 }, []string{"packages.generate.concurrency"}},
		{"generate no files", func(c *Config) { c.Packages.Generate.MaxFiles = 0 }, []string{"packages.generate.max_files"}},
		{"generate no time", func(c *Config) { c.Packages.Generate.Timeout = 0 }, []string{"packages.generate.timeout"}},
		{"habitat known target", func(c *Config) { c.Packages.Habitat.Targets = []string{"aarch64-darwin"} }, nil},
		{"habitat unknown target", func(c *Config) { c.Packages.Habitat.Targets = []string{"x86_64-linux", "riscv64-linux"} },
			[]string{"packages.habitat.targets"}},
		{"habitat negative upload bound", func(c *Config) { c.Packages.Habitat.MaxUploadBytes = -1 }, []string{"packages.habitat.max_upload_bytes"}},
		{"habitat relative registry", func(c *Config) { c.Packages.Habitat.RegistryURL = "registry.example.com" }, []string{"packages.habitat.registry_url"}},
	}
	for _, tt := range tests {
		c := Default()
		tt.edit(&c)
		c.Resolve()
		if diff := cmp.Diff(tt.want, fieldsOf(t, c.Validate())); diff != "" {
			t.Errorf("%s: problems mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}
