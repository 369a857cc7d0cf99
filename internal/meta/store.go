package meta

import (
	"context"
	"time"
)

// Store is a metadata store. Its Queries run each on their own, outside any
// transaction; Tx runs a function in one read-write transaction.
type Store interface {
	Queries

	// Tx runs fn in a read-write transaction and commits when fn returns
	// nil; any error rolls back and is returned unchanged. fn must use only
	// the Queries it is given and must not retain them. Transactions that
	// conflict are retried by the store, so fn may run more than once and
	// must not have side effects outside q.
	Tx(ctx context.Context, fn func(q Queries) error) error

	// Ping reports whether the store answers.
	Ping(ctx context.Context) error

	// Close releases the store's connections.
	Close() error
}

// Queries is every query of the store, grouped by aggregate.
type Queries interface {
	Namespaces
	Users
	Tokens
	Repositories
	Versions
	Files
	Tags
	Blobs
	Uploads
	Teams
	Invites
	Permissions
	Prototypes
	Stars
	Apps
	Logs
	Members
	GeneratedPackages
	Releases
	Channels
	DepotEvents
	Origins
	OriginKeys
	OriginInvitations
}

// Namespaces reads and writes owners.
type Namespaces interface {
	// CreateNamespace inserts n and sets n.ID and n.Created.
	// Errors: errs.Exists when the name is taken.
	CreateNamespace(ctx context.Context, n *Namespace) error
	// GetNamespace returns the namespace named name (case-insensitive).
	GetNamespace(ctx context.Context, name string) (Namespace, error)
	// GetNamespaceByID returns the namespace with id.
	GetNamespaceByID(ctx context.Context, id int64) (Namespace, error)
	// LockNamespace is GetNamespaceByID that, inside a transaction, also
	// holds the namespace until the transaction ends against other
	// transactions that lock it: transactions that lock one namespace run
	// one after the other, and each sees what those before it committed.
	// Outside a transaction it is GetNamespaceByID.
	LockNamespace(ctx context.Context, id int64) (Namespace, error)
	// UpdateNamespace stores n's Public and organisation settings. Errors:
	// errs.NotFound.
	UpdateNamespace(ctx context.Context, n Namespace) error
	// DeleteNamespace removes a namespace with its teams, robots,
	// prototypes and applications. Errors: errs.NotFound; errs.Conflict
	// while it owns repositories or a person's account.
	DeleteNamespace(ctx context.Context, id int64) error
	// ListNamespaces returns the namespaces f selects.
	ListNamespaces(ctx context.Context, f NamespaceFilter) ([]Namespace, error)
}

// Users reads and writes accounts.
type Users interface {
	// CreateUser inserts u and sets u.ID and u.Created. Its namespace must
	// exist. Errors: errs.Exists when the name is taken.
	CreateUser(ctx context.Context, u *User) error
	// GetUser returns the user named name (case-insensitive).
	GetUser(ctx context.Context, name string) (User, error)
	// GetUserByID returns the user with id.
	GetUserByID(ctx context.Context, id int64) (User, error)
	// LockUser is GetUserByID that, inside a transaction, also holds the
	// user until the transaction ends against other transactions that lock
	// it: transactions that lock one user run one after the other, and each
	// sees what those before it committed. Outside a transaction it is
	// GetUserByID.
	LockUser(ctx context.Context, id int64) (User, error)
	// UpdateUser stores every field of u but ID, NamespaceID, Robot and
	// Created.
	UpdateUser(ctx context.Context, u User) error
	// DeleteUser removes an account with its tokens, team memberships,
	// invitations, permissions, prototypes naming it and stars; versions
	// it created keep a zero CreatorID. Errors: errs.NotFound.
	DeleteUser(ctx context.Context, id int64) error
	// ListUsers returns the accounts f selects.
	ListUsers(ctx context.Context, f UserFilter) ([]User, error)
}

// Tokens reads and writes bearer tokens.
type Tokens interface {
	// CreateToken inserts t and sets t.ID and t.Created.
	// Errors: errs.Exists when the hash is taken.
	CreateToken(ctx context.Context, t *Token) error
	// GetTokenByHash returns the token whose secret hashes to hash.
	GetTokenByHash(ctx context.Context, hash string) (Token, error)
	// GetTokenByUUID returns the token with a public identifier.
	GetTokenByUUID(ctx context.Context, uuid string) (Token, error)
	// ListTokens returns the user's tokens, oldest first.
	ListTokens(ctx context.Context, userID int64) ([]Token, error)
	// ListAppTokens returns the tokens an App issued, oldest first.
	ListAppTokens(ctx context.Context, appID int64) ([]Token, error)
	// TouchToken sets the token's LastUsed.
	TouchToken(ctx context.Context, id int64, at time.Time) error
	// DeleteToken removes a token. Errors: errs.NotFound.
	DeleteToken(ctx context.Context, id int64) error
}

// Repositories reads and writes repositories.
type Repositories interface {
	// CreateRepo inserts r and sets r.ID and r.Created.
	// Errors: errs.Exists when a repository of that type and name (case-
	// insensitive) exists.
	CreateRepo(ctx context.Context, r *Repository) error
	// GetRepo returns the repository of type typ named name (case-insensitive).
	GetRepo(ctx context.Context, typ, name string) (Repository, error)
	// GetRepoByID returns the repository with id.
	GetRepoByID(ctx context.Context, id int64) (Repository, error)
	// ListRepos returns repositories of type typ ordered by lower-cased name,
	// paged by that name.
	ListRepos(ctx context.Context, typ string, p Page) ([]Repository, error)
	// ListNamespaceRepos returns the repositories of type typ in a namespace,
	// ordered and paged as ListRepos.
	ListNamespaceRepos(ctx context.Context, namespaceID int64, typ string, p Page) ([]Repository, error)
	// SetRepoPublic changes a repository's visibility. Errors: errs.NotFound.
	SetRepoPublic(ctx context.Context, id int64, public bool) error
	// UpdateRepo stores r's Description and TrustEnabled. Errors:
	// errs.NotFound.
	UpdateRepo(ctx context.Context, r Repository) error
	// DeleteRepo removes a repository with its versions, files, tags, blob
	// links, upload sessions, permissions and stars, and returns the ids
	// of those sessions, so that the caller can discard their data; a
	// session created in the repository concurrently is either listed or
	// refused (errs.NotFound from CreateUpload). Blobs stay for garbage
	// collection. Errors: errs.NotFound.
	DeleteRepo(ctx context.Context, id int64) (uploads []string, err error)
	// DeleteUnusedRepo removes a repository, atomically, only while
	// nothing is in or refers to it: no version, tag, blob link, upload
	// session, star or package settings. An upload session created in the
	// repository concurrently either keeps it or is refused (errs.NotFound
	// from CreateUpload). It reports whether it removed the repository; a
	// missing repository is not an error.
	DeleteUnusedRepo(ctx context.Context, id int64) (bool, error)
}

// Versions reads and writes versions and their references.
type Versions interface {
	// CreateVersion inserts v with its outgoing refs and sets v.ID and
	// v.Created. Errors: errs.Exists when the repository has a version with
	// that string (case-insensitive); nothing is written then.
	CreateVersion(ctx context.Context, v *Version, refs []Ref) error
	// GetVersion returns the version of a repository by its string
	// (case-insensitive).
	GetVersion(ctx context.Context, repoID int64, version string) (Version, error)
	// LockVersion is GetVersion that, inside a transaction, also holds the
	// version until the transaction ends against other transactions that
	// lock it, delete it or add files to it: transactions that lock one
	// version run one after the other, and each sees what those before it
	// committed. Outside a transaction it is GetVersion.
	LockVersion(ctx context.Context, repoID int64, version string) (Version, error)
	// GetVersionByID returns the version with id.
	GetVersionByID(ctx context.Context, id int64) (Version, error)
	// ListVersions returns a repository's versions, newest first.
	ListVersions(ctx context.Context, repoID int64) ([]Version, error)
	// ListOwnerVersions returns the versions of a namespace's repositories
	// that f selects, newest first (by Created, then by ID, both
	// descending), from f.Offset for at most f.Limit rows, and how many
	// versions f selects in all.
	ListOwnerVersions(ctx context.Context, namespaceID int64, f VersionFilter) ([]OwnerVersion, int, error)
	// ListReferrers returns the versions of a repository whose Subject is
	// subject, oldest first; when artifactType is not empty only those of that
	// artifact type.
	ListReferrers(ctx context.Context, repoID int64, subject, artifactType string) ([]Version, error)
	// CountVersionParents reports how many versions of the repository refer
	// to the version (as RefVersion).
	CountVersionParents(ctx context.Context, repoID int64, digest string) (int, error)
	// AddDownload increments a version's download counter.
	AddDownload(ctx context.Context, id int64) error
	// DeleteVersion removes a version with its refs, files and the tags that
	// point at it. Errors: errs.NotFound.
	DeleteVersion(ctx context.Context, id int64) error
}

// Files reads and writes the files of versions.
type Files interface {
	// CreateFile inserts f and sets f.ID and f.Created.
	// Errors: errs.Exists when the version has a file of that name
	// (case-insensitive).
	CreateFile(ctx context.Context, f *File) error
	// GetFile returns a version's file by name (case-insensitive).
	GetFile(ctx context.Context, versionID int64, name string) (File, error)
	// ListFiles returns a version's files ordered by name.
	ListFiles(ctx context.Context, versionID int64) ([]File, error)
	// DeleteFile removes a file. Errors: errs.NotFound.
	DeleteFile(ctx context.Context, id int64) error
}

// Tags reads and writes tags.
type Tags interface {
	// PutTag points the tag name of a repository at a version, creating or
	// moving it.
	PutTag(ctx context.Context, repoID int64, name string, versionID int64) error
	// GetTag returns a tag with the version string it points at.
	GetTag(ctx context.Context, repoID int64, name string) (Tag, error)
	// GetTaggedVersion returns the version a tag points at, in one
	// lookup: the path a pull by tag takes. Errors: errs.NotFound when the
	// tag does not exist.
	GetTaggedVersion(ctx context.Context, repoID int64, name string) (Version, error)
	// FindTaggedVersion is GetTaggedVersion for a repository given by type
	// and name (case-insensitive), still in one lookup. Errors:
	// errs.NotFound when the repository or the tag does not exist.
	FindTaggedVersion(ctx context.Context, typ, repoName, tag string) (Version, error)
	// ListTags returns a repository's tags in lexical order as the
	// distribution spec means it: case-insensitive, ties broken bytewise;
	// paged by name in that order.
	ListTags(ctx context.Context, repoID int64, p Page) ([]Tag, error)
	// ListVersionTags returns the names of the tags pointing at a version.
	ListVersionTags(ctx context.Context, versionID int64) ([]string, error)
	// DeleteTag removes a tag. Errors: errs.NotFound.
	DeleteTag(ctx context.Context, repoID int64, name string) error
}

// Blobs reads and writes blob records and their links to repositories.
//
// A blob's record is also its lock: PutBlob and every write that refers
// to a blob (LinkBlob, CreateVersion, CreateFile) take it for the length
// of their transaction, in every process sharing the store, and so does
// CollectBlob while it deletes the blob's content. A transaction that has
// referred to a blob and then finds its content in the blob store can
// therefore rely on it: garbage collection cannot remove it until that
// transaction has ended, and then the blob is referenced.
type Blobs interface {
	// PutBlob records a blob, or marks an existing record as just used so
	// garbage collection spares it for another grace period. It waits while
	// CollectBlob holds the record, and records the blob anew after it.
	// Errors: errs.Conflict when the blob is recorded with another size.
	PutBlob(ctx context.Context, b Blob) error
	// GetBlob returns the record of a blob.
	GetBlob(ctx context.Context, digest string) (Blob, error)
	// LinkBlob lets a repository serve a recorded blob; linking twice is not
	// an error. Errors: errs.NotFound when the blob is not recorded.
	LinkBlob(ctx context.Context, repoID int64, digest string) error
	// GetRepoBlob returns a blob linked to a repository.
	GetRepoBlob(ctx context.Context, repoID int64, digest string) (Blob, error)
	// UnlinkBlob removes a blob's link to a repository. Errors: errs.NotFound.
	UnlinkBlob(ctx context.Context, repoID int64, digest string) error
	// UnreferencedBlobs returns up to limit blobs recorded or last used
	// before cutoff that no repository link, version and file refers to.
	UnreferencedBlobs(ctx context.Context, cutoff time.Time, limit int) ([]Blob, error)
	// DeleteBlob removes a blob record, and only the record, if it is still
	// unreferenced and was recorded or last used before cutoff, and reports
	// whether it did. Garbage collection uses CollectBlob, which removes
	// the content too.
	DeleteBlob(ctx context.Context, digest string, cutoff time.Time) (bool, error)
	// CollectBlob removes a blob garbage collection found: if its record is
	// still unreferenced and was recorded or last used before cutoff, it
	// takes the record's lock, calls remove to delete the blob's content
	// and, once remove has succeeded, removes the record, all in one
	// transaction, and reports true. Until it returns, PutBlob and the
	// writes that refer to the blob wait, in every process sharing the
	// store; afterwards they find no record. If the process dies meanwhile
	// the transaction rolls back and the record stays, with or without its
	// content, for a later run. remove may run more than once when the
	// store retries the transaction, and must succeed when the content is
	// already gone. Errors: remove's error, with the record kept.
	CollectBlob(ctx context.Context, digest string, cutoff time.Time, remove func(ctx context.Context) error) (bool, error)
}

// Uploads reads and writes upload sessions.
type Uploads interface {
	// CreateUpload inserts u and sets u.Created and u.Updated.
	CreateUpload(ctx context.Context, u *Upload) error
	// GetUpload returns an upload session.
	GetUpload(ctx context.Context, id string) (Upload, error)
	// UpdateUpload records that an upload grew from size from to size with
	// hash state state. Errors: errs.NotFound; errs.Conflict when the stored
	// size is not from (another writer got there first).
	UpdateUpload(ctx context.Context, id string, from, size int64, state []byte) error
	// DeleteUpload removes an upload session. Errors: errs.NotFound.
	DeleteUpload(ctx context.Context, id string) error
	// CountUploads reports how many upload sessions are open.
	CountUploads(ctx context.Context) (int64, error)
	// StaleUploads returns up to limit sessions not updated since cutoff.
	StaleUploads(ctx context.Context, cutoff time.Time, limit int) ([]Upload, error)
}

// GeneratedPackages records packages built from outside sources, such as
// a Spice package zipped from a GitHub commit, so that an identical
// request is answered from the blob store. A record refers to its blob:
// garbage collection spares the blob while the record exists.
type GeneratedPackages interface {
	// PutGenerated records g, replacing any record with the same key, sets
	// g.Created and marks the blob as just used. Errors: errs.NotFound when
	// the blob is not recorded; errs.Invalid for an empty key part or
	// digest, or a negative size.
	PutGenerated(ctx context.Context, g *GeneratedPackage) error
	// GetGenerated returns the record of a key; parts compare exactly.
	// Errors: errs.NotFound.
	GetGenerated(ctx context.Context, key GeneratedKey) (GeneratedPackage, error)
	// DeleteGenerated removes the record of a key. Errors: errs.NotFound.
	DeleteGenerated(ctx context.Context, key GeneratedKey) error
	// DeleteGeneratedBefore removes the records created before cutoff and
	// reports how many it removed.
	DeleteGeneratedBefore(ctx context.Context, cutoff time.Time) (int64, error)
}
