// Package memblob is a blob.Store held in memory, for tests. It follows
// the same contract as the file store, including resumable uploads (bytes
// written after the last Sync are dropped on resume) and sha512 commits,
// and passes the same conformance suite. Nothing survives the process, and
// blobs are held whole in memory, so it is not for serving real traffic.
package memblob
