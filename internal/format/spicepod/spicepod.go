package spicepod

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"

	"gopkg.in/yaml.v3"

	"wharf/internal/errs"
)

// manifest is what Parse reads of a spicepod; every other key is kept in
// the bytes and ignored here.
type manifest struct {
	Version      string      `yaml:"version"`
	Kind         string      `yaml:"kind"`
	Name         string      `yaml:"name"`
	Dependencies []string    `yaml:"dependencies"`
	Catalogs     []component `yaml:"catalogs"`
	Datasets     []component `yaml:"datasets"`
	Views        []component `yaml:"views"`
	Models       []component `yaml:"models"`
	Embeddings   []component `yaml:"embeddings"`
	Tools        []component `yaml:"tools"`
}

// section is a component list with the kind that names its files.
type section struct {
	key, kind string
	items     []component
}

// sections returns the component lists Spice follows references in, in
// the order it packages them.
func (m *manifest) sections() []section {
	return []section{
		{"catalogs", "catalog", m.Catalogs},
		{"datasets", "dataset", m.Datasets},
		{"views", "view", m.Views},
		{"models", "model", m.Models},
		{"embeddings", "embeddings", m.Embeddings},
		{"tools", "tool", m.Tools},
	}
}

// component is one item of a component list, inline or a reference: an
// item with a ref and no name is a reference.
type component struct {
	Ref    *string `yaml:"ref"`
	Name   string  `yaml:"name"`
	From   string  `yaml:"from"`
	SQLRef string  `yaml:"sql_ref"`
}

// Spicepod is a parsed manifest.
type Spicepod struct {
	Name    string
	Version string // "v1" or "v2"
	links   []Link
	deps    []string
}

// Links returns what the spicepod refers to, in the order Spice packages
// it: section by section (catalogs, datasets, views, models, embeddings,
// tools), each item's reference or its inline file: or sql_ref path.
// Repeats are kept.
func (p *Spicepod) Links() []Link { return slices.Clone(p.links) }

// Dependencies returns the repository paths of the manifests of the
// spicepod's dependencies, each once: spicepods/<dependency>/spicepod.yaml.
func (p *Spicepod) Dependencies() []string {
	out := make([]string, len(p.deps))
	for i, d := range p.deps {
		out[i] = "spicepods/" + d + "/spicepod.yaml"
	}
	return out
}

// Parse reads a spicepod manifest: one YAML document, a mapping with name,
// version ("v1" or "v2") and kind ("Spicepod"), whose references are all
// clean repository paths. Errors: errs.Invalid saying what is wrong.
func Parse(data []byte) (*Spicepod, error) {
	var m manifest
	if err := decode(data, &m); err != nil {
		return nil, err
	}
	switch {
	case m.Name == "":
		return nil, invalid("name is required")
	case m.Version != "v1" && m.Version != "v2":
		return nil, invalid("version must be v1 or v2, not %q", m.Version)
	case m.Kind != "Spicepod":
		return nil, invalid("kind must be Spicepod, not %q", m.Kind)
	}
	p := &Spicepod{Name: m.Name, Version: m.Version}
	seen := map[string]bool{}
	for i, d := range m.Dependencies {
		if err := CheckPath(d); err != nil {
			return nil, invalid("dependencies[%d]: path %v", i, err)
		}
		if !seen[d] {
			seen[d] = true
			p.deps = append(p.deps, d)
		}
	}
	for _, s := range m.sections() {
		for i, c := range s.items {
			l, err := c.links(s.kind)
			if err != nil {
				return nil, invalid("%s[%d].%v", s.key, i, err)
			}
			p.links = append(p.links, l...)
		}
	}
	return p, nil
}

// links returns what one item of a section of kind refers to. An error's
// text starts with the offending key.
func (c component) links(kind string) ([]Link, error) {
	if c.Ref != nil && c.Name == "" {
		dir, err := cleanPath(*c.Ref)
		if err != nil {
			return nil, fmt.Errorf("ref: path %v", err)
		}
		return []Link{{Path: dir, Kind: kind}}, nil
	}
	return c.inline(kind)
}

// inline returns the files an inline component of kind names: a
// dataset's file: path, a view's sql_ref.
func (c component) inline(kind string) ([]Link, error) {
	switch kind {
	case "dataset":
		p, ok, err := filePath(c.From)
		if err != nil {
			return nil, fmt.Errorf("from: path %v", err)
		}
		if ok {
			return []Link{{Path: p, Folder: isFolder(p)}}, nil
		}
	case "view":
		if c.SQLRef == "" {
			return nil, nil
		}
		p, err := cleanPath(c.SQLRef)
		if err != nil {
			return nil, fmt.Errorf("sql_ref: path %v", err)
		}
		return []Link{{Path: p, Folder: isFolder(p)}}, nil
	}
	return nil, nil
}

// ParseComponent reads a referenced component file of kind (see
// Link.Kind) and returns the files it names: a dataset's file: path or a
// view's sql_ref. Files of other kinds are not read and name nothing.
// Errors: errs.Invalid for a file that is not one YAML mapping or names an
// unclean path.
func ParseComponent(kind string, data []byte) ([]Link, error) {
	if !parsed(kind) {
		return nil, nil
	}
	var c component
	if err := decode(data, &c); err != nil {
		return nil, err
	}
	ls, err := c.inline(kind)
	if err != nil {
		return nil, invalid("%v", err)
	}
	return ls, nil
}

// parsed reports whether files of component kind are read for the files
// they name.
func parsed(kind string) bool { return kind == "dataset" || kind == "view" }

// decode reads exactly one YAML document holding a mapping into v. A
// panic of the YAML library on hostile input becomes an error.
func decode(data []byte, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = invalid("not valid YAML")
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return invalid("the document is empty")
	} else if err != nil {
		return invalid("%v", err)
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return invalid("the document is not a mapping")
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return invalid("more than one YAML document")
	}
	if err := doc.Decode(v); err != nil {
		return invalid("%v", err)
	}
	return nil
}

func invalid(format string, args ...any) error { return errs.E(errs.Invalid, format, args...) }
