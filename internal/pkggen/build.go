package pkggen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/sync/errgroup"

	"wharf/internal/errs"
	"wharf/internal/format/spicepod"
)

// maxDocBytes bounds a spicepod manifest or component file, which is read
// whole to be parsed.
const maxDocBytes = 1 << 20

// rootName is the root manifest's name in every package.
const rootName = "spicepod.yaml"

// builder builds one package.
type builder struct {
	gh       *github
	spools   *spools
	budget   *budget
	maxFiles int
	workers  int
}

// doc is a fetched manifest or component file.
type doc struct {
	c    *chunk
	data []byte // the bytes, for files that are parsed
}

// fetch fetches the first of candidates that exists into a spool, also
// keeping its bytes when keep is set. Errors: errs.NotFound naming the
// candidates when none exists; errs.TooLarge; the errors of github.get.
func (b *builder) fetch(ctx context.Context, candidates []string, keep bool) (doc, error) {
	sp, err := b.spools.get(ctx)
	if err != nil {
		return doc{}, err
	}
	defer b.spools.put(sp)
	for _, p := range candidates {
		resp, err := b.gh.open(ctx, p)
		if errs.Is(err, errs.NotFound) {
			continue
		} else if err != nil {
			return doc{}, err
		}
		var kept *bytes.Buffer
		if keep {
			kept = &bytes.Buffer{}
		}
		c, err := sp.write(resp.Body, b.budget, kept, maxDocBytes)
		resp.Body.Close()
		switch {
		case errors.Is(err, errKeepFull):
			return doc{}, errs.E(errs.TooLarge, "%s is larger than %d bytes", p, maxDocBytes)
		case err != nil && ctx.Err() != nil:
			return doc{}, ctx.Err()
		case err != nil:
			return doc{}, fmt.Errorf("fetch %s: %w", p, err)
		}
		d := doc{c: c}
		if keep {
			d.data = kept.Bytes()
		}
		return d, nil
	}
	quoted := make([]string, len(candidates))
	for i, c := range candidates {
		quoted[i] = fmt.Sprintf("%q", c)
	}
	return doc{}, notFound(b.gh.name(), "file "+strings.Join(quoted, " or "))
}

// pod is a fetched and parsed spicepod manifest.
type pod struct {
	name string // its name in the package
	doc  doc
	sp   *spicepod.Spicepod
}

// fetchPod fetches and parses the manifest at path.
func (b *builder) fetchPod(ctx context.Context, path, name string) (pod, error) {
	d, err := b.fetch(ctx, []string{path}, true)
	if err != nil {
		return pod{}, err
	}
	sp, err := spicepod.Parse(d.data)
	if err != nil {
		return pod{}, errs.E(errs.Invalid, "%s: %s", path, errs.Message(err))
	}
	d.data = nil
	return pod{name: name, doc: d, sp: sp}, nil
}

// linked is one link of a spicepod with, for a component reference, the
// fetched component file and the links found in it.
type linked struct {
	link   spicepod.Link
	doc    doc
	nested []spicepod.Link
}

// build fetches the root manifest at path, its dependencies, and every
// file they refer to, and returns the package's entries in Spice's order:
// per spicepod (the root, then each dependency) its referenced component
// files each followed by the files they name, and its inline file and
// folder links; then spicepod.yaml and the dependencies' manifests.
func (b *builder) build(ctx context.Context, path string) ([]entry, error) {
	root, err := b.fetchPod(ctx, path, rootName)
	if err != nil {
		return nil, err
	}
	pods := []pod{root}
	deps := root.sp.Dependencies()
	if 1+len(deps) > b.maxFiles {
		return nil, b.tooMany()
	}
	pods = append(pods, make([]pod, len(deps))...)
	g, gctx := b.group(ctx)
	for i, p := range deps {
		g.Go(func() (err error) {
			pods[1+i], err = b.fetchPod(gctx, p, p)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	links, err := b.components(ctx, pods)
	if err != nil {
		return nil, err
	}
	p := newPlan(pods)
	for _, ls := range links {
		for _, l := range ls {
			if l.link.Kind != "" {
				p.add(entry{name: l.link.Entry(), c: l.doc.c})
				p.addLinks(l.nested)
			} else {
				p.addLinks([]spicepod.Link{l.link})
			}
		}
	}
	if err := b.expand(ctx, p); err != nil {
		return nil, err
	}
	entries, err := p.finish(b.maxFiles)
	if err != nil {
		return nil, err
	}
	// Fail before downloading what the tree listing already shows is
	// too much.
	var known int64
	for _, e := range entries {
		if e.c == nil {
			known += e.size
		}
	}
	if known > b.budget.left.Load() {
		return nil, b.budget.exceeded()
	}
	return entries, b.fill(ctx, entries)
}

// components fetches the component files the pods refer to, parsing those
// that name files in turn, and returns every pod's links. A component
// file referred to again is fetched once and listed once.
func (b *builder) components(ctx context.Context, pods []pod) ([][]linked, error) {
	out := make([][]linked, len(pods))
	seen := map[string]bool{}
	for i, pd := range pods {
		for _, l := range pd.sp.Links() {
			if l.Kind != "" {
				if seen[l.Entry()] {
					continue
				}
				seen[l.Entry()] = true
			}
			out[i] = append(out[i], linked{link: l})
		}
	}
	if len(pods)+len(seen) > b.maxFiles {
		return nil, b.tooMany()
	}
	g, gctx := b.group(ctx)
	for i := range out {
		for j := range out[i] {
			l := &out[i][j]
			if l.link.Kind == "" {
				continue
			}
			g.Go(func() error {
				d, err := b.fetch(gctx, l.link.Candidates(), l.link.Parsed())
				if err != nil {
					return err
				}
				if l.nested, err = spicepod.ParseComponent(l.link.Kind, d.data); err != nil {
					return errs.E(errs.Invalid, "%s: %s", l.link.Entry(), errs.Message(err))
				}
				d.data = nil
				l.doc = d
				return nil
			})
		}
	}
	return out, g.Wait()
}

// expand replaces the plan's folders by the files under them, listed
// once for all folders. Errors: errs.NotFound for a folder without files;
// errs.Invalid for a listed file whose path is not clean.
func (b *builder) expand(ctx context.Context, p *plan) error {
	if len(p.folders) == 0 {
		return nil
	}
	listing, err := b.gh.files(ctx, p.folders, b.maxFiles)
	if errors.Is(err, errTooManyFiles) {
		return b.tooMany()
	} else if err != nil {
		return err
	}
	var out []entry
	for _, e := range p.body {
		if e.folder == "" {
			out = append(out, e)
			continue
		}
		files := listing[e.folder]
		if len(files) == 0 {
			return notFound(b.gh.name(), fmt.Sprintf("folder %q", e.folder))
		}
		for _, f := range files {
			// A name from GitHub becomes a zip entry: it must not
			// climb out of the package when extracted.
			if err := spicepod.CheckPath(f.Path); err != nil {
				return errs.E(errs.Invalid, "folder %q holds %q, whose path %v", e.folder, f.Path, err)
			}
			out = append(out, entry{name: f.Path, size: f.Size})
		}
	}
	p.body = out
	return nil
}

// fill fetches, in parallel, the entries that have no content yet.
func (b *builder) fill(ctx context.Context, entries []entry) error {
	g, gctx := b.group(ctx)
	for i := range entries {
		e := &entries[i]
		if e.c != nil {
			continue
		}
		g.Go(func() error {
			d, err := b.fetch(gctx, []string{e.name}, false)
			e.c = d.c
			return err
		})
	}
	return g.Wait()
}

func (b *builder) group(ctx context.Context) (*errgroup.Group, context.Context) {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(b.workers)
	return g, gctx
}

func (b *builder) tooMany() error { return tooManyFiles(b.maxFiles) }

// tooManyFiles is the error for a package of more than max files.
func tooManyFiles(max int) error {
	return errs.E(errs.TooLarge, "the package would hold more than %d files (limit)", max)
}
