package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/config"
)

func TestParse(t *testing.T) {
	t.Parallel()
	type result struct {
		Pos       []string
		Email     string
		Superuser bool
		Scopes    []string
	}
	for _, tc := range []struct {
		name    string
		args    []string
		want    result
		wantErr string
	}{
		{"Nothing", nil, result{}, ""},
		{"FlagsAfterName", []string{"alice", "--email", "a@example.com", "--superuser"}, result{Pos: []string{"alice"}, Email: "a@example.com", Superuser: true}, ""},
		{"FlagsBeforeName", []string{"--email", "a@example.com", "-superuser", "alice"}, result{Pos: []string{"alice"}, Email: "a@example.com", Superuser: true}, ""},
		{"FlagsBetweenNames", []string{"a", "--email=e@x", "b", "--superuser=false", "c"}, result{Pos: []string{"a", "b", "c"}, Email: "e@x"}, ""},
		{"RepeatedAroundName", []string{"--scope", "pull", "alice", "--scope", "repository:alice/app:push"}, result{Pos: []string{"alice"}, Scopes: []string{"pull", "repository:alice/app:push"}}, ""},
		{"LastValueWins", []string{"--email", "first@x", "n", "--email", "second@x"}, result{Pos: []string{"n"}, Email: "second@x"}, ""},
		{"DashIsPositional", []string{"-", "--superuser"}, result{Pos: []string{"-"}, Superuser: true}, ""},
		{"UnknownFlagAfterName", []string{"alice", "--emial", "x"}, result{}, "emial"},
		{"UnknownFlagFirst", []string{"--nope", "alice"}, result{}, "nope"},
		{"MissingValue", []string{"alice", "--email"}, result{}, "email"},
		{"BadBool", []string{"alice", "--superuser=maybe"}, result{}, "superuser"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var (
				c  common
				r  result
				sc scopes
			)
			fs := newFlags("test cmd", &c)
			fs.StringVar(&r.Email, "email", "", "")
			fs.BoolVar(&r.Superuser, "superuser", false, "")
			fs.Var(&sc, "scope", "")
			pos, err := parse(fs, tc.args)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "test cmd: ") {
					t.Fatalf("parse(%q) error = %v, want one naming the command and %q", tc.args, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parse(%q): %v", tc.args, err)
			}
			r.Pos, r.Scopes = pos, sc
			if diff := cmp.Diff(tc.want, r); diff != "" {
				t.Errorf("parse(%q) mismatch (-want +got):\n%s", tc.args, diff)
			}
		})
	}
}

// TestLoadPrecedence checks that flags beat WHARF_* variables, which beat
// the file, and that paths derived from the data directory follow the
// winner. It sets environment variables, so it does not run in parallel.
func TestLoadPrecedence(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "wharf.yaml")
	if err := os.WriteFile(conf, []byte("version: 1\naddr: 127.0.0.1:1001\ndata_dir: "+filepath.Join(dir, "file")+"\npublic_url: https://file.example.com\nlog:\n  level: warn\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "WHARF_") {
			t.Setenv(name, "")
		}
	}
	t.Setenv("WHARF_CONFIG", conf)
	t.Setenv("WHARF_ADDR", "127.0.0.1:1002")
	t.Setenv("WHARF_DATA", filepath.Join(dir, "env"))

	for _, tc := range []struct {
		name                  string
		args                  []string
		addr, data, publicURL string
	}{
		{"EnvOverFile", nil, "127.0.0.1:1002", filepath.Join(dir, "env"), "https://file.example.com"},
		{"FlagsOverEnv", []string{"--addr", "127.0.0.1:1003", "--data", filepath.Join(dir, "flag"), "--public-url", "https://flag.example.com/"},
			"127.0.0.1:1003", filepath.Join(dir, "flag"), "https://flag.example.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c common
			fs := newFlags("serve", &c)
			fs.StringVar(&c.addr, "addr", "", "")
			fs.StringVar(&c.publicURL, "public-url", "", "")
			if _, err := parse(fs, tc.args); err != nil {
				t.Fatal(err)
			}
			cfg, err := c.load()
			if err != nil {
				t.Fatal(err)
			}
			got := []string{cfg.Addr, cfg.DataDir, cfg.PublicURL, cfg.Meta.SQLite.Path, cfg.Blob.FS.Root, cfg.Auth.JWTKeyFile, cfg.Log.Level}
			want := []string{tc.addr, tc.data, tc.publicURL, filepath.Join(tc.data, "wharf.db"), filepath.Join(tc.data, "blobs"), filepath.Join(tc.data, "jwt.key"), "warn"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("loaded configuration (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("ConfigFlagOverEnv", func(t *testing.T) {
		other := filepath.Join(dir, "other.yaml")
		if err := os.WriteFile(other, []byte("version: 1\nlog:\n  level: error\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		var c common
		if _, err := parse(newFlags("gc", &c), []string{"--config", other}); err != nil {
			t.Fatal(err)
		}
		cfg, err := c.load()
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Log.Level != "error" {
			t.Errorf("log level %q: --config did not replace the file WHARF_CONFIG names", cfg.Log.Level)
		}
	})
}

func TestNewLogger(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := newLogger(config.Config{Log: config.Log{Format: "json", Level: "warn"}}, &buf)
	log.Info("quiet")
	log.Warn("loud", "key", "value")
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("json logger wrote %q: %v", buf.String(), err)
	}
	if rec["msg"] != "loud" || rec["key"] != "value" || rec["level"] != "WARN" {
		t.Errorf("json record %v", rec)
	}

	buf.Reset()
	log = newLogger(config.Config{Log: config.Log{Format: "text", Level: "debug"}}, &buf)
	log.Debug("detail", "n", 1)
	if got := buf.String(); !strings.Contains(got, "level=DEBUG") || !strings.Contains(got, "msg=detail") || !strings.Contains(got, "n=1") {
		t.Errorf("text logger at debug wrote %q", got)
	}
}
