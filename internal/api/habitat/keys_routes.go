package habitat

// keyRoutes registers the routes of this group.
func (h *Handler) keyRoutes() {}
