package config

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestEnvOverrides(t *testing.T) {
	t.Parallel()
	env := []string{
		"PATH=/bin",
		"WHARF_ADDR=:6000",
		"WHARF_DATA=/srv/wharf",
		"WHARF_PUBLIC_URL=https://r.example.com",
		"WHARF_LOG_FORMAT=json",
		"WHARF_LOG_LEVEL=warn",
		"WHARF_META_DRIVER=postgres",
		"WHARF_POSTGRES_DSN=postgres://u:p@h/db",
		"WHARF_FSYNC=false",
		"WHARF_TOKEN_TTL=15m",
		"WHARF_MAX_MANIFEST_BYTES=1048576",
		"WHARF_MAX_GENERIC_FILE_BYTES=10",
		"WHARF_GC_INTERVAL=0",
		"WHARF_GC_GRACE=2h",
		"WHARF_UPLOAD_TTL=3h",
		"WHARF_READ_HEADER_TIMEOUT=1s",
		"WHARF_IDLE_TIMEOUT=2s",
		"WHARF_SHUTDOWN_TIMEOUT=3s",
		"WHARF_CONFIG=/ignored.yaml",
		"WHARF_UNKNOWN=ignored",
	}
	got, err := Load("", env)
	if err != nil {
		t.Fatal(err)
	}
	want := resolvedDefault()
	want.Addr, want.DataDir, want.PublicURL = ":6000", "/srv/wharf", "https://r.example.com"
	want.Log = Log{Format: "json", Level: "warn"}
	want.Meta.Driver, want.Meta.Postgres.DSN = "postgres", "postgres://u:p@h/db"
	want.Meta.SQLite.Path, want.Blob.FS.Root, want.Auth.JWTKeyFile = "/srv/wharf/wharf.db", "/srv/wharf/blobs", "/srv/wharf/jwt.key"
	want.Auth.SecretKeyFile = "/srv/wharf/secret.key"
	want.Blob.FS.Fsync = false
	want.Auth.TokenTTL = 15 * time.Minute
	want.Limits = Limits{MaxManifestBytes: 1 << 20, MaxGenericFileBytes: 10}
	want.GC = GC{Interval: 0, GracePeriod: 2 * time.Hour, UploadTTL: 3 * time.Hour}
	want.Server = Server{ReadHeaderTimeout: time.Second, IdleTimeout: 2 * time.Second, ShutdownTimeout: 3 * time.Second}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load with env mismatch (-want +got):\n%s", diff)
	}
}

func TestEnvPrecedence(t *testing.T) {
	t.Parallel()
	path := filepath.Join("testdata", "full.yaml")
	tests := []struct {
		name string
		env  []string
		want func(*Config)
	}{
		{"file alone", nil, func(*Config) {}},
		{"env over file", []string{"WHARF_LOG_LEVEL=error", "WHARF_GC_INTERVAL=5m"},
			func(c *Config) { c.Log.Level = "error"; c.GC.Interval = 5 * time.Minute }},
		{"last entry wins", []string{"WHARF_LOG_LEVEL=error", "WHARF_LOG_LEVEL=info"},
			func(c *Config) { c.Log.Level = "info" }},
		{"empty counts as unset", []string{"WHARF_LOG_LEVEL=", "WHARF_PUBLIC_URL="}, func(*Config) {}},
		{"value with equals sign", []string{"WHARF_POSTGRES_DSN=host=h password=a=b"},
			func(c *Config) { c.Meta.Postgres.DSN = "host=h password=a=b" }},
		{"env data dir does not move explicit paths", []string{"WHARF_DATA=/elsewhere"},
			func(c *Config) { c.DataDir = "/elsewhere" }},
		{"not an assignment", []string{"WHARF_LOG_LEVEL"}, func(*Config) {}},
	}
	base, err := Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		got, err := Load(path, tt.env)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		want := base
		tt.want(&want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestEnvBadValues(t *testing.T) {
	t.Parallel()
	env := []string{
		"WHARF_FSYNC=maybe",
		"WHARF_TOKEN_TTL=5",
		"WHARF_GC_GRACE=forever",
		"WHARF_MAX_MANIFEST_BYTES=4MiB",
		"WHARF_LOG_LEVEL=loud",
	}
	_, err := Load("", env)
	want := []string{"WHARF_FSYNC", "WHARF_TOKEN_TTL", "WHARF_GC_GRACE", "WHARF_MAX_MANIFEST_BYTES", "log.level"}
	if diff := cmp.Diff(sorted(want), sorted(fieldsOf(t, err))); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s", diff)
	}
	if err != nil && !strings.Contains(err.Error(), `"maybe"`) {
		t.Errorf("error %q does not quote the bad value", err)
	}
}

// TestEnvTable checks that every variable sets the field its YAML path
// names, and that names and paths are unique.
func TestEnvTable(t *testing.T) {
	t.Parallel()
	names, fields := map[string]bool{}, map[string]bool{}
	for _, ev := range envVars() {
		if names[ev.name] || fields[ev.field] {
			t.Errorf("%s (%s) is bound twice", ev.name, ev.field)
		}
		names[ev.name], fields[ev.field] = true, true
		c := Default()
		f, ok := fieldByPath(reflect.ValueOf(&c).Elem(), ev.field)
		if !ok {
			t.Errorf("%s: no field at path %q", ev.name, ev.field)
			continue
		}
		var val string
		var want any
		switch f.Interface().(type) {
		case string:
			val, want = "/some/value", "/some/value"
		case bool:
			val, want = fmt.Sprint(!f.Bool()), !f.Bool()
		case time.Duration:
			val, want = "17s", 17*time.Second
		case int64:
			val, want = "12345", int64(12345)
		case []string:
			val, want = " a, b ,,c", []string{"a", "b", "c"}
		default:
			t.Errorf("%s: field of unexpected type %s", ev.name, f.Type())
			continue
		}
		if probs := c.applyEnv([]string{ev.name + "=" + val}); len(probs) > 0 {
			t.Errorf("%s=%s: %v", ev.name, val, probs)
			continue
		}
		if got := f.Interface(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s=%s set %s to %v, want %v", ev.name, val, ev.field, got, want)
		}
	}
}

// fieldByPath finds the field of v at a dotted YAML path.
func fieldByPath(v reflect.Value, path string) (reflect.Value, bool) {
	for _, key := range strings.Split(path, ".") {
		found := false
		for i := range v.NumField() {
			if strings.Split(v.Type().Field(i).Tag.Get("yaml"), ",")[0] == key {
				v, found = v.Field(i), true
				break
			}
		}
		if !found {
			return reflect.Value{}, false
		}
	}
	return v, v.Kind() != reflect.Struct
}

// yamlPaths returns the dotted YAML path of every leaf setting of t.
func yamlPaths(t reflect.Type, prefix string) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		p := prefix + strings.Split(f.Tag.Get("yaml"), ",")[0]
		if f.Type.Kind() == reflect.Struct {
			out = append(out, yamlPaths(f.Type, p+".")...)
		} else {
			out = append(out, p)
		}
	}
	return out
}

func TestDSNFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	secret := filepath.Join(dir, "dsn")
	if err := os.WriteFile(secret, []byte("postgres://u:from-file@h/db\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pg := []string{"WHARF_META_DRIVER=postgres"}

	c, err := Load("", append(pg, "WHARF_POSTGRES_DSN_FILE="+secret))
	if err != nil {
		t.Fatal(err)
	}
	if c.Meta.Postgres.DSN != "postgres://u:from-file@h/db" {
		t.Errorf("DSN = %q, want the file's content without the newline", c.Meta.Postgres.DSN)
	}
	// An explicit DSN wins; the file is not read.
	c, err = Load("", append(pg, "WHARF_POSTGRES_DSN=postgres://direct@h/db", "WHARF_POSTGRES_DSN_FILE="+filepath.Join(dir, "missing")))
	if err != nil {
		t.Fatal(err)
	}
	if c.Meta.Postgres.DSN != "postgres://direct@h/db" {
		t.Errorf("DSN = %q, want the explicit one", c.Meta.Postgres.DSN)
	}
	for _, f := range []string{filepath.Join(dir, "missing"), empty} {
		_, err := Load("", append(pg, "WHARF_POSTGRES_DSN_FILE="+f))
		if diff := cmp.Diff([]string{"meta.postgres.dsn_file"}, fieldsOf(t, err)); diff != "" {
			t.Errorf("DSN file %s: problems mismatch (-want +got):\n%s", filepath.Base(f), diff)
		}
	}
}
