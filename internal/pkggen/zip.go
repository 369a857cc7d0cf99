package pkggen

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"strings"
	"unicode/utf8"
)

// entry is a file of a package: its name in the zip and its compressed
// content, or while the package is planned a file still to fetch (c nil;
// size is its size when a tree listing told it) or a folder still to list
// (folder set, name empty).
type entry struct {
	name   string
	c      *chunk
	folder string
	size   int64
}

// DOS date and time of every entry: 1980-01-01 00:00, the earliest a zip
// can say, so that the same files always make the same bytes.
const (
	dosDate = 1<<5 | 1
	dosTime = 0
)

// zipped is a package written to an unnamed temporary file.
type zipped struct {
	f      *os.File
	size   int64
	digest string
}

// writeZip writes entries, in order, as a zip to a new temporary file in
// dir: each file Deflate-compressed with mode 0644, preceded by an entry
// for each of its directories not written yet (mode 0755). The file's name
// is removed at once; closing it frees it.
func writeZip(ctx context.Context, dir string, entries []entry) (*zipped, error) {
	f, err := os.CreateTemp(dir, "wharf-package-*")
	if err != nil {
		return nil, err
	}
	os.Remove(f.Name())
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(f, h)}
	if err := zipEntries(ctx, cw, entries); err != nil {
		f.Close()
		return nil, err
	}
	return &zipped{f: f, size: cw.n, digest: "sha256:" + hex.EncodeToString(h.Sum(nil))}, nil
}

func zipEntries(ctx context.Context, w io.Writer, entries []entry) error {
	zw := zip.NewWriter(w)
	dirs := map[string]bool{}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		for i := 0; i < len(e.name); i++ {
			if e.name[i] != '/' || dirs[e.name[:i]] {
				continue
			}
			dirs[e.name[:i]] = true
			hdr := header(e.name[:i+1])
			hdr.SetMode(fs.ModeDir | 0o755)
			if _, err := zw.CreateHeader(hdr); err != nil {
				return err
			}
		}
		hdr := header(e.name)
		hdr.SetMode(0o644)
		hdr.Method = zip.Deflate
		hdr.CRC32, hdr.CompressedSize64, hdr.UncompressedSize64 = e.c.crc, uint64(e.c.n), uint64(e.c.size)
		fw, err := zw.CreateRaw(hdr)
		if err != nil {
			return err
		}
		if _, err := io.Copy(fw, e.c.reader()); err != nil {
			return err
		}
	}
	return zw.Close()
}

// header returns the fields every entry shares. CreateRaw leaves the
// version and UTF-8 fields to the caller, so they are set here for all.
func header(name string) *zip.FileHeader {
	h := &zip.FileHeader{Name: name, ModifiedDate: dosDate, ModifiedTime: dosTime, ReaderVersion: 20, CreatorVersion: 20}
	if utf8.ValidString(name) && strings.ContainsFunc(name, func(r rune) bool { return r >= utf8.RuneSelf }) {
		h.Flags |= 0x800
	}
	return h
}

// countWriter counts what passes through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
