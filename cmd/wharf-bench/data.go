package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io"
	"math/rand/v2"
)

// blockSize is the length of the random pattern that streams repeat.
const blockSize = 1 << 20

// headerSize is the number of bytes at the start of each block that are
// replaced by the stream id and block number.
const headerSize = 16

// pattern is a block of pseudo-random bytes from which streams are cut. It is
// read-only after construction and safe for concurrent use.
type pattern []byte

// newPattern returns the pattern for seed; equal seeds give equal patterns.
func newPattern(seed uint64) pattern {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	r := rand.NewChaCha8(key)
	p := make([]byte, blockSize)
	_, _ = r.Read(p) // ChaCha8.Read never fails
	return p
}

// section returns the bytes [off, off+n) of the stream with the given id.
//
// A stream is the pattern repeated, with the first 16 bytes of block i
// replaced by (id, i) in little-endian, so streams with different ids differ,
// no two blocks of one stream are equal, and any section can be produced
// without generating what precedes it. Producing data costs one memory copy,
// which keeps the generator far faster than any registry under test.
func (p pattern) section(id uint64, off, n int64) *stream {
	return &stream{pat: p, id: id, off: off, end: off + n}
}

// digest returns the "sha256:<hex>" digest of the first size bytes of the
// stream with the given id.
func (p pattern) digest(id uint64, size int64) string {
	h := sha256.New()
	buf := make([]byte, blockSize)
	_, _ = io.CopyBuffer(h, p.section(id, 0, size), buf) // hash writes never fail
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// stream reads a section of a deterministic pseudo-random stream. It is not
// safe for concurrent use.
type stream struct {
	pat      pattern
	id       uint64
	off, end int64
}

// Read fills b with the next bytes of the section and returns io.EOF at its end.
func (s *stream) Read(b []byte) (int, error) {
	if s.off >= s.end {
		return 0, io.EOF
	}
	n := 0
	for n < len(b) && s.off < s.end {
		blk := s.off / blockSize
		in := int(s.off % blockSize)
		m := min(len(b)-n, blockSize-in, int(min(s.end-s.off, blockSize)))
		copy(b[n:n+m], s.pat[in:in+m])
		if in < headerSize {
			var hdr [headerSize]byte
			binary.LittleEndian.PutUint64(hdr[:8], s.id)
			binary.LittleEndian.PutUint64(hdr[8:], uint64(blk))
			copy(b[n:n+m], hdr[in:])
		}
		n += m
		s.off += int64(m)
	}
	return n, nil
}
