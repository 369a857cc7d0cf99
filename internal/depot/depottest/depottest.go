// Package depottest wires a Habitat depot over real stores for the tests
// of the depot and of its fronts: SQLite in a temporary directory or
// PostgreSQL in a schema of its own, the real core and account service,
// and an origin whose members hold each role.
package depottest

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
	"wharf/internal/blob"
	"wharf/internal/blob/memblob"
	"wharf/internal/depot"
	"wharf/internal/format/oci"
	"wharf/internal/meta"
	"wharf/internal/meta/postgres"
	"wharf/internal/meta/sqlite"
)

// Backends open a fresh store of each kind.
var Backends = []struct {
	Name string
	Open func(t testing.TB) meta.Store
}{
	{"sqlite", OpenSQLite},
	{"postgres", OpenPostgres},
}

// OpenSQLite opens a SQLite store in a temporary directory, closed when
// the test ends.
func OpenSQLite(t testing.TB) meta.Store {
	t.Helper()
	m, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// OpenPostgres opens a PostgreSQL store in a schema of its own of the
// database WHARF_TEST_POSTGRES_DSN names, dropped when the test ends.
func OpenPostgres(t testing.TB) meta.Store {
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

// Env is a depot and the services under it, wired as the server wires
// them.
type Env struct {
	Store    meta.Store
	Core     *artifact.Service
	Accounts *auth.Service
	// Options are the depot's, for another depot over the same stores.
	Options depot.Options
	Depot   *depot.Service
}

// New wires a depot over m and blobs (the in-memory store when nil), with
// the Habitat format and an OCI one beside it; adjust, when not nil,
// changes the depot's options before the depot is made.
func New(t testing.TB, m meta.Store, blobs blob.Store, adjust func(*depot.Options)) *Env {
	t.Helper()
	if blobs == nil {
		blobs = memblob.New()
	}
	formats := []artifact.Format{depot.Format(), {
		Type:            oci.RepoType,
		ValidName:       oci.ValidRepoName,
		PublicByDefault: func(meta.Namespace) bool { return false },
	}}
	core, err := artifact.New(m, blobs, formats, artifact.Options{OnCreateRepo: auth.OnCreateRepo})
	if err != nil {
		t.Fatalf("artifact.New: %v", err)
	}
	signer, err := auth.NewSigner([]byte("0123456789abcdef0123456789abcdef"), "wharf", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := auth.NewSealer([]byte("fedcba9876543210fedcba9876543210"))
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := auth.NewService(m, signer, sealer)
	if err != nil {
		t.Fatal(err)
	}
	accounts.OnCreateOrg(depot.InitOrigin)
	e := &Env{Store: m, Core: core, Accounts: accounts, Options: depot.Options{Store: m, Artifacts: core,
		Accounts: accounts, Authorizer: auth.NewAuthorizer(m, 0), Sealer: sealer}}
	if adjust != nil {
		adjust(&e.Options)
	}
	e.Depot = e.NewDepot(t)
	return e
}

// NewDepot returns another depot over the env's stores, as a second
// server process would be.
func (e *Env) NewDepot(t testing.TB) *depot.Service {
	t.Helper()
	svc, err := depot.New(e.Options)
	if err != nil {
		t.Fatalf("depot.New: %v", err)
	}
	return svc
}

// Origin is the origin of Roles; Other is a second origin no user of
// Roles belongs to.
const (
	Origin = "acme"
	Other  = "globex"
)

// Password is the password of every user of Roles.
const Password = "password"

// Roles are the users AddRoles makes, by their role in Origin; "out" has
// none.
var Roles = map[string]string{
	"owner": meta.MemberOwner,
	"admin": meta.MemberAdministrator,
	"maint": meta.MemberMaintainer,
	"mem":   meta.MemberMember,
	"ro":    meta.MemberReadOnly,
	"out":   "",
}

// AddRoles writes Origin, Other and the users of Roles straight to the
// store and returns Origin and the users' principals as a password
// signs them in.
func (e *Env) AddRoles(t testing.TB) (meta.Namespace, map[string]auth.Principal) {
	t.Helper()
	ctx := context.Background()
	var origin meta.Namespace
	for _, name := range []string{Origin, Other} {
		ns := meta.Namespace{Name: name, Kind: meta.KindOrg, Public: true}
		if err := e.Store.CreateNamespace(ctx, &ns); err != nil {
			t.Fatalf("CreateNamespace %s: %v", name, err)
		}
		if name == Origin {
			origin = ns
		}
	}
	hash, err := auth.HashPassword(Password)
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]auth.Principal{}
	for name, role := range Roles {
		ns := meta.Namespace{Name: name, Kind: meta.KindUser}
		if err := e.Store.CreateNamespace(ctx, &ns); err != nil {
			t.Fatalf("CreateNamespace %s: %v", name, err)
		}
		u := meta.User{Name: name, Email: name + "@example.com", PasswordHash: hash, NamespaceID: ns.ID}
		if err := e.Store.CreateUser(ctx, &u); err != nil {
			t.Fatalf("CreateUser %s: %v", name, err)
		}
		if role != "" {
			if err := e.Store.PutMember(ctx, &meta.Member{NamespaceID: origin.ID, UserID: u.ID, Role: role}); err != nil {
				t.Fatalf("PutMember %s: %v", name, err)
			}
		}
		users[name] = auth.Principal{UserID: u.ID, Name: name, Method: auth.ByPassword}
	}
	return origin, users
}
