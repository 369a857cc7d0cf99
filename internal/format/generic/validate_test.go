package generic

import (
	"regexp"
	"strings"
	"testing"

	"wharf/internal/errs"
)

// The reference rules, as an oracle for the hand-written checks.
var (
	nameRE = regexp.MustCompile(`\A[-_+.\w]+\z`)
	fileRE = regexp.MustCompile(`\A[-_+=:;.()\[\]{}~!@#$%^& \w]+\z`)
)

func nameOracle(s string) bool {
	if len(s) == 1 && !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z' || s[0] >= '0' && s[0] <= '9') {
		return false
	}
	return nameRE.MatchString(s) && s != ".."
}

func fileOracle(s string) bool {
	return fileRE.MatchString(s) && strings.TrimSpace(s) == s && s != "." && s != ".."
}

// allSpecials is every special character a file name may hold.
const allSpecials = "-_+=:;.()[]{}~!@#$%^&"

func TestValidPackageName(t *testing.T) {
	t.Parallel()
	good := []string{"a", "a-", "a_b", "c.d+", "Z", "7", "...", ".a", "-a", "a..b", "My.Package_1.0+x"}
	bad := []string{"", ".", "..", "-", "_", "+", "a?b", "a b", "a/b", "é", "a\x00", " a", "a\n"}
	check(t, "ValidPackageName", ValidPackageName, nameOracle, "invalid package name", good, bad)
}

func TestValidFileName(t *testing.T) {
	t.Parallel()
	good := []string{"-", "a", "a-", "a_b", "a b", "c.d+", allSpecials + " aA1", "...", ".a", "_", "a  b"}
	bad := []string{"", ".", "..", "a?b", "a/b", " a", "a ", " ", "a\tb", "a\\b", "a\"b", "é", "a\x00", "a\n", "a'b", "a,b", "a<b"}
	check(t, "ValidFileName", ValidFileName, fileOracle, "invalid filename", good, bad)
}

func TestValidVersion(t *testing.T) {
	t.Parallel()
	good := []string{"1.0.3", "1.0.3-te st", "v", "latest", "1.0/2", "ü"}
	bad := []string{"", " ", " 1.0", "1.0 ", "\t1", "1\n", "1.0\u00a0", "\u20281"}
	oracle := func(s string) bool { return s != "" && strings.TrimSpace(s) == s }
	check(t, "ValidVersion", ValidVersion, oracle, "invalid package version", good, bad)
}

func check(t *testing.T, fn string, valid func(string) error, oracle func(string) bool, msg string, good, bad []string) {
	t.Helper()
	for _, s := range good {
		if err := valid(s); err != nil {
			t.Errorf("%s(%q) = %v, want nil", fn, s, err)
		}
	}
	for _, s := range bad {
		err := valid(s)
		if !errs.Is(err, errs.Invalid) || errs.Message(err) != msg {
			t.Errorf("%s(%q) = %v, want an Invalid error %q", fn, s, err, msg)
		}
	}
	for _, s := range append(good, bad...) {
		if got, want := valid(s) == nil, oracle(s); got != want {
			t.Errorf("%s(%q) accepts = %v, reference rule says %v", fn, s, got, want)
		}
	}
}
