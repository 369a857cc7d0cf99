package clients

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCrane pushes an image with crane append, logged in with an API
// token, checks digest, manifest and exported files against the
// registry, copies it to another repository (mounting every blob), and
// exercises ls, catalog, tag and delete.
func TestCrane(t *testing.T) {
	t.Parallel()
	sb := newSandbox(t)
	bin := tool(t, "crane")
	reg := startRegistry(t)
	crane := func(args ...string) string {
		t.Helper()
		return sb.run(bin, append([]string{"--insecure"}, args...)...)
	}
	sb.runCmd(cmd{bin: bin, args: []string{"auth", "login", reg.host, "-u", reg.user, "--password-stdin"}, stdin: reg.token(t)})

	data := payload(t, 16<<10)
	layer := sb.writeFile("layer.tar", tarOf(t, "hello.bin", data))
	src, dst := reg.repo("base"), reg.repo("copy")
	srcRef, dstRef := reg.host+"/"+src, reg.host+"/"+dst

	out := crane("append", "--oci-empty-base", "-f", layer, "-t", srcRef+":v1")
	_, pushed, ok := strings.Cut(out, "@")
	if !ok {
		t.Fatalf("crane append printed %q, want REF@DIGEST", out)
	}
	d, files := reg.image(t, src, "v1")
	if d != pushed {
		t.Errorf("registry serves v1 as %s, crane pushed %s", d, pushed)
	}
	checkFile(t, files, "hello.bin", data)
	if got := crane("digest", srcRef+":v1"); got != pushed {
		t.Errorf("crane digest: %s, want %s", got, pushed)
	}
	_, manifest := reg.manifest(t, src, "v1")
	if got := crane("manifest", srcRef+":v1"); got != string(manifest) {
		t.Errorf("crane manifest:\n%s\nregistry:\n%s", got, manifest)
	}
	exported, stderr, err := sb.exec(cmd{bin: bin, args: []string{"--insecure", "export", srcRef + ":v1", "-"}})
	if err != nil {
		t.Fatalf("crane export: %v\n%s", err, stderr)
	}
	checkFile(t, untar(t, []byte(exported)), "hello.bin", data)

	// crane copy mounts blobs from the source repository when the
	// registry allows it; -v logs each mount.
	copyOut, stderr, err := sb.exec(cmd{bin: bin, args: []string{"--insecure", "-v", "copy", srcRef + ":v1", dstRef + ":v1"}})
	if err != nil {
		t.Fatalf("crane copy: %v\n%s%s", err, copyOut, stderr)
	}
	for _, b := range blobDigests(t, manifest) {
		if !strings.Contains(stderr, "mounted blob: "+b) {
			t.Errorf("crane copy did not mount %s from %s", b, src)
		}
	}
	if got := crane("digest", dstRef+":v1"); got != pushed {
		t.Errorf("copy has digest %s, want %s", got, pushed)
	}
	if d, _ := reg.image(t, dst, "v1"); d != pushed {
		t.Errorf("registry serves the copy as %s, want %s", d, pushed)
	}

	crane("tag", dstRef+":v1", "v2")
	lines := func(s string) []string {
		f := strings.Fields(s)
		sort.Strings(f)
		return f
	}
	if diff := cmp.Diff([]string{"v1", "v2"}, lines(crane("ls", dstRef))); diff != "" {
		t.Errorf("crane ls after tag (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{src, dst}, lines(crane("catalog", reg.host))); diff != "" {
		t.Errorf("crane catalog (-want +got):\n%s", diff)
	}

	crane("delete", dstRef+":v2")
	if diff := cmp.Diff([]string{"v1"}, lines(crane("ls", dstRef))); diff != "" {
		t.Errorf("crane ls after deleting tag v2 (-want +got):\n%s", diff)
	}
	crane("delete", dstRef+"@"+pushed)
	if got := lines(crane("ls", dstRef)); len(got) != 0 {
		t.Errorf("crane ls after deleting the manifest: %v, want none", got)
	}
	if st := reg.status(t, http.MethodGet, "/v2/"+dst+"/manifests/"+pushed); st != http.StatusNotFound {
		t.Errorf("copy@digest after delete: status %d, want 404", st)
	}
	if got := crane("digest", srcRef+":v1"); got != pushed {
		t.Errorf("source after deleting the copy: %s, want %s", got, pushed)
	}
}
