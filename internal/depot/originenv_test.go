package depot_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"wharf/internal/artifact"
	"wharf/internal/auth"
	"wharf/internal/blob/memblob"
	"wharf/internal/depot"
	"wharf/internal/errs"
	"wharf/internal/format/oci"
	"wharf/internal/meta"
	"wharf/internal/meta/sqlite"
)

// originEnv is a depot over a real SQLite store, the in-memory blob store
// and the real account service.
type originEnv struct {
	svc   *depot.Service
	acct  *auth.Service
	core  *artifact.Service
	store meta.Store
}

func newOriginEnv(t *testing.T) *originEnv {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	formats := []artifact.Format{depot.Format(), {
		Type:            oci.RepoType,
		ValidName:       oci.ValidRepoName,
		PublicByDefault: func(meta.Namespace) bool { return false },
	}}
	core, err := artifact.New(store, memblob.New(), formats, artifact.Options{OnCreateRepo: auth.OnCreateRepo})
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := auth.NewSealer([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	acct, err := auth.NewService(store, nil, sealer)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := depot.New(depot.Options{Store: store, Artifacts: core, Accounts: acct,
		Authorizer: auth.NewAuthorizer(store, 0), Sealer: sealer})
	if err != nil {
		t.Fatal(err)
	}
	return &originEnv{svc: svc, acct: acct, core: core, store: store}
}

// person creates an account and returns the principal one of its API
// tokens authenticates as.
func (e *originEnv) person(t *testing.T, name string) auth.Principal {
	t.Helper()
	ctx := context.Background()
	if _, err := e.acct.CreateUser(ctx, auth.CreateUserRequest{Name: name, Email: name + "@example.com", Password: "secret-" + name}); err != nil {
		t.Fatal(err)
	}
	return e.login(t, name)
}

// login authenticates a new API token of an existing user.
func (e *originEnv) login(t *testing.T, name string) auth.Principal {
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
func (e *originEnv) auth(t *testing.T, secret string) auth.Principal {
	t.Helper()
	p, err := e.acct.Authenticate(context.Background(), auth.Credentials{Kind: auth.Bearer, Token: secret})
	if err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	return p
}

// origin creates an origin owned by p.
func (e *originEnv) origin(t *testing.T, p auth.Principal, name string) meta.Namespace {
	t.Helper()
	o, err := e.svc.CreateOrigin(context.Background(), p, depot.CreateOriginRequest{Name: name})
	if err != nil {
		t.Fatalf("CreateOrigin %s: %v", name, err)
	}
	return o.Namespace
}

// join makes p a member of an origin with a role, through an invitation
// the owner sends and p accepts, then the owner's role change.
func (e *originEnv) join(t *testing.T, owner, p auth.Principal, origin string, role depot.Role) {
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
func (e *originEnv) role(t *testing.T, p auth.Principal, origin string) depot.Role {
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
