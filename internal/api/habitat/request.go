package habitat

import (
	"net/http"
	"strings"
	"time"

	"wharf/internal/errs"
	"wharf/internal/format/hab"
)

// targetOf resolves the package target a request names, as Builder does:
// the "target" query parameter, else the target hab puts in its
// User-Agent, else the default. A target parameter that is not a known
// target is a 422 with Builder's message.
func targetOf(r *http.Request) (string, error) {
	t := r.URL.Query().Get("target")
	if t == "" {
		return agentTarget(r.Header.Get("User-Agent")), nil
	}
	if err := hab.ValidTarget(t); err != nil {
		return "", fail(http.StatusUnprocessableEntity, errs.Message(err))
	}
	return t, nil
}

// agentTarget reads the target out of a User-Agent such as
// "hab/1.6.0/20240101000000 (x86_64-linux; 5.15.0)": the text between
// the first '(' and the ';' after it. Anything else, or a target that is
// not known, gives the default target.
func agentTarget(ua string) string {
	_, rest, ok := strings.Cut(ua, "(")
	if !ok {
		return hab.DefaultTarget
	}
	t, _, ok := strings.Cut(rest, ";")
	if !ok {
		return hab.DefaultTarget
	}
	t = strings.TrimSpace(t)
	if hab.ValidTarget(t) != nil {
		return hab.DefaultTarget
	}
	return t
}

// Triggers Builder records on promotion events.
const (
	triggerHab     = "HabClient"
	triggerUI      = "BuilderUi"
	triggerUnknown = "Unknown"
)

// triggerOf names who asked for a promotion or demotion: the hab client
// by its User-Agent, the web UI by a Referer, else unknown.
func triggerOf(r *http.Request) string {
	switch {
	case strings.HasPrefix(r.Header.Get("User-Agent"), "hab/"):
		return triggerHab
	case strings.Contains(r.Header.Get("Referer"), "http"):
		return triggerUI
	}
	return triggerUnknown
}

// exactRange reads "range" as the package lists under /depot/pkgs/ use
// it: an exact offset into the list, one page long; a negative range
// asks for the whole list (limit 0), starting at 0.
func exactRange(r *http.Request) (offset, limit int, err error) {
	n, err := rangeParam(r)
	if err != nil {
		return 0, 0, err
	}
	if n < 0 {
		return 0, 0, nil
	}
	return n, pageSize, nil
}

// pageRange reads "range" as search, channel lists and events use it:
// the page holding that offset, so the offset is rounded down to a
// multiple of the page size. given is the range asked for, at least 0.
func pageRange(r *http.Request) (given, offset int, err error) {
	n, err := rangeParam(r)
	if err != nil {
		return 0, 0, err
	}
	n = max(n, 0)
	return n, n - n%pageSize, nil
}

// dateFormat is the form of the events routes' dates; months and days
// may lack their leading zero.
const dateFormat = "2006-1-2"

// dateParam reads a required date query parameter as midnight UTC. A
// missing or malformed date is a 400.
func dateParam(r *http.Request, name string) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return time.Time{}, fail(http.StatusBadRequest, "missing "+name)
	}
	t, err := time.Parse(dateFormat, v)
	if err != nil {
		return time.Time{}, fail(http.StatusBadRequest, "invalid "+name)
	}
	return t, nil
}

// identIn returns the ident a route's path names: origin, pkg, and
// version and release where the route has them.
func identIn(r *http.Request) hab.Ident {
	return hab.Ident{
		Origin:  r.PathValue("origin"),
		Name:    r.PathValue("pkg"),
		Version: r.PathValue("version"),
		Release: r.PathValue("release"),
	}
}
