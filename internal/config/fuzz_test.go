package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzLoad feeds arbitrary documents through the loading steps. They must
// never panic, and any configuration they accept must print as YAML that
// parses back to itself (secrets masked).
func FuzzLoad(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			return
		}
		_ = c.applyEnv([]string{"WHARF_LOG_LEVEL=debug", "WHARF_FSYNC=x"})
		c.Resolve()
		_ = c.Validate()
		back, err := Parse([]byte(c.String()))
		if err != nil {
			t.Fatalf("Parse(String()) of an accepted document: %v\n%s", err, c.String())
		}
		if diff := cmp.Diff(c.Redacted(), back); diff != "" {
			t.Fatalf("String() does not round trip (-want +got):\n%s", diff)
		}
	})
}
