package clients

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSkopeo copies an image from an OCI layout directory into the
// registry, between repositories and back into a layout, preserving
// digests, and checks inspect, list-tags and delete, comparing manifests
// byte for byte with the layout's.
func TestSkopeo(t *testing.T) {
	t.Parallel()
	sb := newSandbox(t)
	bin := tool(t, "skopeo")
	reg := startRegistry(t)
	skopeo := func(args ...string) string {
		t.Helper()
		return sb.run(bin, args...)
	}
	docker := func(name, tag string) string { return "docker://" + reg.ref(name, tag) }

	sb.runCmd(cmd{bin: bin, args: []string{"login", "--tls-verify=false", "-u", reg.user, "--password-stdin", reg.host}, stdin: reg.password + "\n"})

	data := payload(t, 4096)
	img := writeLayout(t, sb.mkdir("layout"), "v1", map[string][]byte{"hello.bin": data})
	skopeo("copy", "-q", "--preserve-digests", "--dest-tls-verify=false", "--digestfile", sb.path("digest"),
		"oci:"+img.Dir+":v1", docker("src", "v1"))
	if d := strings.TrimSpace(string(sb.readFile("digest"))); d != img.Digest {
		t.Errorf("skopeo pushed %s, layout holds %s", d, img.Digest)
	}
	d, files := reg.image(t, reg.repo("src"), "v1")
	if d != img.Digest {
		t.Errorf("registry serves src:v1 as %s, layout holds %s", d, img.Digest)
	}
	checkFile(t, files, "hello.bin", data)
	if _, m := reg.manifest(t, reg.repo("src"), "v1"); !bytes.Equal(m, img.Manifest) {
		t.Errorf("registry manifest differs from the layout's:\nregistry: %s\nlayout:   %s", m, img.Manifest)
	}

	// Repository to repository, with a token given on the command line
	// for the destination instead of the stored login.
	token := reg.token(t)
	skopeo("copy", "-q", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false",
		"--dest-creds", reg.user+":"+token, docker("src", "v1"), docker("dst", "v1"))
	skopeo("copy", "-q", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false",
		docker("src", "v1"), docker("src", "v2"))
	for _, ref := range []string{docker("src", "v2"), docker("dst", "v1")} {
		if got := skopeo("inspect", "--tls-verify=false", "--format", "{{.Digest}}", ref); got != img.Digest {
			t.Errorf("inspect %s: digest %s, want %s", ref, got, img.Digest)
		}
		if raw := skopeo("inspect", "--tls-verify=false", "--raw", ref); raw != string(img.Manifest) {
			t.Errorf("inspect --raw %s:\n%s\nwant\n%s", ref, raw, img.Manifest)
		}
	}

	// Back into a fresh layout: the same manifest and blobs.
	back := sb.path("back")
	skopeo("copy", "-q", "--preserve-digests", "--src-tls-verify=false", docker("dst", "v1"), "oci:"+back+":v1")
	for _, dg := range append([]string{img.Digest}, blobDigests(t, img.Manifest)...) {
		want, err := os.ReadFile(filepath.Join(img.Dir, "blobs", "sha256", strings.TrimPrefix(dg, "sha256:")))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(back, "blobs", "sha256", strings.TrimPrefix(dg, "sha256:")))
		if err != nil {
			t.Errorf("copied layout lacks %s: %v", dg, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("copied layout: %s differs from the source", dg)
		}
	}

	var list struct {
		Repository string
		Tags       []string
	}
	if err := json.Unmarshal([]byte(skopeo("list-tags", "--tls-verify=false", "docker://"+reg.host+"/"+reg.repo("src"))), &list); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"v1", "v2"}, list.Tags); diff != "" {
		t.Errorf("list-tags src (-want +got):\n%s", diff)
	}

	skopeo("delete", "--tls-verify=false", docker("dst", "v1"))
	sb.fail(bin, "inspect", "--tls-verify=false", docker("dst", "v1"))
	if st := reg.status(t, http.MethodGet, "/v2/"+reg.repo("dst")+"/manifests/"+img.Digest); st != http.StatusNotFound {
		t.Errorf("dst@%s after delete: status %d, want 404", img.Digest, st)
	}
	if d, _ := reg.manifest(t, reg.repo("src"), "v1"); d != img.Digest {
		t.Errorf("src:v1 after deleting dst: %s", d)
	}
}

// blobDigests returns the config and layer digests of an image manifest.
func blobDigests(t testing.TB, manifest []byte) []string {
	t.Helper()
	m := parseManifest(t, manifest)
	ds := []string{m.Config.Digest}
	for _, l := range m.Layers {
		ds = append(ds, l.Digest)
	}
	return ds
}
