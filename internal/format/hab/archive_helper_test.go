package hab

import (
	"archive/tar"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/ulikunitz/xz"
	"golang.org/x/crypto/blake2b"
)

var buildTime = time.Date(2017, 12, 5, 0, 32, 13, 0, time.UTC)

// signingPair makes an origin signing key pair for a test.
func signingPair(t testing.TB, origin string) (pub, sec Key) {
	t.Helper()
	pub, sec, err := GenerateSigningPair(origin, buildTime, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub, sec
}

func sampleMetadata() Metadata {
	dep := func(s string) Ident { id, _ := ParseFullIdent(s); return id }
	return Metadata{
		Ident:       Ident{"neurosis", "testapp", "0.1.3", "20171205003213"},
		Target:      "x86_64-linux",
		Manifest:    "# neurosis / testapp\n\n* __pkg_exposes__: 8080 8443",
		Config:      "port = 8080\n[tls]\nenabled = false",
		Deps:        []Ident{dep("core/glibc/2.27/20190115002733")},
		TDeps:       []Ident{dep("core/glibc/2.27/20190115002733"), dep("core/linux-headers/4.17.12/20190115002705")},
		BuildDeps:   []Ident{dep("core/make/4.2.1/20190115013626")},
		BuildTDeps:  []Ident{dep("core/make/4.2.1/20190115013626")},
		Exposes:     []uint16{8080, 8443},
		PackageType: Standard,
		SvcUser:     "hab",
		SvcGroup:    "hab",
		HasSvcUser:  true,
		HasSvcGroup: true,
	}
}

// entry is a tar entry of a hand-made payload.
type entry struct {
	name, body string
	typ        byte // tar.TypeReg when zero
}

// rawPayload compresses a tar of the given entries.
func rawPayload(t testing.TB, entries []entry) []byte {
	t.Helper()
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		h := &tar.Header{Typeflag: typ, Name: e.name, Mode: 0o644, ModTime: buildTime}
		if typ == tar.TypeReg {
			h.Size = int64(len(e.body))
		} else if typ == tar.TypeSymlink {
			h.Linkname = e.body
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if typ == tar.TypeReg {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return compress(t, tb.Bytes())
}

func compress(t testing.TB, b []byte) []byte {
	t.Helper()
	var xb bytes.Buffer
	xw, err := xz.NewWriter(&xb)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := xw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := xw.Close(); err != nil {
		t.Fatal(err)
	}
	return xb.Bytes()
}

// signed prefixes a payload with a header signed by sec.
func signed(t testing.TB, sec Key, payload []byte) []byte {
	t.Helper()
	sum := blake2b.Sum256(payload)
	var b bytes.Buffer
	if err := WriteHeader(&b, sec, hex.EncodeToString(sum[:])); err != nil {
		t.Fatal(err)
	}
	b.Write(payload)
	return b.Bytes()
}

// metaEntries returns the minimal metadata entries of a package under dir.
func metaEntries(dir string) []entry {
	return []entry{
		{name: dir + "IDENT", body: "o/n/1.0/20200101000000\n"},
		{name: dir + "TARGET", body: "x86_64-linux\n"},
		{name: dir + "MANIFEST", body: "# o/n\n"},
	}
}

const pkgDir = "hab/pkgs/o/n/1.0/20200101000000/"
