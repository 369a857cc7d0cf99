// Package oci holds the pure grammar of the OCI Distribution and Image
// specifications that Wharf needs at its /v2/ edge: repository names, tags,
// digests, the Content-Range of chunked uploads, and image manifests and
// indexes (with their Docker schema 2 equivalents).
//
// Everything here is a function of its input: no I/O, no clock, no
// globals. Each function is safe for concurrent use. Errors wrap
// errs.Invalid for malformed input, errs.Unsupported for well-formed input
// Wharf does not serve (digest algorithms other than sha256 and sha512,
// Docker schema 1 and unknown manifest media types) and errs.TooLarge for
// a manifest above MaxManifestSize. Error messages are safe to show to
// clients; long inputs are shortened in them.
package oci
