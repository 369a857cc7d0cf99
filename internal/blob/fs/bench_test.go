package fs_test

import (
	"fmt"
	"io"
	"testing"

	"wharf/internal/blob/fs"
)

// pattern yields bytes from a fixed buffer, at memory speed.
type pattern struct {
	buf []byte
	off int
}

func (p *pattern) Read(b []byte) (int, error) {
	n := copy(b, p.buf[p.off:])
	p.off = (p.off + n) % len(p.buf)
	return n, nil
}

func newPattern() *pattern {
	buf := make([]byte, 1<<20)
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	return &pattern{buf: buf}
}

const benchSize = 64 << 20

// BenchmarkUploadCommit streams 64 MiB into an upload through ReadFrom and
// commits it, with and without fsync. The blob is deleted after each
// round so every Commit takes the rename path.
func BenchmarkUploadCommit(b *testing.B) {
	for _, fsync := range []bool{false, true} {
		b.Run(fmt.Sprintf("fsync=%v", fsync), func(b *testing.B) {
			ctx := b.Context()
			s, err := fs.New(b.TempDir(), fs.Options{Fsync: fsync})
			if err != nil {
				b.Fatal(err)
			}
			src := newPattern()
			b.SetBytes(benchSize)
			i := 0
			for b.Loop() {
				i++
				u, err := s.NewUpload(ctx, fmt.Sprintf("b-%d", i))
				if err != nil {
					b.Fatal(err)
				}
				src.off = 0
				if _, err := u.ReadFrom(io.LimitReader(src, benchSize)); err != nil {
					b.Fatal(err)
				}
				d := u.Digest()
				if err := u.Commit(ctx, d, benchSize); err != nil {
					b.Fatal(err)
				}
				if err := s.Delete(ctx, d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpenRead opens a committed 64 MiB blob and reads it whole.
func BenchmarkOpenRead(b *testing.B) {
	ctx := b.Context()
	s, err := fs.New(b.TempDir(), fs.Options{})
	if err != nil {
		b.Fatal(err)
	}
	u, err := s.NewUpload(ctx, "read")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := u.ReadFrom(io.LimitReader(newPattern(), benchSize)); err != nil {
		b.Fatal(err)
	}
	d := u.Digest()
	if err := u.Commit(ctx, d, benchSize); err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 1<<20)
	b.SetBytes(benchSize)
	for b.Loop() {
		r, err := s.Open(ctx, d)
		if err != nil {
			b.Fatal(err)
		}
		if n, err := io.CopyBuffer(io.Discard, io.LimitReader(r, benchSize), buf); err != nil || n != benchSize {
			b.Fatal(n, err)
		}
		r.Close()
	}
}
