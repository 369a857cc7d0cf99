package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wharf/internal/testserver"
)

// cliResult is the outcome of one run of the wharf binary.
type cliResult struct {
	args           []string
	stdout, stderr string
	code           int
}

func (r cliResult) String() string {
	return fmt.Sprintf("wharf %s -> exit %d\nstdout: %q\nstderr: %q", strings.Join(r.args, " "), r.code, r.stdout, r.stderr)
}

// wharfEnv returns the test process's environment without its WHARF_*
// variables, plus extra: a command sees only the configuration the test
// gives it.
func wharfEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WHARF_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// runWharf runs the wharf binary with args in dir (the test's working
// directory when empty) and env, feeding it stdin, and returns what it
// printed and its exit code. A run that outlives a minute is killed.
func runWharf(t testing.TB, dir string, env []string, stdin string, args ...string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, testserver.Binary(t), args...)
	cmd.Dir, cmd.Env = dir, env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := cliResult{args: args, stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee) && ee.Exited():
		r.code = ee.ExitCode()
	default:
		t.Fatalf("wharf %s: %v\n%s", strings.Join(args, " "), err, r)
	}
	return r
}

// wantOK fails the test unless the run exited 0 without complaint.
func (r cliResult) wantOK(t testing.TB) cliResult {
	t.Helper()
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("want success and a quiet stderr, got:\n%s", r)
	}
	return r
}

// wantFailure checks that the run exited 1, printed nothing on stdout and
// explained itself in one "wharf: " line on stderr that contains each of
// subs.
func (r cliResult) wantFailure(t testing.TB, subs ...string) {
	t.Helper()
	if r.code != 1 {
		t.Errorf("want exit status 1, got:\n%s", r)
		return
	}
	if r.stdout != "" {
		t.Errorf("a failed command printed on stdout:\n%s", r)
	}
	if !strings.HasPrefix(r.stderr, "wharf: ") || strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") {
		t.Errorf("want one line starting with \"wharf: \" on stderr, got:\n%s", r)
	}
	for _, s := range subs {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, r)
		}
	}
}

// lastLine returns the last line of s, without its line ending.
func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	return s[strings.LastIndexByte(s, '\n')+1:]
}

// TestAdminCLI drives `wharf admin user create` and `wharf admin token
// create` against the data directory of a running server, as an operator
// does, and checks that what they create works on both fronts.
func TestAdminCLI(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testserver.Options{})
	// admin runs `wharf admin ARGS... --data DIR`: the data directory
	// comes from the flag, after every positional argument.
	admin := func(t *testing.T, stdin string, args ...string) cliResult {
		t.Helper()
		args = append(append([]string{"admin"}, args...), "--data", e.srv.DataDir)
		return runWharf(t, "", wharfEnv(), stdin, args...)
	}
	// createUser creates a user through the CLI and returns it.
	createUser := func(t *testing.T, superuser bool) *user {
		t.Helper()
		u := &user{e: e, name: testserver.RandomName("cli"), pass: testserver.RandomName("pw ")}
		args := []string{"user", "create", u.name, "--email", u.name + "@example.com", "--password-stdin"}
		if superuser {
			args = append(args, "--superuser")
		}
		r := admin(t, u.pass+"\n", args...).wantOK(t)
		if r.stdout != "created user "+u.name+"\n" {
			t.Errorf("user create printed %q", r.stdout)
		}
		return u
	}
	// createToken creates an API token and returns it, checking that it
	// is alone on the last line of stdout.
	createToken := func(t *testing.T, args ...string) string {
		t.Helper()
		r := admin(t, "", append([]string{"token", "create"}, args...)...).wantOK(t)
		tok := lastLine(r.stdout)
		if tok == "" || strings.ContainsAny(tok, " \t\r") || strings.Count(r.stdout, tok) != 1 || !strings.HasSuffix(r.stdout, "\n") {
			t.Fatalf("want the token alone on the last line of stdout, got %q", r.stdout)
		}
		return tok
	}

	t.Run("UserCreate", func(t *testing.T) {
		t.Parallel()
		root := createUser(t, true)
		other := e.newUser(t, false)
		root.basic().do(t, http.MethodGet, "/v2/", nil).want(t, http.StatusOK)
		// --superuser took effect: root may push into another namespace.
		root.basic().do(t, http.MethodPost, repoPath(other.name+"/by-root", "blobs/uploads/"), nil).want(t, http.StatusAccepted)

		// Flags before the name work as well, and the password is the
		// whole first line, spaces kept and a CRLF ending dropped.
		plain := &user{e: e, name: testserver.RandomName("cli"), pass: " two words "}
		r := admin(t, plain.pass+"\r\nsecond line\n", "user", "create", "--email", plain.name+"@example.com", "--password-stdin", plain.name).wantOK(t)
		if r.stdout != "created user "+plain.name+"\n" {
			t.Errorf("user create printed %q", r.stdout)
		}
		plain.basic().do(t, http.MethodGet, "/v2/", nil).want(t, http.StatusOK)
		for _, wrong := range []string{"two words", plain.pass + "\r", plain.pass + "\r\nsecond line"} {
			e.withAuth(basicAuth(plain.name, wrong)).do(t, http.MethodGet, "/v2/", nil).want(t, http.StatusUnauthorized)
		}
		// Without --superuser the user stays in their own namespace.
		plain.basic().do(t, http.MethodPost, repoPath(other.name+"/by-plain", "blobs/uploads/"), nil).wantDenied(t)
	})

	t.Run("UserCreateErrors", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			name  string
			stdin string
			args  []string
			want  []string
			// login is a user name that must not exist afterwards.
			login string
		}{
			{"NoPasswordStdin", "pw\n", []string{"nopwstdin", "--email", "n@example.com"}, []string{"--password-stdin"}, "nopwstdin"},
			{"NoName", "pw\n", []string{"--email", "n@example.com", "--password-stdin"}, []string{"NAME"}, ""},
			{"TwoNames", "pw\n", []string{"twonames", "other", "--email", "n@example.com", "--password-stdin"}, []string{"NAME"}, "twonames"},
			{"UpperCase", "pw\n", []string{"UpperCase", "--email", "n@example.com", "--password-stdin"}, []string{`"UpperCase"`, "lower-case"}, ""},
			{"ReservedV2", "pw\n", []string{"v2", "--email", "n@example.com", "--password-stdin"}, []string{`"v2"`, "reserved"}, "v2"},
			{"ReservedAdmin", "pw\n", []string{"admin", "--email", "n@example.com", "--password-stdin"}, []string{`"admin"`, "reserved"}, "admin"},
			{"TooShort", "pw\n", []string{"a", "--email", "n@example.com", "--password-stdin"}, []string{"user name"}, ""},
			{"BadEmail", "pw\n", []string{"bademail", "--email", "no-at-sign", "--password-stdin"}, []string{"email", "no-at-sign"}, "bademail"},
			{"NoEmail", "pw\n", []string{"noemail", "--password-stdin"}, []string{"email"}, "noemail"},
			{"EmptyPassword", "\n", []string{"emptypw", "--email", "n@example.com", "--password-stdin"}, []string{"password"}, "emptypw"},
			{"NoStdin", "", []string{"nostdin", "--email", "n@example.com", "--password-stdin"}, []string{"password"}, "nostdin"},
			{"UnknownFlag", "pw\n", []string{"unknownflag", "--emial", "n@example.com", "--password-stdin"}, []string{"emial"}, "unknownflag"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				admin(t, tc.stdin, append([]string{"user", "create"}, tc.args...)...).wantFailure(t, tc.want...)
				if tc.login != "" {
					e.withAuth(basicAuth(tc.login, "pw")).do(t, http.MethodGet, "/v2/", nil).want(t, http.StatusUnauthorized)
				}
			})
		}
	})

	t.Run("UserCreateDuplicate", func(t *testing.T) {
		t.Parallel()
		u := createUser(t, false)
		admin(t, "another-password\n", "user", "create", u.name, "--email", "x@example.com", "--password-stdin", "--superuser").
			wantFailure(t, `"`+u.name+`"`, "taken")
		// The first account is untouched.
		u.basic().do(t, http.MethodGet, "/v2/", nil).want(t, http.StatusOK)
		e.withAuth(basicAuth(u.name, "another-password")).do(t, http.MethodGet, "/v2/", nil).want(t, http.StatusUnauthorized)
		other := e.newUser(t, false)
		u.basic().do(t, http.MethodPost, repoPath(other.name+"/dup", "blobs/uploads/"), nil).wantDenied(t)
	})

	t.Run("TokenEverywhere", func(t *testing.T) {
		t.Parallel()
		u := createUser(t, false)
		tok := createToken(t, "--user", u.name, "--name", "ci bot")
		for _, tc := range []struct{ name, authz string }{
			{"bearer", "Bearer " + tok},
			{"token", "token " + tok},
			{"basic", basicAuth(u.name, tok)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := e.withAuth(tc.authz)
				c.do(t, http.MethodGet, "/v2/", nil).want(t, http.StatusOK)
				repo := u.name + "/cli-" + tc.name
				img := pushedImage(t, c, repo, "v1")
				wantManifest(t, c, repo, "v1", img)
				data := randBytes(t, 300)
				p := pkgPath(u.name, "cli-"+tc.name, "1.0", "f.bin")
				c.do(t, http.MethodPut, p, data).want(t, http.StatusCreated)
				wantDownload(t, c, p, "f.bin", data)
				c.do(t, http.MethodDelete, p, nil).want(t, http.StatusNoContent)
			})
		}
		// A token that was never issued opens nothing.
		for _, bad := range []string{"Bearer " + tok + "x", "token " + tok + "x", basicAuth(u.name, tok+"x")} {
			c := e.withAuth(bad)
			c.do(t, http.MethodGet, "/v2/", nil).want(t, http.StatusUnauthorized)
			c.do(t, http.MethodPut, pkgPath(u.name, "cli-bad", "1.0", "f.bin"), "x").want(t, http.StatusUnauthorized)
		}
	})

	t.Run("ScopedToken", func(t *testing.T) {
		t.Parallel()
		u := createUser(t, false)
		one, two := u.name+"/one", u.name+"/two"
		img := pushedImage(t, u.basic(), two, "v1")
		tok := createToken(t, "--user", u.name, "--scope", scope(one, "pull,push"), "--scope", scope(two, "pull"))
		c := e.withAuth("Bearer " + tok)
		pushedImage(t, c, one, "v1")
		wantManifest(t, c, two, "v1", img)
		c.do(t, http.MethodPost, repoPath(two, "blobs/uploads/"), nil).wantDenied(t)
		c.do(t, http.MethodPost, repoPath(u.name+"/three", "blobs/uploads/"), nil).wantDenied(t)
		// Nor does it open the user's generic packages of other names.
		c.do(t, http.MethodPut, pkgPath(u.name, "three", "1.0", "f.bin"), "data").want(t, http.StatusUnauthorized)
	})

	t.Run("TokenErrors", func(t *testing.T) {
		t.Parallel()
		u := createUser(t, false)
		for _, tc := range []struct {
			name string
			args []string
			want []string
		}{
			{"NoUser", nil, []string{"--user"}},
			{"UnknownUser", []string{"--user", "nosuch" + u.name}, []string{`"nosuch` + u.name + `"`, "not found"}},
			{"BadScope", []string{"--user", u.name, "--scope", "bogus"}, []string{"scope", `"bogus"`}},
			{"BadAction", []string{"--user", u.name, "--scope", scope(u.name+"/x", "fly")}, []string{"scope", `"fly"`}},
			{"OneBadScopeOfTwo", []string{"--user", u.name, "--scope", "pull", "--scope", "repository::pull"}, []string{"scope"}},
			{"NegativeTTL", []string{"--user", u.name, "--ttl", "-1h"}, []string{"ttl"}},
			{"BadTTL", []string{"--user", u.name, "--ttl", "soon"}, []string{"ttl"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				admin(t, "", append([]string{"token", "create"}, tc.args...)...).wantFailure(t, tc.want...)
			})
		}
	})

	t.Run("TokenTTL", func(t *testing.T) {
		t.Parallel()
		u := createUser(t, false)
		tok := createToken(t, "--user", u.name, "--ttl", "3s")
		issued := time.Now()
		c := e.withAuth("Bearer " + tok)
		c.do(t, http.MethodGet, "/v2/", nil).want(t, http.StatusOK)
		basic := e.withAuth(basicAuth(u.name, tok))
		basic.do(t, http.MethodGet, "/v2/", nil).want(t, http.StatusOK)
		for {
			r := c.do(t, http.MethodGet, "/v2/", nil)
			if r.Status == http.StatusUnauthorized {
				break
			}
			if time.Since(issued) > 8*time.Second {
				t.Fatalf("a token with --ttl 3s still works %v after it was created:\n%s", time.Since(issued).Round(time.Second), r)
			}
			time.Sleep(200 * time.Millisecond)
		}
		if time.Since(issued) < 2*time.Second {
			t.Errorf("a token with --ttl 3s stopped working after %v", time.Since(issued))
		}
		basic.do(t, http.MethodGet, "/v2/", nil).want(t, http.StatusUnauthorized)
		basic.do(t, http.MethodPut, pkgPath(u.name, "late", "1", "f"), "x").want(t, http.StatusUnauthorized)
	})
}

// TestAdminMigrate checks that `wharf admin migrate` can run any number of
// times, next to a running server, without touching the data.
func TestAdminMigrate(t *testing.T) {
	t.Parallel()
	forEachBackendNoServer(t, func(t *testing.T, b backend) {
		e := newEnv(t, b.opt)
		u := e.newUser(t, false)
		repo := u.name + "/migrated"
		img := pushedImage(t, u.basic(), repo, "v1")
		for i := range 2 {
			out, err := e.srv.Admin("", "migrate")
			if err != nil {
				t.Fatalf("run %d: %v", i+1, err)
			}
			if out != "migrations applied\n" {
				t.Errorf("run %d printed %q", i+1, out)
			}
		}
		e.anon().do(t, http.MethodGet, "/readyz", nil).want(t, http.StatusOK)
		wantManifest(t, u.basic(), repo, "v1", img)
		e.srv.Restart()
		e.forgetConnections()
		wantManifest(t, u.basic(), repo, "v1", img)
	})

	t.Run("FreshDirectory", func(t *testing.T) {
		t.Parallel()
		data := filepath.Join(t.TempDir(), "new")
		for range 2 {
			r := runWharf(t, "", wharfEnv(), "", "admin", "migrate", "--data", data).wantOK(t)
			if r.stdout != "migrations applied\n" {
				t.Errorf("migrate printed %q", r.stdout)
			}
		}
		if _, err := os.Stat(filepath.Join(data, "wharf.db")); err != nil {
			t.Errorf("migrate on an empty data directory: %v", err)
		}
	})
}

// TestCLIUsage checks the command dispatch of the binary: help goes to
// stdout with status 0, anything unknown to stderr with status 1.
func TestCLIUsage(t *testing.T) {
	t.Parallel()
	commands := []string{
		"wharf serve", "wharf admin user create", "wharf admin token create",
		"wharf admin repo public|private", "wharf admin gc", "wharf admin migrate",
	}
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		r := runWharf(t, t.TempDir(), wharfEnv(), "", args...).wantOK(t)
		for _, c := range append([]string{"usage:"}, commands...) {
			if !strings.Contains(r.stdout, c) {
				t.Errorf("wharf %s: usage lacks %q:\n%s", args[0], c, r)
			}
		}
	}
	for _, args := range [][]string{
		{}, {"frobnicate"}, {"admin"}, {"admin", "user"}, {"admin", "user", "delete", "x"},
		{"admin", "token"}, {"admin", "repo", "secret", "x"}, {"Serve"},
	} {
		dir := t.TempDir()
		r := runWharf(t, dir, wharfEnv(), "", args...)
		if r.code != 1 || r.stdout != "" {
			t.Errorf("want exit status 1 and nothing on stdout, got:\n%s", r)
		}
		if !strings.Contains(r.stderr, "usage:") || !strings.Contains(r.stderr, "unknown command") {
			t.Errorf("want the usage and \"unknown command\" on stderr, got:\n%s", r)
		}
		// A mistyped command leaves nothing behind.
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Errorf("wharf %s created %v in its working directory", strings.Join(args, " "), ents)
		}
	}
}
