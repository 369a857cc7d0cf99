package pkggen

import (
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"sync/atomic"

	"wharf/internal/errs"
)

// spool is a temporary file that fetched files are appended to, already
// Deflate-compressed, while the package is being built. Its name is
// removed as soon as it is created, so nothing is left behind even if the
// process dies. One fetch at a time uses a spool.
type spool struct {
	f    *os.File
	end  int64 // where the next entry goes
	comp *flate.Writer
}

// spools hands out a fixed number of spools, which is also the bound on
// fetches running at once.
type spools struct {
	dir  string
	free chan *spool
}

func newSpools(dir string, n int) *spools {
	p := &spools{dir: dir, free: make(chan *spool, n)}
	for range n {
		p.free <- nil // created on first use
	}
	return p
}

// get waits for a free spool. The caller puts it back.
func (p *spools) get(ctx context.Context) (*spool, error) {
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case sp := <-p.free:
		if sp != nil {
			return sp, nil
		}
		f, err := os.CreateTemp(p.dir, "wharf-spool-*")
		if err != nil {
			p.free <- nil
			return nil, err
		}
		os.Remove(f.Name())
		comp, _ := flate.NewWriter(io.Discard, flate.DefaultCompression)
		return &spool{f: f, comp: comp}, nil
	}
}

func (p *spools) put(sp *spool) { p.free <- sp }

// close releases every spool once all are back; entries written to them
// are gone.
func (p *spools) close() error {
	var err error
	for range cap(p.free) {
		if sp := <-p.free; sp != nil {
			err = errors.Join(err, sp.f.Close())
		}
	}
	return err
}

// chunk is a compressed file in a spool.
type chunk struct {
	f    *os.File
	off  int64 // where the compressed bytes start
	n    int64 // how many compressed bytes
	crc  uint32
	size int64 // the file's own size
}

// reader returns the compressed bytes.
func (c *chunk) reader() io.Reader { return io.NewSectionReader(c.f, c.off, c.n) }

// budget is the byte limit shared by every fetch of one package.
type budget struct {
	limit int64
	left  atomic.Int64
}

func newBudget(limit int64) *budget {
	b := &budget{limit: limit}
	b.left.Store(limit)
	return b
}

// take counts n more bytes fetched. Errors: errs.TooLarge past the limit.
func (b *budget) take(n int64) error {
	if b.left.Add(-n) < 0 {
		return b.exceeded()
	}
	return nil
}

func (b *budget) exceeded() error {
	return errs.E(errs.TooLarge, "the package would hold more than %d bytes of files (limit)", b.limit)
}

// give returns n bytes that were taken but are not kept.
func (b *budget) give(n int64) { b.left.Add(n) }

// errKeepFull is returned by spool.write when the bytes to keep overflow.
var errKeepFull = errors.New("too large to read")

// write appends r to the spool, compressed, and returns where it is. When
// keep is not nil, the uncompressed bytes are also copied into it, up to
// keepMax bytes (errKeepFull past them). Every byte read is taken from b;
// on failure the spool is left as it was and the bytes read so far are
// given back to b.
func (sp *spool) write(r io.Reader, b *budget, keep *bytes.Buffer, keepMax int64) (_ *chunk, err error) {
	c := &chunk{f: sp.f, off: sp.end}
	defer func() {
		if err != nil {
			b.give(c.size)
		}
	}()
	out := io.NewOffsetWriter(sp.f, sp.end)
	sp.comp.Reset(out)
	crc := crc32.NewIEEE()
	buf := make([]byte, 32<<10)
	for {
		n, rerr := r.Read(buf)
		if n > 0 {
			c.size += int64(n)
			if err := b.take(int64(n)); err != nil {
				return nil, err
			}
			if keep != nil {
				if int64(keep.Len()+n) > keepMax {
					return nil, errKeepFull
				}
				keep.Write(buf[:n])
			}
			crc.Write(buf[:n])
			if _, err := sp.comp.Write(buf[:n]); err != nil {
				return nil, err
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return nil, &UpstreamError{Msg: "reading a file from GitHub failed", Err: rerr}
		}
	}
	if err := sp.comp.Close(); err != nil {
		return nil, err
	}
	// Seek reports the offset from where the chunk starts.
	n, err := out.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, err
	}
	c.n, c.crc = n, crc.Sum32()
	sp.end += n
	return c, nil
}
