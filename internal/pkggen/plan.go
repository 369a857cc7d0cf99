package pkggen

import (
	"wharf/internal/errs"
	"wharf/internal/format/spicepod"
)

// plan is the list of a package's entries while it is being worked out:
// some still need their content fetched, some are folders still to be
// listed.
type plan struct {
	body    []entry // files and folders, in order; may repeat
	tail    []entry // the manifests, which come last and win over repeats
	folders []string
	listed  map[string]bool
}

func newPlan(pods []pod) *plan {
	p := &plan{listed: map[string]bool{}}
	for _, pd := range pods {
		p.tail = append(p.tail, entry{name: pd.name, c: pd.doc.c})
	}
	return p
}

// add appends a file whose content is known.
func (p *plan) add(e entry) { p.body = append(p.body, e) }

// addLinks appends files and folders to fetch.
func (p *plan) addLinks(ls []spicepod.Link) {
	for _, l := range ls {
		if !l.Folder {
			p.body = append(p.body, entry{name: l.Path})
			continue
		}
		p.body = append(p.body, entry{folder: l.Path})
		if !p.listed[l.Path] {
			p.listed[l.Path] = true
			p.folders = append(p.folders, l.Path)
		}
	}
}

// finish drops repeated names, keeping the first (and the manifests over
// any file of the same name), and checks the result: at most max files,
// and no name that is also another's directory. It returns the entries,
// all files.
func (p *plan) finish(max int) ([]entry, error) {
	seen := map[string]bool{}
	for _, e := range p.tail {
		seen[e.name] = true
	}
	var out []entry
	for _, e := range p.body {
		if !seen[e.name] {
			seen[e.name] = true
			out = append(out, e)
		}
	}
	out = append(out, p.tail...)
	if len(out) > max {
		return nil, tooManyFiles(max)
	}
	for _, e := range out {
		for i := 0; i < len(e.name); i++ {
			if e.name[i] == '/' && seen[e.name[:i]] {
				return nil, errs.E(errs.Invalid, "%q is both a file and a folder in the package", e.name[:i])
			}
		}
	}
	return out, nil
}
