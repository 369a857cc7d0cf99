package depot

import (
	"context"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// OriginPackages lists the package settings of an origin's package names
// whose visibility p may see, by name: Builder's /depot/{origin}/pkgs. An
// unknown origin gives an empty page.
func (s *Service) OriginPackages(ctx context.Context, p auth.Principal, origin string, offset, limit int) (Page[meta.PackageSettings], error) {
	return Page[meta.PackageSettings]{}, errs.E(errs.Unsupported, "listing an origin's packages is not available")
}
