// Package fs is a blob.Store that keeps blobs as files under one directory.
//
// Layout under the root directory:
//
//	blobs/<alg>/<hex[0:2]>/<hex[2:4]>/<hex>   committed blobs, never rewritten
//	uploads/<id>/data                         upload sessions being written
//
// Both trees live on one filesystem, so committing an upload is a rename:
// a committed blob appears at its final path whole or not at all, and a
// session directory left behind by a crash never becomes visible as a
// blob. An upload hashes with sha256 while it is written; Sync returns the
// marshalled hash state, and ResumeUpload continues from it after a
// restart, discarding bytes that were written but never acknowledged.
//
// An open Upload holds an exclusive flock(2) on its session's data file,
// taken without waiting: a second writer of the same session, in this or
// another process sharing the directory, gets errs.Conflict instead of
// interleaving its bytes, and DeleteUpload never removes a session while
// it is being written. The lock is held until the Upload is closed, or,
// when it commits, until the session's directory is gone, so nobody can
// open the data file while it is renamed into a blob. A crash releases it
// with the process's files.
//
// With Options.Fsync set, Sync fsyncs the session's data (and, the first
// time a session is synced, the directories that name it) before it
// returns, and Commit fsyncs the data before the rename and the blob's
// directory after it, so that an acknowledged upload and a committed blob
// survive a power loss. A session nothing was acknowledged of may not.
//
// Readers returned by Open are backed by an *os.File. HTTP code that serves
// a blob should hand that file to http.ServeContent so the server can use
// sendfile:
//
//	if f, ok := r.(interface{ File() *os.File }); ok {
//		http.ServeContent(w, req, "", time.Time{}, f.File())
//	}
//
// The Reader itself also carries the file's SyscallConn method, which is
// what the net package looks for, so serving it directly takes the same
// path; File makes the intent explicit and survives wrappers.
package fs
