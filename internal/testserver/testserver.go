// Package testserver runs a real `wharf serve` process for end-to-end
// tests: it builds the binary once per test process, gives each server its
// own data directory and, on request, its own PostgreSQL database, and
// creates users and tokens through the admin commands, exactly as an
// operator would.
package testserver

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	buildBin  string
	buildErr  error
	buildDir  string
)

// Main runs the tests of a package that uses servers and removes the
// built binary afterwards. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// Binary returns the path of a freshly built wharf binary.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		out, err := exec.Command("go", "env", "GOMOD").Output()
		if err != nil {
			buildErr = fmt.Errorf("go env GOMOD: %w", err)
			return
		}
		root := filepath.Dir(strings.TrimSpace(string(out)))
		if buildDir, buildErr = os.MkdirTemp("", "wharf-bin-"); buildErr != nil {
			return
		}
		buildBin = filepath.Join(buildDir, "wharf")
		cmd := exec.Command("go", "build", "-o", buildBin, "./cmd/wharf")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildBin
}

// Options configure a server.
type Options struct {
	// Postgres runs the server on a fresh PostgreSQL database created in
	// the server at WHARF_TEST_POSTGRES_DSN; the test fails when the
	// variable is not set.
	Postgres bool
	// Env adds environment variables (WHARF_*) to the server's.
	Env []string
	// Args adds flags to `wharf serve`.
	Args []string
}

// Server is a running wharf process.
type Server struct {
	// URL is the base URL, e.g. http://127.0.0.1:41234.
	URL string
	// Host is the host:port part of URL.
	Host string
	// DataDir is the server's data directory.
	DataDir string

	t     testing.TB
	bin   string
	env   []string
	args  []string
	extra []string // flags of `wharf serve` beyond address and public URL
	cmd   *exec.Cmd
	done  chan struct{}
	logs  *bytes.Buffer
	mu    sync.Mutex
}

// Start starts a server and stops it when the test ends.
func Start(t testing.TB, opt Options) *Server {
	t.Helper()
	s := &Server{t: t, bin: Binary(t), DataDir: t.TempDir(), logs: &bytes.Buffer{}}
	s.env = append(os.Environ(), "WHARF_DATA="+s.DataDir, "WHARF_LOG_LEVEL=debug")
	if opt.Postgres {
		s.env = append(s.env, "WHARF_META_DRIVER=postgres", "WHARF_POSTGRES_DSN="+freshDatabase(t))
	}
	s.env = append(s.env, opt.Env...)
	s.extra = opt.Args
	// Another process may take the free port before the server binds it;
	// then the server is started again on another one.
	for attempt := 1; ; attempt++ {
		s.setAddr(freeAddr(t))
		if s.start() {
			break
		}
		if attempt == 5 {
			t.Fatalf("wharf could not bind a free address in %d attempts", attempt)
		}
	}
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			t.Logf("server log:\n%s", s.Logs())
		}
	})
	return s
}

func freeAddr(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// setAddr makes addr the server's listen address.
func (s *Server) setAddr(addr string) {
	s.Host = addr
	s.URL = "http://" + s.Host
	s.args = append([]string{"serve", "--addr", s.Host, "--public-url", s.URL}, s.extra...)
}

// start runs the server and waits until it is healthy. It reports false,
// without failing the test, when the server could not bind its address
// because another process holds it; any other failure fails the test.
func (s *Server) start() bool {
	s.t.Helper()
	cmd := exec.Command(s.bin, s.args...)
	cmd.Env = s.env
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.cmd, s.done = cmd, make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			s.mu.Lock()
			s.logs.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
		}
	}()
	go func() {
		cmd.Wait()
		pw.Close()
		close(s.done)
	}()
	// Only this process's own line says the address is bound: a health
	// check alone could reach another server that took the port.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(s.Logs(), "wharf serving") {
			resp, err := http.Get(s.URL + "/healthz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return true
				}
			}
		}
		select {
		case <-s.done:
			s.cmd = nil
			if strings.Contains(s.Logs(), "address already in use") {
				s.t.Logf("wharf could not bind %s; trying another address", s.Host)
				s.mu.Lock()
				s.logs.Reset()
				s.mu.Unlock()
				return false
			}
			s.t.Fatalf("wharf exited at start:\n%s", s.Logs())
		case <-time.After(50 * time.Millisecond):
		}
	}
	s.t.Fatalf("wharf did not become healthy:\n%s", s.Logs())
	return false
}

// Logs returns what the server printed so far.
func (s *Server) Logs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logs.String()
}

// Stop sends SIGTERM and waits for the process to exit.
func (s *Server) Stop() error {
	if s.cmd == nil {
		return nil
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(40 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
	err := s.cmd.ProcessState
	s.cmd = nil
	if err != nil && !err.Success() {
		return fmt.Errorf("wharf exited: %s", err)
	}
	return nil
}

// PID returns the process id of the running server, 0 when it is not
// running.
func (s *Server) PID() int {
	if s.cmd == nil || s.cmd.Process == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// Kill sends SIGKILL and waits for the process to die.
func (s *Server) Kill() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// Restart starts the server again on the same address and data.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	// The address was this server's a moment ago; another process may
	// hold it briefly.
	for attempt := 1; !s.start(); attempt++ {
		if attempt == 20 {
			s.t.Fatalf("wharf could not bind %s again", s.Host)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Admin runs `wharf admin ARGS...` against the server's data and
// configuration, with stdin as its input, and returns its standard output.
func (s *Server) Admin(stdin string, args ...string) (string, error) {
	cmd := exec.Command(s.bin, append([]string{"admin"}, args...)...)
	cmd.Env = s.env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("wharf admin %s: %v: %s", strings.Join(args, " "), err, errb.String())
	}
	return out.String(), nil
}

// CreateUser creates a user with the given password.
func (s *Server) CreateUser(t testing.TB, name, password string, superuser bool) {
	t.Helper()
	args := []string{"user", "create", name, "--email", name + "@example.com", "--password-stdin"}
	if superuser {
		args = append(args, "--superuser")
	}
	if _, err := s.Admin(password+"\n", args...); err != nil {
		t.Fatal(err)
	}
}

// Token creates an API token for user and returns it.
func (s *Server) Token(t testing.TB, user string, scopes ...string) string {
	t.Helper()
	args := []string{"token", "create", "--user", user}
	for _, sc := range scopes {
		args = append(args, "--scope", sc)
	}
	out, err := s.Admin("", args...)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// RandomName returns a short random lower-case name with a prefix.
func RandomName(prefix string) string {
	var b [4]byte
	rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}
