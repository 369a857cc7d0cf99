package habitat

import (
	"net/http"

	"wharf/internal/auth"
	"wharf/internal/depot"
	"wharf/internal/format/hab"
)

// rdepsRoutes registers the reverse dependencies route.
func (h *Handler) rdepsRoutes() {
	h.handle("GET /v1/rdeps/{origin}/{pkg}", "hab.rdeps", h.rdeps)
}

// eventRoutes registers the promotion events routes.
func (h *Handler) eventRoutes() {
	h.handle("GET /v1/depot/events", "hab.events", h.events)
	h.handle("GET /v1/depot/events/saas", "hab.events_saas", h.eventsSaaS)
}

// rdepsJSON lists the packages that depend on one at run time.
type rdepsJSON struct {
	Origin string   `json:"origin"`
	Name   string   `json:"name"`
	RDeps  []string `json:"rdeps"`
}

// rdeps answers the "origin/name" of the packages whose run-time
// dependencies include a release of the package for the target.
func (h *Handler) rdeps(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	target, err := targetOf(r)
	if err != nil {
		return err
	}
	ident := identIn(r)
	names, err := h.opt.Depot.RDeps(r.Context(), p, ident.Origin, ident.Name, target)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rdepsJSON{Origin: ident.Origin, Name: ident.Name, RDeps: nonNil(names)})
}

// events lists promotions and demotions between from_date and to_date,
// both days included, newest first.
func (h *Handler) events(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	from, err := dateParam(r, "from_date")
	if err != nil {
		return err
	}
	to, err := dateParam(r, "to_date")
	if err != nil {
		return err
	}
	_, offset, err := pageRange(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := h.opt.Depot.Events(r.Context(), p, depot.EventRequest{
		From: from, To: to.AddDate(0, 0, 1), Channel: q.Get("channel"), Query: q.Get("query"),
		Offset: offset, Limit: pageSize,
	})
	if err != nil {
		return err
	}
	out := make([]eventJSON, len(page.Items))
	for i, e := range page.Items {
		out[i] = eventJSON{Operation: e.Operation, CreatedAt: stamp(e.Created), Origin: e.Origin, Channel: e.Channel,
			PackageIdent: identOf(hab.Ident{Origin: e.Origin, Name: e.Name, Version: e.Version, Release: e.Release})}
	}
	return writePage(w, offset, len(out), page.Total, out)
}

// eventsSaaS is Builder's proxy of the events query to the public
// Builder; this depot has no upstream to ask.
func (h *Handler) eventsSaaS(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return fail(http.StatusNotImplemented, "")
}
