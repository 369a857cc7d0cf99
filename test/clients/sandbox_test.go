package clients

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// commandTimeout bounds one run of a command-line tool.
const commandTimeout = 2 * time.Minute

// tool returns the path of the named command-line tool, found on PATH or
// in <repository root>/.tools/bin. When it is missing the test fails if
// WHARF_TEST_TOOLS=1, and is skipped otherwise.
func tool(t testing.TB, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	p := filepath.Join(repoRoot(t), ".tools", "bin", name)
	if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
		return p
	}
	msg := name + " is not installed (looked on PATH and in .tools/bin); run scripts/test-deps.sh"
	if os.Getenv("WHARF_TEST_TOOLS") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// repoRoot returns the directory holding the module's go.mod, two levels
// above this package.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root not found: %v", err)
	}
	return root
}

// sandbox is one test's private world for command-line tools: its own
// home, XDG and configuration directories, credential files and temporary
// directory, so that no login or cache leaks between tests.
type sandbox struct {
	t   testing.TB
	dir string
	env []string
}

// isolatedVars are the variables of the outer environment that would let
// tools share state between tests; the sandbox replaces them.
var isolatedVars = []string{
	"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR",
	"TMPDIR", "DOCKER_CONFIG", "REGISTRY_AUTH_FILE", "REGCTL_CONFIG",
	"CONTAINERS_STORAGE_CONF", "CONTAINERS_CONF", "BUILDAH_ISOLATION",
}

func newSandbox(t testing.TB) *sandbox {
	t.Helper()
	dir := t.TempDir()
	s := &sandbox{t: t, dir: dir}
	home := s.mkdir("home")
	set := map[string]string{
		"HOME":            home,
		"XDG_CONFIG_HOME": s.mkdir("home/.config"),
		"XDG_DATA_HOME":   s.mkdir("home/.local/share"),
		"XDG_CACHE_HOME":  s.mkdir("home/.cache"),
		"XDG_RUNTIME_DIR": s.mkdir("run"),
		"TMPDIR":          s.mkdir("tmp"),
		"DOCKER_CONFIG":   s.mkdir("home/.docker"),
	}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(isolatedVars, k) {
			s.env = append(s.env, kv)
		}
	}
	for k, v := range set {
		s.env = append(s.env, k+"="+v)
	}
	// The containers tools refuse a DOCKER_CONFIG without a config file.
	s.writeFile("home/.docker/config.json", []byte(`{"auths":{}}`))
	return s
}

// mkdir creates a directory under the sandbox and returns its path.
func (s *sandbox) mkdir(rel string) string {
	s.t.Helper()
	p := filepath.Join(s.dir, rel)
	if err := os.MkdirAll(p, 0o700); err != nil {
		s.t.Fatal(err)
	}
	return p
}

// path returns the path of rel inside the sandbox.
func (s *sandbox) path(rel string) string { return filepath.Join(s.dir, rel) }

// writeFile writes data to rel inside the sandbox and returns its path.
func (s *sandbox) writeFile(rel string, data []byte) string {
	s.t.Helper()
	p := s.path(rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o600); err != nil {
		s.t.Fatal(err)
	}
	return p
}

// readFile returns the contents of rel inside the sandbox.
func (s *sandbox) readFile(rel string) []byte {
	s.t.Helper()
	b, err := os.ReadFile(s.path(rel))
	if err != nil {
		s.t.Fatal(err)
	}
	return b
}

// cmd describes one command to run in the sandbox.
type cmd struct {
	bin   string
	args  []string
	stdin string
	dir   string
}

// exec runs c and returns its standard output, standard error and error.
func (s *sandbox) exec(c cmd) (string, string, error) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	x := exec.CommandContext(ctx, c.bin, c.args...)
	x.Env = s.env
	x.Dir = c.dir
	if x.Dir == "" {
		x.Dir = s.dir
	}
	x.Stdin = strings.NewReader(c.stdin)
	var out, errb bytes.Buffer
	x.Stdout, x.Stderr = &out, &errb
	start := time.Now()
	err := x.Run()
	s.t.Logf("$ %s %s (%v)", filepath.Base(c.bin), strings.Join(c.args, " "), time.Since(start).Round(time.Millisecond))
	return out.String(), errb.String(), err
}

// run runs bin with args, fails the test when it fails, and returns its
// standard output with surrounding space trimmed.
func (s *sandbox) run(bin string, args ...string) string {
	s.t.Helper()
	return s.runCmd(cmd{bin: bin, args: args})
}

// runCmd is run for a fully described command.
func (s *sandbox) runCmd(c cmd) string {
	s.t.Helper()
	out, errOut, err := s.exec(c)
	if err != nil {
		s.t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", filepath.Base(c.bin), strings.Join(c.args, " "), err, out, errOut)
	}
	return strings.TrimSpace(out)
}

// fail runs bin with args, expects it to fail, and returns its combined
// output.
func (s *sandbox) fail(bin string, args ...string) string {
	s.t.Helper()
	return s.failCmd(cmd{bin: bin, args: args})
}

// failCmd is fail for a fully described command.
func (s *sandbox) failCmd(c cmd) string {
	s.t.Helper()
	out, errOut, err := s.exec(c)
	if err == nil {
		s.t.Fatalf("%s %s succeeded, want failure\nstdout:\n%s", filepath.Base(c.bin), strings.Join(c.args, " "), out)
	}
	s.t.Logf("failed as expected: %s", strings.TrimSpace(out+errOut))
	return out + errOut
}

// storage returns the flags that give podman and buildah a container
// store of their own inside the sandbox, on the vfs driver, so that tests
// can run in parallel without sharing image state or locks.
func (s *sandbox) storage() []string {
	return []string{
		"--root", s.mkdir("storage"),
		"--runroot", s.mkdir("runroot"),
		"--storage-driver", "vfs",
	}
}
