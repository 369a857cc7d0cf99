package hab

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/errs"
)

var keyTime = time.Date(2017, 12, 5, 0, 32, 13, 0, time.FixedZone("x", 3600))

func TestGenerateKeys(t *testing.T) {
	t.Parallel()
	spub, ssec, err := GenerateSigningPair("neurosis", keyTime, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	bpub, bsec, err := GenerateBoxPair("neurosis", keyTime, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key           Key
		typ           KeyType
		version, file string
		size          int
	}{
		{spub, SigPublic, "SIG-PUB-1", "neurosis-20171204233213.pub", 32},
		{ssec, SigSecret, "SIG-SEC-1", "neurosis-20171204233213.sig.key", 64},
		{bpub, BoxPublic, "BOX-PUB-1", "neurosis-20171204233213.pub", 32},
		{bsec, BoxSecret, "BOX-SEC-1", "neurosis-20171204233213.box.key", 32},
	} {
		k := tc.key
		if k.Type != tc.typ || k.Type.String() != tc.version || len(k.Material) != tc.size {
			t.Errorf("%s key: type %v, %d bytes", tc.version, k.Type, len(k.Material))
		}
		if got := k.FileName(); got != tc.file {
			t.Errorf("%s FileName = %q, want %q", tc.version, got, tc.file)
		}
		text := k.String()
		want := tc.version + "\nneurosis-20171204233213\n\n" + base64.StdEncoding.EncodeToString(k.Material)
		if text != want {
			t.Errorf("%s String = %q, want %q", tc.version, text, want)
		}
		for _, variant := range []string{text, text + "\n", strings.ReplaceAll(text, "\n", "\r\n") + "\r\n", " " + strings.ReplaceAll(text, "\n", " \n ")} {
			got, err := ParseKey(variant, 0)
			if err != nil {
				t.Errorf("ParseKey(%q) error %v", variant, err)
				continue
			}
			if diff := cmp.Diff(k, got); diff != "" {
				t.Errorf("ParseKey(%s) (-want +got):\n%s", tc.version, diff)
			}
		}
		if _, err := ParseKey(text, tc.typ); err != nil {
			t.Errorf("ParseKey(%s, %v) = %v", tc.version, tc.typ, err)
		}
		other := SigPublic
		if tc.typ == SigPublic {
			other = BoxPublic
		}
		if _, err := ParseKey(text, other); !errs.Is(err, errs.Invalid) {
			t.Errorf("ParseKey(%s, want %v) = %v, want invalid", tc.version, other, err)
		}
	}
	if !cmp.Equal(ssec.Public(), spub) || !cmp.Equal(bsec.Public(), bpub) || !cmp.Equal(spub.Public(), spub) {
		t.Error("Public of a secret key differs from the generated public key")
	}
	msg := []byte("hello")
	if !ed25519.Verify(spub.Material, msg, ed25519.Sign(ssec.Material, msg)) {
		t.Error("generated signing pair does not verify")
	}
}

func TestParseKeyInvalid(t *testing.T) {
	t.Parallel()
	b64 := func(n int) string { return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, n)) }
	_, sec, err := GenerateSigningPair("o", keyTime, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	mismatched := append(bytes.Clone(sec.Material[:32]), bytes.Repeat([]byte{1}, 32)...)
	for name, text := range map[string]string{
		"empty":          "",
		"three lines":    "SIG-PUB-1\no-20171205003213\n\n",
		"five lines":     "SIG-PUB-1\no-20171205003213\n\n" + b64(32) + "\nextra",
		"unknown type":   "SIG-PUB-2\no-20171205003213\n\n" + b64(32),
		"sym key":        "SYM-SEC-1\no-20171205003213\n\n" + b64(32),
		"no revision":    "SIG-PUB-1\no\n\n" + b64(32),
		"short revision": "SIG-PUB-1\no-2017120500321\n\n" + b64(32),
		"no name":        "SIG-PUB-1\n-20171205003213\n\n" + b64(32),
		"space in name":  "SIG-PUB-1\no p-20171205003213\n\n" + b64(32),
		"line 3":         "SIG-PUB-1\no-20171205003213\nx\n" + b64(32),
		"bad base64":     "SIG-PUB-1\no-20171205003213\n\n!!!!",
		"unpadded":       "SIG-PUB-1\no-20171205003213\n\n" + strings.TrimRight(b64(32), "="),
		"short pub":      "SIG-PUB-1\no-20171205003213\n\n" + b64(31),
		"long box pub":   "BOX-PUB-1\no-20171205003213\n\n" + b64(33),
		"short sig sec":  "SIG-SEC-1\no-20171205003213\n\n" + b64(32),
		"box sec":        "BOX-SEC-1\no-20171205003213\n\n" + b64(64),
		"halves differ":  "SIG-SEC-1\no-20171205003213\n\n" + base64.StdEncoding.EncodeToString(mismatched),
	} {
		if k, err := ParseKey(text, 0); !errs.Is(err, errs.Invalid) {
			t.Errorf("%s: ParseKey = %+v, %v; want invalid", name, k, err)
		}
	}
}

func TestParseNameWithRevision(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, name, rev string }{
		{"core-20160810182414", "core", "20160810182414"},
		{"my-origin-20160810182414", "my-origin", "20160810182414"},
		{"a-12345678901234-20160810182414", "a-12345678901234", "20160810182414"},
		{"x-00000000000000", "x", "00000000000000"},
	} {
		n, r, err := ParseNameWithRevision(tc.in)
		if err != nil || n != tc.name || r != tc.rev {
			t.Errorf("ParseNameWithRevision(%q) = %q, %q, %v", tc.in, n, r, err)
		}
	}
	for _, in := range []string{"", "core", "core-", "-20160810182414", "core20160810182414", "core-2016081018241", "core-201608101824145", "core-2016081018241x", "co re-20160810182414", "core\x00-20160810182414"} {
		if _, _, err := ParseNameWithRevision(in); !errs.Is(err, errs.Invalid) {
			t.Errorf("ParseNameWithRevision(%q) = %v, want invalid", in, err)
		}
	}
}

func TestRevision(t *testing.T) {
	t.Parallel()
	if got := Revision(keyTime); got != "20171204233213" {
		t.Errorf("Revision = %q", got)
	}
}
