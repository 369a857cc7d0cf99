package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// Authorizer decides whether a principal may act on a repository or a
// namespace. It is the only place access rules live; every front asks it.
// It is safe for concurrent use.
type Authorizer struct {
	q     meta.Queries
	users userCache
}

// NewAuthorizer returns an Authorizer reading users, namespaces, teams,
// permissions and repositories through q. A user's record is reread at
// most every userTTL; zero rereads it on every decision.
func NewAuthorizer(q meta.Queries, userTTL time.Duration) *Authorizer {
	return &Authorizer{q: q, users: userCache{ttl: userTTL, now: time.Now}}
}

// Can reports whether p may do act to the repository of type repoType
// named repoName, which need not exist yet. The rules, in order:
//
//   - the credential's grants must permit the action (Principal.Permits),
//     except that anyone may pull what the anonymous caller may;
//   - a disabled or deleted user may do nothing;
//   - a superuser may do everything (with an OAuth token, only one
//     carrying super:user);
//   - on a repository that exists, the caller's role (RepoRole) must cover
//     the action; anyone, anonymous callers included, may pull a public
//     repository whose namespace is public;
//   - on a repository not yet created, a caller who may create
//     repositories in its namespace (CanCreate) may do everything, so that
//     a push creates it and other requests learn it is unknown.
//
// The user's flags are read from the store, not taken from p, so that
// disabling a user or revoking superuser takes effect within the
// Authorizer's user TTL. Can returns false with a nil error when it
// denies; it returns an error only when the store fails.
func (a *Authorizer) Can(ctx context.Context, p Principal, act Action, repoType, repoName string) (bool, error) {
	if !p.Permits(act, repoName) {
		// A credential limited elsewhere still reads what anyone may.
		if act != Pull || p.Anonymous() {
			return false, nil
		}
		p = Principal{}
	}
	d, err := a.decide(ctx, p, repoType, repoName, false)
	if err != nil || d.denied {
		return false, err
	}
	if d.all {
		return true, nil
	}
	if d.repo == nil {
		return d.create, nil
	}
	if RoleAllows(d.role, act) {
		return true, nil
	}
	return act == Pull && d.public, nil
}

// RepoRole returns p's role on an existing repository: meta.RoleAdmin,
// RoleWrite, RoleRead, or "" for none. Reading a public repository is not
// a role: callers check the repository's visibility themselves. Errors:
// errs.NotFound when the repository does not exist; store failures.
func (a *Authorizer) RepoRole(ctx context.Context, p Principal, repoType, repoName string) (string, error) {
	d, err := a.decide(ctx, p, repoType, repoName, true)
	switch {
	case err != nil:
		return "", err
	case d.repo == nil:
		return "", errs.E(errs.NotFound, "repository not found")
	case d.denied:
		return "", nil
	}
	return d.role, nil
}

// decision is what decide learns about a principal and a repository.
type decision struct {
	all    bool             // the caller may do everything (repo unread)
	denied bool             // the caller may do nothing at all
	repo   *meta.Repository // nil when it does not exist
	role   string           // the caller's role on repo
	public bool             // repo and its namespace are public
	create bool             // the caller may create repo (when it is nil)
}

// decide reads what a decision needs. Unless needRepo is set, the owner
// of a personal namespace with an unrestricted credential is answered
// without reading the repository: they may do everything to it, whether
// it exists or not. This is the path of most pulls and pushes.
func (a *Authorizer) decide(ctx context.Context, p Principal, repoType, repoName string, needRepo bool) (decision, error) {
	nsName := meta.NamespaceOf(repoName)
	if nsName == "" {
		return decision{denied: true}, nil
	}
	u, ok, err := a.user(ctx, p)
	if err != nil || !ok {
		return decision{denied: true}, err
	}
	super := u != nil && u.Superuser && (p.Caps == nil || p.Caps.Super)
	// The owner of a personal namespace needs no further reads.
	if u != nil && !u.Robot && strings.EqualFold(u.Name, nsName) && !super {
		if !needRepo && p.Caps == nil {
			return decision{all: true}, nil
		}
		repo, err := a.q.GetRepo(ctx, repoType, repoName)
		switch {
		case errs.Is(err, errs.NotFound):
			return decision{create: p.Caps == nil || p.Caps.Create}, nil
		case err != nil:
			return decision{}, fmt.Errorf("authorize %s: %w", repoName, err)
		}
		return decision{repo: &repo, role: capRole(meta.RoleAdmin, p.Caps), public: repo.Public}, nil
	}
	ns, err := a.q.GetNamespace(ctx, nsName)
	if errs.Is(err, errs.NotFound) {
		return decision{denied: !super, create: super}, nil
	}
	if err != nil {
		return decision{}, fmt.Errorf("authorize %s: %w", repoName, err)
	}
	repo, err := a.q.GetRepo(ctx, repoType, repoName)
	if errs.Is(err, errs.NotFound) {
		if super {
			return decision{create: true}, nil
		}
		create, err := a.canCreate(ctx, p, u, ns)
		return decision{create: create}, err
	}
	if err != nil {
		return decision{}, fmt.Errorf("authorize %s: %w", repoName, err)
	}
	d := decision{repo: &repo, public: repo.Public && ns.Public}
	if super {
		d.role = meta.RoleAdmin
		return d, nil
	}
	if u == nil {
		return d, nil
	}
	role, err := a.memberRepoRole(ctx, u, ns, repo)
	if err != nil {
		return decision{}, err
	}
	d.role = capRole(role, p.Caps)
	return d, nil
}

// user returns the principal's current record, nil for the anonymous
// caller, and whether the principal may act at all.
func (a *Authorizer) user(ctx context.Context, p Principal) (*meta.User, bool, error) {
	if p.Anonymous() {
		return nil, true, nil
	}
	u, err := a.users.get(ctx, a.q, p.UserID)
	switch {
	case errs.Is(err, errs.NotFound):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("authorize %s: %w", p.Name, err)
	case u.Disabled:
		return nil, false, nil
	}
	return &u, true, nil
}

// memberRepoRole is the role a user has on a repository of another's
// namespace: through an admin team of its organisation, their direct
// membership of it, their own permission or their teams' permissions,
// whichever is highest.
func (a *Authorizer) memberRepoRole(ctx context.Context, u *meta.User, ns meta.Namespace, repo meta.Repository) (string, error) {
	role := ""
	if ns.Kind == meta.KindOrg {
		teams, err := a.q.TeamRoles(ctx, u.ID, ns.ID)
		if err != nil {
			return "", fmt.Errorf("authorize %s: %w", repo.Name, err)
		}
		for _, t := range teams {
			if t == meta.TeamAdmin {
				return meta.RoleAdmin, nil
			}
		}
		m, err := a.member(ctx, u, ns)
		if err != nil {
			return "", err
		}
		role = memberRepoRoles[m]
		if role == meta.RoleAdmin {
			return role, nil
		}
	}
	roles, err := a.q.RepoRoles(ctx, u.ID, repo.ID)
	if err != nil {
		return "", fmt.Errorf("authorize %s: %w", repo.Name, err)
	}
	for _, r := range roles {
		role = maxRole(role, r)
	}
	return role, nil
}

// canCreate reports whether a user may create repositories in an
// organisation: through a team with the creator or admin role, or a
// direct membership that makes them a creator (memberNamespaceRoles).
func (a *Authorizer) canCreate(ctx context.Context, p Principal, u *meta.User, ns meta.Namespace) (bool, error) {
	if u == nil || ns.Kind != meta.KindOrg || (p.Caps != nil && !p.Caps.Create && !p.Caps.OrgAdmin) {
		return false, nil
	}
	teams, err := a.q.TeamRoles(ctx, u.ID, ns.ID)
	if err != nil {
		return false, fmt.Errorf("authorize %s: %w", ns.Name, err)
	}
	for _, t := range teams {
		if teamRank(t) >= teamRank(meta.TeamCreator) {
			return true, nil
		}
	}
	m, err := a.member(ctx, u, ns)
	return memberNamespaceRoles[m] >= CreatorRole, err
}

// member returns a user's direct member role in an organisation, or ""
// when they are not a direct member.
func (a *Authorizer) member(ctx context.Context, u *meta.User, ns meta.Namespace) (string, error) {
	m, err := a.q.GetMember(ctx, ns.ID, u.ID)
	switch {
	case errs.Is(err, errs.NotFound):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("authorize %s: %w", ns.Name, err)
	}
	return m.Role, nil
}

// memberRepoRoles is the role a direct member has on every repository of
// the organisation: read-only members read, members and maintainers
// write, administrators and the owner administer.
var memberRepoRoles = map[string]string{
	meta.MemberReadOnly: meta.RoleRead, meta.MemberMember: meta.RoleWrite, meta.MemberMaintainer: meta.RoleWrite,
	meta.MemberAdministrator: meta.RoleAdmin, meta.MemberOwner: meta.RoleAdmin,
}

// memberNamespaceRoles is the NamespaceRole of a direct member role.
var memberNamespaceRoles = map[string]NamespaceRole{
	meta.MemberReadOnly: MemberRole, meta.MemberMember: CreatorRole, meta.MemberMaintainer: CreatorRole,
	meta.MemberAdministrator: AdminRole, meta.MemberOwner: AdminRole,
}

// capRole cuts a role down to what caps allow; nil caps allow all.
func capRole(role string, caps *Caps) string {
	if caps == nil {
		return role
	}
	return minRole(role, caps.Repo)
}
