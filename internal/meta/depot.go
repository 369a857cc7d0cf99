package meta

import (
	"context"
	"time"
)

// The depot aggregates hold what Habitat packages need beyond the core's
// repositories, versions and files. A Habitat package is a repository of
// type "hab" named "<origin>/<name>" in the origin's namespace; each
// release for one target is a version of it, its Version string
// "<version>/<release>/<target>", with the .hart as its lead file. A
// Release row indexes that version for the queries the depot answers.
// Rows of every depot table go with the version, repository, namespace or
// user they belong to.

// Package visibilities.
const (
	VisibilityPublic  = "public"
	VisibilityPrivate = "private"
	VisibilityHidden  = "hidden"
)

// Release indexes one Habitat package release for one target.
type Release struct {
	VersionID   int64 // the core version; also the release's id
	RepoID      int64
	NamespaceID int64
	Origin      string
	Name        string
	Version     string
	Release     string
	Target      string
	Checksum    string // lower-case hex BLAKE2b-256 of the whole .hart
	Visibility  string // one of the Visibility* values
	PackageType string // "standard" or "native"
	// TDeps are the fully qualified idents the release depends on at run
	// time, transitively, as "origin/name/version/release".
	TDeps   []string
	OwnerID int64
	Created time.Time
	Updated time.Time
}

// ReleaseFilter selects releases. Zero fields select everything.
type ReleaseFilter struct {
	NamespaceID int64
	Name        string // exact
	Version     string // exact
	Release     string // exact
	Target      string
	ChannelID   int64 // only releases in this channel
	// Visibility: a release is selected when its visibility is in
	// Visibilities, or when its namespace is in AllIn. An empty
	// Visibilities selects every visibility (AllIn is then ignored).
	Visibilities []string
	AllIn        []int64
	// Terms, when set, keeps the releases where every term is a
	// case-insensitive prefix of the origin, the name, the version, the
	// release or a word of the name (words split on '-', '_' and '.').
	Terms []string
}

// ReleaseKey is what ordering a release needs.
type ReleaseKey struct {
	VersionID  int64
	Name       string
	Version    string
	Release    string
	Target     string
	Visibility string
}

// IdentRow is one fully qualified ident with the targets it exists for.
type IdentRow struct {
	Origin, Name, Version, Release string
	Targets                        []string // sorted
	VersionIDs                     []int64  // one per target, same order
}

// MergeIdentRows merges each run of rows of one ident into its first row,
// joining their Targets and VersionIDs in order. A store that reads one
// row per release, ordered by ident then target, makes ListIdents' answer
// with it. It reuses rows' array.
func MergeIdentRows(rows []IdentRow) []IdentRow {
	out := rows[:0]
	for _, r := range rows {
		if k := len(out) - 1; k >= 0 && out[k].Origin == r.Origin && out[k].Name == r.Name &&
			out[k].Version == r.Version && out[k].Release == r.Release {
			out[k].Targets = append(out[k].Targets, r.Targets...)
			out[k].VersionIDs = append(out[k].VersionIDs, r.VersionIDs...)
			continue
		}
		out = append(out, r)
	}
	return out
}

// NameRow is one package name of an origin.
type NameRow struct {
	Origin, Name string
}

// Releases reads and writes the release index.
type Releases interface {
	// CreateRelease inserts r for an existing version, with its TDeps.
	// Errors: errs.Exists when the version is indexed already;
	// errs.NotFound when the version does not exist.
	CreateRelease(ctx context.Context, r *Release) error
	// GetRelease returns the release of an ident for a target; an empty
	// target returns the one with the smallest target. Errors:
	// errs.NotFound.
	GetRelease(ctx context.Context, namespaceID int64, name, version, release, target string) (Release, error)
	// GetReleaseByVersion returns the release of a version.
	GetReleaseByVersion(ctx context.Context, versionID int64) (Release, error)
	// ListReleaseKeys returns the keys of every release f selects, in no
	// particular order: "latest" is chosen by the caller.
	ListReleaseKeys(ctx context.Context, f ReleaseFilter) ([]ReleaseKey, error)
	// ListIdents returns the distinct idents f selects, ordered by
	// "origin/name/version/release" bytewise (descending when desc),
	// skipping offset and returning at most limit (<= 0: all), and how
	// many idents f selects in all.
	ListIdents(ctx context.Context, f ReleaseFilter, desc bool, offset, limit int) ([]IdentRow, int, error)
	// ListNames returns the distinct (origin, name) pairs f selects,
	// ordered by name then origin bytewise, paged as ListIdents.
	ListNames(ctx context.Context, f ReleaseFilter, offset, limit int) ([]NameRow, int, error)
	// SetReleaseVisibility sets the visibility of an ident's releases for
	// every target. Errors: errs.NotFound when the ident has no release.
	SetReleaseVisibility(ctx context.Context, namespaceID int64, name, version, release, visibility string) error
	// ListRDeps returns the distinct (origin, name) of the releases for
	// target whose TDeps contain a release of origin/name, ordered by
	// origin then name.
	ListRDeps(ctx context.Context, origin, name, target string) ([]NameRow, error)
	// CountRDeps reports how many releases of other packages have a
	// release of origin/name among their TDeps, for any target.
	CountRDeps(ctx context.Context, origin, name string) (int, error)
}

// Channel is a named set of releases of an origin.
type Channel struct {
	ID          int64
	NamespaceID int64
	Name        string // case-sensitive
	OwnerID     int64
	Created     time.Time
	Updated     time.Time
}

// ChannelMembership is a release's place in a channel.
type ChannelMembership struct {
	ChannelID int64
	Channel   string // the channel's name
	VersionID int64
	Created   time.Time // when it was added
	Updated   time.Time // when it was last promoted
}

// Channels reads and writes channels and what they hold.
type Channels interface {
	// CreateChannel inserts c and sets c.ID, c.Created and c.Updated.
	// Errors: errs.Exists when the origin has a channel of that name.
	CreateChannel(ctx context.Context, c *Channel) error
	// GetChannel returns an origin's channel by exact name.
	GetChannel(ctx context.Context, namespaceID int64, name string) (Channel, error)
	// ListChannels returns an origin's channels ordered by name bytewise.
	ListChannels(ctx context.Context, namespaceID int64) ([]Channel, error)
	// DeleteChannel removes a channel and its memberships. Errors:
	// errs.NotFound.
	DeleteChannel(ctx context.Context, id int64) error
	// AddToChannel puts a version in a channel and reports whether it was
	// not there yet. Errors: errs.NotFound when either does not exist.
	AddToChannel(ctx context.Context, channelID, versionID int64) (bool, error)
	// RemoveFromChannel takes a version out of a channel and reports
	// whether it was there.
	RemoveFromChannel(ctx context.Context, channelID, versionID int64) (bool, error)
	// ListVersionChannels returns the channel memberships of the versions,
	// each version's ordered by channel name bytewise.
	ListVersionChannels(ctx context.Context, versionIDs []int64) (map[int64][]ChannelMembership, error)
	// CopyChannel adds to channel dst every version of channel src that is
	// not in it yet and records for each an event like e (whose
	// Operation, Channel, RequesterID and Trigger it takes) about the
	// version's release, in one transaction; it reports how many it added.
	// Errors: errs.Invalid for a bad e.
	CopyChannel(ctx context.Context, src, dst int64, e DepotEvent) (int, error)
	// SubtractChannel removes from channel dst every version that is in
	// channel src, recording an event like e for each, in one
	// transaction, and reports how many it removed.
	SubtractChannel(ctx context.Context, src, dst int64, e DepotEvent) (int, error)
}

// Event operations.
const (
	EventPromote = "Promote"
	EventDemote  = "Demote"
)

// DepotEvent records a promotion or a demotion.
type DepotEvent struct {
	ID          int64
	NamespaceID int64
	Operation   string // EventPromote or EventDemote
	Channel     string
	Origin      string
	Name        string
	Version     string
	Release     string
	Target      string
	Visibility  string // the release's visibility when it happened
	RequesterID int64
	Trigger     string // "HabClient", "BuilderUi" or "Unknown"
	Created     time.Time
}

// EventFilter selects depot events created in [From, To), newest first.
type EventFilter struct {
	From, To time.Time
	Channel  string // exact; "" every channel
	// Query keeps the events whose "origin/name/version/release"
	// contains it, case-insensitively.
	Query string
	// Visibility as ReleaseFilter: events of public releases, of every
	// release in the namespaces AllIn, and those RequesterID requested
	// (when not 0).
	AllIn       []int64
	RequesterID int64
	Offset      int
	Limit       int // <= 0: all
}

// DepotEvents writes and reads promotion events.
type DepotEvents interface {
	// AddDepotEvent inserts e and sets e.ID and, when zero, e.Created.
	AddDepotEvent(ctx context.Context, e *DepotEvent) error
	// SetEventVisibility records a new visibility of an ident's releases
	// on the events about them, so that the events list hides what the
	// release list hides.
	SetEventVisibility(ctx context.Context, namespaceID int64, name, version, release, visibility string) error
	// ListDepotEvents returns the events f selects and how many it
	// selects in all.
	ListDepotEvents(ctx context.Context, f EventFilter) ([]DepotEvent, int, error)
}

// Origin holds an organisation's Habitat settings. An organisation
// without a row has the defaults: public packages.
type Origin struct {
	NamespaceID       int64
	DefaultVisibility string // VisibilityPublic or VisibilityPrivate
	Created           time.Time
	Updated           time.Time
}

// PackageSettings holds the settings of one Habitat package name: the
// visibility its new releases get. It belongs to the package's
// repository.
type PackageSettings struct {
	RepoID      int64
	NamespaceID int64
	Origin      string
	Name        string
	Visibility  string
	OwnerID     int64
	Created     time.Time
	Updated     time.Time
}

// Origins reads and writes the Habitat settings of organisations and of
// their packages.
type Origins interface {
	// PutOrigin creates or replaces an origin's settings and sets
	// o.Created (on creation) and o.Updated.
	PutOrigin(ctx context.Context, o *Origin) error
	// GetOrigin returns an origin's settings. Errors: errs.NotFound when
	// it has none.
	GetOrigin(ctx context.Context, namespaceID int64) (Origin, error)
	// CreatePackageSettings inserts s and sets its times. Errors:
	// errs.Exists when the repository has settings; errs.NotFound when it
	// does not exist.
	CreatePackageSettings(ctx context.Context, s *PackageSettings) error
	// GetPackageSettings returns the settings of a repository.
	GetPackageSettings(ctx context.Context, repoID int64) (PackageSettings, error)
	// UpdatePackageSettings stores s.Visibility. Errors: errs.NotFound.
	UpdatePackageSettings(ctx context.Context, s PackageSettings) error
	// ListPackageSettings returns an origin's package settings with a
	// visibility in visibilities (empty: all), ordered by name bytewise,
	// paged as ListIdents, and how many there are in all.
	ListPackageSettings(ctx context.Context, namespaceID int64, visibilities []string, offset, limit int) ([]PackageSettings, int, error)
	// DeletePackageSettings removes the settings of a repository that has
	// no release, in one statement. Errors: errs.NotFound; errs.Conflict
	// while the repository has releases.
	DeletePackageSettings(ctx context.Context, repoID int64) error
	// CountPackageSettings reports how many package settings an origin has.
	CountPackageSettings(ctx context.Context, namespaceID int64) (int, error)
}

// Origin key kinds.
const (
	KeySigPublic = "sig-public" // SIG-PUB-1, stored as text
	KeySigSecret = "sig-secret" // SIG-SEC-1, stored sealed
	KeyBoxPublic = "box-public" // BOX-PUB-1, stored as text
	KeyBoxSecret = "box-secret" // BOX-SEC-1, stored sealed
)

// OriginKey is one key file of an origin.
type OriginKey struct {
	ID          int64
	NamespaceID int64
	Kind        string // one of the Key* kinds
	Revision    string // 14-digit UTC stamp
	Body        []byte // the key file, or for secret kinds the sealed key file
	OwnerID     int64
	Created     time.Time
}

// OriginSecret is a named value sealed to an origin's encryption key.
type OriginSecret struct {
	ID          int64
	NamespaceID int64
	Name        string
	Value       string // an ANONYMOUS-BOX-1 text, as received
	OwnerID     int64
	Created     time.Time
}

// Integration is a named set of credentials an origin keeps for one kind
// of outside service.
type Integration struct {
	ID          int64
	NamespaceID int64
	Integration string // the kind, e.g. "docker"
	Name        string
	Body        []byte // the JSON body, sealed
	Created     time.Time
	Updated     time.Time
}

// OriginKeys reads and writes origin keys, secrets and integrations.
type OriginKeys interface {
	// CreateOriginKey inserts k and sets k.ID and k.Created. Errors:
	// errs.Exists when the origin has a key of that kind and revision.
	CreateOriginKey(ctx context.Context, k *OriginKey) error
	// GetOriginKey returns a key by kind and revision.
	GetOriginKey(ctx context.Context, namespaceID int64, kind, revision string) (OriginKey, error)
	// LatestOriginKey returns the key of a kind with the highest revision.
	LatestOriginKey(ctx context.Context, namespaceID int64, kind string) (OriginKey, error)
	// ListOriginKeys returns the keys of a kind, highest revision first.
	ListOriginKeys(ctx context.Context, namespaceID int64, kind string) ([]OriginKey, error)

	// CreateOriginSecret inserts s and sets s.ID and s.Created. Errors:
	// errs.Exists when the origin has a secret of that name.
	CreateOriginSecret(ctx context.Context, s *OriginSecret) error
	// ListOriginSecrets returns an origin's secrets ordered by name.
	ListOriginSecrets(ctx context.Context, namespaceID int64) ([]OriginSecret, error)
	// DeleteOriginSecret removes a secret and reports whether it existed.
	DeleteOriginSecret(ctx context.Context, namespaceID int64, name string) (bool, error)

	// PutIntegration creates or replaces an integration and sets its
	// ID and times.
	PutIntegration(ctx context.Context, i *Integration) error
	// GetIntegration returns an integration.
	GetIntegration(ctx context.Context, namespaceID int64, integration, name string) (Integration, error)
	// ListIntegrations returns an origin's integrations ordered by kind
	// then name.
	ListIntegrations(ctx context.Context, namespaceID int64) ([]Integration, error)
	// DeleteIntegration removes an integration. Errors: errs.NotFound.
	DeleteIntegration(ctx context.Context, namespaceID int64, integration, name string) error
}

// OriginInvitation invites a user to become a member of an origin.
type OriginInvitation struct {
	ID          int64
	NamespaceID int64
	UserID      int64
	InviterID   int64
	Ignored     bool
	Created     time.Time
	Updated     time.Time
	// Filled when reading.
	Origin   string
	UserName string
}

// OriginInvitations reads and writes origin invitations.
type OriginInvitations interface {
	// CreateOriginInvitation inserts i and sets i.ID and its times.
	// Errors: errs.Exists when the user is invited to the origin already.
	CreateOriginInvitation(ctx context.Context, i *OriginInvitation) error
	// GetOriginInvitation returns an invitation.
	GetOriginInvitation(ctx context.Context, id int64) (OriginInvitation, error)
	// ListOriginInvitations returns an origin's invitations, oldest first.
	ListOriginInvitations(ctx context.Context, namespaceID int64) ([]OriginInvitation, error)
	// ListUserInvitations returns the invitations of a user that are not
	// ignored, oldest first.
	ListUserInvitations(ctx context.Context, userID int64) ([]OriginInvitation, error)
	// IgnoreOriginInvitation marks an invitation ignored. Errors:
	// errs.NotFound.
	IgnoreOriginInvitation(ctx context.Context, id int64) error
	// DeleteOriginInvitation removes an invitation. Errors: errs.NotFound.
	DeleteOriginInvitation(ctx context.Context, id int64) error
}
