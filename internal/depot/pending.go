package depot

// Bodies in this file are being written; each moves to its own file.

import (
	"context"

	"wharf/internal/auth"
	"wharf/internal/format/hab"
	"wharf/internal/meta"
)

// Upload stores a .hart after every check Builder makes, in its order,
// and puts the release in "unstable". Errors (messages as Builder's):
// errs.Invalid for a bad ident ("Invalid or not fully qualified package
// identifier '<ident>'"), an unreadable archive ("ds:up:0, err=..."), an
// unreadable target ("ds:up:1, err=..."), a checksum mismatch ("ds:up:3"),
// a package type change, a forced re-upload with other bytes ("ds:up:4"),
// an IDENT other than the URL's ("ds:up:6") or a bad signature;
// errs.Unsupported for a target the depot does not take; errs.Exists when
// the release exists for the target and Forced is not set;
// errs.Unauthenticated; errs.Denied below member.
func (s *Service) Upload(ctx context.Context, p auth.Principal, req UploadRequest) (meta.Release, error) {
	panic("pending")
}

// Package returns a release by full ident and target ("" any target),
// when p may see it; with channel set, only when the release is in it.
// Errors: errs.NotFound.
func (s *Service) Package(ctx context.Context, p auth.Principal, id hab.Ident, target, channel string) (Package, error) {
	panic("pending")
}

// Latest returns the newest release p may see by Habitat's ordering.
// Errors: errs.NotFound.
func (s *Service) Latest(ctx context.Context, p auth.Principal, req LatestRequest) (Package, error) {
	panic("pending")
}

// ListIdents lists the idents of an origin p may see, with their channels
// and targets. An unknown origin gives an empty page.
func (s *Service) ListIdents(ctx context.Context, p auth.Principal, req ListRequest) (Page[IdentItem], error) {
	panic("pending")
}

// ListNames lists the package names of an origin p may see, by name, as
// idents without version and release.
func (s *Service) ListNames(ctx context.Context, p auth.Principal, origin string, offset, limit int) (Page[hab.Ident], error) {
	panic("pending")
}

// Search finds releases whose ident parts start with every term of query
// (terms split on '/'), among those p may see: distinct gives package
// names (by name, then origin), else full idents (by ident).
func (s *Service) Search(ctx context.Context, p auth.Principal, query string, distinct bool, offset, limit int) (Page[hab.Ident], error) {
	panic("pending")
}

// Versions summarises the versions of a package p may see, newest first.
func (s *Service) Versions(ctx context.Context, p auth.Principal, origin, name string) ([]VersionSummary, error) {
	panic("pending")
}

// ReleaseChannels returns the channels holding a release p may see, by
// name descending. A release p may not see has none.
func (s *Service) ReleaseChannels(ctx context.Context, p auth.Principal, id hab.Ident, target string) ([]meta.ChannelMembership, error) {
	panic("pending")
}

// SetVisibility makes every target of an ident public or private.
// Errors: errs.Invalid for another visibility; errs.NotFound;
// errs.Unauthenticated; errs.Denied below maintainer.
func (s *Service) SetVisibility(ctx context.Context, p auth.Principal, id hab.Ident, visibility string) error {
	panic("pending")
}

// DeletePackage removes a release for a target with its .hart. Errors:
// errs.Conflict while it is in "stable" or a package depends on its name;
// errs.NotFound; errs.Unauthenticated; errs.Denied below member.
func (s *Service) DeletePackage(ctx context.Context, p auth.Principal, id hab.Ident, target string) error {
	panic("pending")
}

// Download opens a release's .hart: public and hidden releases for
// anyone, private ones for members. Errors: errs.NotFound.
func (s *Service) Download(ctx context.Context, p auth.Principal, id hab.Ident, target string) (Download, error) {
	panic("pending")
}

// LatestPerName returns the newest release of each package in a channel
// for a target, by name.
func (s *Service) LatestPerName(ctx context.Context, p auth.Principal, origin, channel, target string) ([]hab.Ident, error) {
	panic("pending")
}

// Channels returns an origin's channels by name; an unknown origin has
// none.
func (s *Service) Channels(ctx context.Context, origin string) ([]meta.Channel, error) {
	panic("pending")
}

// CreateChannel creates a channel. Errors: errs.Exists; errs.NotFound for
// the origin; errs.Unauthenticated; errs.Denied below maintainer.
func (s *Service) CreateChannel(ctx context.Context, p auth.Principal, origin, name string) (meta.Channel, error) {
	panic("pending")
}

// DeleteChannel deletes a channel but "stable" and "unstable". Errors:
// errs.Denied for those and below maintainer; errs.NotFound;
// errs.Unauthenticated.
func (s *Service) DeleteChannel(ctx context.Context, p auth.Principal, origin, name string) error {
	panic("pending")
}

// Promote puts a release in a channel; promoting twice is not an error
// and records one event. Errors: errs.NotFound for the channel or the
// release; errs.Unauthenticated; errs.Denied below maintainer.
func (s *Service) Promote(ctx context.Context, p auth.Principal, req PromoteRequest) error {
	panic("pending")
}

// Demote takes a release out of a channel. Errors: errs.Denied for
// "unstable" and below maintainer; errs.Conflict when the release is not
// in the channel; errs.NotFound; errs.Unauthenticated.
func (s *Service) Demote(ctx context.Context, p auth.Principal, req PromoteRequest) error {
	panic("pending")
}

// BulkPromote adds every release in channel src to dst, creating dst
// when missing. Errors: errs.Invalid when dst is src or "unstable";
// errs.NotFound for src; errs.Unauthenticated; errs.Denied below
// maintainer.
func (s *Service) BulkPromote(ctx context.Context, p auth.Principal, origin, src, dst, trigger string) error {
	panic("pending")
}

// BulkDemote removes every release in channel src from dst. Errors:
// errs.Invalid when either is "unstable" or they are the same;
// errs.NotFound; errs.Unauthenticated; errs.Denied below maintainer.
func (s *Service) BulkDemote(ctx context.Context, p auth.Principal, origin, src, dst, trigger string) error {
	panic("pending")
}

// RDeps returns "origin/name" of the packages whose runtime dependencies
// include a release of origin/name for target, sorted, leaving out
// origins whose packages p may not see.
func (s *Service) RDeps(ctx context.Context, p auth.Principal, origin, name, target string) ([]string, error) {
	panic("pending")
}

// Events lists promotions and demotions p may see, newest first.
func (s *Service) Events(ctx context.Context, p auth.Principal, req EventRequest) (Page[meta.DepotEvent], error) {
	panic("pending")
}
