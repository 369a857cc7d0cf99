package hab

import (
	"strconv"
	"strings"
)

// PackageType is the kind of package a PACKAGE_TYPE file declares.
type PackageType string

// The package types. Builder's JSON capitalises them ("Standard").
const (
	Standard PackageType = "standard"
	Native   PackageType = "native"
)

// Title returns the type as Builder's JSON spells it: "Standard" or
// "Native".
func (t PackageType) Title() string {
	if t == "" {
		return ""
	}
	return strings.ToUpper(string(t[:1])) + string(t[1:])
}

// IsAService applies Builder's heuristic for the is_a_service field of
// package JSON: the MANIFEST mentions pkg_exposes, pkg_binds or
// pkg_exports.
func IsAService(manifest string) bool {
	return strings.Contains(manifest, "pkg_exposes") || strings.Contains(manifest, "pkg_binds") || strings.Contains(manifest, "pkg_exports")
}

// MaxMetadataSize bounds each metadata file read from an archive.
const MaxMetadataSize = 1 << 20

// Metadata is what Builder reads from the metadata files of a package,
// each trimmed of surrounding white space.
type Metadata struct {
	Ident       Ident  // IDENT, fully qualified
	Target      string // TARGET, a known target
	Manifest    string // MANIFEST
	Config      string // default.toml, empty when absent
	Deps        []Ident
	TDeps       []Ident
	BuildDeps   []Ident
	BuildTDeps  []Ident
	Exposes     []uint16    // EXPOSES
	PackageType PackageType // PACKAGE_TYPE, Standard when absent
	SvcUser     string      // SVC_USER
	SvcGroup    string      // SVC_GROUP
	HasSvcUser  bool        // SVC_USER is present: the package runs as a service
	HasSvcGroup bool
}

// The metadata file names, as they appear in the package directory.
const (
	fileIdent       = "IDENT"
	fileTarget      = "TARGET"
	fileManifest    = "MANIFEST"
	fileConfig      = "default.toml"
	fileDeps        = "DEPS"
	fileTDeps       = "TDEPS"
	fileBuildDeps   = "BUILD_DEPS"
	fileBuildTDeps  = "BUILD_TDEPS"
	fileExposes     = "EXPOSES"
	filePackageType = "PACKAGE_TYPE"
	fileSvcUser     = "SVC_USER"
	fileSvcGroup    = "SVC_GROUP"
)

var metadataFiles = map[string]bool{
	fileIdent: true, fileTarget: true, fileManifest: true, fileConfig: true,
	fileDeps: true, fileTDeps: true, fileBuildDeps: true, fileBuildTDeps: true,
	fileExposes: true, filePackageType: true, fileSvcUser: true, fileSvcGroup: true,
}

// metadataPath splits a tar entry name of the form
// [/][opt/]hab/pkgs/<origin>/<name>/<version>/<release>/<FILE> into the
// package directory and the metadata file name.
func metadataPath(name string) (dir, file string, ok bool) {
	name = strings.TrimPrefix(name, "/")
	name = strings.TrimPrefix(name, "opt/")
	rest, ok := strings.CutPrefix(name, "hab/pkgs/")
	if !ok {
		return "", "", false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 5 || !metadataFiles[parts[4]] {
		return "", "", false
	}
	for _, p := range parts[:4] {
		if p == "" {
			return "", "", false
		}
	}
	return strings.Join(parts[:4], "/"), parts[4], true
}

// decodeMetadata builds Metadata from the trimmed metadata files found.
// TARGET is checked first, as Builder does.
func decodeMetadata(files map[string]string) (Metadata, error) {
	var m Metadata
	target, ok := files[fileTarget]
	if !ok {
		return m, archiveErr(StageTarget, "archive has no TARGET")
	}
	if err := ValidTarget(target); err != nil {
		return m, &ArchiveError{Stage: StageTarget, Msg: "unreadable TARGET", Err: err}
	}
	m.Target = target
	switch t := files[filePackageType]; t {
	case "", string(Standard):
		m.PackageType = Standard
	case string(Native):
		m.PackageType = Native
	default:
		return m, archiveErr(StageArchive, "invalid PACKAGE_TYPE %s", quote(t))
	}
	ident, ok := files[fileIdent]
	if !ok {
		return m, archiveErr(StageArchive, "archive has no IDENT")
	}
	var err error
	if m.Ident, err = ParseFullIdent(ident); err != nil {
		return m, &ArchiveError{Stage: StageArchive, Msg: "unreadable IDENT", Err: err}
	}
	if m.Manifest, ok = files[fileManifest]; !ok {
		return m, archiveErr(StageArchive, "archive has no MANIFEST")
	}
	m.Config = files[fileConfig]
	for _, d := range []struct {
		file string
		dst  *[]Ident
	}{{fileDeps, &m.Deps}, {fileTDeps, &m.TDeps}, {fileBuildDeps, &m.BuildDeps}, {fileBuildTDeps, &m.BuildTDeps}} {
		if *d.dst, err = parseDeps(d.file, files[d.file]); err != nil {
			return m, err
		}
	}
	for _, p := range strings.Fields(files[fileExposes]) {
		port, err := strconv.ParseUint(p, 10, 16)
		if err != nil {
			return m, archiveErr(StageArchive, "invalid port %s in EXPOSES", quote(p))
		}
		m.Exposes = append(m.Exposes, uint16(port))
	}
	m.SvcUser, m.HasSvcUser = files[fileSvcUser]
	m.SvcGroup, m.HasSvcGroup = files[fileSvcGroup]
	return m, nil
}

// parseDeps parses one fully qualified ident per line; blank lines are
// skipped.
func parseDeps(file, body string) ([]Ident, error) {
	var deps []Ident
	for line := range strings.SplitSeq(body, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		id, err := ParseFullIdent(line)
		if err != nil {
			return nil, &ArchiveError{Stage: StageArchive, Msg: "invalid dependency in " + file, Err: err}
		}
		deps = append(deps, id)
	}
	return deps, nil
}
