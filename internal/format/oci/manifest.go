package oci

// MaxManifestSize is the largest manifest ParseManifest accepts, in bytes.
// The spec asks registries to take at least 4 MB.
const MaxManifestSize = 4 << 20

// Platform is the platform an index entry is built for.
type Platform struct {
	Architecture string   `json:"architecture"`
	OS           string   `json:"os"`
	OSVersion    string   `json:"os.version,omitempty"`
	OSFeatures   []string `json:"os.features,omitempty"`
	Variant      string   `json:"variant,omitempty"`
	Features     []string `json:"features,omitempty"`
}

// Descriptor points at content by digest. In a Manifest returned by
// ParseManifest, MediaType is a valid media type, Digest parses with
// ParseDigest (so it is sha256 or sha512), Size is not negative, and
// ArtifactType is empty or a valid media type.
type Descriptor struct {
	MediaType    string            `json:"mediaType"`
	Digest       string            `json:"digest"`
	Size         int64             `json:"size"`
	URLs         []string          `json:"urls,omitempty"`
	ArtifactType string            `json:"artifactType,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	Platform     *Platform         `json:"platform,omitempty"`
}

// Manifest is an image manifest or an index, OCI or Docker schema 2, as
// far as a registry needs to know it. MediaType is always one of the four
// MediaType constants for manifests, whether the document, the request's
// Content-Type or its shape said so. Image manifests have Config and may
// have Layers; indexes have neither and may have Manifests. ArtifactType
// and Subject are only kept for OCI types.
//
// A Manifest marshals back to JSON that ParseManifest accepts and reads
// the same; the stored bytes of a manifest are the ones pushed, not these.
type Manifest struct {
	SchemaVersion int               `json:"schemaVersion"`
	MediaType     string            `json:"mediaType"`
	ArtifactType  string            `json:"artifactType,omitempty"`
	Config        *Descriptor       `json:"config,omitempty"`
	Layers        []Descriptor      `json:"layers,omitempty"`
	Manifests     []Descriptor      `json:"manifests,omitempty"`
	Subject       *Descriptor       `json:"subject,omitempty"`
	Annotations   map[string]string `json:"annotations,omitempty"`
}

// IsIndex reports whether m lists manifests (an OCI index or a Docker
// manifest list) rather than blobs.
func (m *Manifest) IsIndex() bool { return isIndexType(m.MediaType) }

// Blobs returns the blobs an image manifest references: its config, then
// its layers, in order. It is empty for an index. The slice is new; the
// caller may keep it.
func (m *Manifest) Blobs() []Descriptor {
	if m.Config == nil && len(m.Layers) == 0 {
		return nil
	}
	out := make([]Descriptor, 0, 1+len(m.Layers))
	if m.Config != nil {
		out = append(out, *m.Config)
	}
	return append(out, m.Layers...)
}

// EffectiveArtifactType is the artifactType a referrers list reports for
// m: its artifactType when set; otherwise, for an image manifest, its
// config's media type; otherwise (an index without one) "".
func (m *Manifest) EffectiveArtifactType() string {
	if m.ArtifactType != "" {
		return m.ArtifactType
	}
	if !m.IsIndex() && m.Config != nil {
		return m.Config.MediaType
	}
	return ""
}
