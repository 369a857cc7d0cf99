package fakegithub

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Unzip reads a package: its entry names in order and the content of each
// file. It fails the test unless every directory entry is an empty
// directory and every file is Deflate-compressed with mode 0644 and the
// right CRC.
func Unzip(t testing.TB, data []byte) ([]string, map[string]string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	var names []string
	files := map[string]string{}
	for _, f := range zr.File {
		names = append(names, f.Name)
		if strings.HasSuffix(f.Name, "/") {
			if !f.Mode().IsDir() || f.UncompressedSize64 != 0 {
				t.Errorf("directory %s: mode %v, size %d", f.Name, f.Mode(), f.UncompressedSize64)
			}
			continue
		}
		if f.Method != zip.Deflate {
			t.Errorf("%s: method %d, want Deflate", f.Name, f.Method)
		}
		if f.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", f.Name, f.Mode())
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		b, err := io.ReadAll(rc) // checks the CRC too
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		files[f.Name] = string(b)
	}
	return names, files
}

// WantSpiceDemo checks a package of SpiceDemo's spicepod.yaml: exactly
// SpiceDemoEntries in order, and in each file the bytes of the repository
// file it came from (datasets/weather/dataset.yml for the .yaml entry).
func WantSpiceDemo(t testing.TB, data []byte) {
	t.Helper()
	names, files := Unzip(t, data)
	if diff := cmp.Diff(SpiceDemoEntries, names); diff != "" {
		t.Errorf("zip entries mismatch (-want +got):\n%s", diff)
	}
	src := SpiceDemo("", "", "").Files
	for name, got := range files {
		from := name
		if name == "datasets/weather/dataset.yaml" {
			from = "datasets/weather/dataset.yml" // the .yml fallback, stored as .yaml
		}
		if want, ok := src[from]; !ok || got != want {
			t.Errorf("zip entry %s = %q, want the bytes of %s: %q", name, got, from, want)
		}
	}
}
