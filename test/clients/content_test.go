package clients

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// payload returns n random bytes, so every test pushes content no other
// test has and digests cannot match by accident.
func payload(t testing.TB, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// tarOf returns an uncompressed tar archive holding one regular file.
func tarOf(t testing.TB, name string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg, ModTime: time.Unix(0, 0)}
	if err := tw.WriteHeader(hdr); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipOf(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// untar returns the regular files of a layer, gzip-compressed or not, by
// path without a leading "/" or "./".
func untar(t testing.TB, layer []byte) map[string][]byte {
	t.Helper()
	var rd io.Reader = bytes.NewReader(layer)
	if bytes.HasPrefix(layer, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(rd)
		if err != nil {
			t.Fatalf("layer: %v", err)
		}
		rd = zr
	}
	files := map[string][]byte{}
	tr := tar.NewReader(rd)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files
		}
		if err != nil {
			t.Fatalf("layer: %v", err)
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatalf("layer: %v", err)
		}
		files[strings.TrimPrefix(path.Clean("/"+hdr.Name), "/")] = data
	}
}

// checkFile fails the test unless files holds name with exactly want.
func checkFile(t testing.TB, files map[string][]byte, name string, want []byte) {
	t.Helper()
	got, ok := files[name]
	switch {
	case !ok:
		names := make([]string, 0, len(files))
		for n := range files {
			names = append(names, n)
		}
		t.Errorf("image has no file %s; files: %v", name, names)
	case !bytes.Equal(got, want):
		t.Errorf("file %s: %d bytes with digest %s, want %d bytes with digest %s",
			name, len(got), sha256Digest(got), len(want), sha256Digest(want))
	}
}

// layoutImage is an image written to an OCI image layout directory.
type layoutImage struct {
	Dir      string
	Tag      string
	Digest   string
	Manifest []byte
}

// writeLayout writes an OCI image layout to dir holding one image, tagged
// tag, with one gzip layer per file (in name order). It writes the layout
// by hand so that the bytes the tools upload are known exactly.
func writeLayout(t testing.TB, dir, tag string, files map[string][]byte) layoutImage {
	t.Helper()
	put := func(data []byte) string {
		d := sha256Digest(data)
		p := filepath.Join(dir, "blobs", "sha256", strings.TrimPrefix(d, "sha256:"))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return d
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var layers []descriptor
	var diffIDs []string
	for _, n := range names {
		raw := tarOf(t, n, files[n])
		z := gzipOf(t, raw)
		layers = append(layers, descriptor{MediaType: "application/vnd.oci.image.layer.v1.tar+gzip", Digest: put(z), Size: int64(len(z))})
		diffIDs = append(diffIDs, sha256Digest(raw))
	}
	cfg := mustJSON(t, map[string]any{
		"architecture": "amd64",
		"os":           "linux",
		"config":       map[string]any{},
		"rootfs":       map[string]any{"type": "layers", "diff_ids": diffIDs},
	})
	manifest := mustJSON(t, map[string]any{
		"schemaVersion": 2,
		"mediaType":     "application/vnd.oci.image.manifest.v1+json",
		"config":        descriptor{MediaType: "application/vnd.oci.image.config.v1+json", Digest: put(cfg), Size: int64(len(cfg))},
		"layers":        layers,
	})
	md := put(manifest)
	index := mustJSON(t, map[string]any{
		"schemaVersion": 2,
		"manifests": []descriptor{{
			MediaType:   "application/vnd.oci.image.manifest.v1+json",
			Digest:      md,
			Size:        int64(len(manifest)),
			Annotations: map[string]string{"org.opencontainers.image.ref.name": tag},
		}},
	})
	if err := os.WriteFile(filepath.Join(dir, "index.json"), index, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "oci-layout"), []byte(`{"imageLayoutVersion":"1.0.0"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return layoutImage{Dir: dir, Tag: tag, Digest: md, Manifest: manifest}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
