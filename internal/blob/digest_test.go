package blob

import (
	"crypto/sha256"
	"strings"
	"testing"

	"wharf/internal/errs"
)

func TestParseDigest(t *testing.T) {
	t.Parallel()
	hex64, hex128 := strings.Repeat("a1", 32), strings.Repeat("0f", 64)
	for _, tc := range []struct {
		in       string
		alg, hex string
	}{
		{"sha256:" + hex64, "sha256", hex64},
		{"sha512:" + hex128, "sha512", hex128},
		{"sha256:" + strings.ToUpper(hex64), "", ""},
		{"sha256:" + hex64[:63], "", ""},
		{"sha512:" + hex64, "", ""},
		{"sha384:" + hex64, "", ""},
		{"sha256" + hex64, "", ""},
		{":" + hex64, "", ""},
		{"SHA256:" + hex64, "", ""},
		{"", "", ""},
	} {
		alg, hex, err := ParseDigest(tc.in)
		if tc.alg == "" {
			if !errs.Is(err, errs.Invalid) {
				t.Errorf("ParseDigest(%.20q) error = %v, want errs.Invalid", tc.in, err)
			}
			continue
		}
		if err != nil || alg != tc.alg || hex != tc.hex {
			t.Errorf("ParseDigest(%.20q) = %q, %q, %v", tc.in, alg, hex, err)
		}
	}
}

func TestCheckUploadID(t *testing.T) {
	t.Parallel()
	for id, ok := range map[string]bool{
		"a": true, "0b2c-Ff": true, strings.Repeat("x", 128): true,
		"": false, strings.Repeat("x", 129): false, "a/b": false, "..": false, "a b": false,
	} {
		if err := CheckUploadID(id); (err == nil) != ok {
			t.Errorf("CheckUploadID(%q) = %v, want ok=%v", id, err, ok)
		}
	}
}

func TestStateRoundTrip(t *testing.T) {
	t.Parallel()
	h := sha256.New()
	h.Write([]byte("hello, "))
	state, err := MarshalState(h, 7)
	if err != nil {
		t.Fatal(err)
	}
	r, err := UnmarshalState(state, 7)
	if err != nil {
		t.Fatal(err)
	}
	h.Write([]byte("world"))
	r.Write([]byte("world"))
	if string(h.Sum(nil)) != string(r.Sum(nil)) {
		t.Error("a restored hash does not continue where the saved one was")
	}
	if _, err := UnmarshalState(state, 8); !errs.Is(err, errs.Invalid) {
		t.Errorf("state restored at the wrong offset: %v", err)
	}
	if _, err := UnmarshalState([]byte("junk-state-bytes"), 7); !errs.Is(err, errs.Invalid) {
		t.Errorf("junk state: %v", err)
	}
	if _, err := UnmarshalState(nil, 0); err != nil {
		t.Errorf("empty state at 0: %v", err)
	}
	if _, err := UnmarshalState(nil, 1); !errs.Is(err, errs.Invalid) {
		t.Errorf("empty state at 1: %v", err)
	}
}
