package habitat

import (
	"net/http"
	"strconv"

	"wharf/internal/auth"
	"wharf/internal/depot"
)

// packageRoutes registers the routes of this group: packages under
// /depot/pkgs/, search, an origin's package list, reverse dependencies
// and promotion events.
func (h *Handler) packageRoutes() {
	const pkgs = "/v1/depot/pkgs/{origin}"
	const rel = pkgs + "/{pkg}/{version}/{release}"
	h.handle("GET "+pkgs, "hab.pkgs_list", h.listPackages)
	h.handle("GET "+pkgs+"/{pkg}", "hab.pkgs_list", h.listPackages)
	h.handle("GET "+pkgs+"/{pkg}/{version}", "hab.pkgs_list", h.listPackages)
	h.handle("GET "+pkgs+"/{pkg}/latest", "hab.pkg_latest", h.latestPackage)
	h.handle("GET "+pkgs+"/{pkg}/{version}/latest", "hab.pkg_latest", h.latestPackage)
	h.handle("GET "+pkgs+"/{pkg}/versions", "hab.pkg_versions", h.packageVersions)
	h.handle("GET "+rel, "hab.pkg_get", h.getPackage)
	h.handle("POST "+rel, "hab.pkg_upload", h.uploadPackage)
	h.handle("DELETE "+rel, "hab.pkg_delete", h.deletePackage)
	h.handle("GET "+rel+"/download", "hab.pkg_download", h.downloadPackage)
	h.handle("GET "+rel+"/channels", "hab.pkg_channels", h.packageChannels)
	h.handle("PATCH "+rel+"/{visibility}", "hab.pkg_visibility", h.setVisibility)
	// One segment: hab sends the query with '/' as %2F.
	h.handle("GET /v1/depot/pkgs/search/{query}", "hab.pkg_search", h.searchPackages)
	// /depot/{origin}/pkgs overlaps /depot/pkgs/{origin} and every other
	// /depot/<word>/{x} route, so it is matched by its shape here.
	h.handle("GET /v1/depot/{origin}/{leaf}", "hab.origin_pkgs", h.originPackages)
	h.rdepsRoutes()
	h.eventRoutes()
}

// listPackages lists the idents of an origin, a package or a version,
// newest ident string first; the origin's list with distinct=true lists
// its package names instead.
func (h *Handler) listPackages(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	offset, limit, err := exactRange(r)
	if err != nil {
		return err
	}
	ident := identIn(r)
	if ident.Name == "" && boolParam(r, "distinct") {
		page, err := h.opt.Depot.ListNames(r.Context(), p, ident.Origin, offset, limit)
		if err != nil {
			return err
		}
		return writePage(w, offset, len(page.Items), page.Total, identsOf(page.Items))
	}
	page, err := h.opt.Depot.ListIdents(r.Context(), p, depot.ListRequest{
		Origin: ident.Origin, Name: ident.Name, Version: ident.Version, Desc: true, Offset: offset, Limit: limit,
	})
	if err != nil {
		return err
	}
	return writePage(w, offset, len(page.Items), page.Total, identItemsOf(page.Items))
}

// latestPackage answers the newest release of a package or version, in
// any channel, for the request's target.
func (h *Handler) latestPackage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	target, err := targetOf(r)
	if err != nil {
		return err
	}
	ident := identIn(r)
	pkg, err := h.opt.Depot.Latest(r.Context(), p, depot.LatestRequest{
		Origin: ident.Origin, Name: ident.Name, Version: ident.Version, Target: target,
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, depotPackageOf(pkg))
}

// packageVersions summarises a package's versions, newest first.
func (h *Handler) packageVersions(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	ident := identIn(r)
	vs, err := h.opt.Depot.Versions(r.Context(), p, ident.Origin, ident.Name)
	if err != nil {
		return err
	}
	out := make([]versionJSON, len(vs))
	for i, v := range vs {
		out[i] = versionJSON{Origin: v.Origin, Name: v.Name, Version: v.Version,
			ReleaseCount: strconv.Itoa(v.ReleaseCount), Latest: v.Latest,
			Platforms: nonNil(v.Platforms), Visibility: v.Visibility}
	}
	return writeJSON(w, http.StatusOK, out)
}

// getPackage answers a fully qualified release; as Builder, whatever
// target the request names is ignored.
func (h *Handler) getPackage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	pkg, err := h.opt.Depot.Package(r.Context(), p, identIn(r), "", "")
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", h.artifactCache(pkg.Visibility))
	return writeJSON(w, http.StatusOK, depotPackageOf(pkg))
}

// packageChannels lists the channels holding a release, by name
// descending; a release the caller may not see has none.
func (h *Handler) packageChannels(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	target, err := targetOf(r)
	if err != nil {
		return err
	}
	ms, err := h.opt.Depot.ReleaseChannels(r.Context(), p, identIn(r), target)
	if err != nil {
		return err
	}
	out := make([]releaseChannelJSON, len(ms))
	for i, m := range ms {
		out[i] = releaseChannelJSON{Name: m.Channel, CreatedAt: stamp(m.Created), PromotedAt: stamp(m.Updated)}
	}
	return writeJSON(w, http.StatusOK, out)
}

// searchPackages finds releases, or with distinct=true package names,
// whose ident parts start with every '/'-separated term of the query.
func (h *Handler) searchPackages(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	_, offset, err := pageRange(r)
	if err != nil {
		return err
	}
	page, err := h.opt.Depot.Search(r.Context(), p, r.PathValue("query"), boolParam(r, "distinct"), offset, pageSize)
	if err != nil {
		return err
	}
	return writePage(w, offset, len(page.Items), page.Total, identsOf(page.Items))
}

// originPackages lists the package settings of an origin's packages
// (GET /depot/{origin}/pkgs); any other /depot/{x}/{y} is not a route.
func (h *Handler) originPackages(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if r.PathValue("leaf") != "pkgs" {
		return fail(http.StatusNotFound, "")
	}
	_, offset, err := pageRange(r)
	if err != nil {
		return err
	}
	page, err := h.opt.Depot.OriginPackages(r.Context(), p, r.PathValue("origin"), offset, pageSize)
	if err != nil {
		return err
	}
	out := make([]packageSettingsJSON, len(page.Items))
	for i, s := range page.Items {
		out[i] = packageSettingsOf(s)
	}
	return writePage(w, offset, len(out), page.Total, out)
}
