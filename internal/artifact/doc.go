// Package artifact is Wharf's format-neutral core: repositories, versions,
// files, tags and blobs, whatever protocol asked for them. Fronts translate
// their protocol into calls on Service; Service owns every transaction and
// never knows which front called.
//
// Formats register what the core must know of them as a Format descriptor
// (name validation, default visibility) when the Service is built; the core
// never switches on a format's type.
//
// Blob content goes through upload sessions: bytes are appended, made
// durable and acknowledged, then committed under their verified digest.
// A blob becomes visible to a repository only when it is linked to it, by a
// finished upload or a mount. Garbage collection removes blobs nothing refers
// to once a grace period has passed, and upload sessions left idle; it runs
// online and may run in several processes at once (see gc.go for how that
// stays safe).
//
// Errors wrap the kinds of package errs. A manifest or version that refers
// to content the repository lacks fails with *MissingRefError.
package artifact
