package e2e

import (
	"bytes"
	"context"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"wharf/internal/testserver"
)

// proc is a `wharf serve` process a test starts itself, with its own
// working directory, environment and arguments.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
	mu   sync.Mutex
	out  bytes.Buffer
}

func (p *proc) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Write(b)
}

// output returns what the process printed so far.
func (p *proc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// startWharf starts the wharf binary with args in dir and env, and stops
// it when the test ends.
func startWharf(t testing.TB, dir string, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(testserver.Binary(t), args...), done: make(chan struct{})}
	p.cmd.Dir, p.cmd.Env = dir, env
	p.cmd.Stdout, p.cmd.Stderr = p, p
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.stop(t)
		if t.Failed() {
			t.Logf("wharf %s printed:\n%s", strings.Join(args, " "), p.output())
		}
	})
	return p
}

// stop sends SIGTERM and waits for the process, killing it after 30s.
func (p *proc) stop(t testing.TB) {
	t.Helper()
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		if st := p.cmd.ProcessState; !st.Success() {
			t.Errorf("wharf exited with %v after SIGTERM", st)
		}
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
		t.Errorf("wharf did not stop within 30s of SIGTERM")
	}
}

// waitHealthy waits until base/healthz answers 200.
func (p *proc) waitHealthy(t testing.TB, base string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-p.done:
			t.Fatalf("wharf exited at start (%v):\n%s", p.cmd.ProcessState, p.output())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("wharf did not answer on %s within 20s:\n%s", base, p.output())
}

// freeHostPort returns a 127.0.0.1 address nothing listens on right now.
func freeHostPort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// wantNotListening checks that nothing accepts connections on addr.
func wantNotListening(t testing.TB, addr string) {
	t.Helper()
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("something listens on %s", addr)
	}
}

// realmOf returns the realm of the challenge GET base/v2/ answers.
func realmOf(t testing.TB, base string) challenge {
	t.Helper()
	resp, err := http.Get(base + "/v2/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("GET %s/v2/: status %d, want 401", base, resp.StatusCode)
	}
	return parseChallenge(t, resp.Header.Get("WWW-Authenticate"))
}

func writeFile(t testing.TB, path, content string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestConfigErrors checks that a bad configuration stops `wharf serve`
// at once, with every problem named on stderr and nothing created.
func TestConfigErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		yaml string
		env  []string
		args []string
		// want are the settings (YAML paths or variable names) and other
		// words stderr must name.
		want []string
		// perLine asks for each of want to start a line of its own, as
		// "want: problem" (after "wharf: " on the first).
		perLine bool
	}{
		{
			name: "InvalidValues",
			yaml: `version: 1
addr: "no-port"
public_url: "ftp://registry.example.com"
log:
  format: xml
  level: loud
meta:
  driver: mysql
blob:
  driver: s3
auth:
  token_ttl: 0s
limits:
  max_manifest_bytes: -1
gc:
  grace_period: -1h
  upload_ttl: 0s
server:
  shutdown_timeout: 0s
`,
			env: []string{"WHARF_FSYNC=maybe", "WHARF_IDLE_TIMEOUT=soon"},
			want: []string{
				"addr", "public_url", "log.format", "log.level", "meta.driver", "blob.driver", "auth.token_ttl",
				"limits.max_manifest_bytes", "gc.grace_period", "gc.upload_ttl", "server.shutdown_timeout",
				"WHARF_FSYNC", "WHARF_IDLE_TIMEOUT",
			},
			perLine: true,
		},
		{
			// A misspelt key, a value of the wrong type and values that
			// fail validation are all reported in one go, each naming its
			// setting, so that one edit fixes the file.
			name: "InvalidValuesAndUnknownKey",
			yaml: `version: 1
addr: "no-port"
log:
  format: xml
gc:
  intervall: 5m
  grace_period: 5
bogus_key: true
`,
			want: []string{"addr", "log.format", "intervall", "gc.grace_period", "bogus_key"},
		},
		{
			name: "MissingFile",
			args: []string{"--config", "/nonexistent/wharf.yaml"},
			want: []string{"/nonexistent/wharf.yaml"},
		},
		{
			name: "UnknownFlag",
			args: []string{"--adress", "127.0.0.1:0"},
			want: []string{"adress"},
		},
		{
			name: "BadPublicURLFlag",
			args: []string{"--public-url", "registry.example.com"},
			want: []string{"public_url"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			args := append([]string{"serve"}, tc.args...)
			if tc.yaml != "" {
				args = append(args, "--config", writeFile(t, filepath.Join(t.TempDir(), "wharf.yaml"), tc.yaml))
			}
			start := time.Now()
			r := runWharf(t, dir, wharfEnv(tc.env...), "", args...)
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("wharf took %v to refuse the configuration", took)
			}
			if r.code != 1 || r.stdout != "" || !strings.HasPrefix(r.stderr, "wharf: ") {
				t.Fatalf("want exit status 1 and the problems on stderr, got:\n%s", r)
			}
			lines := strings.Split(strings.TrimPrefix(r.stderr, "wharf: "), "\n")
			for _, w := range tc.want {
				named := strings.Contains(r.stderr, w)
				if tc.perLine {
					named = slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, w+": ") })
				}
				if !named {
					t.Errorf("stderr does not name %s:\n%s", w, r.stderr)
				}
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				t.Errorf("a refused configuration created %v in the working directory", ents)
			}
		})
	}
}

// TestConfigPrecedence checks the order settings apply in: the file
// (named by WHARF_CONFIG or --config), then WHARF_* variables, then flags.
func TestConfigPrecedence(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	fileAddr, envAddr, flagAddr := freeHostPort(t), freeHostPort(t), freeHostPort(t)
	fileData, envData, flagData := filepath.Join(tmp, "file-data"), filepath.Join(tmp, "env-data"), filepath.Join(tmp, "flag-data")
	conf := writeFile(t, filepath.Join(tmp, "wharf.yaml"), "version: 1\naddr: \""+fileAddr+"\"\ndata_dir: "+fileData+"\nlog:\n  format: json\n")
	hasDB := func(dir string) bool {
		_, err := os.Stat(filepath.Join(dir, "wharf.db"))
		return err == nil
	}

	for _, tc := range []struct {
		name       string
		env        []string
		args       []string
		addr, data string
	}{
		{"FileFromEnv", []string{"WHARF_CONFIG=" + conf}, nil, fileAddr, fileData},
		{"EnvOverFile", []string{"WHARF_ADDR=" + envAddr, "WHARF_DATA=" + envData}, []string{"--config", conf}, envAddr, envData},
		{"FlagOverEnv", []string{"WHARF_ADDR=" + envAddr, "WHARF_DATA=" + envData}, []string{"--config", conf, "--addr", flagAddr, "--data", flagData}, flagAddr, flagData},
	} {
		// The cases share addresses, so they run one after the other.
		t.Run(tc.name, func(t *testing.T) {
			p := startWharf(t, tmp, wharfEnv(tc.env...), append([]string{"serve"}, tc.args...)...)
			p.waitHealthy(t, "http://"+tc.addr)
			for _, a := range []string{fileAddr, envAddr, flagAddr} {
				if a != tc.addr {
					wantNotListening(t, a)
				}
			}
			p.stop(t)
			if !hasDB(tc.data) {
				t.Errorf("no wharf.db in %s", tc.data)
			}
			// The file's log format applies whatever overrides the rest.
			if out := p.output(); !strings.Contains(out, `"msg":"wharf serving"`) {
				t.Errorf("log is not JSON as the file asks:\n%s", out)
			}
		})
	}
	if hasDB(filepath.Join(tmp, "wharf-data")) {
		t.Errorf("the default data directory was used although every run named another")
	}
}

// TestZeroConfig starts `wharf serve` in an empty directory with no
// configuration but a listen address, and checks what it creates there.
func TestZeroConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	addr := freeHostPort(t)
	base := "http://" + addr
	p := startWharf(t, dir, wharfEnv(), "serve", "--addr", addr)
	p.waitHealthy(t, base)

	data := filepath.Join(dir, "wharf-data")
	for name, want := range map[string]fs.FileMode{"wharf.db": 0, "blobs": fs.ModeDir, "jwt.key": 0} {
		fi, err := os.Stat(filepath.Join(data, name))
		if err != nil {
			t.Errorf("zero-config start: %v", err)
			continue
		}
		if fi.Mode().Type() != want {
			t.Errorf("%s has type %v, want %v", name, fi.Mode().Type(), want)
		}
	}
	keyPath := filepath.Join(data, "jwt.key")
	fi, err := os.Stat(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("jwt.key has mode %v, want 0600", perm)
	}
	key, err := os.ReadFile(keyPath)
	if err != nil || len(key) == 0 {
		t.Fatalf("jwt.key: %v, %d bytes", err, len(key))
	}
	if ch := realmOf(t, base); ch.params["realm"] != base+"/v2/auth" {
		t.Errorf("derived realm %q, want %q", ch.params["realm"], base+"/v2/auth")
	}

	// Admin commands in the same directory find the same data.
	runWharf(t, dir, wharfEnv(), "secret-pw\n", "admin", "user", "create", "zero", "--email", "z@example.com", "--password-stdin").wantOK(t)
	req, _ := http.NewRequest(http.MethodGet, base+"/v2/", nil)
	req.SetBasicAuth("zero", "secret-pw")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("user created by `wharf admin` in the same directory: GET /v2/ answered %d", resp.StatusCode)
	}

	// A restart keeps the signing key.
	p.stop(t)
	p = startWharf(t, dir, wharfEnv(), "serve", "--addr", addr)
	p.waitHealthy(t, base)
	if again, err := os.ReadFile(keyPath); err != nil || !bytes.Equal(again, key) {
		t.Errorf("jwt.key changed across a restart (err %v)", err)
	}
}

// TestPublicURL checks that the public URL set on the command line is the
// one registry clients are sent to for tokens.
func TestPublicURL(t *testing.T) {
	t.Parallel()
	for _, flag := range []string{"https://registry.example.com", "https://registry.example.com/"} {
		srv := testserver.Start(t, testserver.Options{Args: []string{"--public-url", flag}})
		ch := realmOf(t, srv.URL)
		if ch.scheme != "Bearer" || ch.params["realm"] != "https://registry.example.com/v2/auth" || ch.params["service"] != "registry.example.com" {
			t.Errorf("--public-url %s: challenge %s %v, want realm https://registry.example.com/v2/auth and service registry.example.com",
				flag, ch.scheme, ch.params)
		}
	}
}

// TestReadiness checks that /readyz answers 503 while a store is broken and
// 200 again once it is back, while /healthz stays 200.
func TestReadiness(t *testing.T) {
	t.Parallel()
	// waitReady polls /readyz until it answers want.
	waitReady := func(t *testing.T, e *env, want int) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			r := e.anon().do(t, http.MethodGet, "/readyz", nil)
			if r.Status == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("/readyz still answers %d after 15s, want %d:\n%s", r.Status, want, r)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	t.Run("BlobStore", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, testserver.Options{})
		u := e.newUser(t, false)
		repo := u.name + "/ready"
		data := randBytes(t, 500)
		d := pushBlob(t, u.basic(), repo, mtOCILayer, data)
		waitReady(t, e, http.StatusOK)

		// A file where the blob tree should be: every lookup fails with
		// ENOTDIR, which running as root does not get around.
		tree := filepath.Join(e.srv.DataDir, committedDir)
		moved := tree + ".moved"
		if err := os.Rename(tree, moved); err != nil {
			t.Fatal(err)
		}
		writeFile(t, tree, "not a directory")
		waitReady(t, e, http.StatusServiceUnavailable)
		e.anon().do(t, http.MethodGet, "/healthz", nil).want(t, http.StatusOK)

		if err := os.Remove(tree); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(moved, tree); err != nil {
			t.Fatal(err)
		}
		waitReady(t, e, http.StatusOK)
		wantBlob(t, u.basic(), repo, d.Digest, data)
	})

	t.Run("PostgreSQL", func(t *testing.T) {
		t.Parallel()
		admin, name, dsn := ownDatabase(t)
		e := newEnv(t, testserver.Options{Env: []string{"WHARF_META_DRIVER=postgres", "WHARF_POSTGRES_DSN=" + dsn}})
		u := e.newUser(t, false)
		repo := u.name + "/ready"
		img := pushedImage(t, u.basic(), repo, "v1")
		waitReady(t, e, http.StatusOK)

		// Cut the server off its database: no new connections, and the
		// open ones terminated.
		ctx := context.Background()
		t.Cleanup(func() { admin.Exec(ctx, "ALTER DATABASE "+name+" ALLOW_CONNECTIONS true") })
		if _, err := admin.Exec(ctx, "ALTER DATABASE "+name+" ALLOW_CONNECTIONS false"); err != nil {
			t.Fatal(err)
		}
		if _, err := admin.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name); err != nil {
			t.Fatal(err)
		}
		waitReady(t, e, http.StatusServiceUnavailable)
		e.anon().do(t, http.MethodGet, "/healthz", nil).want(t, http.StatusOK)
		// Requests fail, without the cause in the answer.
		r := u.basic().do(t, http.MethodGet, repoPath(repo, "manifests/v1"), nil, "Accept", acceptAll)
		if r.Status < 500 {
			t.Errorf("pull with the database gone:\n%s", r)
		}
		for _, leak := range []string{"postgres", "SQLSTATE", "pgx", "connect"} {
			if strings.Contains(strings.ToLower(string(r.Body)), strings.ToLower(leak)) {
				t.Errorf("error answer leaks %q:\n%s", leak, r)
			}
		}

		if _, err := admin.Exec(ctx, "ALTER DATABASE "+name+" ALLOW_CONNECTIONS true"); err != nil {
			t.Fatal(err)
		}
		waitReady(t, e, http.StatusOK)
		wantManifest(t, u.basic(), repo, "v1", img)
	})
}

// ownDatabase creates an empty database on the test PostgreSQL server and
// returns a connection to the server's maintenance database, the new
// database's name and its DSN. The database is dropped when the test ends.
func ownDatabase(t *testing.T) (*pgx.Conn, string, string) {
	t.Helper()
	dsn := testserver.PostgresDSN(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect to test postgres: %v", err)
	}
	name := testserver.RandomName("wharf_e2e_ready_")
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close(ctx)
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
		conn.Close(ctx)
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("parse dsn: %v", err)
	}
	u.Path = "/" + name
	return conn, name, u.String()
}
