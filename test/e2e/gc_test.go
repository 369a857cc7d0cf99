package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The filesystem blob store's layout under the data directory (see
// internal/blob/fs): committed blobs named by their hex digest under
// blobs/blobs, one directory per upload session under blobs/uploads.
const (
	committedDir = "blobs/blobs"
	sessionsDir  = "blobs/uploads"
)

var hexNameRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// storedBlobs returns the committed blob files of a server: their sha256
// digests and sizes.
func storedBlobs(t testing.TB, e *env) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	root := filepath.Join(e.srv.DataDir, committedDir)
	err := filepath.WalkDir(root, func(path string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if de.IsDir() {
			return nil
		}
		fi, err := de.Info()
		if err != nil {
			return err
		}
		if !fi.Mode().IsRegular() || !hexNameRE.MatchString(de.Name()) {
			t.Errorf("unexpected file %s in the blob store", path)
			return nil
		}
		out["sha256:"+de.Name()] = fi.Size()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// storedSessions returns the upload session directories of a server.
func storedSessions(t testing.TB, e *env) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(e.srv.DataDir, sessionsDir))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, de := range ents {
		names = append(names, de.Name())
	}
	return names
}

// gcOutput is what `wharf admin gc` prints.
func gcOutput(uploads, blobs int, bytes int64) string {
	return fmt.Sprintf("uploads deleted: %d\nblobs deleted: %d\nbytes freed: %d\n", uploads, blobs, bytes)
}

// gcNow runs `wharf admin gc` with no grace period and a 1 ms upload TTL,
// set in a configuration file (the server's environment sets neither).
func gcNow(t testing.TB, e *env) string {
	t.Helper()
	conf := filepath.Join(t.TempDir(), "gc.yaml")
	if err := os.WriteFile(conf, []byte("gc:\n  grace_period: 0s\n  upload_ttl: 1ms\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Let the upload sessions of the test age past the TTL.
	time.Sleep(20 * time.Millisecond)
	out, err := e.srv.Admin("", "gc", "--config", conf)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestGarbageCollection runs `wharf admin gc` over content in every state:
// a deleted image, blobs unlinked from one repository but mounted in
// another or used by a generic file, a deleted generic file, an image that
// stays, and an abandoned upload session.
func TestGarbageCollection(t *testing.T) {
	t.Parallel()
	forEachBackendNoServer(t, func(t *testing.T, b backend) {
		opt := b.opt
		opt.Env = append(slices.Clone(opt.Env), "WHARF_GC_INTERVAL=0s")
		e := newEnv(t, opt)
		u := e.newUser(t, false)
		c := u.basic()
		a, other := u.name+"/gc-a", u.name+"/gc-b"

		// An image whose manifest is deleted and whose blobs are all
		// unlinked from a: its config and manifest go; l1 stays because
		// other has it, l2 because a generic file has the same bytes.
		cfgData := mustJSON(t, map[string]any{"architecture": "amd64", "os": "linux", "nonce": randDigest(t)})
		l1Data, l2Data := randBytes(t, 3000), randBytes(t, 2000)
		cfg := pushBlob(t, c, a, mtOCIConfig, cfgData)
		l1 := pushBlob(t, c, a, mtOCILayer, l1Data)
		l2 := pushBlob(t, c, a, mtOCILayer, l2Data)
		img := newDoc(t, mtOCIManifest, manifest{SchemaVersion: 2, MediaType: mtOCIManifest, Config: &cfg, Layers: []descriptor{l1, l2}})
		img.push(t, c, a, "doomed")
		c.do(t, http.MethodPost, repoPath(other, "blobs/uploads/?mount="+l1.Digest+"&from="+a), nil).want(t, http.StatusCreated)
		keepFile := pkgPath(u.name, "gc", "1.0", "keep.bin")
		c.do(t, http.MethodPut, keepFile, l2Data).want(t, http.StatusCreated)

		// A generic file that is deleted.
		goneData := randBytes(t, 777)
		goneFile := pkgPath(u.name, "gc", "1.0", "gone.bin")
		c.do(t, http.MethodPut, goneFile, goneData).want(t, http.StatusCreated)
		c.do(t, http.MethodDelete, goneFile, nil).want(t, http.StatusNoContent)

		// An image that stays whole.
		keep := pushedImage(t, c, a, "keep")

		// An upload session with data that nobody finishes.
		loc := chunk(t, c, startUpload(t, c, a), 0, randBytes(t, 4096))

		c.do(t, http.MethodDelete, repoPath(a, "manifests/"+img.digest), nil).want(t, http.StatusAccepted)
		for _, d := range []descriptor{cfg, l1, l2} {
			c.do(t, http.MethodDelete, repoPath(a, "blobs/"+d.Digest), nil).want(t, http.StatusAccepted)
		}

		before := storedBlobs(t, e)
		for _, d := range []string{cfg.Digest, l1.Digest, l2.Digest, img.digest, sha256Digest(goneData)} {
			if _, ok := before[d]; !ok {
				t.Fatalf("blob %s is not in the blob store before gc; stored: %v", d, before)
			}
		}
		if n := len(storedSessions(t, e)); n != 1 {
			t.Fatalf("%d upload sessions on disk before gc, want 1", n)
		}

		// With the default grace period and upload TTL nothing is old
		// enough to go.
		out, err := e.srv.Admin("", "gc")
		if err != nil {
			t.Fatal(err)
		}
		if want := gcOutput(0, 0, 0); out != want {
			t.Errorf("gc with the default grace period printed %q, want %q", out, want)
		}
		if diff := cmp.Diff(before, storedBlobs(t, e)); diff != "" {
			t.Errorf("gc with the default grace period changed the blob store (-before +after):\n%s", diff)
		}
		if off, _ := uploadOffset(t, c, loc); off != 4096 {
			t.Errorf("upload session at %d after the default gc, want 4096", off)
		}

		out = gcNow(t, e)
		freed := int64(len(cfgData) + len(img.body) + len(goneData))
		if want := gcOutput(1, 3, freed); out != want {
			t.Errorf("gc without grace printed %q, want %q", out, want)
		}
		want := maps.Clone(before)
		for _, d := range []string{cfg.Digest, img.digest, sha256Digest(goneData)} {
			delete(want, d)
		}
		if diff := cmp.Diff(want, storedBlobs(t, e)); diff != "" {
			t.Errorf("blob files after gc (-want +got):\n%s", diff)
		}
		if s := storedSessions(t, e); len(s) != 0 {
			t.Errorf("upload sessions %v left on disk after gc", s)
		}
		c.do(t, http.MethodGet, loc, nil).wantError(t, http.StatusNotFound, "BLOB_UPLOAD_UNKNOWN")

		// What is still referenced is still served, byte for byte.
		wantBlob(t, c, other, l1.Digest, l1Data)
		wantDownload(t, c, keepFile, "keep.bin", l2Data)
		wantManifest(t, c, a, "keep", keep)
		var km manifest
		if err := json.Unmarshal(keep.body, &km); err != nil {
			t.Fatal(err)
		}
		for _, d := range append([]descriptor{*km.Config}, km.Layers...) {
			r := c.do(t, http.MethodGet, repoPath(a, "blobs/"+d.Digest), nil).want(t, http.StatusOK)
			if sha256Digest(r.Body) != d.Digest || int64(len(r.Body)) != d.Size {
				t.Errorf("blob %s of the kept image is served with other content", d.Digest)
			}
		}
		wantNoBlob(t, c, a, cfg.Digest)
		c.do(t, http.MethodGet, goneFile, nil).want(t, http.StatusNotFound)

		// A second run finds nothing more.
		if out := gcNow(t, e); out != gcOutput(0, 0, 0) {
			t.Errorf("second gc printed %q, want nothing deleted", out)
		}

		// Collected content can be pushed again.
		pushBlob(t, c, a, mtOCIConfig, cfgData)
		wantBlob(t, c, a, cfg.Digest, cfgData)
		c.do(t, http.MethodPost, repoPath(a, "blobs/uploads/?mount="+l1.Digest+"&from="+other), nil).want(t, http.StatusCreated)
		pushBlob(t, c, a, mtOCILayer, l2Data)
		img.push(t, c, a, "again")
		wantManifest(t, c, a, "again", img)
	})
}

// metricValue returns the value of the sample of name whose labels
// include all of labels (any sample of name when none are given), and
// whether there is one.
func metricValue(t testing.TB, body, name string, labels ...string) (float64, bool) {
	t.Helper()
	for _, line := range strings.Split(body, "\n") {
		rest, ok := strings.CutPrefix(line, name)
		if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '{') {
			continue
		}
		lbl, val := "", rest
		if rest[0] == '{' {
			end := strings.IndexByte(rest, '}')
			if end < 0 {
				t.Fatalf("malformed sample %q", line)
			}
			lbl, val = rest[1:end], rest[end+1:]
		}
		if !containsAll(lbl, labels) {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			t.Fatalf("malformed sample %q", line)
		}
		return v, true
	}
	return 0, false
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// TestPeriodicGC checks the garbage collection `wharf serve` runs every
// gc.interval: it collects an unlinked blob, keeps a linked one and counts
// its runs in /metrics.
func TestPeriodicGC(t *testing.T) {
	t.Parallel()
	forEachBackendNoServer(t, func(t *testing.T, b backend) {
		opt := b.opt
		opt.Env = append(slices.Clone(opt.Env), "WHARF_GC_INTERVAL=1s", "WHARF_GC_GRACE=0s")
		e := newEnv(t, opt)
		u := e.newUser(t, false)
		c := u.basic()
		repo := u.name + "/periodic"
		keepData, goneData := randBytes(t, 1000), randBytes(t, 1500)
		keep := pushBlob(t, c, repo, mtOCILayer, keepData)
		gone := pushBlob(t, c, repo, mtOCILayer, goneData)

		metrics := func() string {
			return string(e.anon().do(t, http.MethodGet, "/metrics", nil).want(t, http.StatusOK).Body)
		}
		runs := func(body string) float64 {
			v, _ := metricValue(t, body, "wharf_gc_runs_total", `result="ok"`)
			return v
		}
		start := runs(metrics())
		c.do(t, http.MethodDelete, repoPath(repo, "blobs/"+gone.Digest), nil).want(t, http.StatusAccepted)
		deadline := time.Now().Add(15 * time.Second)
		var body string
		for {
			body = metrics()
			if runs(body) >= start+2 && blobCopies(t, e, gone.Digest) == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("15s after unlinking: %v gc runs (from %v), blob files %d; metrics:\n%s",
					runs(body), start, blobCopies(t, e, gone.Digest), body)
			}
			time.Sleep(200 * time.Millisecond)
		}
		if v, _ := metricValue(t, body, "wharf_gc_runs_total", `result="error"`); v != 0 {
			t.Errorf("%v gc runs failed", v)
		}
		if v, ok := metricValue(t, body, "wharf_gc_blobs_deleted_total"); !ok || v < 1 {
			t.Errorf("wharf_gc_blobs_deleted_total = %v (present %v), want at least 1", v, ok)
		}
		if v, ok := metricValue(t, body, "wharf_gc_bytes_freed_total"); !ok || v < float64(len(goneData)) {
			t.Errorf("wharf_gc_bytes_freed_total = %v (present %v), want at least %d", v, ok, len(goneData))
		}
		wantBlob(t, c, repo, keep.Digest, keepData)
		if n := blobCopies(t, e, keep.Digest); n != 1 {
			t.Errorf("linked blob has %d files after periodic gc, want 1", n)
		}
		wantNoBlob(t, c, repo, gone.Digest)
	})
}
