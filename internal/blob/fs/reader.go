package fs

import (
	"os"
	"syscall"

	"wharf/internal/blob"
)

// reader is a committed blob open for reading.
type reader struct {
	f    *os.File
	size int64
}

var (
	_ blob.Reader                  = (*reader)(nil)
	_ syscall.Conn                 = (*reader)(nil)
	_ interface{ File() *os.File } = (*reader)(nil)
)

func (r *reader) Read(p []byte) (int, error)              { return r.f.Read(p) }
func (r *reader) ReadAt(p []byte, off int64) (int, error) { return r.f.ReadAt(p, off) }
func (r *reader) Seek(off int64, whence int) (int64, error) {
	return r.f.Seek(off, whence)
}
func (r *reader) Close() error { return r.f.Close() }

// Size is the blob's length.
func (r *reader) Size() int64 { return r.size }

// File returns the open file underneath. It stays owned by the reader:
// closing the reader closes it. Serving code hands it to
// http.ServeContent so that the response is sent with sendfile.
func (r *reader) File() *os.File { return r.f }

// SyscallConn exposes the file descriptor, which is how the net package
// recognises a file it can send with sendfile.
func (r *reader) SyscallConn() (syscall.RawConn, error) { return r.f.SyscallConn() }
