package generic

import (
	"testing"

	"wharf/internal/errs"
)

// The seed corpora live in testdata/fuzz/<FuzzName>/.

func FuzzPackageName(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidPackageName(s)
		if err != nil && (!errs.Is(err, errs.Invalid) || errs.Message(err) != "invalid package name") {
			t.Fatalf("ValidPackageName(%q) = %v", s, err)
		}
		if got, want := err == nil, nameOracle(s); got != want {
			t.Fatalf("ValidPackageName(%q) accepts = %v, reference rule says %v", s, got, want)
		}
	})
}

func FuzzFileName(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidFileName(s)
		if err != nil && (!errs.Is(err, errs.Invalid) || errs.Message(err) != "invalid filename") {
			t.Fatalf("ValidFileName(%q) = %v", s, err)
		}
		if got, want := err == nil, fileOracle(s); got != want {
			t.Fatalf("ValidFileName(%q) accepts = %v, reference rule says %v", s, got, want)
		}
	})
}
