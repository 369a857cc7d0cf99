// Package meta defines Wharf's metadata store: the format-neutral model and
// the small interfaces that read and write it. Implementations live in
// meta/sqlite and meta/postgres; meta/metatest is the conformance suite both
// pass.
//
// The model, from the outside in:
//
//   - A Namespace is an owner: a user or, later, an organization. Every
//     repository belongs to exactly one.
//   - A Repository is a named collection of one Type ("oci", "generic", …).
//     For OCI its Name is the whole repository path ("alice/tools/app"); for
//     generic packages it is the package name. Names are stored as sent and
//     looked up case-insensitively.
//   - A Version lives in a repository. For OCI it is a manifest addressed by
//     its digest, whose bytes are the blob BlobDigest; for generic packages it
//     is a version string that owns Files.
//   - A File is a named blob inside a version.
//   - A Blob is content in the blob store, known by digest, shared across
//     repositories and formats. OCI repositories link blobs they may serve.
//   - A Tag is a movable name for a version.
//   - An Upload is a resumable blob upload session.
//
// Errors: methods return errors wrapping errs.NotFound when a row is missing
// and errs.Exists when a create collides with a unique key; anything else is
// an unexpected failure. All methods take a context first and are safe for
// concurrent use.
package meta
