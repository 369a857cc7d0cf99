package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLoadReportsFileAndValueProblemsTogether checks that unknown keys and
// mistyped values in the file are reported with the invalid values, in
// one go, each naming its setting.
func TestLoadReportsFileAndValueProblemsTogether(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "wharf.yaml")
	doc := "addr: nohostport\nlog:\n  format: xml\ngc:\n  intervall: 2h\n  grace_period: 5\nbogus_key: 1\n"
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, []string{"WHARF_FSYNC=maybe"})
	want := []string{"gc.intervall", "gc.grace_period", "bogus_key", "WHARF_FSYNC", "addr", "log.format"}
	if diff := cmp.Diff(want, fieldsOf(t, err)); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s", diff)
	}
	for _, frag := range []string{"unknown setting (line 5)", "is not a duration", "(line 6)"} {
		if !strings.Contains(err.Error(), frag) {
			t.Errorf("error %q does not contain %q", err, frag)
		}
	}
}

func TestKeyPaths(t *testing.T) {
	t.Parallel()
	got := keyPaths([]byte("addr: x\nmeta:\n  sqlite:\n    path: p\ngc: {interval: 1h}\n"))
	want := map[int]string{1: "addr", 2: "meta", 3: "meta.sqlite", 4: "meta.sqlite.path", 5: "gc"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("keyPaths mismatch (-want +got):\n%s", diff)
	}
}
