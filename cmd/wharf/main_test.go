package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// runOut runs run with args and stdin and returns its error and output.
func runOut(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(t.Context(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

func TestRunHelp(t *testing.T) {
	t.Parallel()
	for _, arg := range []string{"help", "-h", "--help"} {
		stdout, stderr, err := runOut(t, "", arg)
		if err != nil || stdout != usage || stderr != "" {
			t.Errorf("run(%s) = %v, stdout %q, stderr %q; want the usage on stdout", arg, err, stdout, stderr)
		}
	}
}

func TestRunUnknownCommand(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		nil, {""}, {"frobnicate"}, {"SERVE"}, {"admin"}, {"admin", "user"}, {"admin", "user", "remove", "x"},
		{"admin", "token"}, {"admin", "repo"}, {"admin", "repo", "secret", "x"}, {"worker"},
	} {
		stdout, stderr, err := runOut(t, "", args...)
		cmd := ""
		if len(args) > 0 {
			cmd = args[0]
		}
		if err == nil || !strings.Contains(err.Error(), `unknown command "`+cmd+`"`) {
			t.Errorf("run(%q) error = %v, want unknown command %q", args, err, cmd)
		}
		if stdout != "" || stderr != usage {
			t.Errorf("run(%q): stdout %q, stderr %q; want the usage on stderr only", args, stdout, stderr)
		}
	}
}

// TestRunArgumentErrors checks the mistakes caught before any data is
// touched: the data directory named stays absent.
func TestRunArgumentErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		stdin   string
		args    []string
		wantErr string
	}{
		{"UserNoName", "pw\n", []string{"admin", "user", "create", "--email", "a@example.com", "--password-stdin"}, "exactly one NAME"},
		{"UserTwoNames", "pw\n", []string{"admin", "user", "create", "alice", "bob", "--email", "a@example.com", "--password-stdin"}, "exactly one NAME"},
		{"UserNoPasswordStdin", "pw\n", []string{"admin", "user", "create", "alice", "--email", "a@example.com"}, "--password-stdin is required"},
		{"UserUnknownFlag", "pw\n", []string{"admin", "user", "create", "alice", "--emial", "a@example.com"}, "emial"},
		{"TokenNoUser", "", []string{"admin", "token", "create", "--scope", "pull"}, "--user is required"},
		{"TokenBadTTL", "", []string{"admin", "token", "create", "--user", "alice", "--ttl", "soon"}, "ttl"},
		{"RepoNoName", "", []string{"admin", "repo", "public"}, "exactly one repository NAME"},
		{"RepoTwoNames", "", []string{"admin", "repo", "private", "a/b", "c/d"}, "exactly one repository NAME"},
		{"GCUnknownFlag", "", []string{"admin", "gc", "--grace", "0s"}, "grace"},
		{"MigrateUnknownFlag", "", []string{"admin", "migrate", "--force"}, "force"},
		{"ServeUnknownFlag", "", []string{"serve", "--port", "5000"}, "port"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			data := filepath.Join(t.TempDir(), "data")
			stdout, _, err := runOut(t, tc.stdin, append(tc.args, "--data", data)...)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
			}
			if stdout != "" {
				t.Errorf("a failed command printed %q", stdout)
			}
			if _, err := os.Stat(data); err == nil {
				t.Errorf("a command with bad arguments created its data directory")
			}
		})
	}
}

// TestRunRejectsStrayArguments checks that commands taking no positional
// arguments refuse them rather than ignoring them: `token create --user
// alice pull` must not quietly mint an unrestricted token for someone who
// forgot --scope.
func TestRunRejectsStrayArguments(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	if _, _, err := runOut(t, "pw\n", "admin", "user", "create", "alice", "--email", "a@example.com", "--password-stdin", "--data", data); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args  []string
		stray string
	}{
		{[]string{"admin", "token", "create", "--user", "alice", "pull"}, "pull"},
		{[]string{"admin", "gc", "now"}, "now"},
		{[]string{"admin", "migrate", "now"}, "now"},
		{[]string{"serve", "now", "--addr", "127.0.0.1:0"}, "now"},
	} {
		// A server that starts anyway is stopped after a while.
		ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
		var stdout bytes.Buffer
		err := run(ctx, append(tc.args, "--data", data), strings.NewReader(""), &stdout, &lockedBuffer{})
		cancel()
		if err == nil || !strings.Contains(err.Error(), tc.stray) {
			t.Errorf("run(%q) = %v, want an error naming %q", tc.args, err, tc.stray)
		}
		if stdout.Len() != 0 {
			t.Errorf("run(%q) printed %q", tc.args, stdout.String())
		}
	}
}

func TestRunAdmin(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	stdout, stderr, err := runOut(t, "correct horse\n", "admin", "user", "create", "alice", "--email", "alice@example.com", "--password-stdin", "--superuser", "--data", data)
	if err != nil || stdout != "created user alice\n" || stderr != "" {
		t.Fatalf("user create = %v, stdout %q, stderr %q", err, stdout, stderr)
	}
	if _, _, err := runOut(t, "other\n", "admin", "user", "create", "alice", "--email", "alice@example.com", "--password-stdin", "--data", data); err == nil || !strings.Contains(err.Error(), "taken") {
		t.Errorf("second user create = %v, want the name taken", err)
	}

	tokenRE := regexp.MustCompile(`^\S+\n$`)
	stdout, _, err = runOut(t, "", "admin", "token", "create", "--user", "alice", "--scope", "pull", "--scope", "repository:alice/app:push", "--ttl", "24h", "--data", data)
	if err != nil || !tokenRE.MatchString(stdout) {
		t.Errorf("token create = %v, stdout %q; want one token line", err, stdout)
	}
	for _, args := range [][]string{
		{"--user", "nobody"},
		{"--user", "alice", "--scope", "bogus"},
		{"--user", "alice", "--ttl", "-1s"},
	} {
		stdout, _, err := runOut(t, "", append(append([]string{"admin", "token", "create"}, args...), "--data", data)...)
		if err == nil || stdout != "" {
			t.Errorf("token create %q = %v, stdout %q; want an error and no token", args, err, stdout)
		}
	}

	for range 2 {
		if stdout, _, err := runOut(t, "", "admin", "migrate", "--data", data); err != nil || stdout != "migrations applied\n" {
			t.Errorf("migrate = %v, %q", err, stdout)
		}
	}
	if stdout, _, err := runOut(t, "", "admin", "gc", "--data", data); err != nil || stdout != "uploads deleted: 0\nblobs deleted: 0\nbytes freed: 0\n" {
		t.Errorf("gc = %v, %q", err, stdout)
	}
	if _, _, err := runOut(t, "", "admin", "repo", "public", "alice/missing", "--data", data); err == nil {
		t.Errorf("repo public on a missing repository succeeded")
	}
	if _, _, err := runOut(t, "", "admin", "repo", "public", "alice/app", "--type", "helm", "--data", data); err == nil {
		t.Errorf("repo public with an unknown type succeeded")
	}
}

// lockedBuffer is a bytes.Buffer safe for concurrent use.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRunServe starts the server in process, stops it by cancelling the
// context as SIGTERM does, and checks that it returns cleanly with its
// log written out.
func TestRunServe(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	var stdout, stderr lockedBuffer
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data}, strings.NewReader(""), &stdout, &stderr)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(stderr.String(), "wharf serving") {
		select {
		case err := <-done:
			t.Fatalf("serve returned %v at start:\n%s", err, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve logged no start within 20s:\n%s", stderr.String())
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after cancellation", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not return within 20s of cancellation")
	}
	// Close flushed the last lines before run returned.
	if !strings.Contains(stderr.String(), "shutting down") {
		t.Errorf("the shutdown line was lost:\n%s", stderr.String())
	}
	if stdout.String() != "" {
		t.Errorf("serve printed on stdout: %q", stdout.String())
	}
	if _, err := os.Stat(filepath.Join(data, "wharf.db")); err != nil {
		t.Error(err)
	}
}

func TestRunServeBadConfig(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--addr", "no-port"}, "addr"},
		{[]string{"--public-url", "ftp://x.example.com"}, "public_url"},
		{[]string{"--config", filepath.Join(data, "missing.yaml")}, "missing.yaml"},
	} {
		_, _, err := runOut(t, "", append(append([]string{"serve"}, tc.args...), "--data", data)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("serve %q = %v, want an error naming %s", tc.args, err, tc.want)
		}
	}
}
