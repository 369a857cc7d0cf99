package hab

import (
	"archive/tar"
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/ulikunitz/xz"

	"wharf/internal/errs"
)

// File is a file to put in a package's directory besides its metadata.
type File struct {
	Path string    // relative to the package directory, such as "bin/hello"
	Mode int64     // permission bits; 0 means 0o644
	Size int64     // bytes Body yields
	Body io.Reader // the contents
}

// WritePayload writes the payload of a .hart for m to w: an xz-compressed
// tar of the package directory hab/pkgs/<ident>/ holding the metadata
// files of m and the given files, dated mtime. A file may not take the
// path of a metadata file or leave the directory. It returns the payload's
// lowercase hex BLAKE2b-256 digest, the message WriteHeader signs. m must
// have a fully qualified ident and a known target; dependencies must be
// fully qualified. Errors of m wrap errs.Invalid.
func WritePayload(w io.Writer, m Metadata, files []File, mtime time.Time) (string, error) {
	meta, err := encodeMetadata(m)
	if err != nil {
		return "", err
	}
	h := mustBlake()
	xw, err := xz.NewWriter(io.MultiWriter(w, h))
	if err != nil {
		return "", fmt.Errorf("writing payload: %w", err)
	}
	tw := tar.NewWriter(xw)
	dir := "hab/pkgs/" + m.Ident.String() + "/"
	parts := strings.Split(strings.TrimSuffix(dir, "/"), "/")
	for i := range parts {
		name := strings.Join(parts[:i+1], "/") + "/"
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name, Mode: 0o755, ModTime: mtime}); err != nil {
			return "", fmt.Errorf("writing payload: %w", err)
		}
	}
	all := make([]File, 0, len(meta)+len(files))
	for _, f := range meta {
		all = append(all, File{Path: f[0], Size: int64(len(f[1])), Body: strings.NewReader(f[1])})
	}
	for _, f := range files {
		clean := path.Clean(f.Path)
		if f.Path == "" || path.IsAbs(f.Path) || clean == "." || clean == ".." || strings.HasPrefix(clean, "../") || metadataFiles[clean] {
			return "", errs.E(errs.Invalid, "invalid file path %s", quote(f.Path))
		}
		f.Path = clean
		all = append(all, f)
	}
	for _, f := range all {
		mode := f.Mode
		if mode == 0 {
			mode = 0o644
		}
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: dir + f.Path, Mode: mode, Size: f.Size, ModTime: mtime}); err != nil {
			return "", fmt.Errorf("writing payload: %w", err)
		}
		if _, err := io.CopyN(tw, f.Body, f.Size); err != nil {
			return "", fmt.Errorf("writing payload file %s: %w", f.Path, err)
		}
	}
	if err := tw.Close(); err != nil {
		return "", fmt.Errorf("writing payload: %w", err)
	}
	if err := xw.Close(); err != nil {
		return "", fmt.Errorf("writing payload: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// WriteHeader writes the header of a .hart whose payload has the given
// digest (64 lowercase hex digits, as WritePayload returns), signed with a
// SIG-SEC-1 key. The payload must follow it. A wrong key type or digest
// gives an error wrapping errs.Invalid.
func WriteHeader(w io.Writer, key Key, payloadDigest string) error {
	h, err := signHeader(key, payloadDigest)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, h.String())
	return err
}

// WriteArchive writes a complete signed .hart to w. Because the header
// signs the payload that follows it, the payload is built in memory
// first; for large packages, write it with WritePayload to spooled
// storage, then WriteHeader and a copy of the payload.
func WriteArchive(w io.Writer, m Metadata, files []File, key Key, mtime time.Time) error {
	if key.Type != SigSecret {
		return errs.E(errs.Invalid, "signing needs a %s key", SigSecret)
	}
	var payload bytes.Buffer
	digest, err := WritePayload(&payload, m, files, mtime)
	if err != nil {
		return err
	}
	if err := WriteHeader(w, key, digest); err != nil {
		return err
	}
	_, err = payload.WriteTo(w)
	return err
}

// encodeMetadata renders the metadata files of m as name/content pairs.
func encodeMetadata(m Metadata) ([][2]string, error) {
	if !m.Ident.FullyQualified() {
		return nil, errs.E(errs.Invalid, "package identifier %s is not fully qualified", quote(m.Ident.String()))
	}
	if err := m.Ident.Validate(); err != nil {
		return nil, err
	}
	if err := ValidTarget(m.Target); err != nil {
		return nil, err
	}
	pt := m.PackageType
	if pt == "" {
		pt = Standard
	}
	if pt != Standard && pt != Native {
		return nil, errs.E(errs.Invalid, "invalid package type %s", quote(string(pt)))
	}
	out := [][2]string{
		{fileIdent, m.Ident.String() + "\n"},
		{fileTarget, m.Target + "\n"},
		{fileManifest, m.Manifest + "\n"},
		{filePackageType, string(pt) + "\n"},
	}
	for _, d := range []struct {
		file string
		ids  []Ident
	}{{fileDeps, m.Deps}, {fileTDeps, m.TDeps}, {fileBuildDeps, m.BuildDeps}, {fileBuildTDeps, m.BuildTDeps}} {
		if len(d.ids) == 0 {
			continue
		}
		var b strings.Builder
		for _, id := range d.ids {
			if !id.FullyQualified() || id.Validate() != nil {
				return nil, errs.E(errs.Invalid, "invalid dependency %s in %s", quote(id.String()), d.file)
			}
			b.WriteString(id.String() + "\n")
		}
		out = append(out, [2]string{d.file, b.String()})
	}
	if len(m.Exposes) > 0 {
		ports := make([]string, len(m.Exposes))
		for i, p := range m.Exposes {
			ports[i] = strconv.Itoa(int(p))
		}
		out = append(out, [2]string{fileExposes, strings.Join(ports, " ") + "\n"})
	}
	if m.Config != "" {
		out = append(out, [2]string{fileConfig, m.Config + "\n"})
	}
	if m.HasSvcUser {
		out = append(out, [2]string{fileSvcUser, m.SvcUser + "\n"})
	}
	if m.HasSvcGroup {
		out = append(out, [2]string{fileSvcGroup, m.SvcGroup + "\n"})
	}
	return out, nil
}
