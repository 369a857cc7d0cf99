package oci

import "strings"

// Manifest media types.
const (
	MediaTypeImageManifest  = "application/vnd.oci.image.manifest.v1+json"
	MediaTypeImageIndex     = "application/vnd.oci.image.index.v1+json"
	MediaTypeDockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
	MediaTypeDockerList     = "application/vnd.docker.distribution.manifest.list.v2+json"

	// Docker schema 1 manifests are recognised only to be refused.
	MediaTypeDockerSchema1       = "application/vnd.docker.distribution.manifest.v1+json"
	MediaTypeDockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws"
)

// MediaTypeEmpty is the media type of the empty JSON blob "{}" that
// artifacts without a config point their config descriptor at.
const MediaTypeEmpty = "application/vnd.oci.empty.v1+json"

// ValidMediaType reports whether s is a media type name as descriptors
// carry it: RFC 6838 section 4.2 type "/" subtype, without parameters,
// which is the image spec's
//
//	^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$
func ValidMediaType(s string) bool {
	typ, sub, ok := strings.Cut(s, "/")
	return ok && restrictedName(typ) && restrictedName(sub)
}

func restrictedName(s string) bool {
	if s == "" || len(s) > 127 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			continue
		}
		if i == 0 || !strings.ContainsRune("!#$&^_.+-", rune(c)) {
			return false
		}
	}
	return true
}

// contentTypeMediaType returns the media type of a Content-Type header
// value: parameters dropped, as the spec tells registries to ignore them,
// surrounding space trimmed and lowercased, since the header is case
// insensitive. It is "" when the header is empty.
func contentTypeMediaType(ct string) string {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.ToLower(strings.Trim(mt, " \t"))
}

// isIndexType reports whether mt is a manifest type that lists manifests.
func isIndexType(mt string) bool {
	return mt == MediaTypeImageIndex || mt == MediaTypeDockerList
}

// isOCIType reports whether mt is an OCI (not Docker) manifest type; only
// those carry artifactType and subject.
func isOCIType(mt string) bool {
	return mt == MediaTypeImageManifest || mt == MediaTypeImageIndex
}
