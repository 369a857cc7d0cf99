package app

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"wharf/internal/api/distribution"
	"wharf/internal/api/habitat"
	"wharf/internal/api/packages"
	"wharf/internal/api/quay"
	"wharf/internal/api/spice"
	"wharf/internal/httpx"
)

// Handler returns the whole HTTP surface: the fronts and the operational
// endpoints, wrapped in the shared middleware.
func (a *App) Handler() http.Handler {
	registry := distribution.NewHandler(distribution.Options{
		Artifacts: a.Artifacts, Auth: a.Accounts, Authorizer: a.authz, Signer: a.signer,
		PublicURL: a.cfg.PublicURL, Realm: a.cfg.Auth.Realm, MaxManifestBytes: a.cfg.Limits.MaxManifestBytes, Log: a.log,
	})
	pkgOpt := packages.Options{
		Artifacts: a.Artifacts, Auth: a.Accounts, Authorizer: a.authz,
		MaxFileBytes: a.cfg.Limits.MaxGenericFileBytes, Log: a.log,
	}
	pkgs, pkgAPI := packages.NewHandler(pkgOpt), packages.NewAPI(pkgOpt)
	quayOpt := quay.Options{
		Accounts: a.Accounts, Authorizer: a.authz, Artifacts: a.Artifacts, Audit: a.audit,
		PublicURL: a.cfg.PublicURL, SignUp: a.cfg.Auth.SignUp, Log: a.log,
	}
	quayAPI, oauth := quay.NewHandler(quayOpt), quay.NewOAuthHandler(quayOpt)
	generate := a.spiceFront()
	registryURL := a.cfg.Packages.Habitat.RegistryURL
	if registryURL == "" {
		registryURL = strings.TrimSuffix(a.cfg.PublicURL, "/") + "/v2/"
	}
	habAPI := habitat.NewHandler(habitat.Options{
		Depot: a.depot, Accounts: a.Accounts, RegistryURL: registryURL,
		PrivateMaxAge: a.cfg.Packages.Habitat.PrivateMaxAge, Log: a.log,
	})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		httpx.SetRoute(r, "healthz")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		httpx.SetRoute(r, "readyz")
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		if err := a.Artifacts.Ping(ctx); err != nil {
			a.log.WarnContext(ctx, "not ready", "err", err)
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok\n"))
	})
	mux.Handle("GET /metrics", a.metrics.Handler())
	// The fronts see paths as sent: ServeMux would clean "a//b" and
	// redirect, turning an invalid repository name into another one.
	fronts := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case p == "/v2" || strings.HasPrefix(p, "/v2/"):
			registry.ServeHTTP(w, r)
		case strings.HasPrefix(p, packages.Prefix):
			pkgs.ServeHTTP(w, r)
		case strings.HasPrefix(p, packages.APIPrefix):
			pkgAPI.ServeHTTP(w, r)
		case strings.HasPrefix(p, quay.Prefix):
			quayAPI.ServeHTTP(w, r)
		case p == spice.Path:
			generate.ServeHTTP(w, r)
		case strings.HasPrefix(p, quay.OAuthPrefix):
			oauth.ServeHTTP(w, r)
		case strings.HasPrefix(p, habitat.Prefix):
			habAPI.ServeHTTP(w, r)
		default:
			mux.ServeHTTP(w, r)
		}
	})
	return httpx.Wrap(fronts, a.log, a.metrics)
}

// Serve serves HTTP on ln and runs background garbage collection until ctx
// is cancelled; then it stops accepting, lets in-flight requests finish
// within the shutdown timeout and returns.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.Handler(),
		ReadHeaderTimeout: a.cfg.Server.ReadHeaderTimeout,
		IdleTimeout:       a.cfg.Server.IdleTimeout,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-gctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), a.cfg.Server.ShutdownTimeout)
		defer cancel()
		a.log.Info("shutting down", "timeout", a.cfg.Server.ShutdownTimeout)
		err := srv.Shutdown(sctx)
		if errors.Is(err, context.DeadlineExceeded) {
			// Requests still running past the timeout are cut off; what
			// they had not acknowledged is not lost (uploads resume), so
			// this is an orderly stop, not a failure.
			a.log.Warn("shutdown timeout: closing the connections still open")
			return srv.Close()
		}
		return err
	})
	if a.cfg.GC.Interval > 0 {
		g.Go(func() error {
			a.gcLoop(gctx)
			return nil
		})
	}
	g.Go(func() error {
		a.gaugeLoop(gctx)
		return nil
	})
	return g.Wait()
}

// gaugeLoop keeps the gauges that count rows of the metadata store
// current, reading them every gaugeEvery.
func (a *App) gaugeLoop(ctx context.Context) {
	t := time.NewTicker(gaugeEvery)
	defer t.Stop()
	for {
		if n, err := a.Artifacts.OpenUploads(ctx); err == nil {
			a.metrics.UploadSessions.Set(float64(n))
		} else if ctx.Err() == nil {
			a.log.Warn("counting upload sessions", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

const gaugeEvery = 10 * time.Second

func (a *App) gcLoop(ctx context.Context) {
	t := time.NewTicker(a.cfg.GC.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			st, err := a.CollectGarbage(ctx)
			if err != nil && ctx.Err() == nil {
				a.log.Error("garbage collection failed", "err", err)
				continue
			}
			a.log.Info("garbage collection", "uploads_deleted", st.UploadsDeleted, "blobs_deleted", st.BlobsDeleted, "bytes_freed", st.BytesFreed)
		}
	}
}
