package habitat

// packageRoutes registers the routes of this group.
func (h *Handler) packageRoutes() {}
