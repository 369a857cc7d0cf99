package clients

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildah builds an image from a Containerfile (FROM scratch plus a
// COPY) with chroot isolation, pushes it with --creds, removes it, pulls it
// back and checks the pulled manifest, digest and file against the
// registry's and the source's bytes.
func TestBuildah(t *testing.T) {
	t.Parallel()
	sb := newSandbox(t)
	bin := tool(t, "buildah")
	reg := startRegistry(t)
	store := sb.storage()
	buildah := func(args ...string) string {
		t.Helper()
		return sb.run(bin, append(store, args...)...)
	}
	creds := reg.user + ":" + reg.password

	data := payload(t, 4096)
	sb.writeFile("context/hello.bin", data)
	sb.writeFile("context/Containerfile", []byte("FROM scratch\nCOPY hello.bin /hello.bin\n"))
	ref := reg.ref("built", "v1")
	buildah("bud", "--isolation", "chroot", "-q", "-t", ref, "-f", sb.path("context/Containerfile"), sb.path("context"))

	sb.fail(bin, append(store, "push", "-q", "--tls-verify=false", "--creds", reg.user+":wrong", ref)...)
	buildah("push", "-q", "--tls-verify=false", "--creds", creds, "--digestfile", sb.path("digest"), ref)
	pushed := strings.TrimSpace(string(sb.readFile("digest")))

	got, files := reg.image(t, reg.repo("built"), "v1")
	if got != pushed {
		t.Errorf("registry serves v1 as %s, buildah pushed %s", got, pushed)
	}
	checkFile(t, files, "hello.bin", data)
	_, manifest := reg.manifest(t, reg.repo("built"), pushed)

	buildah("rmi", ref)
	buildah("pull", "-q", "--tls-verify=false", "--creds", creds, ref)
	if d := buildah("inspect", "--type", "image", "--format", "{{.FromImageDigest}}", ref); d != pushed {
		t.Errorf("pulled image digest %s, pushed %s", d, pushed)
	}
	if m := buildah("inspect", "--type", "image", "--format", "{{.Manifest}}", ref); m != string(manifest) {
		t.Errorf("pulled manifest differs from the registry's:\npulled:   %s\nregistry: %s", m, manifest)
	}
	ctr := buildah("from", "-q", ref)
	root := buildah("mount", ctr)
	pulled, err := os.ReadFile(filepath.Join(root, "hello.bin"))
	if err != nil {
		t.Fatalf("pulled image: %v", err)
	}
	checkFile(t, map[string][]byte{"hello.bin": pulled}, "hello.bin", data)
	buildah("umount", ctr)
	buildah("rm", ctr)
}
