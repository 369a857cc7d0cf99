package meta

import (
	"strings"

	"wharf/internal/errs"
)

// The checks below are the errs.Invalid cases of the depot aggregates.
// Every implementation runs them before it reads or writes, so a bad value
// is refused the same way by each.

// Package types.
const (
	PackageStandard = "standard"
	PackageNative   = "native"
)

// CheckVisibility returns errs.Invalid unless v is one of the Visibility
// values.
func CheckVisibility(v string) error {
	switch v {
	case VisibilityPublic, VisibilityPrivate, VisibilityHidden:
		return nil
	}
	return errs.E(errs.Invalid, "unknown visibility %q", v)
}

// CheckVisibilities returns errs.Invalid unless every one of vs is a
// Visibility value.
func CheckVisibilities(vs []string) error {
	for _, v := range vs {
		if err := CheckVisibility(v); err != nil {
			return err
		}
	}
	return nil
}

// TDep is a release dependency split into its parts.
type TDep struct {
	Origin, Name, Version, Release string
}

// ParseTDep splits "origin/name/version/release". Errors: errs.Invalid
// unless s has exactly four non-empty parts.
func ParseTDep(s string) (TDep, error) {
	p := strings.Split(s, "/")
	if len(p) != 4 || p[0] == "" || p[1] == "" || p[2] == "" || p[3] == "" {
		return TDep{}, errs.E(errs.Invalid, "dependency %q is not origin/name/version/release", s)
	}
	return TDep{Origin: p[0], Name: p[1], Version: p[2], Release: p[3]}, nil
}

// CheckRelease returns r's TDeps split into their parts. Errors:
// errs.Invalid for an empty origin, name, version, release, target or
// checksum, an unknown visibility or package type, or a malformed TDep.
func CheckRelease(r *Release) ([]TDep, error) {
	if r.Origin == "" || r.Name == "" || r.Version == "" || r.Release == "" || r.Target == "" || r.Checksum == "" {
		return nil, errs.E(errs.Invalid, "release ident, target or checksum is empty")
	}
	if err := CheckVisibility(r.Visibility); err != nil {
		return nil, err
	}
	if r.PackageType != PackageStandard && r.PackageType != PackageNative {
		return nil, errs.E(errs.Invalid, "unknown package type %q", r.PackageType)
	}
	deps := make([]TDep, 0, len(r.TDeps))
	for _, s := range r.TDeps {
		d, err := ParseTDep(s)
		if err != nil {
			return nil, err
		}
		deps = append(deps, d)
	}
	return deps, nil
}

// CheckReleaseParent returns errs.Invalid when r's RepoID or NamespaceID
// is set and is not repoID or namespaceID, those of the version r indexes.
func CheckReleaseParent(r *Release, repoID, namespaceID int64) error {
	if (r.RepoID != 0 && r.RepoID != repoID) || (r.NamespaceID != 0 && r.NamespaceID != namespaceID) {
		return errs.E(errs.Invalid, "release repository or namespace is not the version's")
	}
	return nil
}

// CheckReleaseFilter returns errs.Invalid for an unknown visibility in f.
func CheckReleaseFilter(f ReleaseFilter) error {
	return CheckVisibilities(f.Visibilities)
}

// CheckPage returns errs.Invalid for a negative offset.
func CheckPage(offset int) error {
	if offset < 0 {
		return errs.E(errs.Invalid, "offset is negative")
	}
	return nil
}

// CheckChannel returns errs.Invalid for a Channel without a name.
func CheckChannel(c *Channel) error {
	if c.Name == "" {
		return errs.E(errs.Invalid, "channel name is empty")
	}
	return nil
}

// CheckDepotEvent returns errs.Invalid for an unknown operation or
// visibility, or an event without a channel, origin or name.
func CheckDepotEvent(e *DepotEvent) error {
	if e.Operation != EventPromote && e.Operation != EventDemote {
		return errs.E(errs.Invalid, "unknown event operation %q", e.Operation)
	}
	if e.Channel == "" || e.Origin == "" || e.Name == "" {
		return errs.E(errs.Invalid, "event channel, origin or name is empty")
	}
	return CheckVisibility(e.Visibility)
}

// CheckEventTemplate returns errs.Invalid unless e names an operation and
// a channel: what CopyChannel and SubtractChannel take of it.
func CheckEventTemplate(e DepotEvent) error {
	if e.Operation != EventPromote && e.Operation != EventDemote {
		return errs.E(errs.Invalid, "unknown event operation %q", e.Operation)
	}
	if e.Channel == "" {
		return errs.E(errs.Invalid, "event channel is empty")
	}
	return nil
}

// CheckOrigin returns errs.Invalid unless o's default visibility is
// VisibilityPublic or VisibilityPrivate.
func CheckOrigin(o *Origin) error {
	if o.DefaultVisibility != VisibilityPublic && o.DefaultVisibility != VisibilityPrivate {
		return errs.E(errs.Invalid, "origin default visibility %q is neither public nor private", o.DefaultVisibility)
	}
	return nil
}

// CheckPackageSettings returns errs.Invalid for settings without an
// origin or a name, or with an unknown visibility.
func CheckPackageSettings(s *PackageSettings) error {
	if s.Origin == "" || s.Name == "" {
		return errs.E(errs.Invalid, "package origin or name is empty")
	}
	return CheckVisibility(s.Visibility)
}

// CheckPackageSettingsParent returns errs.Invalid when s's NamespaceID is
// set and is not namespaceID, that of the repository s belongs to.
func CheckPackageSettingsParent(s *PackageSettings, namespaceID int64) error {
	if s.NamespaceID != 0 && s.NamespaceID != namespaceID {
		return errs.E(errs.Invalid, "package namespace is not the repository's")
	}
	return nil
}

// CheckKeyKind returns errs.Invalid unless kind is one of the Key* kinds.
func CheckKeyKind(kind string) error {
	switch kind {
	case KeySigPublic, KeySigSecret, KeyBoxPublic, KeyBoxSecret:
		return nil
	}
	return errs.E(errs.Invalid, "unknown origin key kind %q", kind)
}

// CheckKeyRevision returns errs.Invalid unless revision is 14 ASCII
// digits, the form of a UTC stamp YYYYMMDDhhmmss.
func CheckKeyRevision(revision string) error {
	if len(revision) != 14 {
		return errs.E(errs.Invalid, "origin key revision %q is not 14 digits", revision)
	}
	for i := 0; i < len(revision); i++ {
		if c := revision[i]; c < '0' || c > '9' {
			return errs.E(errs.Invalid, "origin key revision %q is not 14 digits", revision)
		}
	}
	return nil
}

// CheckKeyRef returns errs.Invalid for an unknown kind or a malformed
// revision, the two parts that name one origin key.
func CheckKeyRef(kind, revision string) error {
	if err := CheckKeyKind(kind); err != nil {
		return err
	}
	return CheckKeyRevision(revision)
}

// CheckOriginKey returns errs.Invalid for a key of an unknown kind, with
// a malformed revision or with an empty body.
func CheckOriginKey(k *OriginKey) error {
	if err := CheckKeyRef(k.Kind, k.Revision); err != nil {
		return err
	}
	if len(k.Body) == 0 {
		return errs.E(errs.Invalid, "origin key body is empty")
	}
	return nil
}

// CheckOriginSecret returns errs.Invalid for a secret without a name or a
// value.
func CheckOriginSecret(s *OriginSecret) error {
	if s.Name == "" || s.Value == "" {
		return errs.E(errs.Invalid, "origin secret name or value is empty")
	}
	return nil
}

// CheckIntegration returns errs.Invalid for an integration without a kind,
// a name or a body.
func CheckIntegration(i *Integration) error {
	if i.Integration == "" || i.Name == "" || len(i.Body) == 0 {
		return errs.E(errs.Invalid, "integration kind, name or body is empty")
	}
	return nil
}
