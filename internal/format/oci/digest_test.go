package oci

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/errs"
)

func TestParseDigest(t *testing.T) {
	t.Parallel()
	h64 := strings.Repeat("0123456789abcdef", 4)
	h128 := h64 + h64
	for _, tc := range []struct {
		in   string
		want Digest
		kind errs.Kind // 0 when the digest is accepted
	}{
		{in: "sha256:" + h64, want: Digest{"sha256", h64}},
		{in: "sha512:" + h128, want: Digest{"sha512", h128}},
		{in: "sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b", want: Digest{"sha256", "6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b"}},
		// Registered algorithms with a wrong encoding.
		{in: "sha256:" + strings.ToUpper(h64), kind: errs.Invalid},
		{in: "sha256:" + h64[:63], kind: errs.Invalid},
		{in: "sha256:" + h64 + "0", kind: errs.Invalid},
		{in: "sha256:" + h128, kind: errs.Invalid},
		{in: "sha512:" + h64, kind: errs.Invalid},
		{in: "sha256:" + h64[:63] + "g", kind: errs.Invalid},
		{in: "sha256:" + h64[:62] + "==", kind: errs.Invalid},
		// Well-formed, other algorithms.
		{in: "sha384:" + strings.Repeat("ab", 48), kind: errs.Unsupported},
		{in: "blake3:" + h64, kind: errs.Unsupported},
		{in: "multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8", kind: errs.Unsupported},
		{in: "sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564", kind: errs.Unsupported},
		{in: "a.b_c-d+e:x", kind: errs.Unsupported},
		// Malformed.
		{in: "", kind: errs.Invalid},
		{in: h64, kind: errs.Invalid},
		{in: ":" + h64, kind: errs.Invalid},
		{in: "sha256:", kind: errs.Invalid},
		{in: "SHA256:" + h64, kind: errs.Invalid},
		{in: "sha256::" + h64, kind: errs.Invalid},
		{in: "sha256:" + h64 + ":", kind: errs.Invalid},
		{in: "sha 256:" + h64, kind: errs.Invalid},
		{in: "sha-:" + h64, kind: errs.Invalid},
		{in: "-sha:" + h64, kind: errs.Invalid},
		{in: "sha..256:" + h64, kind: errs.Invalid},
		{in: "sha384:ab/cd", kind: errs.Invalid},
		{in: "sha384:ab cd", kind: errs.Invalid},
	} {
		got, err := ParseDigest(tc.in)
		if tc.kind == 0 {
			if err != nil {
				t.Errorf("ParseDigest(%q) error %v", tc.in, err)
				continue
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseDigest(%q) (-want +got):\n%s", tc.in, diff)
			}
			if got.String() != tc.in {
				t.Errorf("ParseDigest(%q).String() = %q", tc.in, got.String())
			}
			continue
		}
		if k := errs.KindOf(err); err == nil || k != tc.kind {
			t.Errorf("ParseDigest(%q) = %v, %v; want a %v error", tc.in, got, err, tc.kind)
		}
	}
}

func TestIsDigest(t *testing.T) {
	t.Parallel()
	for ref, want := range map[string]bool{
		"latest": false, "": false, "v1.0": false,
		"sha256:abc": true, ":": true, "a:b": true,
	} {
		if got := IsDigest(ref); got != want {
			t.Errorf("IsDigest(%q) = %v, want %v", ref, got, want)
		}
	}
}
