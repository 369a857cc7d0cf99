package meta

import (
	"strings"
	"time"
)

// NamespaceKind says what owns a namespace.
type NamespaceKind string

// Namespace kinds.
const (
	KindUser NamespaceKind = "user"
	KindOrg  NamespaceKind = "org"
)

// Namespace is the owner of repositories. Name is lower case and unique.
type Namespace struct {
	ID      int64
	Name    string
	Kind    NamespaceKind
	Public  bool // anonymous callers may read what it owns when the repository allows
	Created time.Time
	// Organisation settings; users keep theirs on User.
	Email               string
	InvoiceEmail        bool
	InvoiceEmailAddress string
	TagExpirationSecs   int64 // how long deleted tags stay restorable
}

// DefaultTagExpirationSecs is the TagExpirationSecs of a new namespace:
// two weeks.
const DefaultTagExpirationSecs = 14 * 24 * 3600

// User is an account that can sign in. Each person owns the namespace of
// the same name. A robot (Robot set) is an account of a namespace, named
// "<namespace>+<short name>", that signs in with a generated secret; its
// NamespaceID is the namespace it belongs to.
type User struct {
	ID           int64
	Name         string
	Email        string
	PasswordHash string // an encoded slow hash, never the password
	Superuser    bool
	Disabled     bool
	NamespaceID  int64
	Created      time.Time

	Robot        bool
	Description  string
	Metadata     []byte // a robot's unstructured metadata, a JSON object; nil for none
	SealedSecret []byte // a robot's secret, sealed with the server key
	SecretHash   string // hex sha256 of a robot's secret
	LastAccessed time.Time
}

// Token kinds.
const (
	TokenAPI   = "api"   // an API token made by the user or an operator
	TokenApp   = "app"   // an application-specific token, for registry logins
	TokenOAuth = "oauth" // an OAuth access token issued through an App
)

// Token is a bearer credential of a user. Only a hash of its secret is
// stored, and for kinds whose secret is shown again, a sealed copy.
type Token struct {
	ID       int64
	UserID   int64
	Name     string
	Hash     string   // hex sha256 of the secret
	Scopes   []string // empty means every right of the user
	Created  time.Time
	Expires  time.Time // zero means never
	LastUsed time.Time // zero means never used

	Kind   string // TokenAPI when empty
	UUID   string // a public identifier, unique when set
	AppID  int64  // the App that issued an OAuth token
	Sealed []byte // the secret sealed with the server key, or nil
}

// Repository is a named collection of versions of one type.
type Repository struct {
	ID          int64
	NamespaceID int64
	Type        string
	Name        string
	Public      bool
	Created     time.Time

	Description  string
	TrustEnabled bool
}

// NamespaceOf returns the namespace part of a repository name: everything
// before the first slash, or the whole name when it has none.
func NamespaceOf(repoName string) string {
	ns, _, _ := strings.Cut(repoName, "/")
	return ns
}

// Version is one version of a repository: a manifest for OCI, a version
// string with files for generic packages.
type Version struct {
	ID           int64
	RepoID       int64
	Version      string // OCI: the manifest digest
	MediaType    string
	ArtifactType string
	Subject      string // digest of the version this one refers to, or ""
	BlobDigest   string // the version's own content, or "" when it has none
	Size         int64
	Metadata     []byte // format-specific JSON, may be nil
	Annotations  []byte // JSON object of annotations, may be nil
	Downloads    int64
	CreatorID    int64 // the user who created it, or 0 when not recorded
	Created      time.Time
}

// RefKind says what a version refers to.
type RefKind string

// Reference kinds.
const (
	RefBlob    RefKind = "blob"    // a blob linked to the repository
	RefVersion RefKind = "version" // another version of the same repository (index children)
)

// Ref is an outgoing reference of a version, recorded when it is created.
type Ref struct {
	Kind   RefKind
	Digest string
}

// File is a named blob of a version.
type File struct {
	ID        int64
	VersionID int64
	Name      string
	Digest    string
	Size      int64
	Lead      bool
	// MD5, SHA1 and SHA512 are lower-case hex digests of the content, or
	// "" when they were not recorded. Digest is the SHA-256 one.
	MD5, SHA1, SHA512 string
	Created           time.Time
}

// OwnerVersion is a version listed with its repository and its creator.
type OwnerVersion struct {
	Version
	Repo Repository
	// Creator is the version's creator with ID, Name, Email and Created
	// set, or the zero User when none is recorded.
	Creator User
}

// VersionFilter selects the versions ListOwnerVersions returns.
type VersionFilter struct {
	Type string // repository type; required
	// NameContains keeps repositories whose name after the namespace
	// prefix (everything up to the first slash) contains it,
	// case-insensitively; "" keeps all.
	NameContains string
	PublicOnly   bool // keep only versions of public repositories
	Offset       int  // rows to skip
	Limit        int  // rows to return at most; <= 0 means no limit
}

// Blob is content known to the blob store.
type Blob struct {
	Digest  string
	Size    int64
	Created time.Time
}

// Tag is a movable name pointing at a version.
type Tag struct {
	RepoID    int64
	Name      string
	VersionID int64
	Digest    string // the version string of the tagged version
	Updated   time.Time
}

// Upload is a resumable blob upload session. HashState is the marshalled
// running hash of the first Size bytes, so an upload resumes after a restart.
type Upload struct {
	ID        string
	RepoID    int64
	Size      int64
	HashState []byte
	Created   time.Time
	Updated   time.Time
}

// Page asks for at most Limit rows strictly after the key After, in key
// order. Limit <= 0 means no limit.
type Page struct {
	After string
	Limit int
}

// GeneratedKey names a package generated from an outside source. Its
// parts are compared exactly; callers normalise them.
type GeneratedKey struct {
	Source  string // where it came from, e.g. "github:org/repo"
	Ref     string // the immutable revision, e.g. a commit SHA
	Path    string // the root file within the source
	Variant string // anything else that shaped the result, e.g. a layout version
}

// GeneratedPackage is a generated package kept as a blob.
type GeneratedPackage struct {
	GeneratedKey
	Digest  string
	Size    int64
	Created time.Time
}
