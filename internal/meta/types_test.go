package meta

import "testing"

func TestNamespaceOf(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"alice/app": "alice", "alice/a/b": "alice", "alice": "alice", "": "", "/x": ""} {
		if got := NamespaceOf(in); got != want {
			t.Errorf("NamespaceOf(%q) = %q, want %q", in, got, want)
		}
	}
}
