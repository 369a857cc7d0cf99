package depot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"wharf/internal/artifact"
	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/format/hab"
	"wharf/internal/meta"
)

// RepoType is the core repository type of Habitat packages.
const RepoType = "hab"

// Options configure a Service.
type Options struct {
	Store      meta.Store
	Artifacts  *artifact.Service
	Accounts   *auth.Service
	Authorizer *auth.Authorizer
	// Sealer encrypts secret keys and integrations at rest.
	Sealer *auth.Sealer
	// Targets are the package targets uploads may have; empty means
	// DefaultTargets.
	Targets []string
	// VerifySignatures makes an upload whose signing key the origin has
	// fail unless its signature verifies.
	VerifySignatures bool
	// MaxUploadBytes bounds a .hart; 0 means no bound.
	MaxUploadBytes int64
	Now            func() time.Time
}

// DefaultTargets are the targets accepted when none are configured.
var DefaultTargets = []string{"x86_64-linux", "x86_64-windows", "aarch64-linux"}

// Service is the depot. It is safe for concurrent use.
type Service struct {
	store   meta.Store
	core    *artifact.Service
	acct    *auth.Service
	authz   *auth.Authorizer
	sealer  *auth.Sealer
	targets []string
	verify  bool
	maxSize int64
	now     func() time.Time
}

// New returns a Service.
func New(opt Options) (*Service, error) {
	if opt.Store == nil || opt.Artifacts == nil || opt.Accounts == nil || opt.Authorizer == nil || opt.Sealer == nil {
		return nil, fmt.Errorf("depot: incomplete options")
	}
	targets := opt.Targets
	if len(targets) == 0 {
		targets = DefaultTargets
	}
	for _, t := range targets {
		if err := hab.ValidTarget(t); err != nil {
			return nil, fmt.Errorf("depot: target %q: %w", t, err)
		}
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	return &Service{store: opt.Store, core: opt.Artifacts, acct: opt.Accounts, authz: opt.Authorizer,
		sealer: opt.Sealer, targets: targets, verify: opt.VerifySignatures, maxSize: opt.MaxUploadBytes, now: now}, nil
}

// Origin returns the organisation named name, exactly: origin names are
// lower case, and Habitat compares them as they are, so another spelling
// names no origin (the store's lookup ignores case). Errors:
// errs.NotFound, also for a person's namespace.
func (s *Service) Origin(ctx context.Context, name string) (meta.Namespace, error) {
	ns, err := s.store.GetNamespace(ctx, name)
	if err == nil && (ns.Kind != meta.KindOrg || ns.Name != name) {
		err = errs.E(errs.NotFound, "origin not found")
	}
	if err != nil {
		return meta.Namespace{}, errs.Wrap(errs.NotFound, "origin not found", err)
	}
	return ns, nil
}

// Format is what the core knows of Habitat packages: repositories named
// "<origin>/<name>", private to the core's other readers (the depot
// decides visibility release by release).
func Format() artifact.Format {
	return artifact.Format{
		Type: RepoType,
		ValidName: func(name string) error {
			origin, pkg, ok := strings.Cut(name, "/")
			if !ok {
				return errs.E(errs.Invalid, "a Habitat package name is <origin>/<name>")
			}
			if err := hab.ValidOrigin(origin); err != nil {
				return err
			}
			return hab.ValidName(pkg)
		},
		PublicByDefault: func(meta.Namespace) bool { return false },
	}
}
