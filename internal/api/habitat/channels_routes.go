package habitat

import (
	"context"
	"net/http"
	"strings"

	"wharf/internal/auth"
	"wharf/internal/depot"
	"wharf/internal/errs"
)

// sandboxPrefix starts the names of build-group channels, which lists
// leave out unless asked for.
const sandboxPrefix = "bldr-"

// channelRoutes registers the routes of this group. On the routes that
// change channels or what they hold, Builder answers every failed
// permission check with 401, never 403.
func (h *Handler) channelRoutes() {
	const ch = "/v1/depot/channels/{origin}/{channel}"
	const rel = ch + "/pkgs/{pkg}/{version}/{release}"
	h.handle("GET /v1/depot/channels/{origin}", "hab.channels_list", h.listChannels)
	h.handle("POST "+ch, "hab.channel_create", h.createChannel)
	h.handle("DELETE "+ch, "hab.channel_delete", h.deleteChannel)
	h.handle("GET "+ch+"/pkgs", "hab.channel_pkgs", h.channelPackages)
	h.handle("GET "+ch+"/pkgs/{pkg}", "hab.channel_pkgs", h.channelPackages)
	h.handle("GET "+ch+"/pkgs/{pkg}/{version}", "hab.channel_pkgs", h.channelPackages)
	h.handle("GET "+ch+"/pkgs/_latest", "hab.channel_latest_all", h.channelLatestPerName)
	h.handle("GET "+ch+"/pkgs/{pkg}/latest", "hab.channel_pkg_latest", h.channelLatest)
	h.handle("GET "+ch+"/pkgs/{pkg}/{version}/latest", "hab.channel_pkg_latest", h.channelLatest)
	h.handle("GET "+rel, "hab.channel_pkg_get", h.channelPackage)
	h.handle("PUT "+rel+"/promote", "hab.channel_promote", h.promote)
	h.handle("PUT "+rel+"/demote", "hab.channel_demote", h.demote)
	h.handle("PUT "+ch+"/pkgs/promote", "hab.channel_bulk_promote", h.bulkPromote)
	h.handle("PUT "+ch+"/pkgs/demote", "hab.channel_bulk_demote", h.bulkDemote)
}

// channelNameJSON is an item of an origin's channel list.
type channelNameJSON struct {
	Name string `json:"name"`
}

// listChannels lists an origin's channels by name, build-group channels
// only with sandbox=true.
func (h *Handler) listChannels(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	chs, err := h.opt.Depot.Channels(r.Context(), r.PathValue("origin"))
	if err != nil {
		return err
	}
	sandbox := boolParam(r, "sandbox")
	out := []channelNameJSON{}
	for _, c := range chs {
		if sandbox || !strings.HasPrefix(c.Name, sandboxPrefix) {
			out = append(out, channelNameJSON{Name: c.Name})
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

// createChannel creates a channel.
func (h *Handler) createChannel(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	origin := r.PathValue("origin")
	c, err := h.opt.Depot.CreateChannel(r.Context(), p, origin, r.PathValue("channel"))
	if err != nil {
		return remap(err, errs.Denied, http.StatusUnauthorized)
	}
	return writeJSON(w, http.StatusCreated, channelJSON{ID: id(c.ID), OwnerID: id(c.OwnerID), Name: c.Name,
		CreatedAt: stamp(c.Created), UpdatedAt: stamp(c.Updated), Origin: origin})
}

// deleteChannel deletes a channel. Refusing "stable" and "unstable" (to
// a maintainer) is a 403; any refusal of the caller a 401.
func (h *Handler) deleteChannel(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	err := h.opt.Depot.DeleteChannel(r.Context(), p, r.PathValue("origin"), r.PathValue("channel"))
	if err != nil {
		return remap(remap(err, errs.Denied, http.StatusUnauthorized), errs.Conflict, http.StatusForbidden)
	}
	return uncached(w, http.StatusOK)
}

// channelPackages lists the idents in a channel, of the origin, a package
// or a version, by ident. As Builder, the page is the one holding the
// range asked for, and range_start echoes the range.
func (h *Handler) channelPackages(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	given, offset, err := pageRange(r)
	if err != nil {
		return err
	}
	ident := identIn(r)
	page, err := h.opt.Depot.ListIdents(r.Context(), p, depot.ListRequest{
		Origin: ident.Origin, Name: ident.Name, Version: ident.Version, Channel: r.PathValue("channel"),
		Offset: offset, Limit: pageSize,
	})
	if err != nil {
		return err
	}
	return writePage(w, given, len(page.Items), page.Total, bareIdents(page.Items))
}

// latestPerNameJSON holds the newest release of each package in a
// channel for a target.
type latestPerNameJSON struct {
	Channel string      `json:"channel"`
	Target  string      `json:"target"`
	Data    []identJSON `json:"data"`
}

// channelLatestPerName answers the newest release of each package in a
// channel; the target must be named.
func (h *Handler) channelLatestPerName(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if r.URL.Query().Get("target") == "" {
		return fail(http.StatusBadRequest, "missing target")
	}
	target, err := targetOf(r)
	if err != nil {
		return err
	}
	channel := r.PathValue("channel")
	idents, err := h.opt.Depot.LatestPerName(r.Context(), p, r.PathValue("origin"), channel, target)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, latestPerNameJSON{Channel: channel, Target: target, Data: identsOf(idents)})
}

// channelLatest answers the newest release of a package or version in a
// channel, with its manifest and config: what hab install asks.
func (h *Handler) channelLatest(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	target, err := targetOf(r)
	if err != nil {
		return err
	}
	ident := identIn(r)
	pkg, err := h.opt.Depot.Latest(r.Context(), p, depot.LatestRequest{
		Origin: ident.Origin, Name: ident.Name, Version: ident.Version, Channel: r.PathValue("channel"), Target: target,
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, packageOf(pkg))
}

// channelPackage answers a release for a target when it is in the
// channel: hab upload's probe for an existing package.
func (h *Handler) channelPackage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	target, err := targetOf(r)
	if err != nil {
		return err
	}
	pkg, err := h.opt.Depot.Package(r.Context(), p, identIn(r), target, r.PathValue("channel"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, packageOf(pkg))
}

// promotion reads a single promotion or demotion.
func promotion(r *http.Request) (depot.PromoteRequest, error) {
	target, err := targetOf(r)
	if err != nil {
		return depot.PromoteRequest{}, err
	}
	return depot.PromoteRequest{Ident: identIn(r), Target: target, Channel: r.PathValue("channel"), Trigger: triggerOf(r)}, nil
}

// promote puts a release for a target in a channel.
func (h *Handler) promote(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	req, err := promotion(r)
	if err != nil {
		return err
	}
	if err := h.opt.Depot.Promote(r.Context(), p, req); err != nil {
		return remap(err, errs.Denied, http.StatusUnauthorized)
	}
	return uncached(w, http.StatusOK)
}

// demote takes a release for a target out of a channel. Nothing leaves
// "unstable": a 403 before any other check. A release not in the channel
// is a 400.
func (h *Handler) demote(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if r.PathValue("channel") == depot.Unstable {
		return fail(http.StatusForbidden, "")
	}
	req, err := promotion(r)
	if err != nil {
		return err
	}
	if err := h.opt.Depot.Demote(r.Context(), p, req); err != nil {
		return remap(remap(err, errs.Denied, http.StatusUnauthorized), errs.Conflict, http.StatusBadRequest)
	}
	return uncached(w, http.StatusOK)
}

// bulkPromote adds every release in the path's channel to the channel
// the "channel" query parameter names.
func (h *Handler) bulkPromote(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return h.bulk(w, r, p, h.opt.Depot.BulkPromote)
}

// bulkDemote removes every release in the path's channel from the channel
// the "channel" query parameter names.
func (h *Handler) bulkDemote(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return h.bulk(w, r, p, h.opt.Depot.BulkDemote)
}

// bulkFunc is BulkPromote or BulkDemote.
type bulkFunc func(ctx context.Context, p auth.Principal, origin, src, dst, trigger string) error

func (h *Handler) bulk(w http.ResponseWriter, r *http.Request, p auth.Principal, fn bulkFunc) error {
	dst := r.URL.Query().Get("channel")
	if dst == "" {
		return fail(http.StatusBadRequest, "missing channel")
	}
	err := fn(r.Context(), p, r.PathValue("origin"), r.PathValue("channel"), dst, triggerOf(r))
	if err != nil {
		return remap(remap(err, errs.Denied, http.StatusUnauthorized), errs.Invalid, http.StatusBadRequest)
	}
	return uncached(w, http.StatusOK)
}
