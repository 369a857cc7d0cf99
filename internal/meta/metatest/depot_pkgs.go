package metatest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// habRelease indexes a release of the Habitat package "<ns>/<name>" for a
// target, creating the package's repository and the release's version.
func (f *fixture) habRelease(ns meta.Namespace, name, version, release, target, visibility string, tdeps ...string) meta.Release {
	f.t.Helper()
	repo, err := f.s.GetRepo(f.ctx, "hab", ns.Name+"/"+name)
	if errs.Is(err, errs.NotFound) {
		repo = f.repoIn(ns, "hab", name, true)
	} else {
		f.ok(err)
	}
	v := f.version(repo.ID, version+"/"+release+"/"+target)
	r := meta.Release{VersionID: v.ID, Origin: ns.Name, Name: name, Version: version, Release: release,
		Target: target, Checksum: fmt.Sprintf("%064x", v.ID), Visibility: visibility,
		PackageType: meta.PackageStandard, TDeps: tdeps}
	f.ok(f.s.CreateRelease(f.ctx, &r))
	return r
}

// identStrings renders ListIdents rows as "o/n/v/r[targets]".
func identStrings(t *testing.T, rows []meta.IdentRow) []string {
	t.Helper()
	var out []string
	for _, r := range rows {
		if len(r.Targets) != len(r.VersionIDs) {
			t.Errorf("ident %s/%s/%s/%s has %d targets and %d versions", r.Origin, r.Name, r.Version, r.Release,
				len(r.Targets), len(r.VersionIDs))
		}
		out = append(out, fmt.Sprintf("%s/%s/%s/%s%v", r.Origin, r.Name, r.Version, r.Release, r.Targets))
	}
	return out
}

// nameStrings renders ListNames rows as "o/n".
func nameStrings(rows []meta.NameRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Origin+"/"+r.Name)
	}
	return out
}

// keyIDs returns the sorted version ids of release keys.
func keyIDs(ks []meta.ReleaseKey) []int64 {
	var ids []int64
	for _, k := range ks {
		ids = append(ids, k.VersionID)
	}
	slices.Sort(ids)
	return ids
}

// releaseIDs returns the sorted version ids of releases.
func releaseIDs(rs ...meta.Release) []int64 {
	var ids []int64
	for _, r := range rs {
		ids = append(ids, r.VersionID)
	}
	slices.Sort(ids)
	return ids
}

const (
	linux   = "x86_64-linux"
	windows = "x86_64-windows"
	arm     = "aarch64-linux"
)

func releaseTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, f *fixture) {
			core := f.org("core", true)
			bob := f.person("bob", true)
			repo := f.repoIn(core, "hab", "nginx", true)
			lv := f.version(repo.ID, "1.25.0/20240101000000/"+linux)
			wv := f.version(repo.ID, "1.25.0/20240101000000/"+windows)
			before := time.Now()
			r := meta.Release{VersionID: lv.ID, Origin: "core", Name: "nginx", Version: "1.25.0",
				Release: "20240101000000", Target: linux, Checksum: strings.Repeat("ab", 32),
				Visibility: meta.VisibilityPublic, PackageType: meta.PackageStandard, OwnerID: bob.ID,
				TDeps: []string{"core/zlib/1.3/20231201000000", "core/glibc/2.39/20231101000000", "core/acl/2.3/20230101000000"}}
			f.ok(f.s.CreateRelease(f.ctx, &r))
			if r.RepoID != repo.ID || r.NamespaceID != core.ID {
				t.Errorf("CreateRelease set repository %d and namespace %d, want %d and %d", r.RepoID, r.NamespaceID, repo.ID, core.ID)
			}
			wantStamp(t, "Created", r.Created, before)
			if !r.Updated.Equal(r.Created) {
				t.Errorf("Updated %v, want Created %v", r.Updated, r.Created)
			}
			w := meta.Release{VersionID: wv.ID, RepoID: repo.ID, NamespaceID: core.ID, Origin: "core", Name: "nginx",
				Version: "1.25.0", Release: "20240101000000", Target: windows, Checksum: strings.Repeat("cd", 32),
				Visibility: meta.VisibilityPrivate, PackageType: meta.PackageNative}
			f.ok(f.s.CreateRelease(f.ctx, &w))

			got, err := f.s.GetRelease(f.ctx, core.ID, "nginx", "1.25.0", "20240101000000", linux)
			f.ok(err)
			wantEqual(t, "GetRelease(linux)", got, r)
			got, err = f.s.GetRelease(f.ctx, core.ID, "nginx", "1.25.0", "20240101000000", windows)
			f.ok(err)
			wantEqual(t, "GetRelease(windows)", got, w)
			// No target: the smallest.
			got, err = f.s.GetRelease(f.ctx, core.ID, "nginx", "1.25.0", "20240101000000", "")
			f.ok(err)
			wantEqual(t, "GetRelease(any target)", got, r)
			got, err = f.s.GetReleaseByVersion(f.ctx, wv.ID)
			f.ok(err)
			wantEqual(t, "GetReleaseByVersion", got, w)

			for _, c := range []struct{ name, version, release, target string }{
				{"nginx", "1.25.0", "20240101000000", arm},
				{"nginx", "1.25.0", "20240101000001", ""},
				{"nginx", "1.25", "20240101000000", ""},
				{"NGINX", "1.25.0", "20240101000000", ""},
				{"redis", "1.25.0", "20240101000000", ""},
			} {
				_, err := f.s.GetRelease(f.ctx, core.ID, c.name, c.version, c.release, c.target)
				wantKind(t, fmt.Sprintf("GetRelease(%v)", c), err, errs.NotFound)
			}
			_, err = f.s.GetRelease(f.ctx, f.org("other", true).ID, "nginx", "1.25.0", "20240101000000", "")
			wantKind(t, "GetRelease(other namespace)", err, errs.NotFound)
			bare := f.version(repo.ID, "bare")
			_, err = f.s.GetReleaseByVersion(f.ctx, bare.ID)
			wantKind(t, "GetReleaseByVersion(not indexed)", err, errs.NotFound)
		}},
		{"Errors", func(t *testing.T, f *fixture) {
			core := f.org("core", true)
			other := f.org("other", true)
			repo := f.repoIn(core, "hab", "nginx", true)
			v1 := f.version(repo.ID, "1/2/"+linux)
			v2 := f.version(repo.ID, "1/2/"+linux+"-again")
			v3 := f.version(repo.ID, "1/3/"+linux)
			good := func(versionID int64) meta.Release {
				return meta.Release{VersionID: versionID, Origin: "core", Name: "nginx", Version: "1", Release: "2",
					Target: linux, Checksum: "00", Visibility: meta.VisibilityPublic, PackageType: meta.PackageStandard}
			}
			first := good(v1.ID)
			f.ok(f.s.CreateRelease(f.ctx, &first))
			again := good(v1.ID)
			again.Release = "3"
			wantKind(t, "CreateRelease(version indexed)", f.s.CreateRelease(f.ctx, &again), errs.Exists)
			dup := good(v2.ID)
			wantKind(t, "CreateRelease(ident and target taken)", f.s.CreateRelease(f.ctx, &dup), errs.Exists)
			gone := good(1 << 40)
			wantKind(t, "CreateRelease(no version)", f.s.CreateRelease(f.ctx, &gone), errs.NotFound)
			for name, edit := range map[string]func(r *meta.Release){
				"empty origin":         func(r *meta.Release) { r.Origin = "" },
				"empty name":           func(r *meta.Release) { r.Name = "" },
				"empty version":        func(r *meta.Release) { r.Version = "" },
				"empty release":        func(r *meta.Release) { r.Release = "" },
				"empty target":         func(r *meta.Release) { r.Target = "" },
				"empty checksum":       func(r *meta.Release) { r.Checksum = "" },
				"unknown visibility":   func(r *meta.Release) { r.Visibility = "secret" },
				"empty visibility":     func(r *meta.Release) { r.Visibility = "" },
				"unknown package type": func(r *meta.Release) { r.PackageType = "odd" },
				"short tdep":           func(r *meta.Release) { r.TDeps = []string{"core/zlib/1.3"} },
				"empty tdep part":      func(r *meta.Release) { r.TDeps = []string{"core//1.3/1"} },
				"long tdep":            func(r *meta.Release) { r.TDeps = []string{"core/zlib/1.3/1/x"} },
				"other namespace":      func(r *meta.Release) { r.NamespaceID = other.ID },
				"other repository":     func(r *meta.Release) { r.RepoID = repo.ID + 1000 },
			} {
				r := good(v3.ID)
				r.Release = "3"
				edit(&r)
				wantKind(t, "CreateRelease("+name+")", f.s.CreateRelease(f.ctx, &r), errs.Invalid)
			}
			_, err := f.s.GetReleaseByVersion(f.ctx, v3.ID)
			wantKind(t, "GetReleaseByVersion after refusals", err, errs.NotFound)
			wantKind(t, "SetReleaseVisibility(unknown visibility)",
				f.s.SetReleaseVisibility(f.ctx, core.ID, "nginx", "1", "2", "secret"), errs.Invalid)
			wantKind(t, "SetReleaseVisibility(no release)",
				f.s.SetReleaseVisibility(f.ctx, core.ID, "nginx", "1", "9", meta.VisibilityPrivate), errs.NotFound)
			_, _, err = f.s.ListIdents(f.ctx, meta.ReleaseFilter{Visibilities: []string{"secret"}}, false, 0, 0)
			wantKind(t, "ListIdents(unknown visibility)", err, errs.Invalid)
			_, _, err = f.s.ListIdents(f.ctx, meta.ReleaseFilter{}, false, -1, 0)
			wantKind(t, "ListIdents(negative offset)", err, errs.Invalid)
			_, _, err = f.s.ListNames(f.ctx, meta.ReleaseFilter{}, -1, 0)
			wantKind(t, "ListNames(negative offset)", err, errs.Invalid)

			// Refusals inside a transaction leave it usable.
			f.ok(f.s.Tx(f.ctx, func(q meta.Queries) error {
				dup := good(v2.ID)
				wantKind(t, "CreateRelease(taken) in Tx", q.CreateRelease(f.ctx, &dup), errs.Exists)
				gone := good(1 << 40)
				wantKind(t, "CreateRelease(no version) in Tx", q.CreateRelease(f.ctx, &gone), errs.NotFound)
				r := good(v3.ID)
				r.Release, r.TDeps = "3", []string{"core/zlib/1.3/1"}
				return q.CreateRelease(f.ctx, &r)
			}))
			got, err := f.s.GetReleaseByVersion(f.ctx, v3.ID)
			f.ok(err)
			if !slices.Equal(got.TDeps, []string{"core/zlib/1.3/1"}) {
				t.Errorf("release written in Tx has TDeps %v", got.TDeps)
			}
		}},
		{"ListIdents", func(t *testing.T, f *fixture) {
			core, zeta := f.org("core", true), f.org("Zeta", true)
			pub := meta.VisibilityPublic
			f.habRelease(core, "foo", "1.0", "2", linux, pub)
			f.habRelease(core, "foo", "1.0", "2", windows, pub)
			f.habRelease(core, "foo", "1.0", "2", arm, pub)
			f.habRelease(core, "foo-bar", "1.0", "1", linux, pub)
			f.habRelease(core, "foo", "1.0", "10", linux, pub)
			f.habRelease(core, "foo", "1.0", "9", linux, pub)
			f.habRelease(zeta, "foo", "2.0", "1", windows, pub)
			// Bytewise on the whole string: "Zeta" before "core", and
			// "foo-bar/" before "foo/" ('-' < '/').
			want := []string{
				"Zeta/foo/2.0/1[" + windows + "]",
				"core/foo-bar/1.0/1[" + linux + "]",
				"core/foo/1.0/10[" + linux + "]",
				"core/foo/1.0/2[" + arm + " " + linux + " " + windows + "]",
				"core/foo/1.0/9[" + linux + "]",
			}
			rows, total, err := f.s.ListIdents(f.ctx, meta.ReleaseFilter{}, false, 0, 0)
			f.ok(err)
			wantEqual(t, "ListIdents", identStrings(t, rows), want)
			if total != 5 {
				t.Errorf("ListIdents total = %d, want 5", total)
			}
			// The version ids follow the targets.
			for _, row := range rows {
				for i, id := range row.VersionIDs {
					r, err := f.s.GetReleaseByVersion(f.ctx, id)
					f.ok(err)
					if r.Target != row.Targets[i] || r.Release != row.Release || r.Origin != row.Origin {
						t.Errorf("ident %v: version %d is release %+v", row, id, r)
					}
				}
			}
			rev := slices.Clone(want)
			slices.Reverse(rev)
			rows, total, err = f.s.ListIdents(f.ctx, meta.ReleaseFilter{}, true, 0, 0)
			f.ok(err)
			wantEqual(t, "ListIdents(desc)", identStrings(t, rows), rev)
			rows, total, err = f.s.ListIdents(f.ctx, meta.ReleaseFilter{}, false, 1, 2)
			f.ok(err)
			wantEqual(t, "ListIdents(1, 2)", identStrings(t, rows), want[1:3])
			if total != 5 {
				t.Errorf("paged ListIdents total = %d, want 5", total)
			}
			rows, total, err = f.s.ListIdents(f.ctx, meta.ReleaseFilter{}, true, 3, 50)
			f.ok(err)
			wantEqual(t, "ListIdents(desc, 3, 50)", identStrings(t, rows), rev[3:])
			rows, total, err = f.s.ListIdents(f.ctx, meta.ReleaseFilter{}, false, 7, 2)
			f.ok(err)
			if len(rows) != 0 || total != 5 {
				t.Errorf("ListIdents past the end = %v, total %d, want none of 5", identStrings(t, rows), total)
			}
			rows, total, err = f.s.ListIdents(f.ctx, meta.ReleaseFilter{Name: "nothing"}, false, 0, 0)
			f.ok(err)
			if len(rows) != 0 || total != 0 {
				t.Errorf("ListIdents of nothing = %v, total %d", rows, total)
			}
		}},
		{"Filters", func(t *testing.T, f *fixture) {
			core, acme := f.org("core", true), f.org("acme", false)
			pub, priv, hid := meta.VisibilityPublic, meta.VisibilityPrivate, meta.VisibilityHidden
			a := f.habRelease(core, "nginx", "1.0", "1", linux, pub)
			b := f.habRelease(core, "nginx", "1.0", "1", windows, priv)
			c := f.habRelease(core, "nginx", "1.1", "2", linux, pub)
			d := f.habRelease(core, "redis", "1.0", "1", linux, hid)
			e := f.habRelease(acme, "nginx", "1.0", "1", linux, priv)
			g := f.habRelease(acme, "app", "0.1", "7", arm, pub)
			ch := meta.Channel{NamespaceID: core.ID, Name: "stable"}
			f.ok(f.s.CreateChannel(f.ctx, &ch))
			for _, r := range []meta.Release{a, d} {
				_, err := f.s.AddToChannel(f.ctx, ch.ID, r.VersionID)
				f.ok(err)
			}
			for _, c := range []struct {
				name string
				f    meta.ReleaseFilter
				want []int64
			}{
				{"all", meta.ReleaseFilter{}, releaseIDs(a, b, c, d, e, g)},
				{"namespace", meta.ReleaseFilter{NamespaceID: acme.ID}, releaseIDs(e, g)},
				{"name", meta.ReleaseFilter{Name: "nginx"}, releaseIDs(a, b, c, e)},
				{"name is exact", meta.ReleaseFilter{Name: "ngin"}, nil},
				{"version", meta.ReleaseFilter{NamespaceID: core.ID, Name: "nginx", Version: "1.0"}, releaseIDs(a, b)},
				{"release", meta.ReleaseFilter{Release: "2"}, releaseIDs(c)},
				{"target", meta.ReleaseFilter{Target: linux}, releaseIDs(a, c, d, e)},
				{"channel", meta.ReleaseFilter{ChannelID: ch.ID}, releaseIDs(a, d)},
				{"channel and name", meta.ReleaseFilter{ChannelID: ch.ID, Name: "redis"}, releaseIDs(d)},
				{"public", meta.ReleaseFilter{Visibilities: []string{pub}}, releaseIDs(a, c, g)},
				{"public or private", meta.ReleaseFilter{Visibilities: []string{pub, priv}}, releaseIDs(a, b, c, e, g)},
				{"public, all of acme", meta.ReleaseFilter{Visibilities: []string{pub}, AllIn: []int64{acme.ID}}, releaseIDs(a, c, e, g)},
				{"public, all of core", meta.ReleaseFilter{Visibilities: []string{pub}, AllIn: []int64{core.ID}}, releaseIDs(a, b, c, d, g)},
				{"AllIn alone is ignored", meta.ReleaseFilter{AllIn: []int64{acme.ID}}, releaseIDs(a, b, c, d, e, g)},
			} {
				ks, err := f.s.ListReleaseKeys(f.ctx, c.f)
				f.ok(err)
				wantEqual(t, "ListReleaseKeys("+c.name+")", keyIDs(ks), c.want)
			}
			ks, err := f.s.ListReleaseKeys(f.ctx, meta.ReleaseFilter{Name: "redis"})
			f.ok(err)
			wantEqual(t, "ListReleaseKeys(redis)", ks, []meta.ReleaseKey{{VersionID: d.VersionID, Name: "redis", Version: "1.0",
				Release: "1", Target: linux, Visibility: hid}})
			// Targets lists only the selected releases of an ident.
			rows, total, err := f.s.ListIdents(f.ctx, meta.ReleaseFilter{NamespaceID: core.ID, Visibilities: []string{pub}}, false, 0, 0)
			f.ok(err)
			wantEqual(t, "ListIdents(core, public)", identStrings(t, rows),
				[]string{"core/nginx/1.0/1[" + linux + "]", "core/nginx/1.1/2[" + linux + "]"})
			if total != 2 {
				t.Errorf("total = %d, want 2", total)
			}
			if _, err := f.s.ListReleaseKeys(f.ctx, meta.ReleaseFilter{Visibilities: []string{"everyone"}}); !errs.Is(err, errs.Invalid) {
				t.Errorf("ListReleaseKeys(unknown visibility) = %v, want Invalid", err)
			}
		}},
		{"Terms", func(t *testing.T, f *fixture) {
			core, acme := f.org("core", true), f.org("acme", true)
			pub := meta.VisibilityPublic
			f.habRelease(core, "nginx-proxy_tool.X", "1.25.3", "20240101000000", linux, pub)
			f.habRelease(core, "redis", "7.2.4", "20231201000000", linux, pub)
			f.habRelease(acme, "Proxy", "0.9", "20220101000000", linux, pub)
			f.habRelease(acme, "a_b", "1.0", "20220101000000", linux, pub)
			f.habRelease(acme, "100pct", "1.0", "20220101000000", linux, pub)
			ng, rd := "core/nginx-proxy_tool.X", "core/redis"
			px, ab, pc := "acme/Proxy", "acme/a_b", "acme/100pct"
			for _, c := range []struct {
				terms []string
				want  []string
			}{
				{[]string{"NGI"}, []string{ng}},
				{[]string{"proxy"}, []string{px, ng}},        // a word, and a name, case-insensitively
				{[]string{"TOOL"}, []string{ng}},             // a word after '_'
				{[]string{"x"}, []string{ng}},                // a word after '.'
				{[]string{"rox"}, nil},                       // inside a word
				{[]string{"core"}, []string{ng, rd}},         // the origin
				{[]string{"ACM"}, []string{pc, px, ab}},      // an origin prefix
				{[]string{"7.2"}, []string{rd}},              // a version prefix
				{[]string{"2024"}, []string{ng}},             // a release prefix
				{[]string{"core", "prox"}, []string{ng}},     // every term
				{[]string{"core", "acme"}, nil},              //
				{[]string{"nginx-pr"}, []string{ng}},         // a name prefix with a separator
				{[]string{"proxy_t"}, nil},                   // no word has a separator
				{[]string{"%"}, nil},                         // no wildcard
				{[]string{"_"}, nil},                         //
				{[]string{"a_"}, []string{ab}},               // '_' matched literally
				{[]string{`\`}, nil},                         //
				{[]string{"1"}, []string{pc, ab, ng}},        // version prefixes, and a name
				{[]string{""}, []string{pc, px, ab, ng, rd}}, // an empty term keeps everything
			} {
				rows, total, err := f.s.ListNames(f.ctx, meta.ReleaseFilter{Terms: c.terms}, 0, 0)
				f.ok(err)
				wantEqual(t, fmt.Sprintf("ListNames(terms %q)", c.terms), nameStrings(rows), c.want)
				if total != len(c.want) {
					t.Errorf("ListNames(terms %q) total = %d, want %d", c.terms, total, len(c.want))
				}
			}
		}},
		{"ListNames", func(t *testing.T, f *fixture) {
			core, acme, zeta := f.org("core", true), f.org("acme", true), f.org("Zeta", true)
			pub, priv := meta.VisibilityPublic, meta.VisibilityPrivate
			f.habRelease(core, "nginx", "1.0", "1", linux, pub)
			f.habRelease(core, "nginx", "1.1", "1", linux, pub)
			f.habRelease(core, "nginx", "1.1", "1", windows, pub)
			f.habRelease(acme, "nginx", "2.0", "1", linux, priv)
			f.habRelease(zeta, "nginx", "2.0", "1", linux, pub)
			f.habRelease(core, "Redis", "1.0", "1", linux, pub)
			f.habRelease(acme, "app", "1.0", "1", linux, pub)
			f.habRelease(acme, "app-cli", "1.0", "1", linux, pub)
			// By name then origin, bytewise.
			want := []string{"core/Redis", "acme/app", "acme/app-cli", "Zeta/nginx", "acme/nginx", "core/nginx"}
			rows, total, err := f.s.ListNames(f.ctx, meta.ReleaseFilter{}, 0, 0)
			f.ok(err)
			wantEqual(t, "ListNames", nameStrings(rows), want)
			if total != len(want) {
				t.Errorf("ListNames total = %d, want %d", total, len(want))
			}
			rows, total, err = f.s.ListNames(f.ctx, meta.ReleaseFilter{}, 2, 3)
			f.ok(err)
			wantEqual(t, "ListNames(2, 3)", nameStrings(rows), want[2:5])
			if total != len(want) {
				t.Errorf("paged ListNames total = %d, want %d", total, len(want))
			}
			rows, total, err = f.s.ListNames(f.ctx, meta.ReleaseFilter{}, 6, 3)
			f.ok(err)
			if len(rows) != 0 || total != len(want) {
				t.Errorf("ListNames past the end = %v, total %d", rows, total)
			}
			rows, total, err = f.s.ListNames(f.ctx, meta.ReleaseFilter{Name: "nginx", Visibilities: []string{pub}}, 0, 0)
			f.ok(err)
			wantEqual(t, "ListNames(public nginx)", nameStrings(rows), []string{"Zeta/nginx", "core/nginx"})
			if total != 2 {
				t.Errorf("ListNames(public nginx) total = %d", total)
			}
		}},
		{"SetReleaseVisibility", func(t *testing.T, f *fixture) {
			core := f.org("core", true)
			pub, priv := meta.VisibilityPublic, meta.VisibilityPrivate
			a := f.habRelease(core, "nginx", "1.0", "1", linux, pub)
			b := f.habRelease(core, "nginx", "1.0", "1", windows, pub)
			c := f.habRelease(core, "nginx", "1.0", "2", linux, pub)
			tick()
			f.ok(f.s.SetReleaseVisibility(f.ctx, core.ID, "nginx", "1.0", "1", priv))
			for _, r := range []meta.Release{a, b} {
				got, err := f.s.GetReleaseByVersion(f.ctx, r.VersionID)
				f.ok(err)
				if got.Visibility != priv || !got.Updated.After(r.Updated) || !got.Created.Equal(r.Created) {
					t.Errorf("release %s after SetReleaseVisibility: %+v", r.Target, got)
				}
			}
			got, err := f.s.GetReleaseByVersion(f.ctx, c.VersionID)
			f.ok(err)
			wantEqual(t, "another release", got, c)
		}},
		{"RDeps", func(t *testing.T, f *fixture) {
			core, acme := f.org("core", true), f.org("acme", true)
			pub := meta.VisibilityPublic
			f.habRelease(core, "glibc", "2.39", "1", linux, pub)
			// A release of glibc naming an older glibc is no reverse
			// dependency of glibc.
			f.habRelease(core, "glibc", "2.40", "1", linux, pub, "core/glibc/2.39/1")
			f.habRelease(core, "zlib", "1.3", "1", linux, pub, "core/glibc/2.39/1")
			f.habRelease(core, "zlib", "1.3", "2", linux, pub, "core/glibc/2.40/1")
			f.habRelease(acme, "app", "1.0", "1", linux, pub, "core/zlib/1.3/1", "core/glibc/2.39/1")
			f.habRelease(acme, "app", "1.0", "1", windows, pub, "core/glibc/2.39/1")
			f.habRelease(acme, "tool", "1.0", "1", windows, pub, "core/glibc/2.39/1")
			f.habRelease(acme, "other", "1.0", "1", linux, pub, "core/glibcx/1/1", "Core/glibc/1/1")
			rs, err := f.s.ListRDeps(f.ctx, "core", "glibc", linux)
			f.ok(err)
			wantEqual(t, "ListRDeps(glibc, linux)", nameStrings(rs), []string{"acme/app", "core/glibc", "core/zlib"})
			rs, err = f.s.ListRDeps(f.ctx, "core", "glibc", windows)
			f.ok(err)
			wantEqual(t, "ListRDeps(glibc, windows)", nameStrings(rs), []string{"acme/app", "acme/tool"})
			rs, err = f.s.ListRDeps(f.ctx, "core", "zlib", linux)
			f.ok(err)
			wantEqual(t, "ListRDeps(zlib)", nameStrings(rs), []string{"acme/app"})
			rs, err = f.s.ListRDeps(f.ctx, "core", "app", linux)
			f.ok(err)
			if len(rs) != 0 {
				t.Errorf("ListRDeps(nothing) = %v", rs)
			}
			n, err := f.s.CountRDeps(f.ctx, "core", "glibc")
			f.ok(err)
			if n != 5 { // zlib twice, app twice, tool
				t.Errorf("CountRDeps(glibc) = %d, want 5", n)
			}
			n, err = f.s.CountRDeps(f.ctx, "core", "redis")
			f.ok(err)
			if n != 0 {
				t.Errorf("CountRDeps(redis) = %d, want 0", n)
			}
		}},
		{"Cascades", func(t *testing.T, f *fixture) {
			core, acme := f.org("core", true), f.org("acme", true)
			bob := f.person("bob", true)
			pub := meta.VisibilityPublic
			a := f.habRelease(core, "nginx", "1.0", "1", linux, pub)
			b := f.habRelease(core, "nginx", "1.0", "2", linux, pub)
			dep := f.habRelease(acme, "app", "1.0", "1", linux, pub, "core/nginx/1.0/1")
			ch := meta.Channel{NamespaceID: core.ID, Name: "stable", OwnerID: bob.ID}
			f.ok(f.s.CreateChannel(f.ctx, &ch))
			for _, r := range []meta.Release{a, b} {
				_, err := f.s.AddToChannel(f.ctx, ch.ID, r.VersionID)
				f.ok(err)
			}
			ps := meta.PackageSettings{RepoID: a.RepoID, Origin: "core", Name: "nginx", Visibility: pub, OwnerID: bob.ID}
			f.ok(f.s.CreatePackageSettings(f.ctx, &ps))

			// Deleting a version removes its release and memberships.
			f.ok(f.s.DeleteVersion(f.ctx, a.VersionID))
			_, err := f.s.GetReleaseByVersion(f.ctx, a.VersionID)
			wantKind(t, "release of a deleted version", err, errs.NotFound)
			ids := f.channelHolds(ch, a, b)
			wantEqual(t, "channel after DeleteVersion", ids, []int64{b.VersionID})

			// Deleting the version a release depends on keeps its TDeps;
			// deleting its own version drops them.
			if n, err := f.s.CountRDeps(f.ctx, "core", "nginx"); err != nil || n != 1 {
				t.Errorf("CountRDeps after deleting the dependency = %d, %v, want 1", n, err)
			}
			f.ok(f.s.DeleteVersion(f.ctx, dep.VersionID))
			if n, err := f.s.CountRDeps(f.ctx, "core", "nginx"); err != nil || n != 0 {
				t.Errorf("CountRDeps after deleting the dependent = %d, %v", n, err)
			}

			// Deleting a user keeps the ids it left.
			owned := f.version(b.RepoID, "1.0/3/"+linux)
			or := meta.Release{VersionID: owned.ID, Origin: "core", Name: "nginx", Version: "1.0", Release: "3",
				Target: linux, Checksum: "00", Visibility: meta.VisibilityPrivate, PackageType: meta.PackageStandard,
				OwnerID: bob.ID}
			f.ok(f.s.CreateRelease(f.ctx, &or))
			ev := meta.DepotEvent{NamespaceID: core.ID, Operation: meta.EventPromote, Channel: "stable", Origin: "core",
				Name: "nginx", Version: "1.0", Release: "3", Target: linux, Visibility: meta.VisibilityPrivate,
				RequesterID: bob.ID, Trigger: "HabClient"}
			f.ok(f.s.AddDepotEvent(f.ctx, &ev))
			f.ok(f.s.DeleteUser(f.ctx, bob.ID))
			got, err := f.s.GetChannel(f.ctx, core.ID, "stable")
			f.ok(err)
			if got.OwnerID != bob.ID {
				t.Errorf("channel owner after DeleteUser = %d, want %d", got.OwnerID, bob.ID)
			}
			if r, err := f.s.GetReleaseByVersion(f.ctx, owned.ID); err != nil || r.OwnerID != bob.ID {
				t.Errorf("release after DeleteUser = %+v, %v, want owner %d", r, err, bob.ID)
			}
			if s, err := f.s.GetPackageSettings(f.ctx, a.RepoID); err != nil || s.OwnerID != bob.ID {
				t.Errorf("package settings after DeleteUser = %+v, %v, want owner %d", s, err, bob.ID)
			}
			if es, _, err := f.s.ListDepotEvents(f.ctx, meta.EventFilter{RequesterID: bob.ID}); err != nil ||
				len(es) != 1 || es[0].RequesterID != bob.ID {
				t.Errorf("events requested by a deleted user = %+v, %v", es, err)
			}

			// Deleting the repository removes its releases and settings.
			_, err = f.s.DeleteRepo(f.ctx, b.RepoID)
			f.ok(err)
			_, err = f.s.GetReleaseByVersion(f.ctx, b.VersionID)
			wantKind(t, "release of a deleted repository", err, errs.NotFound)
			_, err = f.s.GetPackageSettings(f.ctx, a.RepoID)
			wantKind(t, "settings of a deleted repository", err, errs.NotFound)
			ids = f.channelHolds(ch, a, b)
			if len(ids) != 0 {
				t.Errorf("channel after DeleteRepo holds %v", ids)
			}
			ks, err := f.s.ListReleaseKeys(f.ctx, meta.ReleaseFilter{})
			f.ok(err)
			if len(ks) != 0 {
				t.Errorf("releases left: %v", ks)
			}
		}},
	}
}
