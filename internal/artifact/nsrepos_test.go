package artifact_test

import (
	"context"
	"testing"

	"wharf/internal/artifact"
)

// TestNamespaceRepos checks that a namespace's repositories of every
// format are listed and deleted, and those of other namespaces kept.
func TestNamespaceRepos(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, artifact.Options{})
	e.repo(t, "oci", orgNS+"/app")
	e.repo(t, "oci", orgNS+"/a/b")
	e.repo(t, "generic", orgNS+"/tool")
	e.repo(t, "generic", orgNS+"/app")
	kept := e.repo(t, "oci", userNS+"/app")
	ns, err := e.svc.Namespace(ctx, orgNS)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := e.svc.NamespaceRepos(ctx, ns.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.Type+":"+r.Name)
	}
	want := []string{"generic:acme/app", "generic:acme/tool", "oci:acme/a/b", "oci:acme/app"}
	if len(got) != len(want) {
		t.Fatalf("NamespaceRepos = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("NamespaceRepos = %v, want %v", got, want)
		}
	}
	if err := e.svc.DeleteNamespaceRepos(ctx, ns.ID); err != nil {
		t.Fatal(err)
	}
	if rs, err := e.svc.NamespaceRepos(ctx, ns.ID); err != nil || len(rs) != 0 {
		t.Errorf("after deletion: %v, %v", rs, err)
	}
	if _, err := e.svc.Repo(ctx, "oci", kept.Name); err != nil {
		t.Errorf("another namespace's repository: %v", err)
	}
}
