package oci

import (
	"regexp"
	"strings"
	"testing"

	"wharf/internal/errs"
)

// The spec's grammars, as the oracle the hand-written matchers must agree
// with.
var (
	repoNameRE = regexp.MustCompile(`^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$`)
	tagRE      = regexp.MustCompile(`^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$`)
)

func TestValidRepoName(t *testing.T) {
	t.Parallel()
	good := []string{
		"a", "0", "library/ubuntu", "a.b", "a_b", "a__b", "a-b", "a--b", "a---b",
		"a/b/c/d", "my-org/my_repo.v2/x--y__z", "registry.example.org/project",
		"0a/1b", strings.Repeat("a", 255), strings.Repeat("a/", 127) + "a",
	}
	bad := []string{
		"", "A", "Library/ubuntu", "library/Ubuntu", "a//b", "a/", "/a", "a/b/",
		"a___b", "a._b", "a.-b", "a-.b", "a..b", ".a", "a.", "_a", "a_", "-a", "a-",
		"a/.b", "a/_b", "a b", "a:b", "a@b", "a\x00b", "ä", "a/b//c",
		strings.Repeat("a", 256), strings.Repeat("a/", 127) + "ab",
	}
	for _, name := range good {
		if err := ValidRepoName(name); err != nil {
			t.Errorf("ValidRepoName(%q) = %v, want nil", name, err)
		}
	}
	for _, name := range bad {
		err := ValidRepoName(name)
		if !errs.Is(err, errs.Invalid) {
			t.Errorf("ValidRepoName(%q) = %v, want an Invalid error", name, err)
		}
	}
	for _, name := range append(good, bad...) {
		want := repoNameRE.MatchString(name) && len(name) <= MaxRepoNameLength
		if got := ValidRepoName(name) == nil; got != want {
			t.Errorf("ValidRepoName(%q) accepts = %v, grammar says %v", name, got, want)
		}
	}
}

func TestValidRepoNameMessage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, want string }{
		{"", "must not be empty"},
		{strings.Repeat("a", 256), "longer than 255"},
		{"Ab", `"Ab" at offset 0`},
		{"a//b", "offset 2"},
		{"a___b", "at most two underscores"},
		{"a-", "must end with"},
	} {
		err := ValidRepoName(tc.name)
		if err == nil || !strings.Contains(errs.Message(err), tc.want) {
			t.Errorf("ValidRepoName(%q) = %v, want a message containing %q", tc.name, err, tc.want)
		}
	}
}

func TestValidTag(t *testing.T) {
	t.Parallel()
	good := []string{
		"latest", "v1.0.0", "_", "_x", "A", "9", "1.0-rc.1_build", "sha256-" + strings.Repeat("a", 64),
		strings.Repeat("a", 128), "x" + strings.Repeat("-", 127),
	}
	bad := []string{
		"", ".a", "-a", "a:b", "a/b", "a+b", "a b", "ä", "a\n",
		strings.Repeat("a", 129), "sha256:" + strings.Repeat("a", 64),
	}
	for _, tag := range good {
		if err := ValidTag(tag); err != nil {
			t.Errorf("ValidTag(%q) = %v, want nil", tag, err)
		}
	}
	for _, tag := range bad {
		if err := ValidTag(tag); !errs.Is(err, errs.Invalid) {
			t.Errorf("ValidTag(%q) = %v, want an Invalid error", tag, err)
		}
	}
	for _, tag := range append(good, bad...) {
		if got, want := ValidTag(tag) == nil, tagRE.MatchString(tag); got != want {
			t.Errorf("ValidTag(%q) accepts = %v, grammar says %v", tag, got, want)
		}
	}
}

func TestQuoteShortens(t *testing.T) {
	t.Parallel()
	err := ValidTag(strings.Repeat("a", 200) + "!")
	if err == nil {
		t.Fatal("ValidTag accepted a long tag")
	}
	if err := ValidRepoName("A" + strings.Repeat("a", 200)); len(errs.Message(err)) > 200 {
		t.Errorf("message is %d bytes long, want it shortened: %s", len(errs.Message(err)), errs.Message(err))
	}
}

func BenchmarkValidRepoName(b *testing.B) {
	name := "my-org/team_a/some.project--name/x"
	for b.Loop() {
		if ValidRepoName(name) != nil {
			b.Fatal("rejected")
		}
	}
}
