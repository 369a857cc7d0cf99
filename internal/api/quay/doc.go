// Package quay is the Quay-compatible management API under /api/v1/:
// users, organisations, teams, robots, permissions, default permissions,
// repositories, search and OAuth applications, and the OAuth pages under
// /oauth/. It translates Quay's paths, request fields, status codes, JSON
// shapes and error envelopes to the core services; it owns no data.
//
// Each family of endpoints lives in its own file and contributes its
// routes to the table in routes.go.
package quay
