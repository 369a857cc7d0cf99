package depot

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"wharf/internal/artifact"
	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/format/hab"
	"wharf/internal/meta"
)

// seesAll reports whether p sees every release of origin ns: its members
// do, others only public ones.
func (s *Service) seesAll(ctx context.Context, p auth.Principal, ns meta.Namespace) (bool, error) {
	r, err := s.RoleIn(ctx, p, ns)
	return r >= ReadOnlyMember, err
}

// visibilities is the ReleaseFilter.Visibilities for p in ns: nil (all)
// for members, public only for others.
func (s *Service) visibilities(ctx context.Context, p auth.Principal, ns meta.Namespace) ([]string, error) {
	all, err := s.seesAll(ctx, p, ns)
	if err != nil || all {
		return nil, err
	}
	return []string{meta.VisibilityPublic}, nil
}

// visible reports whether a release's visibility is among vis (nil: all).
func visible(rel meta.Release, vis []string) bool {
	return vis == nil || slices.Contains(vis, rel.Visibility)
}

// memberOrigins returns the ids of the origins whose every release p
// sees: those it is a member of, directly or through a team, where its
// credential lets it read them (RoleIn, so that scopes and restricted
// tokens count as everywhere).
func (s *Service) memberOrigins(ctx context.Context, p auth.Principal) ([]int64, error) {
	if p.Anonymous() {
		return nil, nil
	}
	orgs, err := s.originsOf(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, ns := range orgs {
		all, err := s.seesAll(ctx, p, ns)
		if err != nil {
			return nil, err
		}
		if all {
			ids = append(ids, ns.ID)
		}
	}
	return ids, nil
}

// fill reads what a release's version keeps of its archive, its size and
// its channels.
func (s *Service) fill(ctx context.Context, rel meta.Release) (Package, error) {
	pkg := Package{Release: rel}
	v, err := s.store.GetVersionByID(ctx, rel.VersionID)
	if err != nil {
		return Package{}, err
	}
	var m releaseMeta
	if len(v.Metadata) > 0 {
		if err := json.Unmarshal(v.Metadata, &m); err != nil {
			return Package{}, fmt.Errorf("release %d metadata: %w", rel.VersionID, err)
		}
	}
	pkg.Manifest, pkg.Config, pkg.Exposes = m.Manifest, m.Config, m.Exposes
	for _, l := range []struct {
		from []string
		to   *[]hab.Ident
	}{{m.Deps, &pkg.Deps}, {m.TDeps, &pkg.TDeps}, {m.BuildDeps, &pkg.BuildDeps}, {m.BuildTDeps, &pkg.BuildTDeps}} {
		*l.to = make([]hab.Ident, 0, len(l.from))
		for _, s := range l.from {
			id, err := hab.ParseIdent(s)
			if err != nil {
				return Package{}, fmt.Errorf("release %d dependency: %w", rel.VersionID, err)
			}
			*l.to = append(*l.to, id)
		}
	}
	pkg.IsAService = hab.IsAService(m.Manifest)
	files, err := s.store.ListFiles(ctx, v.ID)
	if err != nil {
		return Package{}, err
	}
	for _, f := range files {
		if f.Lead {
			pkg.Size = f.Size
		}
	}
	chans, err := s.store.ListVersionChannels(ctx, []int64{rel.VersionID})
	if err != nil {
		return Package{}, err
	}
	for _, c := range chans[rel.VersionID] {
		pkg.Channels = append(pkg.Channels, c.Channel)
	}
	return pkg, nil
}

// release returns the release of a full ident for a target ("" any) that
// p may see. Errors: errs.NotFound.
func (s *Service) release(ctx context.Context, p auth.Principal, id hab.Ident, target string) (meta.Namespace, meta.Release, error) {
	ns, err := s.Origin(ctx, id.Origin)
	if err != nil {
		return ns, meta.Release{}, err
	}
	vis, err := s.visibilities(ctx, p, ns)
	if err != nil {
		return ns, meta.Release{}, err
	}
	rel, err := s.store.GetRelease(ctx, ns.ID, id.Name, id.Version, id.Release, target)
	if err != nil {
		return ns, meta.Release{}, err
	}
	if !visible(rel, vis) {
		return ns, meta.Release{}, errs.E(errs.NotFound, "package not found")
	}
	return ns, rel, nil
}

// Package returns a release by full ident and target ("" any target),
// when p may see it; with channel set, only when the release is in it.
// Errors: errs.NotFound.
func (s *Service) Package(ctx context.Context, p auth.Principal, id hab.Ident, target, channel string) (Package, error) {
	_, rel, err := s.release(ctx, p, id, target)
	if err != nil {
		return Package{}, err
	}
	pkg, err := s.fill(ctx, rel)
	if err != nil {
		return Package{}, err
	}
	if channel != "" && !slices.Contains(pkg.Channels, channel) {
		return Package{}, errs.E(errs.NotFound, "package not in channel %s", channel)
	}
	return pkg, nil
}

// channelFilter sets f.ChannelID for a channel name of ns; a missing
// channel is errs.NotFound.
func (s *Service) channelFilter(ctx context.Context, ns meta.Namespace, channel string, f *meta.ReleaseFilter) error {
	if channel == "" {
		return nil
	}
	ch, err := s.store.GetChannel(ctx, ns.ID, channel)
	if err != nil {
		return err
	}
	f.ChannelID = ch.ID
	return nil
}

// releaseOrder is what Habitat orders a release key by.
func releaseOrder(k meta.ReleaseKey) (version, release string) { return k.Version, k.Release }

// Latest returns the newest release p may see by Habitat's ordering
// (hab.SortNewestFirst: versions without digits never are). Errors:
// errs.NotFound.
func (s *Service) Latest(ctx context.Context, p auth.Principal, req LatestRequest) (Package, error) {
	ns, err := s.Origin(ctx, req.Origin)
	if err != nil {
		return Package{}, err
	}
	vis, err := s.visibilities(ctx, p, ns)
	if err != nil {
		return Package{}, err
	}
	f := meta.ReleaseFilter{NamespaceID: ns.ID, Name: req.Name, Version: req.Version, Target: req.Target, Visibilities: vis}
	if err := s.channelFilter(ctx, ns, req.Channel, &f); err != nil {
		return Package{}, err
	}
	keys, err := s.store.ListReleaseKeys(ctx, f)
	if err != nil {
		return Package{}, err
	}
	newest, ok := hab.Newest(keys, releaseOrder)
	if !ok {
		return Package{}, errs.E(errs.NotFound, "no package found")
	}
	rel, err := s.store.GetReleaseByVersion(ctx, newest.VersionID)
	if err != nil {
		return Package{}, err
	}
	return s.fill(ctx, rel)
}

// ListIdents lists the idents of an origin p may see, with their channels
// and targets. An unknown origin or channel gives an empty page.
func (s *Service) ListIdents(ctx context.Context, p auth.Principal, req ListRequest) (Page[IdentItem], error) {
	ns, err := s.Origin(ctx, req.Origin)
	if errs.Is(err, errs.NotFound) {
		return Page[IdentItem]{}, nil
	}
	if err != nil {
		return Page[IdentItem]{}, err
	}
	vis, err := s.visibilities(ctx, p, ns)
	if err != nil {
		return Page[IdentItem]{}, err
	}
	f := meta.ReleaseFilter{NamespaceID: ns.ID, Name: req.Name, Version: req.Version, Target: req.Target, Visibilities: vis}
	if err := s.channelFilter(ctx, ns, req.Channel, &f); errs.Is(err, errs.NotFound) {
		return Page[IdentItem]{}, nil
	} else if err != nil {
		return Page[IdentItem]{}, err
	}
	rows, total, err := s.store.ListIdents(ctx, f, req.Desc, req.Offset, req.Limit)
	if err != nil {
		return Page[IdentItem]{}, err
	}
	var vids []int64
	for _, r := range rows {
		vids = append(vids, r.VersionIDs...)
	}
	chans, err := s.store.ListVersionChannels(ctx, vids)
	if err != nil {
		return Page[IdentItem]{}, err
	}
	items := make([]IdentItem, 0, len(rows))
	for _, r := range rows {
		it := IdentItem{Ident: hab.Ident{Origin: r.Origin, Name: r.Name, Version: r.Version, Release: r.Release},
			Platforms: r.Targets, Channels: []string{}}
		for _, v := range r.VersionIDs {
			for _, c := range chans[v] {
				if !slices.Contains(it.Channels, c.Channel) {
					it.Channels = append(it.Channels, c.Channel)
				}
			}
		}
		slices.Sort(it.Channels)
		items = append(items, it)
	}
	return Page[IdentItem]{Items: items, Total: total}, nil
}

// names turns name rows into idents without version and release.
func names(rows []meta.NameRow) []hab.Ident {
	out := make([]hab.Ident, len(rows))
	for i, r := range rows {
		out[i] = hab.Ident{Origin: r.Origin, Name: r.Name}
	}
	return out
}

// ListNames lists the package names of an origin p may see, by name, as
// idents without version and release.
func (s *Service) ListNames(ctx context.Context, p auth.Principal, origin string, offset, limit int) (Page[hab.Ident], error) {
	ns, err := s.Origin(ctx, origin)
	if errs.Is(err, errs.NotFound) {
		return Page[hab.Ident]{}, nil
	}
	if err != nil {
		return Page[hab.Ident]{}, err
	}
	vis, err := s.visibilities(ctx, p, ns)
	if err != nil {
		return Page[hab.Ident]{}, err
	}
	rows, total, err := s.store.ListNames(ctx, meta.ReleaseFilter{NamespaceID: ns.ID, Visibilities: vis}, offset, limit)
	if err != nil {
		return Page[hab.Ident]{}, err
	}
	return Page[hab.Ident]{Items: names(rows), Total: total}, nil
}

// Search finds releases whose ident parts start with every term of query
// (terms split on '/'), among the public ones and all of the origins p is
// a member of: distinct gives package names (by name, then origin), else
// full idents (by ident). A query without terms finds nothing.
func (s *Service) Search(ctx context.Context, p auth.Principal, query string, distinct bool, offset, limit int) (Page[hab.Ident], error) {
	var terms []string
	for _, t := range strings.Split(query, "/") {
		if t = strings.TrimSpace(t); t != "" {
			terms = append(terms, t)
		}
	}
	if len(terms) == 0 {
		return Page[hab.Ident]{}, nil
	}
	mine, err := s.memberOrigins(ctx, p)
	if err != nil {
		return Page[hab.Ident]{}, err
	}
	f := meta.ReleaseFilter{Terms: terms, Visibilities: []string{meta.VisibilityPublic}, AllIn: mine}
	if distinct {
		rows, total, err := s.store.ListNames(ctx, f, offset, limit)
		if err != nil {
			return Page[hab.Ident]{}, err
		}
		return Page[hab.Ident]{Items: names(rows), Total: total}, nil
	}
	rows, total, err := s.store.ListIdents(ctx, f, false, offset, limit)
	if err != nil {
		return Page[hab.Ident]{}, err
	}
	items := make([]hab.Ident, len(rows))
	for i, r := range rows {
		items[i] = hab.Ident{Origin: r.Origin, Name: r.Name, Version: r.Version, Release: r.Release}
	}
	return Page[hab.Ident]{Items: items, Total: total}, nil
}

// Versions summarises the versions of a package p may see, newest first,
// one summary per version and visibility. Versions Habitat cannot order
// (without digits) are left out, as Builder does.
func (s *Service) Versions(ctx context.Context, p auth.Principal, origin, name string) ([]VersionSummary, error) {
	ns, err := s.Origin(ctx, origin)
	if err != nil {
		return nil, err
	}
	vis, err := s.visibilities(ctx, p, ns)
	if err != nil {
		return nil, err
	}
	keys, err := s.store.ListReleaseKeys(ctx, meta.ReleaseFilter{NamespaceID: ns.ID, Name: name, Visibilities: vis})
	if err != nil {
		return nil, err
	}
	var out []VersionSummary
	type group struct{ version, visibility string }
	index := map[group]int{}
	releases := map[int]map[string]bool{}
	for _, k := range keys {
		i, ok := index[group{k.Version, k.Visibility}]
		if !ok {
			out = append(out, VersionSummary{Origin: ns.Name, Name: name, Version: k.Version, Visibility: k.Visibility})
			i = len(out) - 1
			index[group{k.Version, k.Visibility}] = i
			releases[i] = map[string]bool{}
		}
		v := &out[i]
		releases[i][k.Release] = true
		v.ReleaseCount = len(releases[i])
		v.Latest = max(v.Latest, k.Release)
		if !slices.Contains(v.Platforms, k.Target) {
			v.Platforms = append(v.Platforms, k.Target)
			slices.Sort(v.Platforms)
		}
	}
	sorted, _ := hab.SortNewestFirst(out, func(v VersionSummary) (string, string) { return v.Version, "" })
	if sorted == nil {
		sorted = []VersionSummary{}
	}
	return sorted, nil
}

// ReleaseChannels returns the channels holding a release p may see, by
// name descending. A release p may not see, or that does not exist, has
// none.
func (s *Service) ReleaseChannels(ctx context.Context, p auth.Principal, id hab.Ident, target string) ([]meta.ChannelMembership, error) {
	_, rel, err := s.release(ctx, p, id, target)
	if errs.Is(err, errs.NotFound) {
		return []meta.ChannelMembership{}, nil
	}
	if err != nil {
		return nil, err
	}
	chans, err := s.store.ListVersionChannels(ctx, []int64{rel.VersionID})
	if err != nil {
		return nil, err
	}
	out := append([]meta.ChannelMembership{}, chans[rel.VersionID]...)
	slices.SortFunc(out, func(a, b meta.ChannelMembership) int { return strings.Compare(b.Channel, a.Channel) })
	return out, nil
}

// SetVisibility makes every target of an ident public or private.
// Errors: errs.Invalid for another visibility; errs.NotFound;
// errs.Unauthenticated; errs.Denied below maintainer.
func (s *Service) SetVisibility(ctx context.Context, p auth.Principal, id hab.Ident, visibility string) error {
	if visibility != meta.VisibilityPublic && visibility != meta.VisibilityPrivate {
		return errs.E(errs.Invalid, "Invalid visibility '%s'", visibility)
	}
	ns, err := s.originAs(ctx, p, id.Origin, Maintainer)
	if err != nil {
		return err
	}
	// The events about the releases follow, so they show no more.
	return s.store.Tx(ctx, func(q meta.Queries) error {
		if err := q.SetReleaseVisibility(ctx, ns.ID, id.Name, id.Version, id.Release, visibility); err != nil {
			return err
		}
		return q.SetEventVisibility(ctx, ns.ID, id.Name, id.Version, id.Release, visibility)
	})
}

// DeletePackage removes a release for a target with its .hart. Errors
// (messages as Builder's): errs.Invalid while it is in "stable" or a
// package depends on any release of its name; errs.NotFound;
// errs.Unauthenticated; errs.Denied below member.
func (s *Service) DeletePackage(ctx context.Context, p auth.Principal, id hab.Ident, target string) error {
	if p.Anonymous() {
		return errs.E(errs.Unauthenticated, "authentication required")
	}
	ns, err := s.originAs(ctx, p, id.Origin, Member)
	if err != nil {
		return err
	}
	rel, err := s.store.GetRelease(ctx, ns.ID, id.Name, id.Version, id.Release, target)
	if err != nil {
		return err
	}
	// The checks and the delete are one transaction holding the version,
	// so a promotion to stable either lands first and refuses the delete,
	// or finds the release gone.
	return s.store.Tx(ctx, func(q meta.Queries) error {
		v, err := q.LockVersion(ctx, rel.RepoID, versionOf(id, rel.Target))
		if err != nil {
			return err
		}
		chans, err := q.ListVersionChannels(ctx, []int64{v.ID})
		if err != nil {
			return err
		}
		if slices.ContainsFunc(chans[v.ID], func(m meta.ChannelMembership) bool { return m.Channel == Stable }) {
			return errs.E(errs.Invalid, "Deleting package in stable channel not allowed '%s'", id)
		}
		n, err := q.CountRDeps(ctx, ns.Name, id.Name)
		if err != nil {
			return err
		}
		if n > 0 {
			return errs.E(errs.Invalid, "Deleting package with rdeps not allowed '%s'", id)
		}
		// The release's index row and channel memberships go with its
		// version; its .hart with garbage collection.
		return q.DeleteVersion(ctx, v.ID)
	})
}

// Download opens a release's .hart: public and hidden releases for
// anyone, private ones for members. The caller closes d.Body. Errors:
// errs.Invalid for a target the depot does not take ("Invalid package
// target '<target>'"); errs.NotFound.
func (s *Service) Download(ctx context.Context, p auth.Principal, id hab.Ident, target string) (Download, error) {
	if !slices.Contains(s.targets, target) {
		return Download{}, errs.E(errs.Invalid, "Invalid package target '%s'", target)
	}
	ns, err := s.Origin(ctx, id.Origin)
	if err != nil {
		return Download{}, err
	}
	rel, err := s.store.GetRelease(ctx, ns.ID, id.Name, id.Version, id.Release, target)
	if err != nil {
		return Download{}, err
	}
	if rel.Visibility == meta.VisibilityPrivate {
		all, err := s.seesAll(ctx, p, ns)
		if err != nil {
			return Download{}, err
		}
		if !all {
			return Download{}, errs.E(errs.NotFound, "package not found")
		}
	}
	f, body, err := s.core.OpenFile(ctx, artifact.FileRef{Type: RepoType, RepoName: repoName(id.Origin, id.Name),
		Version: versionOf(id, rel.Target), FileName: id.ArchiveName(rel.Target)})
	if err != nil {
		return Download{}, err
	}
	if err := s.core.CountDownload(ctx, f.VersionID); err != nil && !errs.Is(err, errs.NotFound) {
		body.Close()
		return Download{}, err
	}
	return Download{Release: rel, Size: f.Size, Body: body}, nil
}

// LatestPerName returns the newest release of each package in a channel
// for a target, by name. An unknown origin or channel is errs.NotFound.
func (s *Service) LatestPerName(ctx context.Context, p auth.Principal, origin, channel, target string) ([]hab.Ident, error) {
	ns, err := s.Origin(ctx, origin)
	if err != nil {
		return nil, err
	}
	vis, err := s.visibilities(ctx, p, ns)
	if err != nil {
		return nil, err
	}
	f := meta.ReleaseFilter{NamespaceID: ns.ID, Target: target, Visibilities: vis}
	if err := s.channelFilter(ctx, ns, channel, &f); err != nil {
		return nil, err
	}
	keys, err := s.store.ListReleaseKeys(ctx, f)
	if err != nil {
		return nil, err
	}
	byName := map[string][]meta.ReleaseKey{}
	for _, k := range keys {
		byName[k.Name] = append(byName[k.Name], k)
	}
	out := []hab.Ident{}
	for name, ks := range byName {
		if k, ok := hab.Newest(ks, releaseOrder); ok {
			out = append(out, hab.Ident{Origin: ns.Name, Name: name, Version: k.Version, Release: k.Release})
		}
	}
	slices.SortFunc(out, func(a, b hab.Ident) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}
