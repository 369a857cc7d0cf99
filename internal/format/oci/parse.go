package oci

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"wharf/internal/errs"
)

// wireDescriptor and wireManifest are the decoding shapes: pointers and
// nil slices tell a missing or null field from a zero one.
type wireDescriptor struct {
	MediaType    string            `json:"mediaType"`
	Digest       string            `json:"digest"`
	Size         *int64            `json:"size"`
	URLs         []string          `json:"urls"`
	ArtifactType string            `json:"artifactType"`
	Annotations  map[string]string `json:"annotations"`
	Platform     *Platform         `json:"platform"`
}

type wireManifest struct {
	SchemaVersion *int              `json:"schemaVersion"`
	MediaType     string            `json:"mediaType"`
	ArtifactType  string            `json:"artifactType"`
	Config        *wireDescriptor   `json:"config"`
	Layers        []wireDescriptor  `json:"layers"`
	Manifests     []wireDescriptor  `json:"manifests"`
	Subject       *wireDescriptor   `json:"subject"`
	Annotations   map[string]string `json:"annotations"`
}

// ParseManifest decodes and checks a pushed manifest. contentType is the
// request's Content-Type, possibly empty; its parameters are ignored.
//
// The manifest's media type is its mediaType field when present, else the
// Content-Type, else inferred from its shape (manifests: an OCI index;
// config or layers: an OCI image manifest). Clients must send the
// mediaType field's value as Content-Type, so a manifest whose field and
// header disagree is refused. Unknown fields are ignored.
//
// Checks: the body is at most MaxManifestSize bytes (else errs.TooLarge);
// it is a JSON object with schemaVersion 2; its media type is an OCI or
// Docker schema 2 manifest or index (schema 1 and other types wrap
// errs.Unsupported); an image manifest has a config and no manifests; an
// index has neither config nor layers; every descriptor has a valid media
// type, a sha256 or sha512 digest (other algorithms wrap errs.Unsupported)
// and a size that is not negative; index entries with a platform name its
// os and architecture. Every other failure wraps errs.Invalid.
func ParseManifest(contentType string, body []byte) (*Manifest, error) {
	if len(body) > MaxManifestSize {
		return nil, errs.E(errs.TooLarge, "manifest is larger than %d bytes", MaxManifestSize)
	}
	var w wireManifest
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, jsonError(err)
	}
	mt, err := manifestType(contentType, &w)
	if err != nil {
		return nil, err
	}
	if w.SchemaVersion == nil || *w.SchemaVersion != 2 {
		return nil, errs.E(errs.Invalid, "manifest schemaVersion must be 2")
	}
	m := &Manifest{SchemaVersion: 2, MediaType: mt, Annotations: w.Annotations}
	if isIndexType(mt) {
		if w.Config != nil || w.Layers != nil {
			return nil, errs.E(errs.Invalid, "an index must not have config or layers")
		}
		if m.Manifests, err = descriptors("manifests", w.Manifests, true); err != nil {
			return nil, err
		}
	} else {
		if w.Manifests != nil {
			return nil, errs.E(errs.Invalid, "an image manifest must not have manifests")
		}
		if w.Config == nil {
			return nil, errs.E(errs.Invalid, "an image manifest needs a config")
		}
		c, err := descriptor("config", w.Config, false)
		if err != nil {
			return nil, err
		}
		m.Config = &c
		if m.Layers, err = descriptors("layers", w.Layers, false); err != nil {
			return nil, err
		}
	}
	if !isOCIType(mt) {
		return m, nil
	}
	if w.ArtifactType != "" && !ValidMediaType(w.ArtifactType) {
		return nil, errs.E(errs.Invalid, "manifest artifactType %s is not a valid media type", quote(w.ArtifactType))
	}
	m.ArtifactType = w.ArtifactType
	if w.Subject != nil {
		s, err := descriptor("subject", w.Subject, false)
		if err != nil {
			return nil, err
		}
		m.Subject = &s
	}
	return m, nil
}

// manifestType decides the media type of w as ParseManifest describes.
func manifestType(contentType string, w *wireManifest) (string, error) {
	header := contentTypeMediaType(contentType)
	mt := w.MediaType
	switch {
	case mt != "":
		if header != "" && header != mt {
			return "", errs.E(errs.Invalid, "manifest mediaType %s does not match Content-Type %s", quote(mt), quote(header))
		}
	case header != "":
		mt = header
	case w.SchemaVersion != nil && *w.SchemaVersion == 1:
		return "", errs.E(errs.Unsupported, "Docker schema 1 manifests are not supported")
	case w.Manifests != nil && (w.Config != nil || w.Layers != nil):
		return "", errs.E(errs.Invalid, "manifest has both manifests and config or layers and no mediaType")
	case w.Manifests != nil:
		mt = MediaTypeImageIndex
	case w.Config != nil || w.Layers != nil:
		mt = MediaTypeImageManifest
	default:
		return "", errs.E(errs.Invalid, "manifest has no mediaType and neither manifests nor config")
	}
	switch mt {
	case MediaTypeImageManifest, MediaTypeImageIndex, MediaTypeDockerManifest, MediaTypeDockerList:
		return mt, nil
	case MediaTypeDockerSchema1, MediaTypeDockerSchema1Signed:
		return "", errs.E(errs.Unsupported, "Docker schema 1 manifests are not supported")
	}
	if !ValidMediaType(mt) {
		return "", errs.E(errs.Invalid, "manifest media type %s is malformed", quote(mt))
	}
	return "", errs.E(errs.Unsupported, "manifest media type %s is not supported", quote(mt))
}

func descriptors(field string, ws []wireDescriptor, entries bool) ([]Descriptor, error) {
	if len(ws) == 0 {
		return nil, nil
	}
	out := make([]Descriptor, len(ws))
	for i := range ws {
		d, err := descriptor(field+"["+strconv.Itoa(i)+"]", &ws[i], entries)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

// descriptor checks one descriptor; field names it in errors. platform
// says whether the descriptor may carry a platform (index entries).
func descriptor(field string, w *wireDescriptor, platform bool) (Descriptor, error) {
	switch {
	case w.MediaType == "":
		return Descriptor{}, errs.E(errs.Invalid, "%s: mediaType is missing", field)
	case !ValidMediaType(w.MediaType):
		return Descriptor{}, errs.E(errs.Invalid, "%s: mediaType %s is not a valid media type", field, quote(w.MediaType))
	case w.Size == nil:
		return Descriptor{}, errs.E(errs.Invalid, "%s: size is missing", field)
	case *w.Size < 0:
		return Descriptor{}, errs.E(errs.Invalid, "%s: size must not be negative", field)
	case w.ArtifactType != "" && !ValidMediaType(w.ArtifactType):
		return Descriptor{}, errs.E(errs.Invalid, "%s: artifactType %s is not a valid media type", field, quote(w.ArtifactType))
	}
	if _, err := ParseDigest(w.Digest); err != nil {
		return Descriptor{}, errs.E(errs.KindOf(err), "%s: %s", field, errs.Message(err))
	}
	d := Descriptor{
		MediaType: w.MediaType, Digest: w.Digest, Size: *w.Size, URLs: w.URLs,
		ArtifactType: w.ArtifactType, Annotations: w.Annotations,
	}
	if platform && w.Platform != nil {
		if w.Platform.OS == "" || w.Platform.Architecture == "" {
			return Descriptor{}, errs.E(errs.Invalid, "%s: platform needs os and architecture", field)
		}
		p := *w.Platform
		d.Platform = &p
	}
	return d, nil
}

// jsonError turns a decoding failure into an errs.Invalid whose message
// names the problem without Go type names.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return errs.Wrap(errs.Invalid, fmt.Sprintf("manifest is not valid JSON (offset %d)", syn.Offset), err)
	case errors.As(err, &typ) && typ.Field == "":
		return errs.Wrap(errs.Invalid, "manifest must be a JSON object", err)
	case errors.As(err, &typ):
		return errs.Wrap(errs.Invalid, fmt.Sprintf("manifest field %s must not be a JSON %s", quote(typ.Field), typ.Value), err)
	}
	return errs.Wrap(errs.Invalid, "manifest is not valid JSON", err)
}
