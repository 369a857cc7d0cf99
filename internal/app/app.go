package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"wharf/internal/artifact"
	"wharf/internal/audit"
	"wharf/internal/auth"
	"wharf/internal/blob"
	"wharf/internal/blob/fs"
	"wharf/internal/config"
	"wharf/internal/depot"
	"wharf/internal/format/generic"
	"wharf/internal/format/oci"
	"wharf/internal/httpx"
	"wharf/internal/meta"
	"wharf/internal/meta/postgres"
	"wharf/internal/meta/sqlite"
	"wharf/internal/pkggen"
)

// App is a wired Wharf: its stores, services and HTTP handler.
type App struct {
	cfg       config.Config
	log       *slog.Logger
	meta      meta.Store
	blobs     blob.Store
	Artifacts *artifact.Service
	Accounts  *auth.Service
	authz     *auth.Authorizer
	audit     *audit.Recorder
	signer    *auth.Signer
	metrics   *httpx.Metrics
	generator *pkggen.Service
	depot     *depot.Service
}

// New opens the stores named by cfg, running metadata migrations, and
// builds the services. cfg must be resolved and valid. Close releases it.
func New(ctx context.Context, cfg config.Config, log *slog.Logger) (_ *App, err error) {
	a := &App{cfg: cfg, log: log, metrics: httpx.NewMetrics()}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	if a.meta, err = openMeta(ctx, cfg); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			a.meta.Close()
		}
	}()
	if a.blobs, err = fs.New(cfg.Blob.FS.Root, fs.Options{Fsync: cfg.Blob.FS.Fsync}); err != nil {
		return nil, fmt.Errorf("blob store: %w", err)
	}
	a.Artifacts, err = artifact.New(a.meta, a.blobs, formats(), artifact.Options{OnCreateRepo: auth.OnCreateRepo})
	if err != nil {
		return nil, err
	}
	key, err := auth.LoadOrCreateKey(cfg.Auth.JWTKeyFile)
	if err != nil {
		return nil, fmt.Errorf("token signing key: %w", err)
	}
	if a.signer, err = auth.NewSigner(key, "wharf", cfg.Auth.TokenTTL); err != nil {
		return nil, err
	}
	secretKey, err := auth.LoadOrCreateKey(cfg.Auth.SecretKeyFile)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	sealer, err := auth.NewSealer(secretKey)
	if err != nil {
		return nil, err
	}
	if a.Accounts, err = auth.NewService(a.meta, a.signer, sealer); err != nil {
		return nil, err
	}
	a.authz = auth.NewAuthorizer(a.meta, cfg.Auth.UserCacheTTL)
	hab := cfg.Packages.Habitat
	if a.depot, err = depot.New(depot.Options{
		Store: a.meta, Artifacts: a.Artifacts, Accounts: a.Accounts, Authorizer: a.authz, Sealer: sealer,
		Targets: hab.Targets, VerifySignatures: hab.VerifySignatures, MaxUploadBytes: hab.MaxUploadBytes,
	}); err != nil {
		return nil, err
	}
	// Every organisation is an origin, whichever front creates it.
	a.Accounts.OnCreateOrg(depot.InitOrigin)
	a.audit = audit.New(a.meta)
	a.generator = a.newGenerator()
	return a, nil
}

func openMeta(ctx context.Context, cfg config.Config) (meta.Store, error) {
	switch cfg.Meta.Driver {
	case "postgres":
		// config.Load has read the DSN file, when one is set, into DSN.
		s, err := postgres.Open(ctx, cfg.Meta.Postgres.DSN)
		if err != nil {
			return nil, fmt.Errorf("metadata store: %w", err)
		}
		return s, nil
	case "sqlite", "":
		s, err := sqlite.Open(ctx, cfg.Meta.SQLite.Path)
		if err != nil {
			return nil, fmt.Errorf("metadata store: %w", err)
		}
		return s, nil
	}
	return nil, fmt.Errorf("metadata store: unknown driver %q", cfg.Meta.Driver)
}

// formats are the artifact formats this build knows.
func formats() []artifact.Format {
	return []artifact.Format{
		{
			Type:            oci.RepoType,
			ValidName:       oci.ValidRepoName,
			PublicByDefault: func(meta.Namespace) bool { return false },
		},
		{
			Type: generic.RepoType,
			ValidName: func(name string) error {
				_, pkg, ok := strings.Cut(name, "/")
				if !ok {
					return generic.ValidPackageName("")
				}
				return generic.ValidPackageName(pkg)
			},
			ValidVersion:    generic.ValidVersion,
			PublicByDefault: func(ns meta.Namespace) bool { return ns.Public },
			FileSums:        true,
		},
		depot.Format(),
	}
}

// CollectGarbage runs one garbage collection with the configured grace
// periods, after forgetting generated packages past their cache lifetime.
func (a *App) CollectGarbage(ctx context.Context) (artifact.GCStats, error) {
	if _, err := a.generator.Prune(ctx); err != nil {
		a.log.WarnContext(ctx, "pruning generated packages", "err", err)
	}
	st, err := a.Artifacts.CollectGarbage(ctx, artifact.GCOptions{Grace: a.cfg.GC.GracePeriod, UploadTTL: a.cfg.GC.UploadTTL})
	result := "ok"
	if err != nil {
		result = "error"
	}
	a.metrics.GCRuns.WithLabelValues(result).Inc()
	a.metrics.GCBlobsDeleted.Add(float64(st.BlobsDeleted))
	a.metrics.GCBytesFreed.Add(float64(st.BytesFreed))
	return st, err
}

// Close releases the stores.
func (a *App) Close() error {
	return errors.Join(a.meta.Close())
}
