package oci

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"wharf/internal/errs"
)

const (
	dgA = "sha256:a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
	dgB = "sha256:b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2"
	dgC = "sha256:c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3"
	dgE = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a" // {}
)

// ociImage is a typical OCI image manifest with a subject.
const ociImage = `{
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "` + dgA + `", "size": 7023},
  "layers": [
    {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "` + dgB + `", "size": 32654},
    {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "` + dgC + `", "size": 16724, "urls": ["https://example.com/l"]}
  ],
  "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "` + dgC + `", "size": 1234},
  "annotations": {"com.example.key1": "value1"},
  "unknownField": [1, {"x": null}]
}`

// ociArtifact is an artifact in the 1.1 style: artifactType, empty config.
const ociArtifact = `{
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "artifactType": "application/vnd.example.sbom.v1",
  "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": "` + dgE + `", "size": 2, "data": "e30="},
  "layers": [{"mediaType": "application/vnd.oci.empty.v1+json", "digest": "` + dgE + `", "size": 2}]
}`

// ociIndex is an index of two platform images.
const ociIndex = `{
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 7143, "digest": "` + dgA + `",
     "platform": {"architecture": "ppc64le", "os": "linux"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 7682, "digest": "` + dgB + `",
     "platform": {"architecture": "arm64", "os": "linux", "variant": "v8", "os.features": ["x"]}}
  ],
  "annotations": {"com.example.key1": "value1"}
}`

// referrersExample is the spec's referrers response, with real digests and
// its trailing commas removed.
const referrersExample = `{
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "manifests": [
    {
      "mediaType": "application/vnd.oci.image.manifest.v1+json",
      "size": 1234,
      "digest": "` + dgA + `",
      "artifactType": "application/vnd.example.sbom.v1",
      "annotations": {
        "org.opencontainers.image.created": "2022-01-01T14:42:55Z",
        "org.example.sbom.format": "json"
      }
    },
    {
      "mediaType": "application/vnd.oci.image.index.v1+json",
      "size": 1234,
      "digest": "` + dgB + `",
      "annotations": {
        "org.opencontainers.image.created": "2023-01-01T07:21:33Z"
      }
    }
  ]
}`

const dockerImage = `{
  "schemaVersion": 2,
  "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
  "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 7023, "digest": "` + dgA + `"},
  "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 32654, "digest": "` + dgB + `"}],
  "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "` + dgC + `", "size": 1},
  "artifactType": "application/x-ignored"
}`

const dockerList = `{
  "schemaVersion": 2,
  "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
  "manifests": [{"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 7143, "digest": "` + dgA + `",
    "platform": {"architecture": "amd64", "os": "linux"}}]
}`

func TestParseManifestGood(t *testing.T) {
	t.Parallel()
	image := &Manifest{
		SchemaVersion: 2, MediaType: MediaTypeImageManifest,
		Config: &Descriptor{MediaType: "application/vnd.oci.image.config.v1+json", Digest: dgA, Size: 7023},
		Layers: []Descriptor{
			{MediaType: "application/vnd.oci.image.layer.v1.tar+gzip", Digest: dgB, Size: 32654},
			{MediaType: "application/vnd.oci.image.layer.v1.tar+gzip", Digest: dgC, Size: 16724, URLs: []string{"https://example.com/l"}},
		},
		Subject:     &Descriptor{MediaType: MediaTypeImageManifest, Digest: dgC, Size: 1234},
		Annotations: map[string]string{"com.example.key1": "value1"},
	}
	for _, tc := range []struct {
		name, ct, body string
		want           *Manifest
	}{
		{"oci image", MediaTypeImageManifest, ociImage, image},
		{"content type with parameters and case", "Application/VND.oci.image.manifest.v1+json; charset=utf-8", ociImage, image},
		{"no content type", "", ociImage, image},
		{"artifact", MediaTypeImageManifest, ociArtifact, &Manifest{
			SchemaVersion: 2, MediaType: MediaTypeImageManifest, ArtifactType: "application/vnd.example.sbom.v1",
			Config: &Descriptor{MediaType: MediaTypeEmpty, Digest: dgE, Size: 2},
			Layers: []Descriptor{{MediaType: MediaTypeEmpty, Digest: dgE, Size: 2}},
		}},
		{"oci index", MediaTypeImageIndex, ociIndex, &Manifest{
			SchemaVersion: 2, MediaType: MediaTypeImageIndex,
			Manifests: []Descriptor{
				{MediaType: MediaTypeImageManifest, Digest: dgA, Size: 7143, Platform: &Platform{Architecture: "ppc64le", OS: "linux"}},
				{MediaType: MediaTypeImageManifest, Digest: dgB, Size: 7682, Platform: &Platform{Architecture: "arm64", OS: "linux", Variant: "v8", OSFeatures: []string{"x"}}},
			},
			Annotations: map[string]string{"com.example.key1": "value1"},
		}},
		{"spec referrers example", MediaTypeImageIndex, referrersExample, &Manifest{
			SchemaVersion: 2, MediaType: MediaTypeImageIndex,
			Manifests: []Descriptor{
				{MediaType: MediaTypeImageManifest, Digest: dgA, Size: 1234, ArtifactType: "application/vnd.example.sbom.v1",
					Annotations: map[string]string{"org.opencontainers.image.created": "2022-01-01T14:42:55Z", "org.example.sbom.format": "json"}},
				{MediaType: MediaTypeImageIndex, Digest: dgB, Size: 1234,
					Annotations: map[string]string{"org.opencontainers.image.created": "2023-01-01T07:21:33Z"}},
			},
		}},
		{"empty index", "", `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}`,
			&Manifest{SchemaVersion: 2, MediaType: MediaTypeImageIndex}},
		{"docker image drops subject and artifactType", MediaTypeDockerManifest, dockerImage, &Manifest{
			SchemaVersion: 2, MediaType: MediaTypeDockerManifest,
			Config: &Descriptor{MediaType: "application/vnd.docker.container.image.v1+json", Digest: dgA, Size: 7023},
			Layers: []Descriptor{{MediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", Digest: dgB, Size: 32654}},
		}},
		{"docker list", MediaTypeDockerList, dockerList, &Manifest{
			SchemaVersion: 2, MediaType: MediaTypeDockerList,
			Manifests: []Descriptor{{MediaType: MediaTypeDockerManifest, Digest: dgA, Size: 7143, Platform: &Platform{Architecture: "amd64", OS: "linux"}}},
		}},
		{"type from content type", MediaTypeDockerManifest,
			`{"schemaVersion":2,"config":{"mediaType":"a/b","digest":"` + dgA + `","size":0}}`,
			&Manifest{SchemaVersion: 2, MediaType: MediaTypeDockerManifest, Config: &Descriptor{MediaType: "a/b", Digest: dgA}}},
		{"inferred image", "",
			`{"schemaVersion":2,"config":{"mediaType":"a/b","digest":"` + dgA + `","size":0},"layers":null}`,
			&Manifest{SchemaVersion: 2, MediaType: MediaTypeImageManifest, Config: &Descriptor{MediaType: "a/b", Digest: dgA}}},
		{"inferred index", " ; x=y", `{"schemaVersion":2,"manifests":[{"mediaType":"a/b","digest":"` + dgA + `","size":1}]}`,
			&Manifest{SchemaVersion: 2, MediaType: MediaTypeImageIndex, Manifests: []Descriptor{{MediaType: "a/b", Digest: dgA, Size: 1}}}},
		{"index with subject and artifactType", "",
			`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","artifactType":"application/x.y","manifests":[],"subject":{"mediaType":"a/b","digest":"` + dgB + `","size":3}}`,
			&Manifest{SchemaVersion: 2, MediaType: MediaTypeImageIndex, ArtifactType: "application/x.y", Subject: &Descriptor{MediaType: "a/b", Digest: dgB, Size: 3}}},
		{"sha512 layer", "",
			`{"schemaVersion":2,"config":{"mediaType":"a/b","digest":"` + dgA + `","size":0},"layers":[{"mediaType":"a/b","digest":"sha512:` + strings.Repeat("ab", 64) + `","size":9}]}`,
			&Manifest{SchemaVersion: 2, MediaType: MediaTypeImageManifest, Config: &Descriptor{MediaType: "a/b", Digest: dgA},
				Layers: []Descriptor{{MediaType: "a/b", Digest: "sha512:" + strings.Repeat("ab", 64), Size: 9}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseManifest(tc.ct, []byte(tc.body))
			if err != nil {
				t.Fatalf("ParseManifest: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseManifest (-want +got):\n%s", diff)
			}
			assertRoundTrip(t, got)
		})
	}
}

// assertRoundTrip checks that m marshals to a manifest that parses back to m.
func assertRoundTrip(t *testing.T, m *Manifest) {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	again, err := ParseManifest("", b)
	if err != nil {
		t.Fatalf("ParseManifest(re-marshalled %s): %v", b, err)
	}
	if diff := cmp.Diff(m, again, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("re-marshalled manifest differs (-first +second):\n%s", diff)
	}
}

func TestParseManifestBad(t *testing.T) {
	t.Parallel()
	cfg := `"config":{"mediaType":"a/b","digest":"` + dgA + `","size":1}`
	img := func(extra string) string {
		return `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",` + cfg + extra + `}`
	}
	layer := func(d string) string { return img(`,"layers":[` + d + `]`) }
	idx := func(entries string) string {
		return `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[` + entries + `]}`
	}
	for _, tc := range []struct {
		name, ct, body string
		kind           errs.Kind
		msg            string
	}{
		{"too large", "", `{"x":"` + strings.Repeat("a", MaxManifestSize) + `"}`, errs.TooLarge, "larger than"},
		{"empty body", "", ``, errs.Invalid, "not valid JSON"},
		{"not json", "", `{"schemaVersion":2,`, errs.Invalid, "not valid JSON"},
		{"trailing comma", MediaTypeImageIndex, `{"schemaVersion":2,"manifests":[],}`, errs.Invalid, "not valid JSON"},
		{"trailing garbage", "", img("") + "x", errs.Invalid, "not valid JSON"},
		{"array", "", `[]`, errs.Invalid, "must be a JSON object"},
		{"string", "", `"x"`, errs.Invalid, "must be a JSON object"},
		{"null", "", `null`, errs.Invalid, "no mediaType"},
		{"empty object", "", `{}`, errs.Invalid, "no mediaType"},
		{"no schemaVersion", MediaTypeImageManifest, `{` + cfg + `}`, errs.Invalid, "schemaVersion must be 2"},
		{"schemaVersion 3", "", `{"schemaVersion":3,` + cfg + `}`, errs.Invalid, "schemaVersion must be 2"},
		{"schemaVersion string", "", `{"schemaVersion":"2",` + cfg + `}`, errs.Invalid, `"schemaVersion"`},
		{"schemaVersion float", "", `{"schemaVersion":2.0,` + cfg + `}`, errs.Invalid, `"schemaVersion"`},
		{"mediaType mismatch", MediaTypeImageIndex, img(""), errs.Invalid, "does not match Content-Type"},
		{"mediaType mismatch docker", MediaTypeDockerManifest, img(""), errs.Invalid, "does not match Content-Type"},
		{"mediaType not canonical case", "", `{"schemaVersion":2,"mediaType":"application/vnd.OCI.image.manifest.v1+json",` + cfg + `}`, errs.Unsupported, "not supported"},
		{"schema1 by content type", MediaTypeDockerSchema1Signed, `{"schemaVersion":1,"name":"a","tag":"b","fsLayers":[]}`, errs.Unsupported, "schema 1"},
		{"schema1 by mediaType", "", `{"schemaVersion":1,"mediaType":"` + MediaTypeDockerSchema1 + `"}`, errs.Unsupported, "schema 1"},
		{"schema1 inferred", "", `{"schemaVersion":1,"name":"a","tag":"b","fsLayers":[]}`, errs.Unsupported, "schema 1"},
		{"unknown media type", "application/vnd.oci.artifact.manifest.v1+json", `{"schemaVersion":2}`, errs.Unsupported, "not supported"},
		{"json content type", "application/json", `{"schemaVersion":2,` + cfg + `}`, errs.Unsupported, "not supported"},
		{"malformed content type", "not a type", `{"schemaVersion":2,` + cfg + `}`, errs.Invalid, "malformed"},
		{"ambiguous", "", `{"schemaVersion":2,"manifests":[],` + cfg + `}`, errs.Invalid, "both manifests and config"},
		{"image with manifests", "", img(`,"manifests":[]`), errs.Invalid, "must not have manifests"},
		{"image without config", MediaTypeImageManifest, `{"schemaVersion":2,"layers":[]}`, errs.Invalid, "needs a config"},
		{"image with null config", MediaTypeImageManifest, `{"schemaVersion":2,"config":null}`, errs.Invalid, "needs a config"},
		{"index with config", MediaTypeImageIndex, `{"schemaVersion":2,"manifests":[],` + cfg + `}`, errs.Invalid, "must not have config"},
		{"index with layers", "", `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","layers":[]}`, errs.Invalid, "must not have config or layers"},
		{"docker list with config", MediaTypeDockerList, `{"schemaVersion":2,` + cfg + `}`, errs.Invalid, "must not have config"},
		{"config wrong type", MediaTypeImageManifest, `{"schemaVersion":2,"config":[]}`, errs.Invalid, `"config"`},
		{"config without mediaType", "", `{"schemaVersion":2,"config":{"digest":"` + dgA + `","size":1}}`, errs.Invalid, "config: mediaType is missing"},
		{"config bad mediaType", "", `{"schemaVersion":2,"config":{"mediaType":"ab","digest":"` + dgA + `","size":1}}`, errs.Invalid, "config: mediaType"},
		{"config without size", "", `{"schemaVersion":2,"config":{"mediaType":"a/b","digest":"` + dgA + `"}}`, errs.Invalid, "size is missing"},
		{"config null size", "", `{"schemaVersion":2,"config":{"mediaType":"a/b","digest":"` + dgA + `","size":null}}`, errs.Invalid, "size is missing"},
		{"config without digest", "", `{"schemaVersion":2,"config":{"mediaType":"a/b","size":1}}`, errs.Invalid, "config: invalid digest"},
		{"negative size", "", layer(`{"mediaType":"a/b","digest":"` + dgB + `","size":-1}`), errs.Invalid, "layers[0]: size must not be negative"},
		{"fractional size", "", layer(`{"mediaType":"a/b","digest":"` + dgB + `","size":1.5}`), errs.Invalid, "must not be a JSON number"},
		{"huge size", "", layer(`{"mediaType":"a/b","digest":"` + dgB + `","size":9223372036854775808}`), errs.Invalid, "must not be a JSON number"},
		{"size as string", "", layer(`{"mediaType":"a/b","digest":"` + dgB + `","size":"1"}`), errs.Invalid, "must not be a JSON string"},
		{"uppercase digest", "", layer(`{"mediaType":"a/b","digest":"` + strings.ToUpper(dgB) + `","size":1}`), errs.Invalid, "layers[0]: invalid digest"},
		{"short digest", "", layer(`{"mediaType":"a/b","digest":"sha256:abc","size":1}`), errs.Invalid, "layers[0]: invalid digest"},
		{"unsupported digest", "", layer(`{"mediaType":"a/b","digest":"sha384:` + strings.Repeat("a", 96) + `","size":1}`), errs.Unsupported, "layers[0]: unsupported digest algorithm"},
		{"second layer bad", "", layer(`{"mediaType":"a/b","digest":"` + dgB + `","size":1},{"mediaType":"a/b","digest":"x","size":1}`), errs.Invalid, "layers[1]"},
		{"layers not array", "", img(`,"layers":{}`), errs.Invalid, `"layers"`},
		{"layer not object", "", layer(`1`), errs.Invalid, `"layers"`},
		{"bad descriptor artifactType", "", layer(`{"mediaType":"a/b","digest":"` + dgB + `","size":1,"artifactType":"x"}`), errs.Invalid, "artifactType"},
		{"bad artifactType", "", img(`,"artifactType":"nope"`), errs.Invalid, "artifactType"},
		{"bad subject", "", img(`,"subject":{"mediaType":"a/b","digest":"sha256:x","size":1}`), errs.Invalid, "subject: invalid digest"},
		{"subject without size", "", img(`,"subject":{"mediaType":"a/b","digest":"` + dgC + `"}`), errs.Invalid, "subject: size is missing"},
		{"annotations not strings", "", img(`,"annotations":{"a":1}`), errs.Invalid, `"annotations`},
		{"index entry bad digest", "", idx(`{"mediaType":"a/b","digest":"sha256:","size":1}`), errs.Invalid, "manifests[0]: invalid digest"},
		{"index entry platform without os", "", idx(`{"mediaType":"a/b","digest":"` + dgA + `","size":1,"platform":{"architecture":"amd64"}}`), errs.Invalid, "platform needs os"},
		{"index entry platform wrong type", "", idx(`{"mediaType":"a/b","digest":"` + dgA + `","size":1,"platform":"linux"}`), errs.Invalid, `"manifests.platform"`},
		{"manifests not array", "", `{"schemaVersion":2,"manifests":{}}`, errs.Invalid, `"manifests"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := ParseManifest(tc.ct, []byte(tc.body))
			if err == nil {
				t.Fatalf("ParseManifest = %+v, want an error", m)
			}
			if k := errs.KindOf(err); k != tc.kind {
				t.Errorf("ParseManifest error %q is of kind %v, want %v", err, k, tc.kind)
			}
			if !strings.Contains(errs.Message(err), tc.msg) {
				t.Errorf("ParseManifest error message %q does not contain %q", errs.Message(err), tc.msg)
			}
		})
	}
}

func TestManifestMethods(t *testing.T) {
	t.Parallel()
	cfg := Descriptor{MediaType: "application/vnd.example.config.v1+json", Digest: dgA, Size: 1}
	l1 := Descriptor{MediaType: "a/b", Digest: dgB, Size: 2}
	l2 := Descriptor{MediaType: "a/c", Digest: dgC, Size: 3}
	for _, tc := range []struct {
		name     string
		m        Manifest
		index    bool
		blobs    []Descriptor
		artifact string
	}{
		{"image", Manifest{MediaType: MediaTypeImageManifest, Config: &cfg, Layers: []Descriptor{l1, l2}},
			false, []Descriptor{cfg, l1, l2}, cfg.MediaType},
		{"artifact", Manifest{MediaType: MediaTypeImageManifest, ArtifactType: "application/x.sig", Config: &cfg},
			false, []Descriptor{cfg}, "application/x.sig"},
		{"docker image", Manifest{MediaType: MediaTypeDockerManifest, Config: &cfg, Layers: []Descriptor{l1}},
			false, []Descriptor{cfg, l1}, cfg.MediaType},
		{"index", Manifest{MediaType: MediaTypeImageIndex, Manifests: []Descriptor{l1}}, true, nil, ""},
		{"index with artifactType", Manifest{MediaType: MediaTypeImageIndex, ArtifactType: "application/x.y"}, true, nil, "application/x.y"},
		{"docker list", Manifest{MediaType: MediaTypeDockerList, Manifests: []Descriptor{l1}}, true, nil, ""},
	} {
		if got := tc.m.IsIndex(); got != tc.index {
			t.Errorf("%s: IsIndex() = %v, want %v", tc.name, got, tc.index)
		}
		if diff := cmp.Diff(tc.blobs, tc.m.Blobs()); diff != "" {
			t.Errorf("%s: Blobs() (-want +got):\n%s", tc.name, diff)
		}
		if got := tc.m.EffectiveArtifactType(); got != tc.artifact {
			t.Errorf("%s: EffectiveArtifactType() = %q, want %q", tc.name, got, tc.artifact)
		}
	}
	m := Manifest{MediaType: MediaTypeImageManifest, Config: &cfg, Layers: []Descriptor{l1}}
	b := m.Blobs()
	b[1].Size = 99
	if m.Layers[0].Size != 2 {
		t.Error("Blobs() shares its slice with Layers")
	}
}

func TestValidMediaType(t *testing.T) {
	t.Parallel()
	good := []string{"a/b", "application/vnd.oci.image.manifest.v1+json", "A0/b!#$&^_.+-", strings.Repeat("a", 127) + "/" + strings.Repeat("b", 127)}
	bad := []string{"", "a", "/b", "a/", "a/b/c", "a/b; x=y", ".a/b", "a/-b", "a /b", strings.Repeat("a", 128) + "/b", "a/b\n"}
	for _, s := range good {
		if !ValidMediaType(s) {
			t.Errorf("ValidMediaType(%q) = false", s)
		}
	}
	for _, s := range bad {
		if ValidMediaType(s) {
			t.Errorf("ValidMediaType(%q) = true", s)
		}
	}
}

func BenchmarkParseManifest(b *testing.B) {
	body := []byte(ociImage)
	for b.Loop() {
		if _, err := ParseManifest(MediaTypeImageManifest, body); err != nil {
			b.Fatal(err)
		}
	}
}
