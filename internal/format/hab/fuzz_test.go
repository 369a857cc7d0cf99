package hab

import (
	"bytes"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/blake2b"

	"wharf/internal/errs"
)

// The seed corpora live in testdata/fuzz/<FuzzName>/ and run as part of the
// normal tests.

func FuzzParseIdent(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseIdent(s)
		if err != nil {
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("ParseIdent(%q) error of kind %v", s, errs.KindOf(err))
			}
			if _, err := ParseFullIdent(s); err == nil {
				t.Fatalf("ParseFullIdent(%q) accepts what ParseIdent refuses", s)
			}
			return
		}
		if id.String() != s {
			t.Fatalf("ParseIdent(%q).String() = %q", s, id.String())
		}
		if err := id.Validate(); err != nil {
			t.Fatalf("ParseIdent(%q) = %+v, which Validate refuses: %v", s, id, err)
		}
		for _, p := range []string{id.Origin, id.Name, id.Version, id.Release} {
			if strings.ContainsAny(p, "/ \t\n\r") {
				t.Fatalf("ParseIdent(%q) part %q", s, p)
			}
		}
		if id.Release != "" && id.Version == "" {
			t.Fatalf("ParseIdent(%q) = release without version", s)
		}
		full, err := ParseFullIdent(s)
		if id.FullyQualified() != (err == nil) || err == nil && full != id {
			t.Fatalf("ParseFullIdent(%q) = %+v, %v", s, full, err)
		}
	})
}

// builderRE is the pattern Builder's query applies to versions. Go's
// leftmost-first matching gives the same spans here as PostgreSQL's.
var builderRE = regexp.MustCompile(`(?s)([\d\.]*\d+)(.+)?`)

func FuzzVersionKey(f *testing.F) {
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, v := range []string{a, b} {
			m := builderRE.FindStringSubmatchIndex(v)
			start, end, ok := numericSpan(v)
			if ok != (m != nil) || ok && (start != m[2] || end != m[3]) {
				t.Fatalf("numericSpan(%q) = %d, %d, %v; pattern gives %v", v, start, end, ok, m)
			}
			_, err := ParseVersionKey(v)
			wantErr := m == nil || strings.Contains("."+v[m[2]:m[3]]+".", "..")
			if (err != nil) != wantErr || err != nil && !errs.Is(err, errs.Invalid) {
				t.Fatalf("ParseVersionKey(%q) = %v", v, err)
			}
		}
		ab, errA := CompareVersions(a, b)
		ba, errB := CompareVersions(b, a)
		if (errA == nil) != (errB == nil) {
			t.Fatalf("CompareVersions errors differ by order: %v, %v", errA, errB)
		}
		if errA == nil && ab != -ba {
			t.Fatalf("CompareVersions(%q, %q) = %d but reversed %d", a, b, ab, ba)
		}
		if errA == nil {
			if c, _ := CompareVersions(a, a); c != 0 {
				t.Fatalf("CompareVersions(%q, itself) = %d", a, c)
			}
		}
	})
}

func FuzzParseKey(f *testing.F) {
	f.Fuzz(func(t *testing.T, text string) {
		k, err := ParseKey(text, 0)
		if err != nil {
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("ParseKey error of kind %v", errs.KindOf(err))
			}
			return
		}
		again, err := ParseKey(k.String(), k.Type)
		if err != nil || again.String() != k.String() || again.FileName() != k.FileName() {
			t.Fatalf("ParseKey(%q) does not round-trip: %v", text, err)
		}
		if !strings.HasPrefix(k.FileName(), k.Name+"-"+k.Revision+".") {
			t.Fatalf("file name %q", k.FileName())
		}
		if k.Public().Type != SigPublic && k.Public().Type != BoxPublic {
			t.Fatalf("Public of %v is %v", k.Type, k.Public().Type)
		}
	})
}

func FuzzParseAnonymousBox(f *testing.F) {
	f.Fuzz(func(t *testing.T, text string) {
		b, err := ParseAnonymousBox(text)
		if err != nil {
			if k := errs.KindOf(err); k != errs.Invalid && k != errs.TooLarge {
				t.Fatalf("ParseAnonymousBox error of kind %v", k)
			}
			return
		}
		again, err := ParseAnonymousBox(b.String())
		if err != nil || again.Receiver != b.Receiver || !bytes.Equal(again.Ciphertext, b.Ciphertext) {
			t.Fatalf("ParseAnonymousBox(%q) does not round-trip: %v", text, err)
		}
	})
}

func FuzzReadArchive(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ReadArchive(bytes.NewReader(data))
		if err != nil {
			if StageOf(err) == 0 || !errs.Is(err, errs.Invalid) {
				t.Fatalf("ReadArchive error %v of stage %d, kind %v", err, StageOf(err), errs.KindOf(err))
			}
			return
		}
		sum := blake2b.Sum256(data)
		if a.Checksum != hex.EncodeToString(sum[:]) || a.Size != int64(len(data)) {
			t.Fatalf("checksum %s, size %d of %d bytes", a.Checksum, a.Size, len(data))
		}
		hdr := bytes.Index(data, []byte("\n\n"))
		if hdr < 0 {
			t.Fatal("accepted an archive without a blank line")
		}
		if !a.Ident.FullyQualified() || a.Ident.Validate() != nil || ValidTarget(a.Target) != nil {
			t.Fatalf("accepted ident %+v, target %q", a.Ident, a.Target)
		}
		for _, d := range [][]Ident{a.Deps, a.TDeps, a.BuildDeps, a.BuildTDeps} {
			for _, id := range d {
				if !id.FullyQualified() {
					t.Fatalf("accepted partial dependency %v", id)
				}
			}
		}
		if a.PackageType != Standard && a.PackageType != Native {
			t.Fatalf("package type %q", a.PackageType)
		}
	})
}
