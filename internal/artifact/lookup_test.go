package artifact_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/artifact"
	"wharf/internal/errs"
)

func TestFindTaggedContent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	repo := e.repo(t, "oci", "alice/find")
	e.repo(t, "oci", "alice/findother")
	one, two := manifest("one"), manifest("two")
	v1 := e.put(t, repo.ID, one, "latest")
	v2 := e.put(t, repo.ID, two, "stable")

	tests := []struct {
		typ, name, tag string
		want           *artifact.Content // nil: not found
	}{
		{typ: "oci", name: "alice/find", tag: "latest", want: &artifact.Content{Version: v1, Data: one}},
		{typ: "oci", name: "alice/find", tag: "stable", want: &artifact.Content{Version: v2, Data: two}},
		{typ: "oci", name: "alice/find", tag: "missing"},
		{typ: "oci", name: "alice/findother", tag: "latest"},
		{typ: "oci", name: "alice/nothere", tag: "latest"},
		{typ: "generic", name: "alice/find", tag: "latest"},
		{typ: "oci", name: "alice/find", tag: ""},
	}
	for _, tt := range tests {
		c, err := e.svc.FindTaggedContent(ctx, tt.typ, tt.name, tt.tag)
		if tt.want == nil {
			wantKind(t, "FindTaggedContent("+tt.typ+", "+tt.name+", "+tt.tag+")", err, errs.NotFound)
			continue
		}
		if err != nil {
			t.Fatalf("FindTaggedContent(%s, %s): %v", tt.name, tt.tag, err)
		}
		if diff := cmp.Diff(*tt.want, c); diff != "" {
			t.Errorf("FindTaggedContent(%s, %s) (-want +got):\n%s", tt.name, tt.tag, diff)
		}
		byID, err := e.svc.GetTaggedContent(ctx, repo.ID, tt.tag)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(byID, c); diff != "" {
			t.Errorf("FindTaggedContent and GetTaggedContent disagree (-Get +Find):\n%s", diff)
		}
	}

	// The tag moves, then its version goes.
	e.put(t, repo.ID, two, "latest")
	c, err := e.svc.FindTaggedContent(ctx, "oci", "alice/find", "latest")
	if err != nil || !bytes.Equal(c.Data, two) {
		t.Errorf("FindTaggedContent after the tag moved: %q, %v; want %q", c.Data, err, two)
	}
	if err := e.svc.DeleteVersion(ctx, repo.ID, v2.Version); err != nil {
		t.Fatal(err)
	}
	for _, tag := range []string{"latest", "stable"} {
		_, err := e.svc.FindTaggedContent(ctx, "oci", "alice/find", tag)
		wantKind(t, "FindTaggedContent("+tag+") after DeleteVersion", err, errs.NotFound)
	}
}

func TestNamedVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	f := e.putFile(t, "alice/named", "1.0-RC1", "f", []byte("f"))
	for _, spelling := range [][2]string{{"alice/named", "1.0-RC1"}, {"ALICE/Named", "1.0-rc1"}} {
		v, err := e.svc.NamedVersion(ctx, "generic", spelling[0], spelling[1])
		if err != nil {
			t.Fatalf("NamedVersion(%s, %s): %v", spelling[0], spelling[1], err)
		}
		if v.ID != f.VersionID || v.Version != "1.0-RC1" {
			t.Errorf("NamedVersion(%s, %s) = version %d %q, want %d %q", spelling[0], spelling[1], v.ID, v.Version, f.VersionID, "1.0-RC1")
		}
	}
	for _, ref := range [][3]string{
		{"generic", "alice/named", "2.0"},
		{"generic", "alice/unnamed", "1.0-RC1"},
		{"oci", "alice/named", "1.0-RC1"},
	} {
		_, err := e.svc.NamedVersion(ctx, ref[0], ref[1], ref[2])
		wantKind(t, "NamedVersion"+ref[0]+" "+ref[1]+" "+ref[2], err, errs.NotFound)
	}
}

func TestOpenUploads(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	repo := e.repo(t, "oci", "alice/open")
	count := func(want int64) {
		t.Helper()
		n, err := e.svc.OpenUploads(ctx)
		if err != nil {
			t.Fatalf("OpenUploads: %v", err)
		}
		if n != want {
			t.Errorf("OpenUploads = %d, want %d", n, want)
		}
	}
	count(0)
	a, err := e.svc.StartUpload(ctx, repo.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.svc.StartUpload(ctx, repo.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.push(t, repo.ID, []byte("monolithic"))
	count(2)
	if _, err := e.svc.FinishUpload(ctx, repo.ID, a.ID, sha256Digest([]byte("a")), 0, bytes.NewReader([]byte("a"))); err != nil {
		t.Fatal(err)
	}
	count(1)
	if err := e.svc.CancelUpload(ctx, repo.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	count(0)
}
