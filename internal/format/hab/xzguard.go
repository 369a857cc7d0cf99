package hab

import (
	"encoding/binary"
	"io"
)

// MaxDictSize bounds the LZMA2 dictionary an archive may ask for. The xz
// decoder allocates the dictionary a block header declares, up to 4 GiB;
// xz's strongest preset uses 64 MiB.
const MaxDictSize = 64 << 20

// dictGuard passes an xz stream through while following its framing (the
// stream header, block headers and LZMA2 chunk headers, skipping chunk
// data) and fails before the decoder sees a block header whose LZMA2
// dictionary exceeds MaxDictSize. At the index, or at anything it does not
// understand, it stops looking and leaves the error to the decoder.
type dictGuard struct {
	r       io.Reader
	state   int
	pending []byte // bytes collected for the current state
	want    int    // bytes the current state needs, or to skip
	check   int    // size of a block's check field
	dataLen int64  // compressed bytes of the current block so far
	blocks  int    // block headers checked
	n       int64  // bytes passed through
}

const (
	gStreamHeader = iota // collecting the 12-byte stream header
	gBlockStart          // collecting the block header size byte
	gBlockHeader         // collecting the rest of the block header
	gChunk               // collecting an LZMA2 control byte
	gChunkHeader         // collecting the rest of an LZMA2 chunk header
	gSkipData            // skipping chunk data
	gSkipTrailer         // skipping block padding and check
	gDone                // passing through
)

func (g *dictGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.n += int64(n)
	for b := p[:n]; len(b) > 0 && g.state != gDone; {
		var ferr error
		b, ferr = g.feed(b)
		if ferr != nil {
			return 0, ferr
		}
	}
	return n, err
}

// feed consumes bytes of b for the current state and returns the rest.
func (g *dictGuard) feed(b []byte) ([]byte, error) {
	if g.state == gSkipData || g.state == gSkipTrailer {
		k := min(g.want, len(b))
		g.want -= k
		if g.state == gSkipData {
			g.dataLen += int64(k)
		}
		if g.want == 0 {
			g.advance(nil)
		}
		return b[k:], nil
	}
	if g.want == 0 {
		g.want = 12 // the stream header comes first
	}
	k := min(g.want-len(g.pending), len(b))
	g.pending = append(g.pending, b[:k]...)
	if len(g.pending) == g.want {
		full := g.pending
		g.pending = nil
		if err := g.advance(full); err != nil {
			return nil, err
		}
	}
	return b[k:], nil
}

// advance acts on a completed state and sets up the next one.
func (g *dictGuard) advance(data []byte) error {
	switch g.state {
	case gStreamHeader:
		if string(data[:6]) != "\xfd7zXZ\x00" {
			g.state = gDone
			return nil
		}
		if id := int(data[7] & 0x0f); id != 0 {
			g.check = 4 << ((id - 1) / 3)
		}
		g.state, g.want = gBlockStart, 1
	case gBlockStart:
		if data[0] == 0 { // the index: no more blocks in a single stream
			g.state = gDone
			return nil
		}
		g.state, g.want = gBlockHeader, (int(data[0])+1)*4-1
	case gBlockHeader:
		g.blocks++
		if dict, ok := blockDict(data); ok && dict > MaxDictSize {
			return archiveErr(StageArchive, "xz dictionary of %d bytes exceeds the limit of %d", dict, MaxDictSize)
		}
		g.state, g.want, g.dataLen = gChunk, 1, 0
	case gChunk:
		g.dataLen++
		switch c := data[0]; {
		case c == 0:
			pad := int((4 - g.dataLen%4) % 4)
			g.state, g.want = gSkipTrailer, pad+g.check
		case c == 1 || c == 2:
			g.state, g.want = gChunkHeader, 2
		case c >= 0xc0: // with a properties byte
			g.state, g.want = gChunkHeader, 5
		case c >= 0x80:
			g.state, g.want = gChunkHeader, 4
		default:
			g.state = gDone
		}
		g.pending = append(g.pending[:0], data[0])
		if g.state == gChunkHeader {
			g.want++ // the control byte is kept in pending
		} else {
			g.pending = nil
		}
	case gChunkHeader:
		g.dataLen += int64(len(data) - 1)
		size := int(binary.BigEndian.Uint16(data[1:3])) + 1 // uncompressed chunk
		if data[0] >= 0x80 {
			size = int(binary.BigEndian.Uint16(data[3:5])) + 1
		}
		g.state, g.want = gSkipData, size
	case gSkipData:
		g.state, g.want = gChunk, 1
	case gSkipTrailer:
		g.state, g.want = gBlockStart, 1
	}
	if g.state != gDone && g.want == 0 {
		return g.advance(nil)
	}
	return nil
}

// blockDict finds the LZMA2 dictionary size in a block header (without its
// size byte). ok is false when the header does not parse; the decoder then
// reports it.
func blockDict(h []byte) (dict int64, ok bool) {
	if len(h) < 1 {
		return 0, false
	}
	flags := h[0]
	h = h[1:]
	for _, present := range []bool{flags&0x40 != 0, flags&0x80 != 0} {
		if present {
			if h, ok = skipVarint(h); !ok {
				return 0, false
			}
		}
	}
	for range int(flags&3) + 1 {
		id, n := binary.Uvarint(h)
		if n <= 0 {
			return 0, false
		}
		h = h[n:]
		size, n := binary.Uvarint(h)
		if n <= 0 || uint64(len(h)-n) < size {
			return 0, false
		}
		props := h[n : n+int(size)]
		h = h[n+int(size):]
		if id == 0x21 && len(props) == 1 {
			b := props[0]
			if b > 40 {
				return 0, false
			}
			if b == 40 {
				return 1<<32 - 1, true
			}
			return int64(2|b&1) << (b/2 + 11), true
		}
	}
	return 0, false
}

func skipVarint(h []byte) ([]byte, bool) {
	_, n := binary.Uvarint(h)
	if n <= 0 {
		return nil, false
	}
	return h[n:], true
}
