package e2e

import (
	"archive/tar"
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/blake2b"

	"wharf/internal/format/hab"
)

// TestHabBigUpload uploads a 1 GiB .hart and checks that the server
// streams it: its resident memory stays far below the package's size,
// and the package downloads back byte for byte. It runs on SQLite only:
// the metadata store plays no part in how the bytes flow.
//
// The payload's 1 GiB file is pseudo-random, so it does not compress;
// the xz stream around the tar therefore stores it in uncompressed LZMA2
// chunks (a valid xz stream that every decoder reads), which is what an
// xz encoder emits for such data, without spending minutes searching
// for matches that are not there.
func TestHabBigUpload(t *testing.T) {
	e := newEnv(t, backends[0].opt)
	owner := e.habUser(t)
	origin := owner.createOrigin(t, "")
	pub, sec := keyAt(t, origin, time.Date(2024, 3, 4, 5, 6, 7, 0, time.UTC))
	owner.do(t, http.MethodPost, originPath(origin, "keys", pub.Revision), pub.String()).want(t, http.StatusCreated)

	const fileSize = 1 << 30
	const seed = 0x5eed
	id := ident(origin, "huge", "1.0.0", "20240304050607")
	gen := bigPayload{ident: id, target: hab.DefaultTarget, fileSize: fileSize, seed: seed}

	// First pass: the payload's digest, which the header signs.
	start := time.Now()
	ph := mustBlake2b(t)
	payloadSize, err := gen.writeTo(ph)
	if err != nil {
		t.Fatal(err)
	}
	var header bytes.Buffer
	if err := hab.WriteHeader(&header, sec, hex.EncodeToString(ph.Sum(nil))); err != nil {
		t.Fatal(err)
	}
	// Second pass: the whole file's checksum, which the URL carries.
	fh := mustBlake2b(t)
	fh.Write(header.Bytes())
	if _, err := gen.writeTo(fh); err != nil {
		t.Fatal(err)
	}
	checksum := hex.EncodeToString(fh.Sum(nil))
	total := int64(header.Len()) + payloadSize
	t.Logf("built a %d-byte .hart twice in %v", total, time.Since(start))

	pid := e.srv.PID()
	if pid == 0 {
		t.Fatal("the server has no process id")
	}
	baseline := procMemory(t, pid, "VmRSS")
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var peakRSS int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			if v := procMemory(t, pid, "VmRSS"); v > peakRSS {
				peakRSS = v
			}
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()

	// Third pass: the upload, generated as it is sent.
	pr, pw := io.Pipe()
	go func() {
		_, err := gen.writeTo(pw)
		pw.CloseWithError(err)
	}()
	start = time.Now()
	q := url.Values{"checksum": {checksum}, "target": {hab.DefaultTarget}}
	r := owner.do(t, http.MethodPost, identPath(id)+"?"+q.Encode(), io.MultiReader(bytes.NewReader(header.Bytes()), pr),
		"Content-Length", strconv.FormatInt(total, 10))
	pr.Close()
	upload := time.Since(start)
	r.want(t, http.StatusCreated)
	r.wantText(t, "/pkgs/"+origin+"/huge/1.0.0/20240304050607/download")
	t.Logf("uploaded %d bytes in %v (%.0f MiB/s)", total, upload, float64(total)/(1<<20)/upload.Seconds())

	// The package is what was sent.
	var pkg struct {
		Checksum string `json:"checksum"`
		Size     int64  `json:"size"`
	}
	e.anon().do(t, http.MethodGet, "/v1/depot/pkgs/"+origin+"/huge/latest?target="+hab.DefaultTarget, nil).want(t, http.StatusOK).decode(t, &pkg)
	if pkg.Checksum != checksum || pkg.Size != total {
		t.Errorf("package checksum %s size %d, want %s and %d", pkg.Checksum, pkg.Size, checksum, total)
	}

	// Download it back, streaming.
	start = time.Now()
	req, err := http.NewRequest(http.MethodGet, e.url(t, identPath(id)+"/download?target="+hab.DefaultTarget), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := e.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	dh := mustBlake2b(t)
	n, err := io.Copy(dh, resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("download: %v after %d bytes", err, n)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("download: status %d", resp.StatusCode)
	}
	wantName := origin + "-huge-1.0.0-20240304050607-" + hab.DefaultTarget + ".hart"
	if got := resp.Header.Get("X-Filename"); got != wantName {
		t.Errorf("X-Filename %q, want %q", got, wantName)
	}
	if got := hex.EncodeToString(dh.Sum(nil)); n != total || got != checksum {
		t.Errorf("downloaded %d bytes with BLAKE2b %s, want %d bytes with %s", n, got, total, checksum)
	}
	t.Logf("downloaded in %v", time.Since(start))

	close(stop)
	wg.Wait()
	hwm := procMemory(t, pid, "VmHWM")
	t.Logf("server memory: %d MiB before the upload, %d MiB at most during it, high-water mark %d MiB",
		baseline>>20, peakRSS>>20, hwm>>20)
	const limit = 300 << 20
	if hwm > limit || peakRSS > limit {
		t.Errorf("the server's resident memory reached %d MiB (sampled peak %d MiB) for a %d MiB upload: want under %d MiB",
			hwm>>20, peakRSS>>20, total>>20, limit>>20)
	}
}

// procMemory reads a field of /proc/<pid>/status, such as VmRSS or
// VmHWM, in bytes.
func procMemory(t testing.TB, pid int, field string) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Errorf("reading the server's memory: %v", err)
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || k != field {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			t.Errorf("/proc/%d/status: %s: %v", pid, sc.Text(), err)
			return 0
		}
		return kb << 10
	}
	t.Errorf("/proc/%d/status has no %s", pid, field)
	return 0
}

func mustBlake2b(t testing.TB) hash.Hash {
	h, err := blake2b.New256(nil)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// bigPayload generates the payload of a .hart (an xz-compressed tar of
// the package directory) whose one data file holds fileSize
// pseudo-random bytes from seed: the same bytes on every call.
type bigPayload struct {
	ident    hab.Ident
	target   string
	fileSize int64
	seed     uint64
}

// writeTo writes the payload to w and returns its size.
func (g bigPayload) writeTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	bw := bufio.NewWriterSize(cw, 256<<10)
	xw := newStoredXZ(bw)
	tw := tar.NewWriter(xw)
	mtime := time.Unix(1700000000, 0)
	dir := "hab/pkgs/" + g.ident.String() + "/"
	parts := strings.Split(strings.TrimSuffix(dir, "/"), "/")
	for i := range parts {
		name := strings.Join(parts[:i+1], "/") + "/"
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name, Mode: 0o755, ModTime: mtime}); err != nil {
			return 0, err
		}
	}
	for _, f := range [][2]string{
		{"IDENT", g.ident.String() + "\n"},
		{"TARGET", g.target + "\n"},
		{"MANIFEST", "# " + g.ident.Name + "\n\nA large package.\n"},
	} {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: dir + f[0], Mode: 0o644, Size: int64(len(f[1])), ModTime: mtime}); err != nil {
			return 0, err
		}
		if _, err := io.WriteString(tw, f[1]); err != nil {
			return 0, err
		}
	}
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: dir + "data/blob.bin", Mode: 0o644, Size: g.fileSize, ModTime: mtime}); err != nil {
		return 0, err
	}
	if _, err := io.CopyN(tw, &splitMix{state: g.seed}, g.fileSize); err != nil {
		return 0, err
	}
	if err := tw.Close(); err != nil {
		return 0, err
	}
	if err := xw.Close(); err != nil {
		return 0, err
	}
	if err := bw.Flush(); err != nil {
		return 0, err
	}
	return cw.n, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// splitMix is a fast deterministic pseudo-random byte stream (SplitMix64).
type splitMix struct{ state uint64 }

func (s *splitMix) Read(p []byte) (int, error) {
	n := len(p) &^ 7
	for i := 0; i < n; i += 8 {
		s.state += 0x9e3779b97f4a7c15
		z := s.state
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		binary.LittleEndian.PutUint64(p[i:], z^(z>>31))
	}
	if n == 0 && len(p) > 0 {
		var b [8]byte
		s.Read(b[:])
		return copy(p, b[:]), nil
	}
	return n, nil
}

// storedXZ writes an xz stream of one block whose LZMA2 data is made of
// uncompressed chunks, with a CRC32 check (the .xz file format, version
// 1.0.4: stream header, block header, LZMA2 chunks, block padding,
// check, index, stream footer).
type storedXZ struct {
	w       io.Writer
	chunk   []byte
	crc     hash.Hash32
	usize   int64 // uncompressed bytes
	csize   int64 // LZMA2 bytes: chunk headers, data and end marker
	started bool
	err     error
}

// xzStreamFlags: no flags, CRC32 check.
var xzStreamFlags = []byte{0x00, 0x01}

const xzChunkSize = 64 << 10 // the largest uncompressed LZMA2 chunk

func newStoredXZ(w io.Writer) *storedXZ {
	return &storedXZ{w: w, chunk: make([]byte, 0, xzChunkSize), crc: crc32.NewIEEE()}
}

func (x *storedXZ) put(b []byte) {
	if x.err == nil {
		_, x.err = x.w.Write(b)
	}
}

func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func (x *storedXZ) start() {
	x.started = true
	x.put([]byte{0xfd, '7', 'z', 'X', 'Z', 0x00})
	x.put(xzStreamFlags)
	x.put(le32(crc32.ChecksumIEEE(xzStreamFlags)))
	// Block header: size (12 bytes = (2+1)*4), flags (one filter, no
	// sizes), filter LZMA2 (0x21) with one property byte: a 1 MiB
	// dictionary (16), padding, CRC32.
	bh := []byte{0x02, 0x00, 0x21, 0x01, 16, 0, 0, 0}
	x.put(bh)
	x.put(le32(crc32.ChecksumIEEE(bh)))
}

func (x *storedXZ) flushChunk() {
	if len(x.chunk) == 0 {
		return
	}
	control := byte(0x02) // uncompressed, no dictionary reset
	if x.usize == int64(len(x.chunk)) {
		control = 0x01 // the first chunk resets the dictionary
	}
	n := len(x.chunk) - 1
	x.put([]byte{control, byte(n >> 8), byte(n)})
	x.put(x.chunk)
	x.csize += 3 + int64(len(x.chunk))
	x.chunk = x.chunk[:0]
}

func (x *storedXZ) Write(p []byte) (int, error) {
	if !x.started {
		x.start()
	}
	written := 0
	for len(p) > 0 && x.err == nil {
		n := min(len(p), xzChunkSize-len(x.chunk))
		x.chunk = append(x.chunk, p[:n]...)
		x.crc.Write(p[:n])
		x.usize += int64(n)
		p, written = p[n:], written+n
		if len(x.chunk) == xzChunkSize {
			x.flushChunk()
		}
	}
	return written, x.err
}

// Close ends the block and writes the index and the stream footer.
func (x *storedXZ) Close() error {
	if !x.started {
		x.start()
	}
	x.flushChunk()
	x.put([]byte{0x00}) // LZMA2 end marker
	x.csize++
	const blockHeaderSize, checkSize = 12, 4
	if pad := (blockHeaderSize + x.csize) % 4; pad != 0 {
		x.put(make([]byte, 4-pad))
	}
	x.put(le32(x.crc.Sum32()))

	index := []byte{0x00}
	index = binary.AppendUvarint(index, 1) // one record
	index = binary.AppendUvarint(index, uint64(blockHeaderSize+x.csize+checkSize))
	index = binary.AppendUvarint(index, uint64(x.usize))
	for len(index)%4 != 0 {
		index = append(index, 0)
	}
	index = append(index, le32(crc32.ChecksumIEEE(index))...)
	x.put(index)

	footer := append(le32(uint32(len(index)/4-1)), xzStreamFlags...)
	x.put(le32(crc32.ChecksumIEEE(footer)))
	x.put(footer)
	x.put([]byte{'Y', 'Z'})
	return x.err
}
