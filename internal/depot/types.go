package depot

import (
	"io"
	"time"

	"wharf/internal/blob"
	"wharf/internal/format/hab"
	"wharf/internal/meta"
)

// Package is a release with what its archive says.
type Package struct {
	meta.Release
	Manifest   string
	Config     string
	Deps       []hab.Ident
	TDeps      []hab.Ident
	BuildDeps  []hab.Ident
	BuildTDeps []hab.Ident
	Exposes    []uint16
	Size       int64    // bytes of the .hart
	Channels   []string // the channels holding this release, by name
	IsAService bool
}

// Ident returns the release's ident.
func (p Package) Ident() hab.Ident {
	return hab.Ident{Origin: p.Origin, Name: p.Name, Version: p.Version, Release: p.Release.Release}
}

// Page is one page of a longer list.
type Page[T any] struct {
	Items []T
	Total int // items in the whole list
}

// IdentItem is a listed ident with the channels and targets it is in.
type IdentItem struct {
	hab.Ident
	Channels  []string // for every target, by name
	Platforms []string // targets, sorted
}

// ListRequest selects idents of an origin.
type ListRequest struct {
	Origin  string
	Name    string // "" every package
	Version string // "" every version; needs Name
	Channel string // "" every release; else only those in the channel
	Target  string // "" every target
	Desc    bool   // newest ident string first
	Offset  int
	Limit   int // <= 0: all
}

// LatestRequest asks for the newest release of a package.
type LatestRequest struct {
	Origin  string
	Name    string
	Version string // "" any version
	Channel string // "" any channel
	Target  string
}

// VersionSummary describes one version of a package with one visibility.
type VersionSummary struct {
	Origin       string
	Name         string
	Version      string
	ReleaseCount int
	Latest       string   // the highest release
	Platforms    []string // sorted
	Visibility   string
}

// UploadRequest carries a .hart.
type UploadRequest struct {
	Ident    hab.Ident // from the URL; must be fully qualified
	Target   string    // the target the client names, for the pre-check
	Checksum string    // the BLAKE2b-256 the client computed
	Forced   bool
	Body     io.Reader
}

// Download is an opened .hart.
type Download struct {
	Release meta.Release
	Size    int64
	Body    blob.Reader
}

// FileName is the .hart's file name.
func (d Download) FileName() string {
	id := hab.Ident{Origin: d.Release.Origin, Name: d.Release.Name, Version: d.Release.Version, Release: d.Release.Release}
	return id.ArchiveName(d.Release.Target)
}

// PromoteRequest moves one release into or out of a channel.
type PromoteRequest struct {
	Ident   hab.Ident
	Target  string
	Channel string
	Trigger string // who asked: "HabClient", "BuilderUi" or "Unknown"
}

// EventRequest selects promotion events.
type EventRequest struct {
	From, To time.Time // To exclusive
	Channel  string
	Query    string
	Offset   int
	Limit    int
}
