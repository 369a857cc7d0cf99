package depot_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"wharf/internal/artifact"
	"wharf/internal/auth"
	"wharf/internal/blob/memblob"
	"wharf/internal/depot"
	"wharf/internal/meta"
	"wharf/internal/meta/postgres"
	"wharf/internal/meta/sqlite"
)

// keyOrigin is the origin of a keyEnv; keyOther is a second origin that
// no test user belongs to.
const (
	keyOrigin = "acme"
	keyOther  = "globex"
)

// keyRoles are the users of a keyEnv by their role in keyOrigin; "out"
// has none.
var keyRoles = map[string]string{
	"owner": meta.MemberOwner,
	"admin": meta.MemberAdministrator,
	"maint": meta.MemberMaintainer,
	"mem":   meta.MemberMember,
	"ro":    meta.MemberReadOnly,
	"out":   "",
}

// keyEnv is a depot over real stores with keyOrigin, keyOther and the
// users of keyRoles.
type keyEnv struct {
	svc    *depot.Service
	meta   meta.Store
	core   *artifact.Service
	opt    depot.Options
	users  map[string]auth.Principal
	origin meta.Namespace
}

// keyBackends opens a fresh store of each kind: SQLite in a temporary
// directory and PostgreSQL in a schema of its own.
var keyBackends = []struct {
	name string
	open func(t *testing.T) meta.Store
}{
	{"sqlite", openKeySQLite},
	{"postgres", openKeyPostgres},
}

func openKeySQLite(t *testing.T) meta.Store {
	t.Helper()
	m, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func openKeyPostgres(t *testing.T) meta.Store {
	t.Helper()
	dsn := os.Getenv("WHARF_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Fatal("WHARF_TEST_POSTGRES_DSN is not set")
	}
	ctx := context.Background()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "wharf_depot_" + hex.EncodeToString(b)
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	if _, err := admin.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	admin.Close(ctx)
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	m, err := postgres.OpenConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("postgres.OpenConfig: %v", err)
	}
	t.Cleanup(func() {
		m.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, dsn); err == nil {
			c.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`)
			c.Close(ctx)
		}
	})
	return m
}

// forKeyBackends runs fn on a fresh keyEnv of each store.
func forKeyBackends(t *testing.T, fn func(t *testing.T, e *keyEnv)) {
	for _, b := range keyBackends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			fn(t, newKeyEnv(t, b.open(t), nil))
		})
	}
}

// newKeyEnv fills m and returns a depot over it; now, when not nil, is
// the depot's clock.
func newKeyEnv(t *testing.T, m meta.Store, now func() time.Time) *keyEnv {
	t.Helper()
	ctx := context.Background()
	e := &keyEnv{meta: m, users: map[string]auth.Principal{}}
	for _, name := range []string{keyOrigin, keyOther} {
		ns := meta.Namespace{Name: name, Kind: meta.KindOrg, Public: true}
		if err := m.CreateNamespace(ctx, &ns); err != nil {
			t.Fatalf("CreateNamespace %s: %v", name, err)
		}
		if name == keyOrigin {
			e.origin = ns
		}
	}
	hash, err := auth.HashPassword("password")
	if err != nil {
		t.Fatal(err)
	}
	for name, role := range keyRoles {
		ns := meta.Namespace{Name: name, Kind: meta.KindUser}
		if err := m.CreateNamespace(ctx, &ns); err != nil {
			t.Fatalf("CreateNamespace %s: %v", name, err)
		}
		u := meta.User{Name: name, Email: name + "@example.com", PasswordHash: hash, NamespaceID: ns.ID}
		if err := m.CreateUser(ctx, &u); err != nil {
			t.Fatalf("CreateUser %s: %v", name, err)
		}
		if role != "" {
			if err := m.PutMember(ctx, &meta.Member{NamespaceID: e.origin.ID, UserID: u.ID, Role: role}); err != nil {
				t.Fatalf("PutMember %s: %v", name, err)
			}
		}
		e.users[name] = auth.Principal{UserID: u.ID, Name: name, Method: auth.ByPassword}
	}
	core, err := artifact.New(m, memblob.New(), []artifact.Format{depot.Format()}, artifact.Options{})
	if err != nil {
		t.Fatalf("artifact.New: %v", err)
	}
	signer, err := auth.NewSigner([]byte("0123456789abcdef0123456789abcdef"), "wharf", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := auth.NewService(m, signer, nil)
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := auth.NewSealer([]byte("fedcba9876543210fedcba9876543210"))
	if err != nil {
		t.Fatal(err)
	}
	e.core = core
	e.opt = depot.Options{Store: m, Artifacts: core, Accounts: accounts, Authorizer: auth.NewAuthorizer(m, 0), Sealer: sealer, Now: now}
	e.svc = e.newService(t)
	return e
}

// newService returns another depot over the env's stores, as a second
// server process would be.
func (e *keyEnv) newService(t *testing.T) *depot.Service {
	t.Helper()
	svc, err := depot.New(e.opt)
	if err != nil {
		t.Fatalf("depot.New: %v", err)
	}
	return svc
}

// as returns the principal of a user of keyRoles.
func (e *keyEnv) as(t *testing.T, name string) auth.Principal {
	t.Helper()
	p, ok := e.users[name]
	if !ok {
		t.Fatalf("no user %s", name)
	}
	return p
}
