package config

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// TestDocs checks that docs/configuration.md names every setting and
// variable, and that its sample file is valid.
func TestDocs(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "configuration.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, p := range yamlPaths(reflect.TypeOf(Config{}), "") {
		if !strings.Contains(doc, "| `"+p+"` |") {
			t.Errorf("docs do not describe %s", p)
		}
	}
	for _, ev := range envVars() {
		if !strings.Contains(doc, "| `"+ev.field+"` | `"+ev.name+"` |") {
			t.Errorf("docs do not bind %s to %s", ev.name, ev.field)
		}
	}
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindStringSubmatch(doc)
	if m == nil {
		t.Fatal("docs have no sample YAML file")
	}
	c, err := Parse([]byte(m[1]))
	if err != nil {
		t.Fatalf("sample file: %v", err)
	}
	c.Resolve()
	if err := c.Validate(); err != nil {
		t.Errorf("sample file: %v", err)
	}
	if reflect.DeepEqual(c, Default()) {
		t.Errorf("sample file sets nothing")
	}
}
