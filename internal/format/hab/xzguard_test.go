package hab

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/ulikunitz/xz"
)

func TestBlockDict(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		hdr  []byte
		dict int64
		ok   bool
	}{
		{[]byte{0x00, 0x21, 0x01, 0x00}, 4 << 10, true},
		{[]byte{0x00, 0x21, 0x01, 0x01}, 6 << 10, true},
		{[]byte{0x00, 0x21, 0x01, 22}, 8 << 20, true},
		{[]byte{0x00, 0x21, 0x01, 28}, 64 << 20, true},
		{[]byte{0x00, 0x21, 0x01, 29}, 96 << 20, true},
		{[]byte{0x00, 0x21, 0x01, 40}, 1<<32 - 1, true},
		{[]byte{0x00, 0x21, 0x01, 41}, 0, false},
		{[]byte{0xc0, 0x80, 0x01, 0x05, 0x21, 0x01, 0x10}, 1 << 20, true}, // both sizes present
		{[]byte{0x01, 0x04, 0x00, 0x21, 0x01, 0x14}, 4 << 20, true},       // BCJ, then LZMA2
		{[]byte{0x00, 0x03, 0x01, 0x14}, 0, false},                        // delta only
		{[]byte{0x00, 0x21, 0x05, 0x14}, 0, false},                        // truncated props
		{[]byte{0x40, 0x80}, 0, false},                                    // truncated size
		{nil, 0, false},
	} {
		dict, ok := blockDict(tc.hdr)
		if dict != tc.dict || ok != tc.ok {
			t.Errorf("blockDict(% x) = %d, %v; want %d, %v", tc.hdr, dict, ok, tc.dict, tc.ok)
		}
	}
}

// mixed returns n bytes alternating between text and random runs, so that
// the compressor writes both LZMA and uncompressed chunks.
func mixed(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	for b.Len() < n {
		if rng.IntN(2) == 0 {
			b.WriteString(strings.Repeat("habitat ", rng.IntN(5000)))
		} else {
			r := make([]byte, rng.IntN(100000))
			for i := range r {
				r[i] = byte(rng.Uint32())
			}
			b.Write(r)
		}
	}
	return b.Bytes()[:n]
}

func TestDictGuardFraming(t *testing.T) {
	t.Parallel()
	data := mixed(1 << 20)
	for _, bs := range []int64{1 << 16, 100003, 1 << 22} {
		var xb bytes.Buffer
		xw, err := xz.WriterConfig{BlockSize: bs}.NewWriter(&xb)
		if err != nil {
			t.Fatal(err)
		}
		xw.Write(data)
		if err := xw.Close(); err != nil {
			t.Fatal(err)
		}
		for name, wrap := range map[string]func(io.Reader) io.Reader{
			"plain": func(r io.Reader) io.Reader { return r },
			"bytes": iotest.OneByteReader,
			"half":  iotest.HalfReader,
		} {
			g := &dictGuard{r: wrap(bytes.NewReader(xb.Bytes()))}
			xr, err := xz.ReaderConfig{SingleStream: true}.NewReader(g)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(xr)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("block size %d, %s: read %d bytes, %v", bs, name, len(got), err)
			}
			want := (int64(len(data)) + bs - 1) / bs
			if g.blocks != int(want) || g.state != gDone {
				t.Errorf("block size %d, %s: guard saw %d blocks (want %d), ended in state %d", bs, name, g.blocks, want, g.state)
			}
		}
	}
}

// withDict rewrites the dictionary size of the first block of an xz
// stream written by this package's compressor.
func withDict(t *testing.T, payload []byte, code byte) []byte {
	t.Helper()
	p := bytes.Clone(payload)
	size := (int(p[12]) + 1) * 4
	h := p[12 : 12+size]
	if h[1] != 0 || h[2] != 0x21 || h[3] != 0x01 {
		t.Fatalf("unexpected block header % x", h)
	}
	h[4] = code
	binary.LittleEndian.PutUint32(h[size-4:], crc32.ChecksumIEEE(h[:size-4]))
	return p
}

func TestReadArchiveDictLimit(t *testing.T) {
	t.Parallel()
	_, sec := signingPair(t, "o")
	payload := rawPayload(t, metaEntries(pkgDir))
	for _, code := range []byte{0, 28} { // 4 KiB is too small for the data, but allowed
		_, err := ReadArchive(bytes.NewReader(signed(t, sec, withDict(t, payload, code))))
		if err != nil && strings.Contains(err.Error(), "dictionary") {
			t.Errorf("dictionary code %d refused: %v", code, err)
		}
	}
	if _, err := ReadArchive(bytes.NewReader(signed(t, sec, withDict(t, payload, 22)))); err != nil {
		t.Errorf("8 MiB dictionary: %v", err)
	}
	for _, code := range []byte{29, 39, 40} {
		_, err := ReadArchive(iotest.OneByteReader(bytes.NewReader(signed(t, sec, withDict(t, payload, code)))))
		if StageOf(err) != StageArchive || !strings.Contains(err.Error(), "dictionary") {
			t.Errorf("dictionary code %d: ReadArchive = %v, want the limit refused", code, err)
		}
	}
}

func TestReadArchiveExpansionLimit(t *testing.T) {
	t.Parallel()
	_, sec := signingPair(t, "o")
	zeros := strings.Repeat("\x00", 64<<20)
	bomb := rawPayload(t, append(metaEntries(pkgDir), entry{name: pkgDir + "zeros", body: zeros}))
	if len(bomb)*MaxExpansion+expansionSlack > len(zeros) {
		t.Fatalf("%d compressed bytes are not a bomb", len(bomb))
	}
	_, err := ReadArchive(bytes.NewReader(signed(t, sec, bomb)))
	if StageOf(err) != StageArchive || !strings.Contains(err.Error(), "expands") {
		t.Errorf("ReadArchive of a bomb = %v", err)
	}
}
