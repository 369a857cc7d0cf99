package clients

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	orasArtifactType  = "application/vnd.wharf.test.file.v1"
	orasSignatureType = "application/vnd.wharf.test.signature.v1"
	orasUnusedType    = "application/vnd.wharf.test.unused.v1"
)

// orasDescriptor is the part of oras's --format json output the test reads.
type orasDescriptor struct {
	Reference    string           `json:"reference"`
	MediaType    string           `json:"mediaType"`
	Digest       string           `json:"digest"`
	Size         int64            `json:"size"`
	ArtifactType string           `json:"artifactType"`
	Referrers    []orasDescriptor `json:"referrers"`
}

func decodeOras(t testing.TB, out string) orasDescriptor {
	t.Helper()
	var d orasDescriptor
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("decode oras output: %v\n%s", err, out)
	}
	return d
}

// TestOras pushes a file artifact with an artifact type, pulls it back and
// compares the bytes, attaches a signature-like artifact to it, and finds
// that through the referrers API with oras discover.
func TestOras(t *testing.T) {
	t.Parallel()
	sb := newSandbox(t)
	bin := tool(t, "oras")
	reg := startRegistry(t)
	oras := func(args ...string) string {
		t.Helper()
		return sb.runCmd(cmd{bin: bin, args: args, dir: sb.path("files")})
	}

	sb.runCmd(cmd{bin: bin, args: []string{"login", "--plain-http", "-u", reg.user, "--password-stdin", reg.host}, stdin: reg.password})

	data := payload(t, 64<<10)
	sig := payload(t, 512)
	sb.writeFile("files/artifact.bin", data)
	sb.writeFile("files/signature.sig", sig)
	ref := reg.ref("art", "v1")
	repo := reg.repo("art")

	pushed := decodeOras(t, oras("push", "--plain-http", "--format", "json", "--artifact-type", orasArtifactType,
		ref, "artifact.bin:application/octet-stream"))
	d, manifest := reg.manifest(t, repo, "v1")
	if d != pushed.Digest {
		t.Errorf("registry serves v1 as %s, oras pushed %s", d, pushed.Digest)
	}
	m := parseManifest(t, manifest)
	if m.ArtifactType != orasArtifactType || len(m.Layers) != 1 {
		t.Fatalf("pushed manifest: artifactType %q with %d layers:\n%s", m.ArtifactType, len(m.Layers), manifest)
	}
	if got := reg.blob(t, repo, m.Layers[0].Digest, m.Layers[0].Size); string(got) != string(data) {
		t.Errorf("registry blob differs from the pushed file")
	}
	if fetched := oras("manifest", "fetch", "--plain-http", ref); fetched != string(manifest) {
		t.Errorf("oras manifest fetch:\n%s\nregistry:\n%s", fetched, manifest)
	}

	out := sb.mkdir("out")
	oras("pull", "--plain-http", "-o", out, ref)
	got, err := os.ReadFile(filepath.Join(out, "artifact.bin"))
	if err != nil {
		t.Fatal(err)
	}
	checkFile(t, map[string][]byte{"artifact.bin": got}, "artifact.bin", data)

	att := decodeOras(t, oras("attach", "--plain-http", "--format", "json", "--artifact-type", orasSignatureType,
		ref, "signature.sig:application/octet-stream"))
	_, attManifest := reg.manifest(t, repo, att.Digest)
	if s := parseManifest(t, attManifest).Subject; s == nil || s.Digest != pushed.Digest {
		t.Errorf("attached manifest's subject is %+v, want %s", s, pushed.Digest)
	}
	want := []string{att.Digest}
	if diff := cmp.Diff(want, referrerDigests(reg.referrers(t, repo, pushed.Digest))); diff != "" {
		t.Errorf("referrers API (-want +got):\n%s", diff)
	}

	disc := decodeOras(t, oras("discover", "--plain-http", "--format", "json", ref))
	var found []string
	for _, r := range disc.Referrers {
		found = append(found, r.Digest)
		if r.ArtifactType != orasSignatureType {
			t.Errorf("discover: referrer %s has artifactType %q, want %q", r.Digest, r.ArtifactType, orasSignatureType)
		}
	}
	if diff := cmp.Diff(want, found); diff != "" {
		t.Errorf("oras discover (-want +got):\n%s", diff)
	}
	filtered := decodeOras(t, oras("discover", "--plain-http", "--format", "json", "--artifact-type", orasUnusedType, ref))
	if len(filtered.Referrers) != 0 {
		t.Errorf("discover --artifact-type %s found %+v", orasUnusedType, filtered.Referrers)
	}

	// The referrers API is used, so no fallback tag (sha256-<hex>) appears.
	oras("tag", "--plain-http", ref, "v2")
	tags := strings.Fields(oras("repo", "tags", "--plain-http", reg.host+"/"+repo))
	if diff := cmp.Diff([]string{"v1", "v2"}, tags); diff != "" {
		t.Errorf("oras repo tags (-want +got):\n%s", diff)
	}
}

func referrerDigests(ds []descriptor) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Digest)
	}
	return out
}
