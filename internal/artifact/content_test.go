package artifact_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/artifact"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

const (
	manifestType = "application/vnd.oci.image.manifest.v1+json"
	indexType    = "application/vnd.oci.image.index.v1+json"
)

// manifest returns a small document that names its refs; the core does
// not parse it.
func manifest(note string, refs ...meta.Ref) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"schemaVersion":2,"note":%q,"refs":[`, note)
	for i, r := range refs {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"kind":%q,"digest":%q}`, r.Kind, r.Digest)
	}
	b.WriteString("]}")
	return []byte(b.String())
}

func blobRef(d string) meta.Ref    { return meta.Ref{Kind: meta.RefBlob, Digest: d} }
func versionRef(d string) meta.Ref { return meta.Ref{Kind: meta.RefVersion, Digest: d} }

// put stores a manifest with refs and tag and returns its version.
func (e *env) put(t testing.TB, repoID int64, data []byte, tag string, refs ...meta.Ref) meta.Version {
	t.Helper()
	v, err := e.svc.PutContent(t.Context(), artifact.PutContentRequest{
		RepoID: repoID, Digest: sha256Digest(data), Content: data, MediaType: manifestType, Refs: refs, Tag: tag,
	})
	if err != nil {
		t.Fatalf("PutContent: %v", err)
	}
	return v
}

func TestPutContentRefs(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	foreign := e.repo(t, "oci", "acme/foreign")
	foreignBlob := e.push(t, foreign.ID, []byte("only in the foreign repository"))
	unknown := sha256Digest([]byte("nowhere"))

	tests := []struct {
		name    string
		refs    func(l1, l2, child string) []meta.Ref
		missing *meta.Ref // the ref a *MissingRefError names
		invalid bool      // errs.Invalid without a *MissingRefError
	}{
		{name: "no refs", refs: func(_, _, _ string) []meta.Ref { return nil }},
		{name: "blobs", refs: func(l1, l2, _ string) []meta.Ref { return []meta.Ref{blobRef(l1), blobRef(l2)} }},
		{name: "repeated blob", refs: func(l1, _, _ string) []meta.Ref { return []meta.Ref{blobRef(l1), blobRef(l1)} }},
		{name: "child version", refs: func(l1, _, c string) []meta.Ref { return []meta.Ref{versionRef(c), blobRef(l1)} }},
		{name: "missing blob", refs: func(l1, _, _ string) []meta.Ref { return []meta.Ref{blobRef(l1), blobRef(unknown)} },
			missing: &meta.Ref{Kind: meta.RefBlob, Digest: unknown}},
		{name: "blob of another repository", refs: func(_, _, _ string) []meta.Ref { return []meta.Ref{blobRef(foreignBlob)} },
			missing: &meta.Ref{Kind: meta.RefBlob, Digest: foreignBlob}},
		{name: "missing child version", refs: func(l1, _, _ string) []meta.Ref { return []meta.Ref{blobRef(l1), versionRef(unknown)} },
			missing: &meta.Ref{Kind: meta.RefVersion, Digest: unknown}},
		{name: "blob named as a version", refs: func(l1, _, _ string) []meta.Ref { return []meta.Ref{versionRef(l1)} },
			missing: &meta.Ref{Kind: meta.RefVersion}},
		{name: "unknown ref kind", refs: func(l1, _, _ string) []meta.Ref { return []meta.Ref{{Kind: "layer", Digest: l1}} },
			invalid: true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			repo := e.repo(t, "oci", fmt.Sprintf("alice/refs%d", i))
			l1 := e.push(t, repo.ID, []byte("layer one"))
			l2 := e.push(t, repo.ID, []byte("layer two"))
			child := e.put(t, repo.ID, manifest("child", blobRef(l1)), "", blobRef(l1)).Version
			refs := tt.refs(l1, l2, child)
			if tt.missing != nil && tt.missing.Digest == "" {
				tt.missing.Digest = l1
			}

			data := manifest(tt.name, refs...)
			d := sha256Digest(data)
			req := artifact.PutContentRequest{
				RepoID: repo.ID, Digest: d, Content: data, MediaType: indexType,
				ArtifactType: "application/x.test", Refs: refs, Annotations: []byte(`{"a":"b"}`), Tag: "latest",
			}
			v, err := e.svc.PutContent(ctx, req)
			if tt.missing != nil || tt.invalid {
				wantKind(t, "PutContent", err, errs.Invalid)
				m, ok := artifact.IsMissingRef(err)
				switch {
				case tt.invalid && ok:
					t.Errorf("PutContent with a bad ref kind returned a *MissingRefError: %v", err)
				case tt.missing != nil && !ok:
					t.Errorf("PutContent error %v is no *MissingRefError", err)
				case tt.missing != nil:
					if diff := cmp.Diff(*tt.missing, m.Ref); diff != "" {
						t.Errorf("MissingRefError.Ref (-want +got):\n%s", diff)
					}
					if !strings.Contains(m.Error(), tt.missing.Digest) {
						t.Errorf("MissingRefError %q does not name the digest", m.Error())
					}
				}
				if _, err := e.svc.GetContent(ctx, repo.ID, d); !errs.Is(err, errs.NotFound) {
					t.Errorf("GetContent after a refused put: %v, want not found", err)
				}
				if _, err := e.svc.GetTaggedContent(ctx, repo.ID, "latest"); !errs.Is(err, errs.NotFound) {
					t.Errorf("GetTaggedContent after a refused put: %v, want not found", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("PutContent: %v", err)
			}
			want := meta.Version{
				ID: v.ID, RepoID: repo.ID, Version: d, MediaType: indexType, ArtifactType: "application/x.test",
				BlobDigest: d, Size: int64(len(data)), Annotations: []byte(`{"a":"b"}`), Created: v.Created,
			}
			if diff := cmp.Diff(want, v); diff != "" {
				t.Errorf("PutContent (-want +got):\n%s", diff)
			}
			for name, get := range map[string]func() (artifact.Content, error){
				"GetContent":       func() (artifact.Content, error) { return e.svc.GetContent(ctx, repo.ID, d) },
				"GetTaggedContent": func() (artifact.Content, error) { return e.svc.GetTaggedContent(ctx, repo.ID, "latest") },
			} {
				c, err := get()
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if diff := cmp.Diff(artifact.Content{Version: want, Data: data}, c); diff != "" {
					t.Errorf("%s (-want +got):\n%s", name, diff)
				}
			}
		})
	}
}

func TestPutContentTwice(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	repo := e.repo(t, "oci", "alice/twice")
	one, two := manifest("one"), manifest("two")
	v1 := e.put(t, repo.ID, one, "latest")
	v2 := e.put(t, repo.ID, two, "latest")
	if v1.ID == v2.ID {
		t.Fatalf("two manifests share version id %d", v1.ID)
	}
	check := func(when, tag string, want meta.Version, data []byte) {
		t.Helper()
		c, err := e.svc.GetTaggedContent(ctx, repo.ID, tag)
		if err != nil {
			t.Fatalf("%s: GetTaggedContent(%s): %v", when, tag, err)
		}
		if diff := cmp.Diff(artifact.Content{Version: want, Data: data}, c); diff != "" {
			t.Errorf("%s: GetTaggedContent(%s) (-want +got):\n%s", when, tag, diff)
		}
	}
	check("after the second put", "latest", v2, two)

	again := e.put(t, repo.ID, one, "latest")
	if diff := cmp.Diff(v1, again); diff != "" {
		t.Errorf("putting a version again changed it (-first +again):\n%s", diff)
	}
	check("after putting the first again", "latest", v1, one)

	// Once more without a tag: nothing moves.
	e.put(t, repo.ID, two, "")
	check("after an untagged put", "latest", v1, one)
	e.put(t, repo.ID, two, "stable")
	check("after tagging the second", "stable", v2, two)

	tags, err := e.svc.Tags(ctx, repo.ID, meta.Page{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, tg := range tags {
		got[tg.Name] = tg.Digest
	}
	if diff := cmp.Diff(map[string]string{"latest": v1.Version, "stable": v2.Version}, got); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if got := e.unreferenced(t); len(got) != 0 {
		t.Errorf("unreferenced blobs after repeated puts: %v", got)
	}
}

func TestGetContentCaching(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		bytes int64
	}{
		{name: "default cache"},
		{name: "no cache", bytes: -1},
		{name: "cache too small for any entry", bytes: 64},
		{name: "evicting cache", bytes: 8 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, artifact.Options{ContentCacheBytes: tt.bytes})
			ctx := t.Context()
			repo := e.repo(t, "oci", "alice/cached")
			const n = 12
			contents := make([][]byte, n)
			versions := make([]meta.Version, n)
			for i := range n {
				// About 900 bytes each: together more than the evicting cache.
				contents[i] = manifest(string(bytes.Repeat([]byte{byte('a' + i)}, 850)))
				versions[i] = e.put(t, repo.ID, contents[i], fmt.Sprintf("t%02d", i))
			}
			cold := newEnvOn(t, e.meta, e.blobs, artifact.Options{ContentCacheBytes: tt.bytes})
			for round := range 3 {
				for _, svc := range []*artifact.Service{e.svc, cold.svc} {
					for i := range n {
						want := artifact.Content{Version: versions[i], Data: contents[i]}
						c, err := svc.GetContent(ctx, repo.ID, versions[i].Version)
						if err != nil {
							t.Fatalf("round %d: GetContent %d: %v", round, i, err)
						}
						if diff := cmp.Diff(want, c); diff != "" {
							t.Errorf("round %d: GetContent %d (-want +got):\n%s", round, i, diff)
						}
						c, err = svc.GetTaggedContent(ctx, repo.ID, fmt.Sprintf("t%02d", i))
						if err != nil {
							t.Fatalf("round %d: GetTaggedContent %d: %v", round, i, err)
						}
						if diff := cmp.Diff(want, c); diff != "" {
							t.Errorf("round %d: GetTaggedContent %d (-want +got):\n%s", round, i, diff)
						}
					}
				}
			}
		})
	}
}

// TestPutContentCallerReusesBuffer: the request's Content belongs to the
// caller, whose later use of the buffer must not change what is served.
func TestPutContentCallerReusesBuffer(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	repo := e.repo(t, "oci", "alice/buffer")
	buf := manifest("original")
	want := bytes.Clone(buf)
	v := e.put(t, repo.ID, buf, "latest")
	for i := range buf {
		buf[i] = 'X'
	}
	c, err := e.svc.GetContent(ctx, repo.ID, v.Version)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.Data, want) {
		t.Errorf("GetContent after the caller reused its buffer = %q, want %q", c.Data, want)
	}
}

func TestGetContentNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	repo := e.repo(t, "oci", "alice/here")
	other := e.repo(t, "oci", "alice/there")
	v := e.put(t, other.ID, manifest("there"), "latest")
	if _, err := e.svc.PutFile(ctx, artifact.PutFileRequest{
		Type: "generic", RepoName: "alice/files", Version: "1.0", FileName: "f", Body: strings.NewReader("file"),
	}); err != nil {
		t.Fatal(err)
	}
	files, err := e.svc.Repo(ctx, "generic", "alice/files")
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string]func() error{
		"unknown digest": func() error {
			_, err := e.svc.GetContent(ctx, repo.ID, sha256Digest([]byte("none")))
			return err
		},
		"version of another repository": func() error { _, err := e.svc.GetContent(ctx, repo.ID, v.Version); return err },
		"tag of another repository":     func() error { _, err := e.svc.GetTaggedContent(ctx, repo.ID, "latest"); return err },
		"unknown tag":                   func() error { _, err := e.svc.GetTaggedContent(ctx, other.ID, "nope"); return err },
		"version without content":       func() error { _, err := e.svc.GetContent(ctx, files.ID, "1.0"); return err },
	}
	for name, call := range calls {
		wantKind(t, name, call(), errs.NotFound)
	}
}

func TestDeleteVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	repo := e.repo(t, "oci", "alice/del")
	doomed := e.put(t, repo.ID, manifest("doomed"), "a")
	kept := e.put(t, repo.ID, manifest("kept"), "c")
	for _, tag := range []string{"b", "z"} {
		e.put(t, repo.ID, manifest("doomed"), tag)
	}
	if err := e.svc.DeleteVersion(ctx, repo.ID, doomed.Version); err != nil {
		t.Fatalf("DeleteVersion: %v", err)
	}
	tags, err := e.svc.Tags(ctx, repo.ID, meta.Page{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tg := range tags {
		names = append(names, tg.Name)
	}
	if diff := cmp.Diff([]string{"c"}, names); diff != "" {
		t.Errorf("tags after DeleteVersion (-want +got):\n%s", diff)
	}
	for _, tag := range []string{"a", "b", "z"} {
		_, err := e.svc.GetTaggedContent(ctx, repo.ID, tag)
		wantKind(t, "GetTaggedContent("+tag+") after DeleteVersion", err, errs.NotFound)
	}
	_, err = e.svc.GetContent(ctx, repo.ID, doomed.Version)
	wantKind(t, "GetContent after DeleteVersion", err, errs.NotFound)
	if _, err := e.svc.GetContent(ctx, repo.ID, kept.Version); err != nil {
		t.Errorf("GetContent of the other version: %v", err)
	}
	wantKind(t, "DeleteVersion again", e.svc.DeleteVersion(ctx, repo.ID, doomed.Version), errs.NotFound)
	wantKind(t, "DeleteVersion of another repository's version",
		e.svc.DeleteVersion(ctx, e.repo(t, "oci", "alice/other").ID, kept.Version), errs.NotFound)
	if diff := cmp.Diff([]string{doomed.BlobDigest}, e.unreferenced(t)); diff != "" {
		t.Errorf("unreferenced after DeleteVersion (-want +got):\n%s", diff)
	}
}

func TestDeleteTag(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	repo := e.repo(t, "oci", "alice/untag")
	v := e.put(t, repo.ID, manifest("m"), "gone")
	if err := e.svc.DeleteTag(ctx, repo.ID, "gone"); err != nil {
		t.Fatalf("DeleteTag: %v", err)
	}
	_, err := e.svc.GetTaggedContent(ctx, repo.ID, "gone")
	wantKind(t, "GetTaggedContent after DeleteTag", err, errs.NotFound)
	if _, err := e.svc.GetContent(ctx, repo.ID, v.Version); err != nil {
		t.Errorf("GetContent after DeleteTag: %v; the version must stay", err)
	}
	wantKind(t, "DeleteTag again", e.svc.DeleteTag(ctx, repo.ID, "gone"), errs.NotFound)
}

func TestTagsPaging(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	repo := e.repo(t, "oci", "alice/tags")
	names := []string{"1.0", "1.1", "2.0", "latest", "v1", "v2", "v3"}
	versions := map[string]string{}
	for i, n := range names {
		versions[n] = e.put(t, repo.ID, manifest(fmt.Sprint(i%3)), n).Version
	}
	e.put(t, e.repo(t, "oci", "alice/othertags").ID, manifest("x"), "0.9")

	tests := []struct {
		after string
		limit int
		want  []string
	}{
		{limit: 0, want: names},
		{limit: 3, want: names[:3]},
		{after: "2.0", limit: 3, want: names[3:6]},
		{after: "v2", limit: 3, want: names[6:]},
		{after: "v3", limit: 3, want: nil},
		{after: "1.05", limit: 1, want: names[1:2]},
	}
	for _, tt := range tests {
		got, err := e.svc.Tags(ctx, repo.ID, meta.Page{After: tt.after, Limit: tt.limit})
		if err != nil {
			t.Fatalf("Tags(%q, %d): %v", tt.after, tt.limit, err)
		}
		var gotNames []string
		for _, tg := range got {
			gotNames = append(gotNames, tg.Name)
			if tg.Digest != versions[tg.Name] || tg.RepoID != repo.ID {
				t.Errorf("tag %s points at %s in repository %d, want %s in %d", tg.Name, tg.Digest, tg.RepoID, versions[tg.Name], repo.ID)
			}
		}
		if diff := cmp.Diff(tt.want, gotNames); diff != "" {
			t.Errorf("Tags(%q, %d) (-want +got):\n%s", tt.after, tt.limit, diff)
		}
	}
}

func TestReferrers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	repo := e.repo(t, "oci", "alice/refd")
	other := e.repo(t, "oci", "alice/notrefd")
	subject := e.put(t, repo.ID, manifest("subject"), "").Version
	refer := func(repoID int64, note, artifactType string) meta.Version {
		data := manifest(note)
		v, err := e.svc.PutContent(ctx, artifact.PutContentRequest{
			RepoID: repoID, Digest: sha256Digest(data), Content: data, MediaType: manifestType,
			ArtifactType: artifactType, Subject: subject,
		})
		if err != nil {
			t.Fatalf("PutContent: %v", err)
		}
		return v
	}
	sbom1 := refer(repo.ID, "sbom1", "application/spdx+json")
	sig := refer(repo.ID, "sig", "application/vnd.dev.cosign")
	sbom2 := refer(repo.ID, "sbom2", "application/spdx+json")
	refer(other.ID, "elsewhere", "application/spdx+json")

	tests := []struct {
		subject, artifactType string
		want                  []meta.Version
	}{
		{subject: subject, want: []meta.Version{sbom1, sig, sbom2}},
		{subject: subject, artifactType: "application/spdx+json", want: []meta.Version{sbom1, sbom2}},
		{subject: subject, artifactType: "application/vnd.dev.cosign", want: []meta.Version{sig}},
		{subject: subject, artifactType: "application/none"},
		{subject: sig.Version},
		{subject: sha256Digest([]byte("no such subject"))},
	}
	for _, tt := range tests {
		got, err := e.svc.Referrers(ctx, repo.ID, tt.subject, tt.artifactType)
		if err != nil {
			t.Fatalf("Referrers(%s, %q): %v", tt.subject, tt.artifactType, err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Referrers(%s, %q) (-want +got):\n%s", tt.subject, tt.artifactType, diff)
		}
	}
	if err := e.svc.DeleteVersion(ctx, repo.ID, sig.Version); err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.Referrers(ctx, repo.ID, subject, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]meta.Version{sbom1, sbom2}, got); diff != "" {
		t.Errorf("Referrers after deleting one (-want +got):\n%s", diff)
	}
}
