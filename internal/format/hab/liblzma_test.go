package hab

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/ulikunitz/xz"
)

// TestReadLiblzmaPayloads reads payloads made by GNU tar and XZ Utils; see
// testdata/liblzma/README.md.
func TestReadLiblzmaPayloads(t *testing.T) {
	t.Parallel()
	pub, sec := signingPair(t, "core")
	dep := func(s string) Ident { id, _ := ParseFullIdent(s); return id }
	want := Metadata{
		Ident:       Ident{"core", "fixture", "1.0.0", "20240101000000"},
		Target:      "x86_64-linux",
		Manifest:    "# core / fixture\n\n* __Version__: 1.0.0\n* __pkg_exposes__: 8080",
		Config:      "port = 8080",
		Deps:        []Ident{dep("core/glibc/2.35/20230101000000")},
		TDeps:       []Ident{dep("core/glibc/2.35/20230101000000"), dep("core/linux-headers/6.1/20230101000000")},
		Exposes:     []uint16{8080},
		PackageType: Standard,
		SvcUser:     "hab",
		SvcGroup:    "hab",
		HasSvcUser:  true,
		HasSvcGroup: true,
	}
	blocks := map[string]int{"default.tar.xz": 1, "blocks.tar.xz": 11, "sha256-absolute.tar.xz": 1, "nocheck.tar.xz": 1, "crc32.tar.xz": 1}
	for name, n := range blocks {
		payload, err := os.ReadFile(filepath.Join("testdata", "liblzma", name))
		if err != nil {
			t.Fatal(err)
		}
		a, err := ReadArchive(iotest.HalfReader(bytes.NewReader(signed(t, sec, payload))))
		if err != nil {
			t.Errorf("%s: ReadArchive: %v", name, err)
			continue
		}
		if diff := cmp.Diff(want, a.Metadata); diff != "" {
			t.Errorf("%s: metadata (-want +got):\n%s", name, diff)
		}
		if err := VerifySignature(a, pub); err != nil {
			t.Errorf("%s: VerifySignature: %v", name, err)
		}
		g := &dictGuard{r: bytes.NewReader(payload)}
		xr, err := xz.ReaderConfig{SingleStream: true}.NewReader(g)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, xr); err != nil || g.blocks != n || g.state != gDone {
			t.Errorf("%s: guard saw %d blocks (want %d), state %d, %v", name, g.blocks, n, g.state, err)
		}
	}
}
