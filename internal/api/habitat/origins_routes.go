package habitat

// originRoutes registers the routes of this group.
func (h *Handler) originRoutes() {}
