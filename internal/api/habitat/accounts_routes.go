package habitat

// accountRoutes registers the routes of this group.
func (h *Handler) accountRoutes() {}
