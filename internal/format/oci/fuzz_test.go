package oci

import (
	"strconv"
	"testing"

	"wharf/internal/errs"
)

// The seed corpora live in testdata/fuzz/<FuzzName>/ and run as part of the
// normal tests.

func FuzzRepoName(f *testing.F) {
	f.Fuzz(func(t *testing.T, name string) {
		err := ValidRepoName(name)
		if err != nil && !errs.Is(err, errs.Invalid) {
			t.Fatalf("ValidRepoName(%q) error of kind %v", name, errs.KindOf(err))
		}
		want := len(name) <= MaxRepoNameLength && repoNameRE.MatchString(name)
		if got := err == nil; got != want {
			t.Fatalf("ValidRepoName(%q) accepts = %v, grammar says %v", name, got, want)
		}
	})
}

func FuzzTag(f *testing.F) {
	f.Fuzz(func(t *testing.T, tag string) {
		err := ValidTag(tag)
		if err != nil && !errs.Is(err, errs.Invalid) {
			t.Fatalf("ValidTag(%q) error of kind %v", tag, errs.KindOf(err))
		}
		if got, want := err == nil, tagRE.MatchString(tag); got != want {
			t.Fatalf("ValidTag(%q) accepts = %v, grammar says %v", tag, got, want)
		}
		if err == nil && IsDigest(tag) {
			t.Fatalf("tag %q looks like a digest", tag)
		}
	})
}

func FuzzParseDigest(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDigest(s)
		if err != nil {
			if k := errs.KindOf(err); k != errs.Invalid && k != errs.Unsupported {
				t.Fatalf("ParseDigest(%q) error of kind %v", s, k)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDigest(%q).String() = %q", s, d.String())
		}
		if !IsDigest(s) {
			t.Fatalf("IsDigest(%q) = false for a parsed digest", s)
		}
		if n, _ := hexLen(d.Algorithm); len(d.Hex) != n || !lowerHex(d.Hex) {
			t.Fatalf("ParseDigest(%q) = %+v, not a %s digest", s, d, d.Algorithm)
		}
		if ValidTag(s) == nil {
			t.Fatalf("digest %q is also a valid tag", s)
		}
	})
}

func FuzzContentRange(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		start, end, err := ParseContentRange(s)
		if err != nil {
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("ParseContentRange(%q) error of kind %v", s, errs.KindOf(err))
			}
			return
		}
		if start < 0 || end < start {
			t.Fatalf("ParseContentRange(%q) = %d, %d", s, start, end)
		}
		canon := strconv.FormatInt(start, 10) + "-" + strconv.FormatInt(end, 10)
		s2, e2, err := ParseContentRange(canon)
		if err != nil || s2 != start || e2 != end {
			t.Fatalf("ParseContentRange(%q) = %d, %d, %v; want %d, %d", canon, s2, e2, err, start, end)
		}
	})
}

func FuzzParseManifest(f *testing.F) {
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		m, err := ParseManifest(contentType, body)
		if err != nil {
			switch k := errs.KindOf(err); k {
			case errs.Invalid, errs.Unsupported, errs.TooLarge:
			default:
				t.Fatalf("ParseManifest error %q of kind %v", err, k)
			}
			return
		}
		switch m.MediaType {
		case MediaTypeImageManifest, MediaTypeDockerManifest:
			if m.Config == nil || m.Manifests != nil {
				t.Fatalf("image manifest %+v without config or with manifests", m)
			}
		case MediaTypeImageIndex, MediaTypeDockerList:
			if m.Config != nil || m.Layers != nil {
				t.Fatalf("index %+v with config or layers", m)
			}
		default:
			t.Fatalf("ParseManifest accepted media type %q", m.MediaType)
		}
		all := append(m.Blobs(), m.Manifests...)
		if m.Subject != nil {
			all = append(all, *m.Subject)
		}
		for _, d := range all {
			if _, err := ParseDigest(d.Digest); err != nil {
				t.Fatalf("accepted descriptor %+v: %v", d, err)
			}
			if d.Size < 0 || !ValidMediaType(d.MediaType) {
				t.Fatalf("accepted descriptor %+v", d)
			}
		}
		assertRoundTrip(t, m)
	})
}
