package depot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"wharf/internal/artifact"
	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/format/hab"
	"wharf/internal/meta"
)

// Channels every origin has.
const (
	Unstable = "unstable"
	Stable   = "stable"
)

// releaseMeta is what a release's core version keeps of its archive.
type releaseMeta struct {
	Manifest   string   `json:"manifest"`
	Config     string   `json:"config"`
	Deps       []string `json:"deps,omitempty"`
	TDeps      []string `json:"tdeps,omitempty"`
	BuildDeps  []string `json:"build_deps,omitempty"`
	BuildTDeps []string `json:"build_tdeps,omitempty"`
	Exposes    []uint16 `json:"exposes,omitempty"`
}

func identStrings(ids []hab.Ident) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.String()
	}
	return out
}

// versionOf is the core version string of a release for a target.
func versionOf(id hab.Ident, target string) string {
	return id.Version + "/" + id.Release + "/" + target
}

// repoName is the core repository name of a package.
func repoName(origin, name string) string { return origin + "/" + name }

// archiveResult is what reading an upload's archive gave.
type archiveResult struct {
	a   *hab.Archive
	err error
}

// Upload stores a .hart after every check Builder makes, in its order,
// and puts the release in "unstable". The archive is read as the body
// streams to the blob store, so its size does not matter; every check
// but the first ones runs before anything refers to the bytes, so a
// refused upload leaves nothing behind (Builder checks IDENT after
// storing). Errors (messages as Builder's): errs.Invalid for a bad ident
// ("Invalid or not fully qualified package identifier '<ident>'"), an
// unreadable archive ("ds:up:0, err=..."), an unreadable target or one
// other than the request's ("ds:up:1, err=..."), a checksum mismatch
// ("ds:up:3"), a package type change, a forced re-upload with other bytes
// ("ds:up:4"), an IDENT other than the URL's ("ds:up:6") or a signature
// that does not verify with the origin's key; errs.Unsupported for a
// target the depot does not take; errs.Exists when the release exists for
// the target and Forced is not set; errs.Unauthenticated; errs.NotFound
// for the origin; errs.Denied below member.
func (s *Service) Upload(ctx context.Context, p auth.Principal, req UploadRequest) (meta.Release, error) {
	id := req.Ident
	if err := id.Validate(); err != nil || !id.FullyQualified() {
		return meta.Release{}, errs.E(errs.Invalid, "Invalid or not fully qualified package identifier '%s'", id)
	}
	if p.Anonymous() {
		return meta.Release{}, errs.E(errs.Unauthenticated, "authentication required")
	}
	ns, err := s.originAs(ctx, p, id.Origin, Member)
	if err != nil {
		return meta.Release{}, err
	}
	target := req.Target
	if target == "" {
		target = hab.DefaultTarget
	}
	if err := hab.ValidTarget(target); err != nil {
		return meta.Release{}, errs.E(errs.Invalid, "Invalid package target '%s'", target)
	}
	if err := s.sameCase(ctx, ns, id.Name); err != nil {
		return meta.Release{}, err
	}
	existing, err := s.store.GetRelease(ctx, ns.ID, id.Name, id.Version, id.Release, target)
	switch {
	case err == nil && !req.Forced:
		return meta.Release{}, errs.E(errs.Exists, "")
	case err == nil:
		return s.reupload(ctx, ns, existing, req)
	case !errs.Is(err, errs.NotFound):
		return meta.Release{}, err
	}

	pr, pw := io.Pipe()
	done := make(chan archiveResult, 1)
	go func() {
		a, err := hab.ReadArchive(pr)
		if err != nil {
			// Keep consuming, so the upload's copy never blocks.
			_, _ = io.Copy(io.Discard, pr)
		}
		done <- archiveResult{a, err}
	}()
	var (
		once sync.Once
		res  archiveResult
	)
	result := func() archiveResult {
		once.Do(func() {
			pw.Close()
			res = <-done
		})
		return res
	}
	defer func() {
		pw.CloseWithError(errors.New("upload ended"))
		result()
	}()

	var a *hab.Archive
	var rel meta.Release
	_, err = s.core.PutFile(ctx, artifact.PutFileRequest{
		Type:     RepoType,
		RepoName: repoName(id.Origin, id.Name),
		Version:  versionOf(id, target),
		FileName: id.ArchiveName(target),
		Body:     io.TeeReader(req.Body, pw),
		MaxSize:  s.maxSize,
		Creator:  p.UserID,
		Check: func(meta.File) ([]byte, error) {
			r := result()
			if r.err != nil {
				return nil, uploadArchiveError(r.err)
			}
			a = r.a
			if err := s.checkArchive(ctx, ns, id, target, req.Checksum, a); err != nil {
				return nil, err
			}
			return json.Marshal(releaseMeta{
				Manifest: a.Manifest, Config: a.Config,
				Deps: identStrings(a.Deps), TDeps: identStrings(a.TDeps),
				BuildDeps: identStrings(a.BuildDeps), BuildTDeps: identStrings(a.BuildTDeps),
				Exposes: a.Exposes,
			})
		},
		Record: func(ctx context.Context, q meta.Queries, f meta.File) error {
			var err error
			rel, err = s.recordRelease(ctx, q, ns, p, id, a, f)
			return err
		},
	})
	if errs.Is(err, errs.Exists) {
		return meta.Release{}, errs.E(errs.Exists, "")
	}
	if err != nil {
		return meta.Release{}, err
	}
	return rel, nil
}

// sameCase refuses a package name that differs only in case from one the
// origin has: Habitat tells them apart, the core's repositories do not.
func (s *Service) sameCase(ctx context.Context, ns meta.Namespace, name string) error {
	r, err := s.store.GetRepo(ctx, RepoType, repoName(ns.Name, name))
	switch {
	case errs.Is(err, errs.NotFound):
		return nil
	case err != nil:
		return err
	case r.Name != repoName(ns.Name, name):
		return errs.E(errs.Invalid, "Package name '%s' differs only in case from the package '%s' of the origin", name, r.Name)
	}
	return nil
}

// uploadArchiveError words an archive error as Builder does.
func uploadArchiveError(err error) error {
	stage := 0
	if hab.StageOf(err) == hab.StageTarget {
		stage = 1
	}
	if !errs.Is(err, errs.Invalid) {
		return err // the body could not be read
	}
	return errs.E(errs.Invalid, "ds:up:%d, err=%s", stage, errs.Message(err))
}

// checkArchive makes Builder's checks of a read archive, in its order,
// and the signature check Builder leaves to clients.
func (s *Service) checkArchive(ctx context.Context, ns meta.Namespace, id hab.Ident, target, checksum string, a *hab.Archive) error {
	if !slices.Contains(s.targets, a.Target) {
		return errs.E(errs.Unsupported, "Unsupported package target '%s'", a.Target)
	}
	if a.Target != target {
		return errs.E(errs.Invalid, "ds:up:1, err=the archive's target %s is not the requested %s", a.Target, target)
	}
	if checksum != a.Checksum {
		return errs.E(errs.Invalid, "ds:up:3")
	}
	keys, err := s.store.ListReleaseKeys(ctx, meta.ReleaseFilter{NamespaceID: ns.ID, Name: id.Name, Target: target})
	if err != nil {
		return err
	}
	if len(keys) > 0 {
		prev, err := s.store.GetReleaseByVersion(ctx, keys[0].VersionID)
		if err != nil {
			return err
		}
		if prev.PackageType != string(a.PackageType) {
			return errs.E(errs.Invalid, "Package type mismatch; expected '%s', found '%s'", prev.PackageType, a.PackageType)
		}
	}
	if a.Ident != id {
		return errs.E(errs.Invalid, "ds:up:6")
	}
	return s.verifySignature(ctx, ns, a)
}

// verifySignature checks an archive's signature with the origin's public
// key of the revision its header names, when the origin has it.
func (s *Service) verifySignature(ctx context.Context, ns meta.Namespace, a *hab.Archive) error {
	if !s.verify || a.Header.KeyOrigin() != ns.Name {
		return nil
	}
	k, err := s.store.GetOriginKey(ctx, ns.ID, meta.KeySigPublic, a.Header.KeyRevision())
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	pub, err := hab.ParseKey(string(k.Body), hab.SigPublic)
	if err != nil {
		return fmt.Errorf("origin key %s: %w", a.Header.KeyName, err)
	}
	if err := hab.VerifySignature(a, pub); err != nil {
		return errs.E(errs.Invalid, "signature verification failed: %s", errs.Message(err))
	}
	return nil
}

// recordRelease indexes a stored release, in the upload's transaction:
// its visibility comes from the package's settings, made from the
// origin's default on the first upload of the name, and it joins
// "unstable".
func (s *Service) recordRelease(ctx context.Context, q meta.Queries, ns meta.Namespace, p auth.Principal, id hab.Ident, a *hab.Archive, f meta.File) (meta.Release, error) {
	repo, err := q.GetRepo(ctx, RepoType, repoName(id.Origin, id.Name))
	if err != nil {
		return meta.Release{}, err
	}
	settings, err := ensureSettings(ctx, q, ns, repo, id.Name, p.UserID)
	if err != nil {
		return meta.Release{}, err
	}
	rel := meta.Release{
		VersionID: f.VersionID, RepoID: repo.ID, NamespaceID: ns.ID,
		Origin: id.Origin, Name: id.Name, Version: id.Version, Release: id.Release, Target: a.Target,
		Checksum: a.Checksum, Visibility: settings.Visibility, PackageType: string(a.PackageType),
		TDeps: identStrings(a.TDeps), OwnerID: p.UserID,
	}
	if err := q.CreateRelease(ctx, &rel); err != nil {
		return meta.Release{}, err
	}
	ch, err := ensureChannel(ctx, q, ns.ID, Unstable, p.UserID)
	if err != nil {
		return meta.Release{}, err
	}
	if _, err := q.AddToChannel(ctx, ch.ID, rel.VersionID); err != nil {
		return meta.Release{}, err
	}
	return rel, nil
}

// ensureSettings returns a package's settings, creating them with the
// origin's default visibility when it has none.
func ensureSettings(ctx context.Context, q meta.Queries, ns meta.Namespace, repo meta.Repository, name string, owner int64) (meta.PackageSettings, error) {
	ps, err := q.GetPackageSettings(ctx, repo.ID)
	if !errs.Is(err, errs.NotFound) {
		return ps, err
	}
	o, err := settingsOf(ctx, q, ns)
	if err != nil {
		return ps, err
	}
	ps = meta.PackageSettings{RepoID: repo.ID, NamespaceID: ns.ID, Origin: ns.Name, Name: name, Visibility: o.DefaultVisibility, OwnerID: owner}
	err = q.CreatePackageSettings(ctx, &ps)
	if errs.Is(err, errs.Exists) {
		// A concurrent first upload of the name made them.
		return q.GetPackageSettings(ctx, repo.ID)
	}
	return ps, err
}

// ensureChannel returns an origin's channel, creating it when missing.
func ensureChannel(ctx context.Context, q meta.Queries, namespaceID int64, name string, owner int64) (meta.Channel, error) {
	ch, err := q.GetChannel(ctx, namespaceID, name)
	if !errs.Is(err, errs.NotFound) {
		return ch, err
	}
	ch = meta.Channel{NamespaceID: namespaceID, Name: name, OwnerID: owner}
	if err := q.CreateChannel(ctx, &ch); err != nil {
		return ch, err
	}
	return ch, nil
}

// reupload answers a forced upload of a release that exists: Builder
// allows it only as an idempotent repair, with the same bytes. The body is
// read and checked, and nothing is stored: the bytes are there already.
func (s *Service) reupload(ctx context.Context, ns meta.Namespace, existing meta.Release, req UploadRequest) (meta.Release, error) {
	body := req.Body
	if s.maxSize > 0 {
		body = io.LimitReader(body, s.maxSize+1)
	}
	a, err := hab.ReadArchive(body)
	if err != nil {
		return meta.Release{}, uploadArchiveError(err)
	}
	if s.maxSize > 0 && a.Size > s.maxSize {
		return meta.Release{}, errs.E(errs.TooLarge, "the package is larger than %d bytes", s.maxSize)
	}
	if err := s.checkArchive(ctx, ns, req.Ident, existing.Target, req.Checksum, a); err != nil {
		return meta.Release{}, err
	}
	if a.Checksum != existing.Checksum {
		return meta.Release{}, errs.E(errs.Invalid, "ds:up:4")
	}
	return existing, nil
}
