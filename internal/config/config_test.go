package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func resolvedDefault() Config {
	c := Default()
	c.Resolve()
	return c
}

func TestDefault(t *testing.T) {
	t.Parallel()
	c := Default()
	if err := c.Validate(); err != nil {
		t.Errorf("Default().Validate() = %v", err)
	}
	c.Resolve()
	if err := c.Validate(); err != nil {
		t.Errorf("resolved Default().Validate() = %v", err)
	}
	want := Config{
		Version:   1,
		Addr:      "127.0.0.1:5000",
		PublicURL: "http://127.0.0.1:5000",
		DataDir:   "./wharf-data",
		Log:       Log{Format: "text", Level: "info"},
		Meta:      Meta{Driver: "sqlite", SQLite: SQLite{Path: filepath.Join("wharf-data", "wharf.db")}},
		Blob:      Blob{Driver: "fs", FS: FS{Root: filepath.Join("wharf-data", "blobs"), Fsync: true}},
		Auth:      Auth{TokenTTL: 5 * time.Minute, UserCacheTTL: 2 * time.Second, JWTKeyFile: filepath.Join("wharf-data", "jwt.key"), SecretKeyFile: filepath.Join("wharf-data", "secret.key")},
		Limits:    Limits{MaxManifestBytes: 4 << 20},
		GC:        GC{Interval: time.Hour, GracePeriod: 24 * time.Hour, UploadTTL: 24 * time.Hour},
		Server:    Server{ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute, ShutdownTimeout: 30 * time.Second},
		GitHub:    GitHub{APIURL: "https://api.github.com", RawURL: "https://raw.githubusercontent.com"},
		Packages: Packages{Generate: Generate{MaxFiles: 1000, MaxBytes: 256 << 20, Timeout: 2 * time.Minute,
			Concurrency: 4, MaxRunning: 8, CacheTTL: 7 * 24 * time.Hour, RatePerMinute: 30, RateBurst: 10},
			Habitat: Habitat{Targets: []string{"x86_64-linux", "x86_64-windows", "aarch64-linux"}, VerifySignatures: true,
				PrivateMaxAge: 5 * time.Minute}},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("resolved defaults mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadWithoutFile(t *testing.T) {
	t.Parallel()
	got, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(resolvedDefault(), got); diff != "" {
		t.Errorf("Load(\"\", nil) mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadFiles(t *testing.T) {
	t.Parallel()
	full := Config{
		Version:   1,
		Addr:      "0.0.0.0:8080",
		PublicURL: "https://registry.example.com",
		DataDir:   "/var/lib/wharf",
		Log:       Log{Format: "json", Level: "debug"},
		Meta: Meta{
			Driver:   "postgres",
			SQLite:   SQLite{Path: "/var/lib/wharf/meta.db"},
			Postgres: Postgres{DSN: "postgres://wharf:s3cret@db.example.com:5432/wharf?sslmode=require"},
		},
		Blob:   Blob{Driver: "fs", FS: FS{Root: "/srv/blobs", Fsync: false}},
		Auth:   Auth{TokenTTL: 10 * time.Minute, UserCacheTTL: 2 * time.Second, JWTKeyFile: "/etc/wharf/jwt.key", SecretKeyFile: "/etc/wharf/secret.key", SignUp: true, Realm: "https://registry.example.com/v2/token"},
		Limits: Limits{MaxManifestBytes: 8 << 20, MaxGenericFileBytes: 1 << 30},
		GC:     GC{Interval: 30 * time.Minute, GracePeriod: 48 * time.Hour, UploadTTL: 12 * time.Hour},
		Server: Server{ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute, ShutdownTimeout: 90 * time.Second},
		GitHub: GitHub{APIURL: "https://ghe.example.com/api/v3", RawURL: "https://ghe.example.com/raw"},
		Packages: Packages{Generate: Generate{Public: true, MaxFiles: 200, MaxBytes: 64 << 20, Timeout: 45 * time.Second,
			Concurrency: 8, MaxRunning: 3, CacheTTL: 24 * time.Hour, RatePerMinute: 6, RateBurst: 2},
			Habitat: Habitat{Targets: []string{"x86_64-linux", "aarch64-darwin"}, VerifySignatures: false,
				MaxUploadBytes: 8 << 30, RegistryURL: "https://registry.example.com/v2/", PrivateMaxAge: time.Minute}},
	}
	minimal := resolvedDefault()
	minimal.Addr, minimal.DataDir, minimal.PublicURL = ":5000", "/data", "http://localhost:5000"
	minimal.Meta.SQLite.Path, minimal.Blob.FS.Root, minimal.Auth.JWTKeyFile = "/data/wharf.db", "/data/blobs", "/data/jwt.key"
	minimal.Auth.SecretKeyFile = "/data/secret.key"
	tests := []struct {
		file string
		want Config
	}{
		{"full.yaml", full},
		{"minimal.yaml", minimal},
		{"empty.yaml", resolvedDefault()},
	}
	for _, tt := range tests {
		got, err := Load(filepath.Join("testdata", tt.file), nil)
		if err != nil {
			t.Errorf("Load(%s): %v", tt.file, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Load(%s) mismatch (-want +got):\n%s", tt.file, diff)
		}
	}
}

func TestLoadBadFileReportsEverything(t *testing.T) {
	t.Parallel()
	_, err := Load(filepath.Join("testdata", "bad.yaml"), []string{"WHARF_FSYNC=maybe"})
	want := []string{"WHARF_FSYNC", "version", "log.format", "meta.postgres.dsn", "blob.driver", "gc.upload_ttl"}
	if diff := cmp.Diff(want, fieldsOf(t, err)); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(err.Error(), "s3 is not built yet") {
		t.Errorf("error %q does not say s3 is not built", err)
	}
}

func TestLoadFileErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("# "+strings.Repeat("x", maxFileBytes)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	unknown := filepath.Join(dir, "unknown.yaml")
	if err := os.WriteFile(unknown, []byte("adr: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{filepath.Join(dir, "missing.yaml"), big, unknown, dir} {
		if _, err := Load(path, nil); err == nil {
			t.Errorf("Load(%s) succeeded", filepath.Base(path))
		}
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		edit func(*Config)
	}{
		{"empty", "", func(*Config) {}},
		{"comment only", "# nothing\n", func(*Config) {}},
		{"document marker", "---\n", func(*Config) {}},
		{"top level", "addr: 10.0.0.1:80\n", func(c *Config) { c.Addr = "10.0.0.1:80" }},
		{"nested keeps siblings", "log:\n  level: warn\n", func(c *Config) { c.Log.Level = "warn" }},
		{"deep", "meta:\n  postgres:\n    dsn_file: /run/secrets/dsn\n", func(c *Config) { c.Meta.Postgres.DSNFile = "/run/secrets/dsn" }},
		{"bool false", "blob:\n  fs:\n    fsync: false\n", func(c *Config) { c.Blob.FS.Fsync = false }},
		{"duration", "gc:\n  interval: 0s\n  grace_period: 1h30m\n", func(c *Config) { c.GC.Interval = 0; c.GC.GracePeriod = 90 * time.Minute }},
		{"integer", "limits:\n  max_generic_file_bytes: 1024\n", func(c *Config) { c.Limits.MaxGenericFileBytes = 1024 }},
		{"flow style", "server: {idle_timeout: 5s}\n", func(c *Config) { c.Server.IdleTimeout = 5 * time.Second }},
		{"version", "version: 1\n", func(*Config) {}},
	}
	for _, tt := range tests {
		got, err := Parse([]byte(tt.yaml))
		if err != nil {
			t.Errorf("%s: Parse: %v", tt.name, err)
			continue
		}
		want := Default()
		tt.edit(&want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: Parse mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown top-level key", "adr: x\n", "adr"},
		{"unknown nested key", "meta:\n  sqlite:\n    file: x\n", "file"},
		{"s3 section", "blob:\n  s3:\n    bucket: x\n", "s3"},
		{"wrong type", "log: [text]\n", ""},
		{"bad duration", "gc:\n  interval: soon\n", ""},
		{"integer duration", "gc:\n  interval: 3600\n", ""},
		{"bad bool", "blob:\n  fs:\n    fsync: maybe\n", ""},
		{"bad integer", "limits:\n  max_manifest_bytes: 4MiB\n", ""},
		{"two documents", "addr: a:1\n---\naddr: b:2\n", "more than one document"},
		{"syntax", "addr: [\n", ""},
		{"tab indent", "log:\n\tlevel: debug\n", ""},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.yaml))
		if err == nil {
			t.Errorf("%s: Parse succeeded", tt.name)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Parse error %q does not mention %q", tt.name, err, tt.want)
		}
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr, public, want string
	}{
		{"127.0.0.1:5000", "", "http://127.0.0.1:5000"},
		{":5000", "", "http://localhost:5000"},
		{"0.0.0.0:80", "", "http://localhost:80"},
		{"[::]:5000", "", "http://localhost:5000"},
		{"[::1]:5000", "", "http://[::1]:5000"},
		{"example.com:443", "", "http://example.com:443"},
		{"garbage", "", ""},
		{":5000", "https://r.example.com/", "https://r.example.com"},
		{":5000", "https://r.example.com/sub//", "https://r.example.com/sub"},
	}
	for _, tt := range tests {
		c := Default()
		c.Addr, c.PublicURL = tt.addr, tt.public
		c.Resolve()
		if c.PublicURL != tt.want {
			t.Errorf("Resolve(addr %q, public %q).PublicURL = %q, want %q", tt.addr, tt.public, c.PublicURL, tt.want)
		}
		again := c
		again.Resolve()
		if diff := cmp.Diff(c, again); diff != "" {
			t.Errorf("Resolve is not idempotent (-once +twice):\n%s", diff)
		}
	}
	// Paths set explicitly are kept.
	c := Default()
	c.Meta.SQLite.Path, c.Blob.FS.Root, c.Auth.JWTKeyFile = "a.db", "b", "c.key"
	c.Resolve()
	if c.Meta.SQLite.Path != "a.db" || c.Blob.FS.Root != "b" || c.Auth.JWTKeyFile != "c.key" {
		t.Errorf("Resolve replaced explicit paths: %+v", c)
	}
}

// fieldsOf returns the Field of every *FieldError joined in err.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var out []string
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Errorf("problem %q is not a *FieldError", err)
			return
		}
		out = append(out, fe.Field)
	}
	walk(err)
	return out
}

// sorted returns a sorted copy of s.
func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
