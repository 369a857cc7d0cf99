package artifact

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"io"

	"wharf/internal/meta"
)

// fileSums computes the digests a file carries besides its SHA-256 one.
// It is an io.Writer fed with the file's bytes as they stream by.
type fileSums struct {
	md5, sha1, sha512 hash.Hash
	w                 io.Writer
}

func newFileSums() *fileSums {
	s := &fileSums{md5: md5.New(), sha1: sha1.New(), sha512: sha512.New()}
	s.w = io.MultiWriter(s.md5, s.sha1, s.sha512)
	return s
}

// Write hashes p; it never fails.
func (s *fileSums) Write(p []byte) (int, error) { return s.w.Write(p) }

// fill sets f's MD5, SHA1 and SHA512 to the hex digests of what was
// written.
func (s *fileSums) fill(f *meta.File) {
	f.MD5 = hex.EncodeToString(s.md5.Sum(nil))
	f.SHA1 = hex.EncodeToString(s.sha1.Sum(nil))
	f.SHA512 = hex.EncodeToString(s.sha512.Sum(nil))
}
