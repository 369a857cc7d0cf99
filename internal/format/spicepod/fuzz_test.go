package spicepod

import (
	"errors"
	"strings"
	"testing"

	"wharf/internal/errs"
)

// The seed corpora live in testdata/fuzz/<FuzzName>/.

func FuzzParseSource(f *testing.F) {
	f.Fuzz(func(t *testing.T, from string) {
		s, err := ParseSource(from)
		if err != nil {
			var se *SourceError
			if !errors.As(err, &se) || !errs.Is(err, errs.Invalid) || errs.Message(err) != InvalidFromMessage {
				t.Fatalf("ParseSource(%q) = %v, want a *SourceError", from, err)
			}
			return
		}
		if s.String() != from {
			t.Fatalf("ParseSource(%q).String() = %q", from, s.String())
		}
		wantCleanPath(t, s.Path)
		for _, part := range []string{s.Org, s.Repo, s.Ref} {
			if part == "" || strings.ContainsAny(part, "/:%?#\\ ") || part == "." || part == ".." {
				t.Fatalf("ParseSource(%q) accepted the name %q", from, part)
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("Parse: %v, want errs.Invalid", err)
			}
			return
		}
		for _, l := range p.Links() {
			wantCleanPath(t, l.Path)
			if l.Folder && l.Kind != "" {
				t.Fatalf("link %+v is both a folder and a reference", l)
			}
			for _, c := range l.Candidates() {
				wantCleanPath(t, c)
			}
		}
		for _, d := range p.Dependencies() {
			wantCleanPath(t, d)
		}
		for _, kind := range []string{"dataset", "view"} {
			ls, err := ParseComponent(kind, data)
			if err != nil && !errs.Is(err, errs.Invalid) {
				t.Fatalf("ParseComponent: %v, want errs.Invalid", err)
			}
			for _, l := range ls {
				wantCleanPath(t, l.Path)
			}
		}
	})
}

// wantCleanPath fails unless p is a relative path that cannot leave the
// repository root.
func wantCleanPath(t *testing.T, p string) {
	t.Helper()
	if p == "" || strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		t.Fatalf("unclean path %q", p)
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || seg == ".." {
			t.Fatalf("path %q has segment %q", p, seg)
		}
	}
}
