package hab

import (
	"archive/tar"
	"bufio"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/ulikunitz/xz"
	"golang.org/x/crypto/blake2b"
)

// Archive is what ReadArchive learns from a .hart.
type Archive struct {
	Header Header
	Metadata
	Checksum      string // lowercase hex BLAKE2b-256 of the whole file
	PayloadDigest string // lowercase hex BLAKE2b-256 of the payload: the signed message
	Size          int64  // bytes in the whole file
}

// ReadArchive reads a .hart from r to its end in one pass: the header,
// then the xz-compressed tar, whose metadata files it decodes and whose
// other contents it discards, hashing the file and the payload as it goes.
// Memory use does not grow with the archive: metadata files are capped at
// MaxMetadataSize each and the xz dictionary at MaxDictSize. Decompression
// is bounded by MaxExpansion.
//
// The signature is not checked; see VerifySignature. An archive that
// cannot be read gives an *ArchiveError (wrapping errs.Invalid) whose
// Stage tells which of Builder's checks it fails. An error of r is
// returned wrapped, not as an ArchiveError.
func ReadArchive(r io.Reader) (*Archive, error) {
	src := &source{r: r, hash: mustBlake()}
	br := bufio.NewReaderSize(src, 64<<10)
	h, err := readHeader(br)
	if err != nil {
		return nil, src.blame(err)
	}
	payloadHash := mustBlake()
	payload := io.TeeReader(br, payloadHash)
	files, err := readPayload(payload)
	if err != nil {
		return nil, src.blame(err)
	}
	// The decoder stops at the end of the single xz stream it accepts,
	// having checked nothing follows it; drain to the end regardless.
	if _, err := io.Copy(io.Discard, payload); err != nil {
		return nil, src.blame(err)
	}
	m, err := decodeMetadata(files)
	if err != nil {
		return nil, err
	}
	return &Archive{
		Header:        h,
		Metadata:      m,
		Checksum:      hex.EncodeToString(src.hash.Sum(nil)),
		PayloadDigest: hex.EncodeToString(payloadHash.Sum(nil)),
		Size:          src.n,
	}, nil
}

// readPayload decompresses the tar, collects the trimmed metadata files of
// its package directory and reads the rest to the end of the xz stream.
func readPayload(r io.Reader) (map[string]string, error) {
	g := &dictGuard{r: r}
	dec, err := xz.ReaderConfig{SingleStream: true}.NewReader(g)
	if err != nil {
		return nil, unreadable(err)
	}
	xr := &expansionLimit{r: dec, in: &g.n}
	tr := tar.NewReader(xr)
	files := map[string]string{}
	pkgDir := ""
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, unreadable(err)
		}
		dir, file, ok := metadataPath(hdr.Name)
		if !ok || !hdr.FileInfo().Mode().IsRegular() {
			continue
		}
		if pkgDir == "" {
			pkgDir = dir
		} else if dir != pkgDir {
			return nil, archiveErr(StageArchive, "metadata of two packages: %s and %s", quote(pkgDir), quote(dir))
		}
		if _, dup := files[file]; dup {
			return nil, archiveErr(StageArchive, "metadata file %s appears twice", file)
		}
		if files[file], err = readMetadataFile(tr, file, hdr.Size); err != nil {
			return nil, err
		}
	}
	// Read what follows the tar's end to check the xz stream is whole.
	if _, err := io.Copy(io.Discard, xr); err != nil {
		return nil, unreadable(err)
	}
	return files, nil
}

func readMetadataFile(r io.Reader, file string, size int64) (string, error) {
	if size > MaxMetadataSize {
		return "", archiveErr(StageArchive, "metadata file %s is larger than %d bytes", file, MaxMetadataSize)
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxMetadataSize))
	if err != nil {
		return "", unreadable(err)
	}
	if !utf8.Valid(b) || strings.IndexByte(string(b), 0) >= 0 {
		return "", archiveErr(StageArchive, "metadata file %s is not UTF-8 text", file)
	}
	return strings.TrimSpace(string(b)), nil
}

// MaxExpansion bounds how many times larger than the compressed bytes
// read so far (plus expansionSlack) the decompressed tar may grow, so that
// a small upload cannot keep the decoder busy for hours. Packages compress
// a few times; only long runs of identical bytes approach this.
const MaxExpansion = 1024

const expansionSlack = 16 << 20

// expansionLimit fails once r has produced more than MaxExpansion times
// the compressed bytes counted in *in, plus expansionSlack.
type expansionLimit struct {
	r   io.Reader
	in  *int64
	out int64
}

func (e *expansionLimit) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	e.out += int64(n)
	if e.out > expansionSlack+MaxExpansion*(*e.in) {
		return 0, archiveErr(StageArchive, "payload expands more than %d times", MaxExpansion)
	}
	return n, err
}

// unreadable classifies a failure to decompress or untar the payload,
// keeping the guards' own errors.
func unreadable(err error) error {
	var ae *ArchiveError
	if errors.As(err, &ae) {
		return ae
	}
	return &ArchiveError{Stage: StageArchive, Msg: "unreadable payload", Err: err}
}

// source counts and hashes the bytes read from the archive's reader and
// keeps its first error, so that a failure of the reader is not mistaken
// for a malformed archive.
type source struct {
	r    io.Reader
	hash hash.Hash
	n    int64
	err  error
}

func (s *source) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.hash.Write(p[:n])
	s.n += int64(n)
	if err != nil && !errors.Is(err, io.EOF) && s.err == nil {
		s.err = err
	}
	return n, err
}

// blame returns the reader's own error when it failed, else err.
func (s *source) blame(err error) error {
	if s.err != nil {
		return fmt.Errorf("reading archive: %w", s.err)
	}
	return err
}

func mustBlake() hash.Hash {
	h, err := blake2b.New256(nil)
	if err != nil {
		panic(err) // only a key longer than 64 bytes fails
	}
	return h
}
