package depot_test

import (
	"context"
	"testing"
	"time"

	"wharf/internal/artifact"
	"wharf/internal/auth"
	"wharf/internal/depot"
	"wharf/internal/depot/depottest"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// env is a depot over a real store, the in-memory blob store and the real
// account service, with the helpers the depot's tests share.
type env struct {
	svc   *depot.Service
	acct  *auth.Service
	core  *artifact.Service
	store meta.Store
	base  *depottest.Env
	// acme and users are depottest.Origin and the users of
	// depottest.Roles, in an env of newRoleEnv.
	acme  meta.Namespace
	users map[string]auth.Principal
}

// newEnv returns an empty depot over SQLite.
func newEnv(t *testing.T) *env {
	t.Helper()
	return envOf(depottest.New(t, depottest.OpenSQLite(t), nil, nil))
}

// newRoleEnv returns a depot over m with depottest's origins and users;
// now, when not nil, is the depot's clock.
func newRoleEnv(t *testing.T, m meta.Store, now func() time.Time) *env {
	t.Helper()
	e := envOf(depottest.New(t, m, nil, func(o *depot.Options) { o.Now = now }))
	e.acme, e.users = e.base.AddRoles(t)
	return e
}

func envOf(b *depottest.Env) *env {
	return &env{svc: b.Depot, acct: b.Accounts, core: b.Core, store: b.Store, base: b}
}

// forBackends runs fn on a fresh newRoleEnv of each store.
func forBackends(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, b := range depottest.Backends {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, newRoleEnv(t, b.Open(t), nil))
		})
	}
}

// as returns the principal of a user of depottest.Roles.
func (e *env) as(t *testing.T, name string) auth.Principal {
	t.Helper()
	p, ok := e.users[name]
	if !ok {
		t.Fatalf("no user %s", name)
	}
	return p
}

// person creates an account and returns the principal one of its API
// tokens authenticates as.
func (e *env) person(t *testing.T, name string) auth.Principal {
	t.Helper()
	ctx := context.Background()
	if _, err := e.acct.CreateUser(ctx, auth.CreateUserRequest{Name: name, Email: name + "@example.com", Password: "secret-" + name}); err != nil {
		t.Fatal(err)
	}
	return e.login(t, name)
}

// login authenticates a new API token of an existing user.
func (e *env) login(t *testing.T, name string) auth.Principal {
	t.Helper()
	ctx := context.Background()
	secret, _, err := e.acct.CreateToken(ctx, auth.CreateTokenRequest{User: name, Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return e.auth(t, secret)
}

// auth authenticates a bearer token; it fails the test when it does not
// authenticate.
func (e *env) auth(t *testing.T, secret string) auth.Principal {
	t.Helper()
	p, err := e.acct.Authenticate(context.Background(), auth.Credentials{Kind: auth.Bearer, Token: secret})
	if err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	return p
}

// origin creates an origin owned by p.
func (e *env) origin(t *testing.T, p auth.Principal, name string) meta.Namespace {
	t.Helper()
	o, err := e.svc.CreateOrigin(context.Background(), p, depot.CreateOriginRequest{Name: name})
	if err != nil {
		t.Fatalf("CreateOrigin %s: %v", name, err)
	}
	return o.Namespace
}

// join makes p a member of an origin with a role, through an invitation
// the owner sends and p accepts, then the owner's role change.
func (e *env) join(t *testing.T, owner, p auth.Principal, origin string, role depot.Role) {
	t.Helper()
	ctx := context.Background()
	inv, err := e.svc.Invite(ctx, owner, origin, p.Name)
	if err != nil {
		t.Fatalf("Invite %s: %v", p.Name, err)
	}
	if err := e.svc.AcceptInvitation(ctx, p, origin, inv.ID); err != nil {
		t.Fatalf("AcceptInvitation %s: %v", p.Name, err)
	}
	if role != depot.ReadOnlyMember {
		if err := e.svc.SetMemberRole(ctx, owner, origin, p.Name, role.String()); err != nil {
			t.Fatalf("SetMemberRole %s: %v", p.Name, err)
		}
	}
}

// role returns p's role in an origin as the depot decides it.
func (e *env) role(t *testing.T, p auth.Principal, origin string) depot.Role {
	t.Helper()
	ns, err := e.svc.Origin(context.Background(), origin)
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.svc.RoleIn(context.Background(), p, ns)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// wantErr fails the test unless err has kind k and, when msg is not
// empty, that client message.
func wantErr(t *testing.T, what string, err error, k errs.Kind, msg string) {
	t.Helper()
	switch {
	case err == nil:
		t.Errorf("%s: no error, want %v", what, k)
	case !errs.Is(err, k):
		t.Errorf("%s: %v (kind %v), want %v", what, err, errs.KindOf(err), k)
	case msg != "" && errs.Message(err) != msg:
		t.Errorf("%s: message %q, want %q", what, errs.Message(err), msg)
	}
}
