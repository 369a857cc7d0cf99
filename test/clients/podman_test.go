package clients

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// podman runs podman with a container store, libpod state and event log
// private to the sandbox.
type podman struct {
	sb  *sandbox
	bin string
}

func newPodman(t testing.TB, sb *sandbox) podman {
	return podman{sb: sb, bin: tool(t, "podman")}
}

func (p podman) global() []string {
	return append(p.sb.storage(), "--tmpdir", p.sb.mkdir("libpod"), "--events-backend", "none", "--cgroup-manager", "cgroupfs")
}

func (p podman) run(args ...string) string {
	p.sb.t.Helper()
	return p.sb.run(p.bin, append(p.global(), args...)...)
}

func (p podman) runStdin(stdin string, args ...string) string {
	p.sb.t.Helper()
	return p.sb.runCmd(cmd{bin: p.bin, args: append(p.global(), args...), stdin: stdin})
}

func (p podman) failStdin(stdin string, args ...string) string {
	p.sb.t.Helper()
	return p.sb.failCmd(cmd{bin: p.bin, args: append(p.global(), args...), stdin: stdin})
}

func (p podman) fail(args ...string) string {
	p.sb.t.Helper()
	return p.sb.fail(p.bin, append(p.global(), args...)...)
}

// TestPodman logs in with a password and, separately, with an API token
// as the password, imports a one-file image, pushes it, removes it, pulls
// it back and checks the digest podman reports, the registry's manifest
// and the file's bytes on both sides.
func TestPodman(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		secret func(testing.TB, *registry) string
	}{
		{"password", func(_ testing.TB, r *registry) string { return r.password }},
		{"token", func(t testing.TB, r *registry) string { return r.token(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sb := newSandbox(t)
			pm := newPodman(t, sb)
			reg := startRegistry(t)
			secret := tc.secret(t, reg)

			pm.failStdin("not-"+secret, "login", "--tls-verify=false", "-u", reg.user, "--password-stdin", reg.host)
			pm.runStdin(secret+"\n", "login", "--tls-verify=false", "-u", reg.user, "--password-stdin", reg.host)

			data := payload(t, 8192)
			layer := sb.writeFile("layer.tar", tarOf(t, "hello.bin", data))
			ref := reg.ref("app", "v1")
			pm.run("import", "-q", layer, ref)
			pm.run("push", "-q", "--tls-verify=false", "--digestfile", sb.path("digest"), ref)
			pushed := strings.TrimSpace(string(sb.readFile("digest")))

			got, files := reg.image(t, reg.repo("app"), "v1")
			if got != pushed {
				t.Errorf("registry serves v1 as %s, podman pushed %s", got, pushed)
			}
			checkFile(t, files, "hello.bin", data)

			pm.run("rmi", ref)
			if ids := pm.run("images", "-q"); ids != "" {
				t.Fatalf("images left after rmi: %q", ids)
			}
			pm.run("pull", "-q", "--tls-verify=false", ref)
			if d := pm.run("image", "inspect", "--format", "{{.Digest}}", ref); d != pushed {
				t.Errorf("pulled image digest %s, pushed %s", d, pushed)
			}
			root := pm.run("image", "mount", ref)
			pulled, err := os.ReadFile(filepath.Join(root, "hello.bin"))
			if err != nil {
				t.Fatalf("pulled image: %v", err)
			}
			checkFile(t, map[string][]byte{"hello.bin": pulled}, "hello.bin", data)
			pm.run("image", "unmount", ref)

			pm.run("logout", reg.host)
			pm.run("rmi", ref)
			pm.fail("pull", "-q", "--tls-verify=false", ref)
		})
	}
}
