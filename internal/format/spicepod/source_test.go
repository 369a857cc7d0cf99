package spicepod

import (
	"errors"
	"strings"
	"testing"

	"wharf/internal/errs"
)

func TestParseSource(t *testing.T) {
	t.Parallel()
	sha := strings.Repeat("ab12", 10)
	good := []struct {
		in   string
		want Source
	}{
		{"github:acme/app/" + sha + "/spicepod.yaml", Source{"acme", "app", sha, "spicepod.yaml"}},
		{"github:my-org/my.repo_1/main/pods/x/spicepod.yml", Source{"my-org", "my.repo_1", "main", "pods/x/spicepod.yml"}},
		{"github:a/b/v1.2.3+build/dir with space/s:p.yaml", Source{"a", "b", "v1.2.3+build", "dir with space/s:p.yaml"}},
		{"github:a/b/c/ünïcode.yaml", Source{"a", "b", "c", "ünïcode.yaml"}},
	}
	for _, tt := range good {
		got, err := ParseSource(tt.in)
		if err != nil {
			t.Errorf("ParseSource(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseSource(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		if got.String() != tt.in {
			t.Errorf("String() = %q, want %q", got.String(), tt.in)
		}
	}
	bad := map[string]string{
		"":                                "github:",
		"gitlab:a/b/c/d":                  "github:",
		"GitHub:a/b/c/d":                  "github:",
		"github:a/b/c":                    "four parts",
		"github:a/b/c/":                   "empty",
		"github:/b/c/d":                   "organisation",
		"github:a//c/d":                   "repository",
		"github:a/b//d":                   "revision",
		"github:a/../c/d":                 "repository",
		"github:a/b/../d":                 "revision",
		"github:a%2f/b/c/d":               "organisation",
		"github:a/b/c~1/d":                "revision",
		"github:a/b/c/../d":               `"." or ".."`,
		"github:a/b/c/x/./d":              `"." or ".."`,
		"github:a/b/c/x//d":               "empty segment",
		"github:a/b/c//d":                 "empty segment",
		"github:a/b/c/d/":                 "empty segment",
		"github:a/b/c/d\x00":              "control",
		"github:a/b/c/d\nx":               "control",
		"github:a/b/c/a\\b":               "backslash",
		"github:a/b/c/\xff":               "UTF-8",
		"github:a/b/c/" + long(3000):      "longer",
		"github:a/b/" + long(300) + "/x":  "revision",
		"github:a/b/c/" + long(1100):      "longer than 1024",
		"github:a b/c/d/e":                "organisation",
		"github:a/b/c/d?x":                "",
		"github:a/b/c/d#x":                "",
		"github:a/b/c/spicepod.yaml\r\nX": "control",
	}
	for in, detail := range bad {
		_, err := ParseSource(in)
		if detail == "" {
			// Query and fragment characters are plain path characters.
			if err != nil {
				t.Errorf("ParseSource(%q): %v", in, err)
			}
			continue
		}
		var se *SourceError
		if !errors.As(err, &se) {
			t.Errorf("ParseSource(%q) = %v, want a *SourceError", in, err)
			continue
		}
		if !errs.Is(err, errs.Invalid) || errs.Message(err) != InvalidFromMessage {
			t.Errorf("ParseSource(%q): kind %v message %q", in, errs.KindOf(err), errs.Message(err))
		}
		if !strings.Contains(se.Detail, detail) {
			t.Errorf("ParseSource(%q) detail %q, want it to mention %q", in, se.Detail, detail)
		}
	}
}

func long(n int) string { return strings.Repeat("x", n) }

func TestImmutable(t *testing.T) {
	t.Parallel()
	for ref, want := range map[string]bool{
		strings.Repeat("a", 40):       true,
		strings.Repeat("F0", 20):      true,
		strings.Repeat("0", 64):       true,
		strings.Repeat("a", 39):       false,
		strings.Repeat("a", 41):       false,
		strings.Repeat("g", 40):       false,
		"main":                        false,
		"v1.0":                        false,
		strings.Repeat("a", 39) + ".": false,
	} {
		if got := (Source{Ref: ref}).Immutable(); got != want {
			t.Errorf("Immutable(%q) = %v, want %v", ref, got, want)
		}
	}
}
