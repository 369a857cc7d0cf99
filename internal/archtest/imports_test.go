package archtest

import (
	"os/exec"
	"path"
	"strings"
	"testing"
)

const module = "wharf"

// allowed maps a package pattern to the patterns of this module's packages
// it may import. A pattern ending in "/*" matches any package below that
// path. The first pattern that matches a package decides; a package no
// pattern matches may import nothing of ours.
var allowed = []struct {
	pkg     string
	imports []string
}{
	// Wiring: cmd uses the app, its configuration and the account request
	// types; app imports everything.
	{"wharf/cmd/*", []string{"wharf/internal/app", "wharf/internal/config", "wharf/internal/auth"}},
	{"wharf/internal/app", []string{"wharf/internal/*"}},
	// Fronts: services, parsers, shared middleware, the model types.
	{"wharf/internal/api/*", []string{"wharf/internal/artifact", "wharf/internal/auth", "wharf/internal/audit", "wharf/internal/pkggen", "wharf/internal/depot", "wharf/internal/format/*", "wharf/internal/httpx", "wharf/internal/errs", "wharf/internal/meta"}},
	// Services: store interfaces, parsers, kinds.
	{"wharf/internal/artifact", []string{"wharf/internal/meta", "wharf/internal/blob", "wharf/internal/format/*", "wharf/internal/errs"}},
	{"wharf/internal/auth", []string{"wharf/internal/meta", "wharf/internal/blob", "wharf/internal/errs"}},
	{"wharf/internal/audit", []string{"wharf/internal/meta", "wharf/internal/errs"}},
	{"wharf/internal/pkggen", []string{"wharf/internal/meta", "wharf/internal/blob", "wharf/internal/format/*", "wharf/internal/errs"}},
	// The Habitat depot composes the core and the access rules.
	{"wharf/internal/depot", []string{"wharf/internal/artifact", "wharf/internal/auth", "wharf/internal/meta", "wharf/internal/blob", "wharf/internal/format/*", "wharf/internal/errs"}},
	// Its test wiring, shared by the tests of the depot and its fronts:
	// the depot over the real stores.
	{"wharf/internal/depot/depottest", []string{"wharf/internal/depot", "wharf/internal/artifact", "wharf/internal/auth", "wharf/internal/meta", "wharf/internal/meta/sqlite", "wharf/internal/meta/postgres", "wharf/internal/blob", "wharf/internal/blob/memblob", "wharf/internal/format/*"}},
	// Implementations and conformance suites: their interface and kinds.
	{"wharf/internal/meta/*", []string{"wharf/internal/meta", "wharf/internal/errs"}},
	{"wharf/internal/blob/*", []string{"wharf/internal/blob", "wharf/internal/errs"}},
	// Leaves.
	{"wharf/internal/meta", []string{"wharf/internal/errs"}},
	{"wharf/internal/blob", []string{"wharf/internal/errs"}},
	{"wharf/internal/format/*", []string{"wharf/internal/errs"}},
	{"wharf/internal/httpx", []string{"wharf/internal/errs"}},
	{"wharf/internal/config", []string{"wharf/internal/errs"}},
	{"wharf/internal/errs", nil},
	{"wharf/internal/testserver", nil},
	{"wharf/internal/testserver/*", nil},
}

func match(pattern, pkg string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "/*"); ok {
		return strings.HasPrefix(pkg, prefix+"/")
	}
	return pattern == pkg
}

func TestImportDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := fields[0], fields[1:]
		if strings.HasPrefix(pkg, module+"/test/") || pkg == module+"/internal/archtest" {
			continue // tests of the whole may import anything
		}
		var rules []string
		found := false
		for _, a := range allowed {
			if match(a.pkg, pkg) {
				rules, found = a.imports, true
				break
			}
		}
		if !found && !strings.HasPrefix(pkg, module+"/cmd/") {
			t.Errorf("%s: no import rule covers this package; add one to the table", pkg)
			continue
		}
		for _, imp := range imports {
			if imp != module && !strings.HasPrefix(imp, module+"/") {
				continue
			}
			ok := false
			for _, r := range rules {
				if match(r, imp) {
					ok = true
					break
				}
			}
			if !ok {
				t.Errorf("%s imports %s, which the style guide's direction forbids", pkg, imp)
			}
		}
		checked++
	}
	if checked < 10 {
		t.Fatalf("checked only %d packages; the listing looks wrong", checked)
	}
}

// TestNoFrontImportsAnother is spelled out on its own because it is the
// rule most easily broken by accident.
func TestNoFrontImportsAnother(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, module+"/internal/api/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, module+"/internal/api/") && path.Dir(imp) == path.Dir(fields[0]) {
				t.Errorf("front %s imports front %s", fields[0], imp)
			}
		}
	}
}
