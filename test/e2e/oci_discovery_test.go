package e2e

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type tagList struct {
	Name string   `json:"name"`
	Tags []string `json:"tags"`
}

// listTags GETs a tags list page and decodes it.
func listTags(t testing.TB, c *client, target string) (tagList, *response) {
	t.Helper()
	r := c.do(t, http.MethodGet, target, nil).want(t, http.StatusOK)
	r.wantHeader(t, "Content-Type", "application/json")
	var l tagList
	r.decode(t, &l)
	if l.Tags == nil {
		t.Errorf("GET %s: tags is null or missing, want a list:\n%s", target, r)
	}
	return l, r
}

// tagAll pushes d under every tag, in a random order.
func tagAll(t testing.TB, c *client, repo string, d doc, tags []string) {
	t.Helper()
	shuffled := slices.Clone(tags)
	rand.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for _, tag := range shuffled {
		putManifest(t, c, repo, tag, d.mediaType, d.body).want(t, http.StatusCreated)
	}
}

func testDiscovery(t *testing.T, e *env) {
	owner := e.newUser(t, false)
	repo := owner.name + "/tags"
	c := owner.bearer(t, scope(repo, "pull,push"))
	// In lexical order.
	tags := []string{"1.0", "1.1", "2.0", "alpha", "beta", "latest", "v1"}
	img := ociImage(t, c, repo)
	tagAll(t, c, repo, img, tags)
	path := repoPath(repo, "tags/list")

	t.Run("All", func(t *testing.T) {
		t.Parallel()
		l, r := listTags(t, c, path)
		if diff := cmp.Diff(tagList{Name: repo, Tags: tags}, l); diff != "" {
			t.Errorf("tags list (-want +got):\n%s", diff)
		}
		r.wantHeader(t, "Link", "")
	})

	t.Run("CaseInsensitiveLexicalOrder", func(t *testing.T) {
		t.Parallel()
		// The spec: tags MUST be in lexical order, "i.e. case-insensitive
		// alphanumeric order".
		repo := owner.name + "/tags-case"
		c := owner.bearer(t, scope(repo, "pull,push"))
		want := []string{"alpha", "Beta", "charlie", "Delta", "echo"}
		tagAll(t, c, repo, ociImage(t, c, repo), want)
		l, _ := listTags(t, c, repoPath(repo, "tags/list"))
		if diff := cmp.Diff(want, l.Tags); diff != "" {
			t.Errorf("tags list (-want +got):\n%s", diff)
		}
	})

	t.Run("N", func(t *testing.T) {
		t.Parallel()
		l, r := listTags(t, c, path+"?n=0")
		if len(l.Tags) != 0 {
			t.Errorf("n=0: got tags %q, want none", l.Tags)
		}
		r.wantHeader(t, "Link", "")

		l, r = listTags(t, c, path+"?n=3")
		if diff := cmp.Diff(tags[:3], l.Tags); diff != "" {
			t.Errorf("n=3 (-want +got):\n%s", diff)
		}
		if nextLink(t, r) == "" {
			t.Errorf("n=3 of %d tags: no Link rel=next", len(tags))
		}

		for _, n := range []int{len(tags), 100} {
			l, r = listTags(t, c, path+"?n="+strconv.Itoa(n))
			if diff := cmp.Diff(tags, l.Tags); diff != "" {
				t.Errorf("n=%d (-want +got):\n%s", n, diff)
			}
			r.wantHeader(t, "Link", "")
		}
	})

	t.Run("Last", func(t *testing.T) {
		t.Parallel()
		l, _ := listTags(t, c, path+"?n=3&last="+tags[2])
		if diff := cmp.Diff(tags[3:6], l.Tags); diff != "" {
			t.Errorf("n=3&last=%s (-want +got):\n%s", tags[2], diff)
		}
		l, _ = listTags(t, c, path+"?last="+tags[4])
		if diff := cmp.Diff(tags[5:], l.Tags); diff != "" {
			t.Errorf("last=%s (-want +got):\n%s", tags[4], diff)
		}
		l, r := listTags(t, c, path+"?n=2&last="+tags[len(tags)-1])
		if len(l.Tags) != 0 {
			t.Errorf("after the last tag: got %q", l.Tags)
		}
		r.wantHeader(t, "Link", "")
	})

	t.Run("FollowLinks", func(t *testing.T) {
		t.Parallel()
		var got []string
		pages := 0
		for next := path + "?n=2"; next != ""; pages++ {
			if pages > len(tags) {
				t.Fatalf("more than %d pages; collected %q", len(tags), got)
			}
			l, r := listTags(t, c, next)
			if len(l.Tags) > 2 {
				t.Errorf("page %d has %d tags, asked for 2", pages, len(l.Tags))
			}
			got = append(got, l.Tags...)
			next = nextLink(t, r)
		}
		if diff := cmp.Diff(tags, got); diff != "" {
			t.Errorf("tags collected through Link (-want +got):\n%s", diff)
		}
		if pages != 4 {
			t.Errorf("%d pages for %d tags by 2, want 4", pages, len(tags))
		}
	})

	t.Run("NoTags", func(t *testing.T) {
		t.Parallel()
		untagged := owner.name + "/tags-none"
		c := owner.bearer(t, scope(untagged, "pull,push"))
		d := ociImage(t, c, untagged)
		d.push(t, c, untagged, d.digest)
		l, r := listTags(t, c, repoPath(untagged, "tags/list"))
		if diff := cmp.Diff(tagList{Name: untagged, Tags: []string{}}, l); diff != "" {
			t.Errorf("tags of an untagged repository (-want +got):\n%s", diff)
		}
		r.wantHeader(t, "Link", "")
	})

	t.Run("UnknownRepo", func(t *testing.T) {
		t.Parallel()
		missing := owner.name + "/no-tags-here"
		c := owner.bearer(t, scope(missing, "pull"))
		c.do(t, http.MethodGet, repoPath(missing, "tags/list"), nil).wantError(t, http.StatusNotFound, "NAME_UNKNOWN")
	})
}

// referrersIndex is the image index the referrers API answers.
type referrersIndex struct {
	SchemaVersion int                          `json:"schemaVersion"`
	MediaType     string                       `json:"mediaType"`
	Manifests     []map[string]json.RawMessage `json:"manifests"`
}

// referrers GETs the referrers of digest and checks the index's shape.
func referrers(t testing.TB, c *client, repo, digest, query string) (map[string]descriptor, *response) {
	t.Helper()
	r := c.do(t, http.MethodGet, repoPath(repo, "referrers/"+digest)+query, nil).want(t, http.StatusOK)
	r.wantHeader(t, "Content-Type", mtOCIIndex)
	var idx referrersIndex
	r.decode(t, &idx)
	if idx.SchemaVersion != 2 || idx.MediaType != mtOCIIndex || idx.Manifests == nil {
		t.Errorf("referrers: not an image index with a manifests list:\n%s", r)
	}
	out := map[string]descriptor{}
	for _, raw := range idx.Manifests {
		var d descriptor
		b, _ := json.Marshal(raw)
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("referrers descriptor: %v", err)
		}
		if _, ok := raw["artifactType"]; ok && d.ArtifactType == "" {
			t.Errorf("descriptor %s has an empty artifactType field; it must be omitted", d.Digest)
		}
		out[d.Digest] = d
	}
	return out, r
}

func testReferrers(t *testing.T, e *env) {
	owner := e.newUser(t, false)
	repo := owner.name + "/referrers"
	c := owner.bearer(t, scope(repo, "pull,push"))
	subject := pushedImage(t, c, repo, "subject")
	subjectDesc := subject.descriptor(nil)

	const sbomType = "application/vnd.example.sbom.v1"
	const sigConfigType = "application/vnd.example.signature.config.v1+json"
	empty := pushBlob(t, c, repo, mtOCIEmpty, []byte(`{}`))
	sbomLayer := pushBlob(t, c, repo, "application/spdx+json", []byte(`{"spdxVersion":"SPDX-2.3"}`))
	sbom := newDoc(t, mtOCIManifest, manifest{
		SchemaVersion: 2, MediaType: mtOCIManifest, ArtifactType: sbomType,
		Config: &empty, Layers: []descriptor{sbomLayer}, Subject: &subjectDesc,
		Annotations: map[string]string{"org.opencontainers.image.created": "2024-05-01T10:00:00Z", "org.example.sbom.format": "spdx"},
	})
	sigConfig := pushBlob(t, c, repo, sigConfigType, []byte(`{"sig":"config"}`))
	sigLayer := pushBlob(t, c, repo, "application/vnd.example.signature", randBytes(t, 96))
	sig := newDoc(t, mtOCIManifest, manifest{
		SchemaVersion: 2, MediaType: mtOCIManifest,
		Config: &sigConfig, Layers: []descriptor{sigLayer}, Subject: &subjectDesc,
		Annotations: map[string]string{"org.example.signature.fingerprint": "abcd"},
	})
	sbom.push(t, c, repo, sbom.digest).wantHeader(t, "OCI-Subject", subject.digest)
	sig.push(t, c, repo, sig.digest).wantHeader(t, "OCI-Subject", subject.digest)
	idx := newDoc(t, mtOCIIndex, manifest{
		SchemaVersion: 2, MediaType: mtOCIIndex, Manifests: []descriptor{sbom.descriptor(nil)}, Subject: &subjectDesc,
		Annotations: map[string]string{"org.example.kind": "bundle"},
	})
	idx.push(t, c, repo, idx.digest).wantHeader(t, "OCI-Subject", subject.digest)
	want := map[string]descriptor{
		sbom.digest: {MediaType: mtOCIManifest, Digest: sbom.digest, Size: int64(len(sbom.body)), ArtifactType: sbomType,
			Annotations: map[string]string{"org.opencontainers.image.created": "2024-05-01T10:00:00Z", "org.example.sbom.format": "spdx"}},
		sig.digest: {MediaType: mtOCIManifest, Digest: sig.digest, Size: int64(len(sig.body)), ArtifactType: sigConfigType,
			Annotations: map[string]string{"org.example.signature.fingerprint": "abcd"}},
		idx.digest: {MediaType: mtOCIIndex, Digest: idx.digest, Size: int64(len(idx.body)),
			Annotations: map[string]string{"org.example.kind": "bundle"}},
	}

	t.Run("None", func(t *testing.T) {
		t.Parallel()
		got, r := referrers(t, c, repo, sbom.digest, "")
		if len(got) != 0 {
			t.Errorf("referrers of a manifest nothing refers to: %v", got)
		}
		r.wantHeader(t, "OCI-Filters-Applied", "")
		// A digest that names nothing at all has no referrers either; the
		// API must not answer 404.
		got, _ = referrers(t, c, repo, randDigest(t), "")
		if len(got) != 0 {
			t.Errorf("referrers of an unknown digest: %v", got)
		}
	})

	t.Run("List", func(t *testing.T) {
		t.Parallel()
		got, r := referrers(t, c, repo, subject.digest, "")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("referrers (-want +got):\n%s", diff)
		}
		r.wantHeader(t, "OCI-Filters-Applied", "")
	})

	t.Run("FilterArtifactType", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			artifactType string
			want         []string
		}{
			{sbomType, []string{sbom.digest}},
			{sigConfigType, []string{sig.digest}},
			{"application/vnd.example.none", nil},
		} {
			got, r := referrers(t, c, repo, subject.digest, "?artifactType="+url.QueryEscape(tc.artifactType))
			r.wantHeader(t, "OCI-Filters-Applied", "artifactType")
			wantSub := map[string]descriptor{}
			for _, d := range tc.want {
				wantSub[d] = want[d]
			}
			if diff := cmp.Diff(wantSub, got); diff != "" {
				t.Errorf("artifactType=%s (-want +got):\n%s", tc.artifactType, diff)
			}
		}
	})

	t.Run("PushedBeforeSubject", func(t *testing.T) {
		t.Parallel()
		later := ociImage(t, c, repo)
		ld := later.descriptor(nil)
		early := newDoc(t, mtOCIManifest, manifest{
			SchemaVersion: 2, MediaType: mtOCIManifest, ArtifactType: "application/vnd.example.early.v1",
			Config: &empty, Layers: []descriptor{sbomLayer}, Subject: &ld,
		})
		early.push(t, c, repo, early.digest).wantHeader(t, "OCI-Subject", later.digest)
		later.push(t, c, repo, "later")
		got, _ := referrers(t, c, repo, later.digest, "")
		if _, ok := got[early.digest]; !ok || len(got) != 1 {
			t.Errorf("referrers of a subject pushed after its referrer: %v", got)
		}
	})

	t.Run("InvalidDigest", func(t *testing.T) {
		t.Parallel()
		for _, bad := range []string{"sha256:abc", "nodigest", "sha256:XYZ"} {
			c.do(t, http.MethodGet, repoPath(repo, "referrers/"+bad), nil).wantError(t, http.StatusBadRequest)
		}
	})
}
