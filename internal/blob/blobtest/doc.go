// Package blobtest is the conformance suite every blob.Store passes. An
// implementation's test calls Run with a constructor that returns a fresh,
// empty store for each subtest:
//
//	func TestConformance(t *testing.T) {
//		blobtest.Run(t, func(t *testing.T) blob.Store { return memblob.New() })
//	}
//
// The suite covers committing and reading (whole, by Seek and by ReadAt),
// deleting, verification at commit (digest and size mismatches, sha512),
// committing content that exists, resuming uploads from a saved hash
// state, malformed digests and upload ids, missing blobs and uploads,
// empty and multi-megabyte blobs, and concurrent uploads of one content.
// Subtests run in parallel.
package blobtest
