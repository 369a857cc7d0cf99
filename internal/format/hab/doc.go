// Package hab holds the pure formats of Chef Habitat packages that Wharf's
// depot serves: package idents and targets, Builder's ordering of versions
// ("latest"), the signed .hart archive, origin key files and origin
// secrets.
//
// An ident is origin/name[/version[/release]]; a release is a 14-digit
// UTC timestamp and a fully qualified ident names all four parts. A
// package exists once per ident and target.
//
// A .hart is a five-line text header (HART-1, the signing key's
// "<origin>-<revision>", BLAKE2b, the base64 combined Ed25519 signature,
// a blank line) followed by an xz-compressed tar of
// hab/pkgs/<origin>/<name>/<version>/<release>/, whose IDENT, TARGET,
// MANIFEST, DEPS and other metadata files describe the package. The
// signature signs the lowercase hex BLAKE2b-256 of the payload; the
// package's checksum is the BLAKE2b-256 of the whole file. ReadArchive
// reads an upload in one streaming pass with bounded memory, returning the
// metadata and both digests; VerifySignature checks the signature against
// an origin's public key. WritePayload, WriteHeader and WriteArchive
// produce archives.
//
// Key files (SIG-PUB-1, SIG-SEC-1, BOX-PUB-1, BOX-SEC-1) hold one key of
// an origin, named "<origin>-<revision>". Origin secrets are values sealed
// to the origin's public encryption key in ANONYMOUS-BOX-1 text.
//
// Everything here is a function of its input and its io.Reader or
// io.Writer: no clock (times are passed in), no globals, safe for
// concurrent use. Malformed input gives errors wrapping errs.Invalid whose
// messages are safe to show to clients; archive errors are *ArchiveError
// with a Stage that maps to Builder's upload messages.
package hab
