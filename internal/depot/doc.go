// Package depot is the Habitat package depot: origins, their members,
// keys, secrets and integrations, packages and their channels, built on
// the core. An origin is an organisation; a package is a repository of
// type "hab" named "<origin>/<name>"; each release for one target is a
// version of it holding the .hart as its lead file, indexed by a
// meta.Release row. Access is decided by the one authorizer: an origin
// role is the caller's direct membership, or what their teams give them.
//
// Errors carry errs kinds and messages worded as Habitat Builder words
// them; the front maps kinds to statuses.
package depot
