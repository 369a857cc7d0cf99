package habitat

import (
	"wharf/internal/depot"
	"wharf/internal/format/hab"
	"wharf/internal/meta"
)

// identJSON is Builder's package ident; a partial ident has a null
// version and release.
type identJSON struct {
	Origin  string  `json:"origin"`
	Name    string  `json:"name"`
	Version *string `json:"version"`
	Release *string `json:"release"`
}

func identOf(ident hab.Ident) identJSON {
	j := identJSON{Origin: ident.Origin, Name: ident.Name}
	if ident.Version != "" {
		j.Version = &ident.Version
	}
	if ident.Release != "" {
		j.Release = &ident.Release
	}
	return j
}

func identsOf(idents []hab.Ident) []identJSON {
	out := make([]identJSON, len(idents))
	for i, ident := range idents {
		out[i] = identOf(ident)
	}
	return out
}

// nonNil returns s, or an empty list for nil: Builder's arrays are
// never null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// identChannelsJSON is an item of the package lists under /depot/pkgs/.
type identChannelsJSON struct {
	identJSON
	Channels  []string `json:"channels"`
	Platforms []string `json:"platforms"`
}

func identItemsOf(items []depot.IdentItem) []identChannelsJSON {
	out := make([]identChannelsJSON, len(items))
	for i, it := range items {
		out[i] = identChannelsJSON{identJSON: identOf(it.Ident), Channels: nonNil(it.Channels), Platforms: nonNil(it.Platforms)}
	}
	return out
}

// bareIdents returns the idents of items, as the channel lists give them.
func bareIdents(items []depot.IdentItem) []identJSON {
	out := make([]identJSON, len(items))
	for i, it := range items {
		out[i] = identOf(it.Ident)
	}
	return out
}

// packageJSON is Builder's package object.
type packageJSON struct {
	ID          string      `json:"id"`
	OwnerID     string      `json:"owner_id"`
	Name        string      `json:"name"`
	Origin      string      `json:"origin"`
	Ident       identJSON   `json:"ident"`
	IdentArray  []string    `json:"ident_array"`
	Checksum    string      `json:"checksum"`
	Manifest    string      `json:"manifest"`
	Config      string      `json:"config"`
	Target      string      `json:"target"`
	Deps        []identJSON `json:"deps"`
	TDeps       []identJSON `json:"tdeps"`
	BuildDeps   []identJSON `json:"build_deps"`
	BuildTDeps  []identJSON `json:"build_tdeps"`
	Exposes     []uint16    `json:"exposes"`
	Visibility  string      `json:"visibility"`
	CreatedAt   string      `json:"created_at"`
	UpdatedAt   string      `json:"updated_at"`
	PackageType string      `json:"package_type"`
	Channels    []string    `json:"channels"`
	IsAService  bool        `json:"is_a_service"`
	Size        *int64      `json:"size,omitempty"`
}

// packageOf renders a package as the channel routes give it: with its
// manifest and config, without size.
func packageOf(p depot.Package) packageJSON {
	ident := p.Ident()
	return packageJSON{
		ID:          id(p.VersionID),
		OwnerID:     id(p.OwnerID),
		Name:        p.Name,
		Origin:      p.Origin,
		Ident:       identOf(ident),
		IdentArray:  []string{ident.Origin, ident.Name, ident.Version, ident.Release},
		Checksum:    p.Checksum,
		Manifest:    p.Manifest,
		Config:      p.Config,
		Target:      p.Target,
		Deps:        identsOf(p.Deps),
		TDeps:       identsOf(p.TDeps),
		BuildDeps:   identsOf(p.BuildDeps),
		BuildTDeps:  identsOf(p.BuildTDeps),
		Exposes:     nonNil(p.Exposes),
		Visibility:  p.Visibility,
		CreatedAt:   stamp(p.Created),
		UpdatedAt:   stamp(p.Updated),
		PackageType: hab.PackageType(p.PackageType).Title(),
		Channels:    nonNil(p.Channels),
		IsAService:  p.IsAService,
	}
}

// depotPackageOf renders a package as the /depot/pkgs/ routes give it:
// manifest and config blanked, size added.
func depotPackageOf(p depot.Package) packageJSON {
	j := packageOf(p)
	j.Manifest, j.Config = "", ""
	size := p.Size
	j.Size = &size
	return j
}

// versionJSON summarises one version of a package.
type versionJSON struct {
	Origin       string   `json:"origin"`
	Name         string   `json:"name"`
	Version      string   `json:"version"`
	ReleaseCount string   `json:"release_count"`
	Latest       string   `json:"latest"`
	Platforms    []string `json:"platforms"`
	Visibility   string   `json:"visibility"`
}

// releaseChannelJSON is a channel holding a release.
type releaseChannelJSON struct {
	Name       string `json:"name"`
	CreatedAt  string `json:"created_at"`
	PromotedAt string `json:"promoted_at"`
}

// packageSettingsJSON is Builder's package settings object.
type packageSettingsJSON struct {
	ID         string `json:"id"`
	Origin     string `json:"origin"`
	Name       string `json:"name"`
	Visibility string `json:"visibility"`
	OwnerID    string `json:"owner_id"`
	Hidden     bool   `json:"hidden"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
}

func packageSettingsOf(s meta.PackageSettings) packageSettingsJSON {
	return packageSettingsJSON{ID: id(s.RepoID), Origin: s.Origin, Name: s.Name, Visibility: s.Visibility,
		OwnerID: id(s.OwnerID), CreatedAt: stamp(s.Created), UpdatedAt: stamp(s.Updated)}
}

// channelJSON is a created channel.
type channelJSON struct {
	ID        string `json:"id"`
	OwnerID   string `json:"owner_id"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
	Origin    string `json:"origin"`
}

// eventJSON is a promotion or demotion.
type eventJSON struct {
	Operation    string    `json:"operation"`
	CreatedAt    string    `json:"created_at"`
	Origin       string    `json:"origin"`
	Channel      string    `json:"channel"`
	PackageIdent identJSON `json:"package_ident"`
}
