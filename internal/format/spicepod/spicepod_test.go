package spicepod

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/errs"
)

const fullPod = `version: v2
kind: Spicepod
name: demo
metadata: {owner: data-team}
runtime:
  results_cache: {enabled: true}
dependencies:
  - acme/base
  - other/thing
catalogs:
  - ref: catalogs/unity
datasets:
  - from: file:data/trips.parquet
    name: trips
  - ref: ./datasets/uniswap/
  - from: file://./data/events
    name: events
  - from: s3://bucket/x.parquet
    name: remote
  - from: file:/abs/path.csv
    name: abs
  - ref: datasets/named
    name: inline_with_ref
    from: postgres:t
views:
  - name: top
    sql_ref: sql/top.sql
  - name: inline
    sql: select 1
  - ref: views/daily
  - name: many
    sql_ref: sql/many
models:
  - from: openai:gpt-4o
    name: llm
  - ref: models/local
    dependsOn: [datasets/trips]
embeddings:
  - ref: embeddings/e5
tools:
  - ref: tools/search
workers:
  - ref: workers/ignored
`

func TestParse(t *testing.T) {
	t.Parallel()
	p, err := Parse([]byte(fullPod))
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "demo" || p.Version != "v2" {
		t.Errorf("Name, Version = %q, %q", p.Name, p.Version)
	}
	want := []Link{
		{Path: "catalogs/unity", Kind: "catalog"},
		{Path: "data/trips.parquet"},
		{Path: "datasets/uniswap", Kind: "dataset"},
		{Path: "data/events", Folder: true},
		{Path: "abs/path.csv"},
		{Path: "sql/top.sql"},
		{Path: "views/daily", Kind: "view"},
		{Path: "sql/many", Folder: true},
		{Path: "models/local", Kind: "model"},
		{Path: "embeddings/e5", Kind: "embeddings"},
		{Path: "tools/search", Kind: "tool"},
	}
	if diff := cmp.Diff(want, p.Links()); diff != "" {
		t.Errorf("Links mismatch (-want +got):\n%s", diff)
	}
	deps := []string{"spicepods/acme/base/spicepod.yaml", "spicepods/other/thing/spicepod.yaml"}
	if diff := cmp.Diff(deps, p.Dependencies()); diff != "" {
		t.Errorf("Dependencies mismatch (-want +got):\n%s", diff)
	}
}

func TestParseMinimal(t *testing.T) {
	t.Parallel()
	p, err := Parse([]byte("version: v1\nkind: Spicepod\nname: x\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Links()) != 0 || len(p.Dependencies()) != 0 {
		t.Errorf("Links %v, Dependencies %v, want none", p.Links(), p.Dependencies())
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	head := "version: v2\nkind: Spicepod\nname: x\n"
	for doc, want := range map[string]string{
		"":                                     "empty",
		"- a\n- b\n":                           "not a mapping",
		"just text":                            "not a mapping",
		"version: [":                           "yaml",
		"kind: Spicepod\nversion: v2\n":        "name is required",
		"name: x\nkind: Spicepod\n":            "version must be v1 or v2",
		"name: x\nversion: v3\nkind: Spicepod": "version must be v1 or v2",
		"name: x\nversion: v1\nkind: App\n":    "kind must be Spicepod",
		head + "---\n" + head:                  "more than one",
		head + "datasets: oops\n":              "yaml",
		head + "datasets:\n  - ref: ../up\n":   `datasets[0].ref: path has a "." or ".." segment`,
		head + "datasets:\n  - ref: a//b\n":    "datasets[0].ref: path has an empty segment",
		head + "datasets:\n  - ref: ''\n":      "datasets[0].ref: path is empty",
		head + "views:\n  - name: v\n    sql_ref: x/../../y.sql\n":           "views[0].sql_ref",
		head + "datasets:\n  - name: d\n    from: file:../secret\n":          "datasets[0].from",
		head + "models:\n  - ref: \"a\\\\b\"\n":                              "backslash",
		head + "dependencies: [../x]\n":                                      "dependencies[0]",
		head + "dependencies: ['']\n":                                        "dependencies[0]: path is empty",
		head + "datasets:\n  - name: d\n    from: file:C:/Windows/win.ini\n": "datasets[0].from: path starts with a drive letter",
		head + "views:\n  - name: v\n    sql_ref: 'c:x.sql'\n":               "views[0].sql_ref: path starts with a drive letter",
		"a: &a [*a]\n": "",
	} {
		_, err := Parse([]byte(doc))
		if !errs.Is(err, errs.Invalid) {
			t.Errorf("Parse(%q) = %v, want errs.Invalid", doc, err)
			continue
		}
		if !strings.Contains(errs.Message(err), want) {
			t.Errorf("Parse(%q) message %q, want it to contain %q", doc, errs.Message(err), want)
		}
	}
}

func TestParseComponent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind, doc string
		want      []Link
	}{
		{"dataset", "from: file:data/x.csv\nname: x\n", []Link{{Path: "data/x.csv"}}},
		{"dataset", "from: file://data/dir\nname: x\n", []Link{{Path: "data/dir", Folder: true}}},
		{"dataset", "from: postgres:x\nname: x\n", nil},
		{"view", "name: v\nsql_ref: sql/v.sql\n", []Link{{Path: "sql/v.sql"}}},
		{"view", "name: v\nsql: select 1\n", nil},
		{"model", "this is: [not parsed", nil},
		{"catalog", "", nil},
	}
	for _, tt := range tests {
		got, err := ParseComponent(tt.kind, []byte(tt.doc))
		if err != nil {
			t.Errorf("ParseComponent(%s, %q): %v", tt.kind, tt.doc, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseComponent(%s, %q) mismatch (-want +got):\n%s", tt.kind, tt.doc, diff)
		}
	}
	for kind, doc := range map[string]string{
		"dataset": "- a\n",
		"view":    "name: v\nsql_ref: /../x.sql\n",
	} {
		if _, err := ParseComponent(kind, []byte(doc)); !errs.Is(err, errs.Invalid) {
			t.Errorf("ParseComponent(%s, %q) = %v, want errs.Invalid", kind, doc, err)
		}
	}
}

func TestLink(t *testing.T) {
	t.Parallel()
	ref := Link{Path: "datasets/a", Kind: "dataset"}
	if diff := cmp.Diff([]string{"datasets/a/dataset.yaml", "datasets/a/dataset.yml"}, ref.Candidates()); diff != "" {
		t.Errorf("Candidates mismatch:\n%s", diff)
	}
	if ref.Entry() != "datasets/a/dataset.yaml" || !ref.Parsed() {
		t.Errorf("Entry %q Parsed %v", ref.Entry(), ref.Parsed())
	}
	if m := (Link{Path: "models/m", Kind: "model"}); m.Parsed() || m.Entry() != "models/m/model.yaml" {
		t.Errorf("model link: Entry %q Parsed %v", m.Entry(), m.Parsed())
	}
	file := Link{Path: "data/x.csv"}
	if diff := cmp.Diff([]string{"data/x.csv"}, file.Candidates()); diff != "" || file.Entry() != "data/x.csv" {
		t.Errorf("file link: Candidates %v Entry %q", file.Candidates(), file.Entry())
	}
	if c := (Link{Path: "data", Folder: true}).Candidates(); c != nil {
		t.Errorf("folder Candidates = %v, want none", c)
	}
}

func TestIsFolder(t *testing.T) {
	t.Parallel()
	for p, want := range map[string]bool{
		"data":           true,
		"data/events":    true,
		"data/x.csv":     false,
		"a.b/c":          true,
		"a/.hidden":      false,
		"a/trailingdot.": true,
		"x.tar.gz":       false,
	} {
		if got := isFolder(p); got != want {
			t.Errorf("isFolder(%q) = %v, want %v", p, got, want)
		}
	}
}
