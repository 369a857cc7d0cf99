package habitat

// channelRoutes registers the routes of this group.
func (h *Handler) channelRoutes() {}
