// Package blob defines Wharf's content-addressed blob store. Content is
// written through an Upload, which hashes what it is given, and becomes a
// blob only when Commit has verified its digest and size; a committed blob
// never changes. Implementations: blob/fs (files under a directory) and
// blob/memblob (memory, for tests); blob/blobtest is the conformance suite.
//
// The store knows nothing of repositories or references: metadata lives in
// the meta store, and garbage collection asks that store which blobs are
// unreferenced. The interface has no List or Walk on purpose.
//
// Digests are strings in the OCI form "algorithm:hex". sha256 is the
// canonical algorithm; sha512 is accepted where a client asks for it.
// Errors wrap errs.NotFound for a missing blob or upload, errs.Invalid for a
// malformed digest or a digest or size mismatch at commit.
package blob
