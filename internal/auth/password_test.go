package auth

import (
	"strings"
	"testing"

	"wharf/internal/errs"
)

func TestHashPasswordRoundTrip(t *testing.T) {
	t.Parallel()
	for _, pw := range []string{"s3cret", "pässwörd with spaces", strings.Repeat("x", MaxPasswordBytes)} {
		enc, err := HashPassword(pw)
		if err != nil {
			t.Fatalf("HashPassword(%d bytes): %v", len(pw), err)
		}
		if !strings.HasPrefix(enc, "$argon2id$v=19$m=19456,t=2,p=1$") {
			t.Errorf("encoded = %q, want the argon2id PHC form", enc)
		}
		if strings.Contains(enc, pw) {
			t.Errorf("encoded hash contains the password")
		}
		ok, err := CheckPassword(enc, pw)
		if err != nil || !ok {
			t.Errorf("CheckPassword(right) = %v, %v; want true", ok, err)
		}
		for _, wrong := range []string{pw + "x", pw[:len(pw)-1], strings.ToUpper(pw), ""} {
			ok, err := CheckPassword(enc, wrong)
			if err != nil || ok {
				t.Errorf("CheckPassword(%.10q) = %v, %v; want false", wrong, ok, err)
			}
		}
	}
}

func TestHashPasswordSalted(t *testing.T) {
	t.Parallel()
	a, err := HashPassword("same")
	if err != nil {
		t.Fatal(err)
	}
	b, err := HashPassword("same")
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Errorf("two hashes of one password are equal: %q", a)
	}
}

func TestHashPasswordRejects(t *testing.T) {
	t.Parallel()
	for _, pw := range []string{"", strings.Repeat("x", MaxPasswordBytes+1)} {
		if _, err := HashPassword(pw); !errs.Is(err, errs.Invalid) {
			t.Errorf("HashPassword(%d bytes) error = %v, want invalid", len(pw), err)
		}
	}
}

func TestCheckPasswordOverLong(t *testing.T) {
	t.Parallel()
	enc, err := HashPassword("short")
	if err != nil {
		t.Fatal(err)
	}
	ok, err := CheckPassword(enc, strings.Repeat("y", MaxPasswordBytes+1))
	if err != nil || ok {
		t.Errorf("CheckPassword(over-long) = %v, %v; want false, nil", ok, err)
	}
}

func TestCheckPasswordOtherParameters(t *testing.T) {
	t.Parallel()
	// A hash made with cheaper parameters still verifies: the parameters
	// come from the encoded string.
	// argon2id, m=64 t=1 p=1, salt "saltsaltsaltsalt", password "pw".
	enc := "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + cheapKey(t, "pw")
	ok, err := CheckPassword(enc, "pw")
	if err != nil || !ok {
		t.Errorf("CheckPassword = %v, %v; want true", ok, err)
	}
	ok, err = CheckPassword(enc, "pW")
	if err != nil || ok {
		t.Errorf("CheckPassword(wrong) = %v, %v; want false", ok, err)
	}
}

func TestCheckPasswordMalformed(t *testing.T) {
	t.Parallel()
	good := "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + cheapKey(t, "pw")
	tests := []string{
		"",
		"plain",
		"$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + cheapKey(t, "pw"),
		"$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + cheapKey(t, "pw"),
		"$argon2id$v=19$m=64,t=1$c2FsdHNhbHRzYWx0c2FsdA$" + cheapKey(t, "pw"),
		"$argon2id$v=19$t=1,m=64,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + cheapKey(t, "pw"),
		"$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + cheapKey(t, "pw"),
		"$argon2id$v=19$m=64,t=1,p=0$c2FsdHNhbHRzYWx0c2FsdA$" + cheapKey(t, "pw"),
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + cheapKey(t, "pw"),
		"$argon2id$v=19$m=64,t=1000,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + cheapKey(t, "pw"),
		"$argon2id$v=19$m=-1,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + cheapKey(t, "pw"),
		"$argon2id$v=19$m=64,t=1,p=1$!!!$" + cheapKey(t, "pw"),
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdA$" + cheapKey(t, "pw"),
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$",
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$c2hvcnQ",
		good + "$extra",
	}
	for _, enc := range tests {
		if ok, err := CheckPassword(enc, "pw"); err == nil || ok {
			t.Errorf("CheckPassword(%q) = %v, %v; want an error", enc, ok, err)
		}
	}
}
