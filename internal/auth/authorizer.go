package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// Authorizer decides whether a principal may act on a repository. It is
// the only place access rules live; every front asks it. It is safe for
// concurrent use.
type Authorizer struct {
	q     meta.Queries
	users userCache
}

// NewAuthorizer returns an Authorizer reading users, namespaces and
// repositories through q. A user's record is reread at most every
// userTTL; zero rereads it on every decision.
func NewAuthorizer(q meta.Queries, userTTL time.Duration) *Authorizer {
	return &Authorizer{q: q, users: userCache{ttl: userTTL, now: time.Now}}
}

// role is what a user may do in a namespace by being who they are. Roles
// are ordered: each includes the rights of those before it.
type role int

const (
	roleNone   role = iota
	roleReader      // may pull private repositories
	roleWriter      // may also push and delete
	roleOwner       // may do everything
)

// allows reports whether r covers act.
func (r role) allows(act Action) bool {
	switch act {
	case Pull:
		return r >= roleReader
	case Push, Delete:
		return r >= roleWriter
	}
	return r >= roleOwner
}

// Can reports whether p may do act to the repository of type repoType
// named repoName, which need not exist yet. The rules, in order:
//
//   - the credential's grants must permit the action (Principal.Permits);
//   - a disabled or deleted user may do nothing;
//   - a superuser may do everything;
//   - a user may do everything in the namespace named after them, to
//     repositories that exist and to those not yet created;
//   - anyone, anonymous callers included, may pull a public repository
//     that exists and whose namespace is public;
//   - nothing else is allowed.
//
// The user's flags are read from the store, not taken from p, so that
// disabling a user or revoking superuser takes effect within the
// Authorizer's user TTL. Can returns
// false with a nil error when it denies; it returns an error only when the
// store fails.
func (a *Authorizer) Can(ctx context.Context, p Principal, act Action, repoType, repoName string) (bool, error) {
	if !p.Permits(act, repoName) {
		return false, nil
	}
	ns := meta.NamespaceOf(repoName)
	if ns == "" {
		return false, nil
	}
	var u *meta.User
	if !p.Anonymous() {
		user, err := a.users.get(ctx, a.q, p.UserID)
		switch {
		case errs.Is(err, errs.NotFound):
			return false, nil
		case err != nil:
			return false, fmt.Errorf("authorize %s: %w", p.Name, err)
		case user.Disabled:
			return false, nil
		case user.Superuser:
			return true, nil
		}
		u = &user
	}
	r, err := a.role(ctx, u, ns)
	if err != nil {
		return false, err
	}
	if r.allows(act) {
		return true, nil
	}
	if act != Pull {
		return false, nil
	}
	return a.publicRepo(ctx, repoType, repoName)
}

// role computes what user u (nil for the anonymous caller) may do in the
// namespace named ns by membership. Today a user owns the namespace named
// after them; organization and team roles join here.
func (a *Authorizer) role(_ context.Context, u *meta.User, ns string) (role, error) {
	if u == nil {
		return roleNone, nil
	}
	if strings.EqualFold(u.Name, ns) {
		return roleOwner, nil
	}
	return roleNone, nil
}

// publicRepo reports whether the repository exists and anyone may read
// it: the repository and its namespace are both public.
func (a *Authorizer) publicRepo(ctx context.Context, repoType, repoName string) (bool, error) {
	repo, err := a.q.GetRepo(ctx, repoType, repoName)
	switch {
	case errs.Is(err, errs.NotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("authorize %s %s: %w", repoType, repoName, err)
	case !repo.Public:
		return false, nil
	}
	ns, err := a.q.GetNamespaceByID(ctx, repo.NamespaceID)
	switch {
	case errs.Is(err, errs.NotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("authorize %s %s: %w", repoType, repoName, err)
	}
	return ns.Public, nil
}
