package hab

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"

	"wharf/internal/errs"
)

func TestAnonymousBox(t *testing.T) {
	t.Parallel()
	pub, sec, err := GenerateBoxPair("neurosis", keyTime, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	b, err := SealAnonymous([]byte("hunter2"), pub, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	text := b.String()
	if want := "ANONYMOUS-BOX-1\nneurosis-20171204233213\n"; !strings.HasPrefix(text, want) {
		t.Fatalf("box text %q does not start %q", text, want)
	}
	for _, variant := range []string{text, text + "\n", strings.ReplaceAll(text, "\n", "\r\n")} {
		parsed, err := ParseAnonymousBox(variant)
		if err != nil {
			t.Fatalf("ParseAnonymousBox(%q) error %v", variant, err)
		}
		plain, err := parsed.Open(sec)
		if err != nil || string(plain) != "hunter2" {
			t.Errorf("Open = %q, %v", plain, err)
		}
	}

	// Another key of the same origin, and the right key under another name.
	_, other, err := GenerateBoxPair("neurosis", keyTime.Add(1e9), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Open(other); !errs.Is(err, errs.Invalid) {
		t.Errorf("Open with another revision = %v, want invalid", err)
	}
	_, impostor, err := GenerateBoxPair("neurosis", keyTime, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Open(impostor); !errs.Is(err, errs.Invalid) {
		t.Errorf("Open with a different key of the same revision = %v, want invalid", err)
	}
	tampered := b
	tampered.Ciphertext = append([]byte(nil), b.Ciphertext...)
	tampered.Ciphertext[len(tampered.Ciphertext)-1] ^= 1
	if _, err := tampered.Open(sec); !errs.Is(err, errs.Invalid) {
		t.Errorf("Open of a tampered box = %v, want invalid", err)
	}
	if _, err := b.Open(pub); !errs.Is(err, errs.Invalid) {
		t.Errorf("Open with a public key = %v, want invalid", err)
	}
	if _, err := SealAnonymous([]byte("x"), sec, rand.Reader); !errs.Is(err, errs.Invalid) {
		t.Errorf("SealAnonymous to a secret key = %v, want invalid", err)
	}
}

func TestParseAnonymousBoxInvalid(t *testing.T) {
	t.Parallel()
	ct := base64.StdEncoding.EncodeToString(make([]byte, 48))
	for name, text := range map[string]string{
		"empty":        "",
		"two lines":    "ANONYMOUS-BOX-1\no-20171205003213",
		"four lines":   "ANONYMOUS-BOX-1\no-20171205003213\n" + ct + "\nx",
		"signed box":   "BOX-1\no-20171205003213\n" + ct,
		"bad receiver": "ANONYMOUS-BOX-1\no\n" + ct,
		"bad base64":   "ANONYMOUS-BOX-1\no-20171205003213\n%%%",
		"too short":    "ANONYMOUS-BOX-1\no-20171205003213\n" + base64.StdEncoding.EncodeToString(make([]byte, 47)),
	} {
		if _, err := ParseAnonymousBox(text); !errs.Is(err, errs.Invalid) {
			t.Errorf("%s: ParseAnonymousBox = %v, want invalid", name, err)
		}
	}
	big := "ANONYMOUS-BOX-1\no-20171205003213\n" + strings.Repeat("A", MaxSecretSize)
	if _, err := ParseAnonymousBox(big); !errs.Is(err, errs.TooLarge) {
		t.Errorf("ParseAnonymousBox(huge) = %v, want too large", err)
	}
}
