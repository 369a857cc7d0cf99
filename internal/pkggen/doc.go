// Package pkggen generates packages from outside sources: today a Spice
// package, the zip of a spicepod manifest and every file it refers to,
// fetched from a GitHub repository at one revision, as the Spice
// runtime's POST /v1/packages/generate builds it.
//
// A generation runs in phases: the root manifest, then its dependencies'
// manifests, then referenced component files (parsed for the files they
// name), then one git tree listing for every folder reference, then the
// remaining files. Within a phase, fetches run in parallel, at most
// Options.Concurrency at once. Each fetched file is compressed as it
// streams in, into one of a few unnamed temporary spool files, and the zip
// is then assembled, in Spice's entry order, into another unnamed
// temporary file: nothing is held whole in memory but manifests (at most
// 1 MiB each, while they are parsed), and nothing is left on disk if the
// process dies. Limits bound the number of files, the bytes fetched and
// the time taken.
//
// The zip is deterministic: the same files give the same bytes (fixed
// timestamps and modes). When the revision is a full commit SHA, the zip
// is kept in the blob store and recorded in the metadata store under the
// source, the revision, the manifest path and a variant (the layout
// version, the GitHub endpoints and a hash of the token), so an identical
// request is answered from there; records older than the cache lifetime
// are pruned and their blobs then left to garbage collection. Identical
// requests in one process wait for each other instead of fetching twice.
//
// The service imports only the store interfaces and the spicepod parser;
// it knows nothing of HTTP requests or of Wharf's principals.
package pkggen
