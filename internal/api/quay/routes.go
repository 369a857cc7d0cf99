package quay

import "net/http"

// table is every route of the API. Each family of endpoints lists its
// own; of the routes whose pattern matches, the most specific serve a
// request (see pick).
func (h *Handler) table() []route {
	var rs []route
	for _, family := range [][]route{
		h.errorRoutes(),
		h.orgRoutes(),
		h.teamRoutes(),
		h.notificationRoutes(),
		h.userRoutes(),
		h.superuserRoutes(),
		h.planRoutes(),
		h.prototypeRoutes(),
		h.applicationRoutes(),
		h.appTokenRoutes(),
		h.searchRoutes(),
		h.repositoryRoutes(),
		h.robotRoutes(),
		h.permissionRoutes(),
		h.starRoutes(),
		h.repoTokenRoutes(),
		h.repositoryItemRoutes(),
	} {
		rs = append(rs, family...)
	}
	return rs
}

// errorRoutes serves the descriptions of error types.
func (h *Handler) errorRoutes() []route {
	return []route{{http.MethodGet, "error/{error_type}", h.getErrorType}}
}

// getErrorType answers GET /api/v1/error/{error_type}.
func (h *Handler) getErrorType(w http.ResponseWriter, _ *http.Request, c *call) error {
	typ := c.vars["error_type"]
	desc, ok := errorDescriptions[typ]
	if !ok {
		return notFound()
	}
	return writeJSON(w, http.StatusOK, map[string]string{
		"type": h.opt.PublicURL + Prefix + "error/" + typ, "title": typ, "description": desc,
	})
}
