package metatest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func namespaceTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, f *fixture) {
			before := time.Now()
			n := meta.Namespace{Name: "Alice", Kind: meta.KindOrg, Public: true}
			f.ok(f.s.CreateNamespace(f.ctx, &n))
			if n.ID == 0 {
				t.Fatal("CreateNamespace did not set ID")
			}
			wantStamp(t, "Created", n.Created, before)
			for _, name := range []string{"Alice", "alice", "ALICE"} {
				got, err := f.s.GetNamespace(f.ctx, name)
				f.ok(err)
				wantEqual(t, "GetNamespace("+name+")", got, n)
			}
			got, err := f.s.GetNamespaceByID(f.ctx, n.ID)
			f.ok(err)
			wantEqual(t, "GetNamespaceByID", got, n)
		}},
		{"Exists", func(t *testing.T, f *fixture) {
			f.namespace("bob")
			n := meta.Namespace{Name: "BOB", Kind: meta.KindUser}
			wantKind(t, "CreateNamespace(BOB)", f.s.CreateNamespace(f.ctx, &n), errs.Exists)
		}},
		{"NotFound", func(t *testing.T, f *fixture) {
			n := f.namespace("carol")
			_, err := f.s.GetNamespace(f.ctx, "dave")
			wantKind(t, "GetNamespace", err, errs.NotFound)
			_, err = f.s.GetNamespaceByID(f.ctx, n.ID+1000)
			wantKind(t, "GetNamespaceByID", err, errs.NotFound)
		}},
		{"Invalid", func(t *testing.T, f *fixture) {
			wantKind(t, "empty name", f.s.CreateNamespace(f.ctx, &meta.Namespace{Kind: meta.KindUser}), errs.Invalid)
			wantKind(t, "bad kind", f.s.CreateNamespace(f.ctx, &meta.Namespace{Name: "x", Kind: "team"}), errs.Invalid)
		}},
		{"Lock", func(t *testing.T, f *fixture) {
			n := meta.Namespace{Name: "acme", Kind: meta.KindOrg}
			f.ok(f.s.CreateNamespace(f.ctx, &n))
			got, err := f.s.LockNamespace(f.ctx, n.ID)
			f.ok(err)
			wantEqual(t, "LockNamespace outside a transaction", got, n)
			_, err = f.s.LockNamespace(f.ctx, n.ID+1000)
			wantKind(t, "LockNamespace(missing)", err, errs.NotFound)

			// Each transaction adds one to what it reads: only if they
			// run one after the other, each seeing the one before, does
			// no increment get lost.
			const k = 12
			var wg sync.WaitGroup
			for i := range k {
				wg.Go(func() {
					err := f.s.Tx(f.ctx, func(q meta.Queries) error {
						ln, err := q.LockNamespace(f.ctx, n.ID)
						if err != nil {
							return err
						}
						ln.TagExpirationSecs++
						return q.UpdateNamespace(f.ctx, ln)
					})
					if err != nil {
						t.Errorf("transaction %d: %v", i, err)
					}
				})
			}
			wg.Wait()
			got, err = f.s.GetNamespaceByID(f.ctx, n.ID)
			f.ok(err)
			if want := n.TagExpirationSecs + k; got.TagExpirationSecs != want {
				t.Errorf("TagExpirationSecs = %d after %d locked increments, want %d", got.TagExpirationSecs, k, want)
			}
		}},
	}
}

func userTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, f *fixture) {
			n := f.namespace("erin")
			before := time.Now()
			u := meta.User{Name: "Erin", Email: "erin@example.com", PasswordHash: "$argon2id$x",
				Superuser: true, NamespaceID: n.ID}
			f.ok(f.s.CreateUser(f.ctx, &u))
			if u.ID == 0 {
				t.Fatal("CreateUser did not set ID")
			}
			wantStamp(t, "Created", u.Created, before)
			for _, name := range []string{"Erin", "erin", "ERIN"} {
				got, err := f.s.GetUser(f.ctx, name)
				f.ok(err)
				wantEqual(t, "GetUser("+name+")", got, u)
			}
			got, err := f.s.GetUserByID(f.ctx, u.ID)
			f.ok(err)
			wantEqual(t, "GetUserByID", got, u)
		}},
		{"Exists", func(t *testing.T, f *fixture) {
			u := f.user("frank")
			dup := meta.User{Name: "FRANK", NamespaceID: u.NamespaceID}
			wantKind(t, "CreateUser(FRANK)", f.s.CreateUser(f.ctx, &dup), errs.Exists)
		}},
		{"MissingNamespace", func(t *testing.T, f *fixture) {
			n := f.namespace("gina")
			u := meta.User{Name: "gina", NamespaceID: n.ID + 1000}
			wantKind(t, "CreateUser", f.s.CreateUser(f.ctx, &u), errs.NotFound)
		}},
		{"NotFound", func(t *testing.T, f *fixture) {
			u := f.user("hank")
			_, err := f.s.GetUser(f.ctx, "ivan")
			wantKind(t, "GetUser", err, errs.NotFound)
			_, err = f.s.GetUserByID(f.ctx, u.ID+1000)
			wantKind(t, "GetUserByID", err, errs.NotFound)
		}},
		{"Update", func(t *testing.T, f *fixture) {
			u := f.user("jack")
			other := f.namespace("other")
			upd := meta.User{ID: u.ID, Name: "Jackie", Email: "j@example.org", PasswordHash: "new",
				Superuser: true, Disabled: true, NamespaceID: other.ID, Created: u.Created.Add(time.Hour)}
			f.ok(f.s.UpdateUser(f.ctx, upd))
			want := upd
			want.NamespaceID, want.Created = u.NamespaceID, u.Created
			got, err := f.s.GetUser(f.ctx, "jackie")
			f.ok(err)
			wantEqual(t, "updated user", got, want)
			_, err = f.s.GetUser(f.ctx, "jack")
			wantKind(t, "GetUser(old name)", err, errs.NotFound)
		}},
		{"UpdateErrors", func(t *testing.T, f *fixture) {
			a := f.user("kim")
			b := f.user("lee")
			b.Name = "KIM"
			wantKind(t, "rename to taken name", f.s.UpdateUser(f.ctx, b), errs.Exists)
			a.ID += 1000
			wantKind(t, "missing user", f.s.UpdateUser(f.ctx, a), errs.NotFound)
			got, err := f.s.GetUser(f.ctx, "lee")
			f.ok(err)
			if got.Name != "lee" {
				t.Errorf("failed update changed name to %q", got.Name)
			}
		}},
		{"Lock", func(t *testing.T, f *fixture) {
			u := f.user("max")
			got, err := f.s.LockUser(f.ctx, u.ID)
			f.ok(err)
			wantEqual(t, "LockUser outside a transaction", got, u)
			_, err = f.s.LockUser(f.ctx, u.ID+1000)
			wantKind(t, "LockUser(missing)", err, errs.NotFound)

			// Each transaction names a new token after the number of
			// tokens it finds: only if they run one after the other are
			// the names all different.
			const k = 12
			var wg sync.WaitGroup
			for i := range k {
				wg.Go(func() {
					err := f.s.Tx(f.ctx, func(q meta.Queries) error {
						lu, err := q.LockUser(f.ctx, u.ID)
						if err != nil {
							return err
						}
						ts, err := q.ListTokens(f.ctx, lu.ID)
						if err != nil {
							return err
						}
						tok := meta.Token{UserID: lu.ID, Name: fmt.Sprintf("t%02d", len(ts)), Hash: fmt.Sprintf("hash-%d", i)}
						return q.CreateToken(f.ctx, &tok)
					})
					if err != nil {
						t.Errorf("transaction %d: %v", i, err)
					}
				})
			}
			wg.Wait()
			ts, err := f.s.ListTokens(f.ctx, u.ID)
			f.ok(err)
			names := map[string]bool{}
			for _, tok := range ts {
				names[tok.Name] = true
			}
			if len(ts) != k || len(names) != k {
				t.Errorf("%d tokens with %d different names after %d locked transactions, want %d of each", len(ts), len(names), k, k)
			}
		}},
	}
}

func tokenTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, f *fixture) {
			u := f.user("mia")
			expires := time.Date(2031, 5, 6, 7, 8, 9, 123456789, time.FixedZone("X", 3600))
			before := time.Now()
			tok := meta.Token{UserID: u.ID, Name: "ci", Hash: "h1", Scopes: []string{"repo:pull", "repo:push"},
				Expires: expires}
			f.ok(f.s.CreateToken(f.ctx, &tok))
			if tok.ID == 0 {
				t.Fatal("CreateToken did not set ID")
			}
			wantStamp(t, "Created", tok.Created, before)
			if !tok.Expires.Equal(expires.Truncate(time.Microsecond)) || tok.Expires.Location() != time.UTC {
				t.Errorf("Expires = %v, want %v in UTC", tok.Expires, expires)
			}
			got, err := f.s.GetTokenByHash(f.ctx, "h1")
			f.ok(err)
			wantEqual(t, "GetTokenByHash", got, tok)
			if !got.LastUsed.IsZero() {
				t.Errorf("LastUsed = %v, want zero", got.LastUsed)
			}
		}},
		{"NoScopesNoExpiry", func(t *testing.T, f *fixture) {
			u := f.user("ned")
			tok := meta.Token{UserID: u.ID, Name: "all", Hash: "h2"}
			f.ok(f.s.CreateToken(f.ctx, &tok))
			got, err := f.s.GetTokenByHash(f.ctx, "h2")
			f.ok(err)
			if len(got.Scopes) != 0 || !got.Expires.IsZero() || !got.LastUsed.IsZero() {
				t.Errorf("got %+v, want no scopes, zero Expires and LastUsed", got)
			}
		}},
		{"Errors", func(t *testing.T, f *fixture) {
			u := f.user("olga")
			tok := meta.Token{UserID: u.ID, Hash: "h3"}
			f.ok(f.s.CreateToken(f.ctx, &tok))
			dup := meta.Token{UserID: u.ID, Hash: "h3"}
			wantKind(t, "duplicate hash", f.s.CreateToken(f.ctx, &dup), errs.Exists)
			orphan := meta.Token{UserID: u.ID + 1000, Hash: "h4"}
			wantKind(t, "missing user", f.s.CreateToken(f.ctx, &orphan), errs.NotFound)
			_, err := f.s.GetTokenByHash(f.ctx, "H3")
			wantKind(t, "GetTokenByHash(other hash)", err, errs.NotFound)
		}},
		{"List", func(t *testing.T, f *fixture) {
			u := f.user("pia")
			other := f.user("quinn")
			var want []meta.Token
			for _, h := range []string{"c", "a", "b"} {
				tok := meta.Token{UserID: u.ID, Name: h, Hash: "list-" + h, Scopes: []string{h}}
				f.ok(f.s.CreateToken(f.ctx, &tok))
				want = append(want, tok)
			}
			f.ok(f.s.CreateToken(f.ctx, &meta.Token{UserID: other.ID, Hash: "list-other"}))
			got, err := f.s.ListTokens(f.ctx, u.ID)
			f.ok(err)
			wantEqual(t, "ListTokens", got, want)
			none, err := f.s.ListTokens(f.ctx, other.ID+1000)
			f.ok(err)
			if len(none) != 0 {
				t.Errorf("ListTokens(missing user) = %v, want none", none)
			}
		}},
		{"Touch", func(t *testing.T, f *fixture) {
			u := f.user("rita")
			tok := meta.Token{UserID: u.ID, Hash: "h5"}
			f.ok(f.s.CreateToken(f.ctx, &tok))
			at := time.Date(2030, 1, 2, 3, 4, 5, 6000, time.FixedZone("Y", -7200))
			f.ok(f.s.TouchToken(f.ctx, tok.ID, at))
			got, err := f.s.GetTokenByHash(f.ctx, "h5")
			f.ok(err)
			if !got.LastUsed.Equal(at) || got.LastUsed.Location() != time.UTC {
				t.Errorf("LastUsed = %v, want %v in UTC", got.LastUsed, at)
			}
			wantKind(t, "TouchToken(missing)", f.s.TouchToken(f.ctx, tok.ID+1000, at), errs.NotFound)
		}},
		{"Delete", func(t *testing.T, f *fixture) {
			u := f.user("sam")
			tok := meta.Token{UserID: u.ID, Hash: "h6"}
			f.ok(f.s.CreateToken(f.ctx, &tok))
			f.ok(f.s.DeleteToken(f.ctx, tok.ID))
			_, err := f.s.GetTokenByHash(f.ctx, "h6")
			wantKind(t, "GetTokenByHash after delete", err, errs.NotFound)
			wantKind(t, "DeleteToken again", f.s.DeleteToken(f.ctx, tok.ID), errs.NotFound)
		}},
	}
}
