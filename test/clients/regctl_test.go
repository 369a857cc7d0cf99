package clients

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRegctl configures the registry for plain HTTP with small chunks,
// logs in, copies an image with a 3 MiB layer from an OCI layout (pushed
// in chunks) and between repositories, and checks tag ls, manifest get,
// image digest and tag delete against the layout's bytes.
func TestRegctl(t *testing.T) {
	t.Parallel()
	sb := newSandbox(t)
	bin := tool(t, "regctl")
	reg := startRegistry(t)
	regctl := func(args ...string) string {
		t.Helper()
		return sb.run(bin, args...)
	}

	// Blobs over 1 MiB go up in 256 KiB PATCH requests. registry set
	// saves the settings and then pings /v2/ anonymously (following the
	// Bearer challenge); a failed ping is an error exit, but the settings
	// are kept, so the test goes on.
	setArgs := []string{"registry", "set", "--tls", "disabled", "--blob-max", "1048576", "--blob-chunk", "262144", reg.host}
	if out, errOut, err := sb.exec(cmd{bin: bin, args: setArgs}); err != nil {
		t.Errorf("regctl %s: %v\n%s%s", strings.Join(setArgs, " "), err, out, errOut)
	}
	sb.failCmd(cmd{bin: bin, args: []string{"registry", "login", reg.host, "-u", reg.user, "--pass-stdin"}, stdin: "wrong"})
	sb.runCmd(cmd{bin: bin, args: []string{"registry", "login", reg.host, "-u", reg.user, "--pass-stdin"}, stdin: reg.password})

	small, big := payload(t, 2048), payload(t, 3<<20)
	img := writeLayout(t, sb.mkdir("layout"), "v1", map[string][]byte{"a/small.bin": small, "b/big.bin": big})
	src, dst := reg.repo("src"), reg.repo("dst")
	srcRef, dstRef := reg.host+"/"+src, reg.host+"/"+dst

	_, logs, err := sb.exec(cmd{bin: bin, args: []string{"-v", "debug", "image", "copy", "ocidir://" + img.Dir + ":v1", srcRef + ":v1"}})
	if err != nil {
		t.Fatalf("regctl image copy from layout: %v\n%s", err, logs)
	}
	if n := strings.Count(logs, "Next chunk upload location received"); n < 2 {
		t.Errorf("the 3 MiB layer went up in %d chunk requests, want it chunked", n)
	}
	d, files := reg.image(t, src, "v1")
	if d != img.Digest {
		t.Errorf("registry serves src:v1 as %s, layout holds %s", d, img.Digest)
	}
	checkFile(t, files, "a/small.bin", small)
	checkFile(t, files, "b/big.bin", big)

	regctl("image", "copy", srcRef+":v1", dstRef+":v1")
	regctl("image", "copy", srcRef+":v1", dstRef+":v2")
	if got := regctl("image", "digest", dstRef+":v1"); got != img.Digest {
		t.Errorf("image digest dst:v1: %s, want %s", got, img.Digest)
	}
	if got := regctl("manifest", "get", "--format", "raw-body", dstRef+":v1"); got != string(img.Manifest) {
		t.Errorf("manifest get dst:v1:\n%s\nwant\n%s", got, img.Manifest)
	}
	if diff := cmp.Diff([]string{"v1", "v2"}, strings.Fields(regctl("tag", "ls", dstRef))); diff != "" {
		t.Errorf("tag ls (-want +got):\n%s", diff)
	}

	regctl("tag", "delete", dstRef+":v1")
	if diff := cmp.Diff([]string{"v2"}, strings.Fields(regctl("tag", "ls", dstRef))); diff != "" {
		t.Errorf("tag ls after tag delete (-want +got):\n%s", diff)
	}
	if st := reg.status(t, http.MethodGet, "/v2/"+dst+"/manifests/v1"); st != http.StatusNotFound {
		t.Errorf("dst:v1 after tag delete: status %d, want 404", st)
	}
	if got := regctl("image", "digest", dstRef+":v2"); got != img.Digest {
		t.Errorf("dst:v2 after deleting v1: %s, want %s", got, img.Digest)
	}
}
