package hab

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ulikunitz/xz"

	"wharf/internal/errs"
)

func TestWritePayloadLayout(t *testing.T) {
	t.Parallel()
	pub, sec := signingPair(t, "neurosis")
	m := sampleMetadata()
	files := []File{
		{Path: "bin/testapp", Mode: 0o755, Size: 6, Body: strings.NewReader("binary")},
		{Path: "./config/../hooks/run", Size: 9, Body: strings.NewReader("#!/bin/sh")},
	}
	// The two-step form: payload to spooled storage, then header and payload.
	var payload bytes.Buffer
	digest, err := WritePayload(&payload, m, files, buildTime)
	if err != nil {
		t.Fatal(err)
	}
	var hart bytes.Buffer
	if err := WriteHeader(&hart, sec, digest); err != nil {
		t.Fatal(err)
	}
	hart.Write(payload.Bytes())
	a, err := ReadArchive(bytes.NewReader(hart.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if a.PayloadDigest != digest {
		t.Errorf("payload digest %s, WritePayload said %s", a.PayloadDigest, digest)
	}
	if err := VerifySignature(a, pub); err != nil {
		t.Errorf("VerifySignature: %v", err)
	}

	xr, err := xz.NewReader(bytes.NewReader(payload.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(xr)
	dir := "hab/pkgs/neurosis/testapp/0.1.3/20171205003213/"
	got := map[string]string{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !h.ModTime.Equal(buildTime) {
			t.Errorf("%s dated %v", h.Name, h.ModTime)
		}
		body, _ := io.ReadAll(tr)
		got[h.Name] = string(h.Typeflag) + " " + h.FileInfo().Mode().Perm().String() + " " + string(body)
	}
	want := map[string]string{
		"hab/":                             "5 -rwxr-xr-x ",
		"hab/pkgs/":                        "5 -rwxr-xr-x ",
		"hab/pkgs/neurosis/":               "5 -rwxr-xr-x ",
		"hab/pkgs/neurosis/testapp/":       "5 -rwxr-xr-x ",
		"hab/pkgs/neurosis/testapp/0.1.3/": "5 -rwxr-xr-x ",
		dir:                                "5 -rwxr-xr-x ",
		dir + "IDENT":                      "0 -rw-r--r-- neurosis/testapp/0.1.3/20171205003213\n",
		dir + "TARGET":                     "0 -rw-r--r-- x86_64-linux\n",
		dir + "MANIFEST":                   "0 -rw-r--r-- " + m.Manifest + "\n",
		dir + "PACKAGE_TYPE":               "0 -rw-r--r-- standard\n",
		dir + "DEPS":                       "0 -rw-r--r-- core/glibc/2.27/20190115002733\n",
		dir + "TDEPS":                      "0 -rw-r--r-- core/glibc/2.27/20190115002733\ncore/linux-headers/4.17.12/20190115002705\n",
		dir + "BUILD_DEPS":                 "0 -rw-r--r-- core/make/4.2.1/20190115013626\n",
		dir + "BUILD_TDEPS":                "0 -rw-r--r-- core/make/4.2.1/20190115013626\n",
		dir + "EXPOSES":                    "0 -rw-r--r-- 8080 8443\n",
		dir + "default.toml":               "0 -rw-r--r-- " + m.Config + "\n",
		dir + "SVC_USER":                   "0 -rw-r--r-- hab\n",
		dir + "SVC_GROUP":                  "0 -rw-r--r-- hab\n",
		dir + "bin/testapp":                "0 -rwxr-xr-x binary",
		dir + "hooks/run":                  "0 -rw-r--r-- #!/bin/sh",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tar entries (-want +got):\n%s", diff)
	}
}

func TestWritePayloadShortBody(t *testing.T) {
	t.Parallel()
	files := []File{{Path: "bin/x", Size: 10, Body: strings.NewReader("short")}}
	if _, err := WritePayload(io.Discard, sampleMetadata(), files, buildTime); err == nil {
		t.Error("WritePayload accepted a body shorter than its size")
	}
}

func TestPackageTypeTitle(t *testing.T) {
	t.Parallel()
	for pt, want := range map[PackageType]string{Standard: "Standard", Native: "Native", "": ""} {
		if got := pt.Title(); got != want {
			t.Errorf("%q.Title() = %q, want %q", pt, got, want)
		}
	}
}

func TestIsAService(t *testing.T) {
	t.Parallel()
	for manifest, want := range map[string]bool{
		"* __pkg_exposes__: 6379":             true,
		"pkg_binds=([db]=port)":               true,
		"* __pkg_exports__: port=port":        true,
		"# core/glibc\n\n* __Version__: 2.27": false,
		"":                                    false,
	} {
		if got := IsAService(manifest); got != want {
			t.Errorf("IsAService(%q) = %v", manifest, got)
		}
	}
}

func TestWriteHeaderInvalid(t *testing.T) {
	t.Parallel()
	pub, sec := signingPair(t, "o")
	good := strings.Repeat("0a", 32)
	if err := WriteHeader(io.Discard, sec, good); err != nil {
		t.Fatalf("WriteHeader: %v", err)
	}
	for name, tc := range map[string]struct {
		key    Key
		digest string
	}{
		"public key": {pub, good},
		"uppercase":  {sec, strings.ToUpper(good)},
		"short":      {sec, good[2:]},
		"not hex":    {sec, "zz" + good[2:]},
		"empty":      {sec, ""},
	} {
		if err := WriteHeader(io.Discard, tc.key, tc.digest); !errs.Is(err, errs.Invalid) {
			t.Errorf("%s: WriteHeader = %v, want invalid", name, err)
		}
	}
}
