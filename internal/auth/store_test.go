package auth

import (
	"context"
	"path/filepath"
	"testing"

	"wharf/internal/meta"
	"wharf/internal/meta/sqlite"
)

// newStore returns an empty SQLite store in a temporary directory.
func newStore(t testing.TB) meta.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// addUser creates a user and its namespace directly in the store, without
// a password.
func addUser(t testing.TB, s meta.Store, name string, superuser, disabled bool) meta.User {
	t.Helper()
	ctx := context.Background()
	var u meta.User
	err := s.Tx(ctx, func(q meta.Queries) error {
		ns := meta.Namespace{Name: name, Kind: meta.KindUser, Public: true}
		if err := q.CreateNamespace(ctx, &ns); err != nil {
			return err
		}
		u = meta.User{Name: name, Email: name + "@example.com", Superuser: superuser, Disabled: disabled, NamespaceID: ns.ID}
		return q.CreateUser(ctx, &u)
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// addRepo creates a repository in the namespace named by the first
// component of name.
func addRepo(t testing.TB, s meta.Store, typ, name string, public bool) meta.Repository {
	t.Helper()
	ctx := context.Background()
	ns, err := s.GetNamespace(ctx, meta.NamespaceOf(name))
	if err != nil {
		t.Fatal(err)
	}
	r := meta.Repository{NamespaceID: ns.ID, Type: typ, Name: name, Public: public}
	if err := s.CreateRepo(ctx, &r); err != nil {
		t.Fatal(err)
	}
	return r
}
