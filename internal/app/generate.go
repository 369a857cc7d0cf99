package app

import (
	"net/http"

	"wharf/internal/api/spice"
	"wharf/internal/pkggen"
)

// newGenerator builds the package generation service from the github and
// packages.generate settings.
func (a *App) newGenerator() *pkggen.Service {
	g := a.cfg.Packages.Generate
	return pkggen.New(a.meta, a.blobs, pkggen.Options{
		APIURL: a.cfg.GitHub.APIURL, RawURL: a.cfg.GitHub.RawURL,
		MaxFiles: int(g.MaxFiles), MaxBytes: g.MaxBytes, Timeout: g.Timeout,
		Concurrency: int(g.Concurrency), MaxRunning: int(g.MaxRunning), CacheTTL: g.CacheTTL,
	})
}

// spiceFront returns the handler of POST /v1/packages/generate.
func (a *App) spiceFront() http.Handler {
	g := a.cfg.Packages.Generate
	return spice.NewHandler(spice.Options{
		Generator: a.generator, Artifacts: a.Artifacts, Auth: a.Accounts, Authorizer: a.authz,
		Public: g.Public, RatePerMinute: g.RatePerMinute, RateBurst: g.RateBurst,
		MaxFileBytes: a.cfg.Limits.MaxGenericFileBytes, Log: a.log,
	})
}
