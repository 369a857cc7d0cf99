// Package spice is Wharf's Spice-compatible front: POST
// /v1/packages/generate takes {"from": "github:{org}/{repo}/{sha}/{path}",
// "params": {"github_token": "…"}} and answers with the zip of that
// spicepod and every file it refers to, as the Spice runtime does, built
// by the pkggen service. Beyond Spice, a "publish" object stores the zip
// as a generic package version in the same request.
//
// Errors are JSON objects {"error": "…"}, as Spice's published API
// documents them; unexpected failures answer {"error": "An unexpected
// error occurred"} and are logged. Callers must be signed in unless the
// feature is public, and each principal (for anonymous callers each
// client address, IPv6 ones by /64 network) is rate-limited by a token
// bucket kept in this process's memory.
package spice
