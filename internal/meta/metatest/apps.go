package metatest

import (
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func appTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			before := time.Now()
			a := meta.App{NamespaceID: acme.ID, ClientID: "Client-1", SealedSecret: []byte{1, 0, 2}, Name: "CI",
				Description: "builds", ApplicationURI: "https://ci.example", RedirectURI: "https://ci.example/cb",
				AvatarEmail: "ci@example.com"}
			f.ok(f.s.CreateApp(f.ctx, &a))
			if a.ID == 0 {
				t.Fatal("CreateApp did not set ID")
			}
			wantStamp(t, "Created", a.Created, before)
			got, err := f.s.GetApp(f.ctx, "Client-1")
			f.ok(err)
			wantEqual(t, "GetApp", got, a)
		}},
		{"Errors", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			other := f.org("other", false)
			f.app(acme.ID, "client")
			dup := meta.App{NamespaceID: other.ID, ClientID: "client", SealedSecret: []byte("s"), Name: "dup"}
			wantKind(t, "CreateApp(taken client ID)", f.s.CreateApp(f.ctx, &dup), errs.Exists)
			_, err := f.s.GetApp(f.ctx, "other")
			wantKind(t, "GetApp(missing)", err, errs.NotFound)
			list, err := f.s.ListApps(f.ctx, other.ID)
			f.ok(err)
			if len(list) != 0 {
				t.Errorf("refused application was written: %+v", list)
			}
		}},
		{"List", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			other := f.org("other", false)
			var want []meta.App
			for _, id := range []string{"c", "a", "b"} {
				want = append(want, f.app(acme.ID, id))
				tick()
			}
			theirs := f.app(other.ID, "d")
			got, err := f.s.ListApps(f.ctx, acme.ID)
			f.ok(err)
			wantEqual(t, "ListApps", got, want)
			got, err = f.s.ListApps(f.ctx, other.ID)
			f.ok(err)
			wantEqual(t, "ListApps(other)", got, []meta.App{theirs})
		}},
		{"Update", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			a := f.app(acme.ID, "client")
			upd := meta.App{ID: a.ID, NamespaceID: acme.ID + 1, ClientID: "changed", SealedSecret: []byte("resealed"),
				Name: "Renamed", Description: "d", ApplicationURI: "https://a.example", RedirectURI: "https://a.example/r",
				AvatarEmail: "a@example.com", Created: a.Created.Add(time.Hour)}
			f.ok(f.s.UpdateApp(f.ctx, upd))
			want := upd
			want.NamespaceID, want.ClientID, want.Created = a.NamespaceID, a.ClientID, a.Created
			got, err := f.s.GetApp(f.ctx, "client")
			f.ok(err)
			wantEqual(t, "updated application", got, want)
			_, err = f.s.GetApp(f.ctx, "changed")
			wantKind(t, "GetApp(new client ID)", err, errs.NotFound)
			upd.ID += 1000
			wantKind(t, "UpdateApp(missing)", f.s.UpdateApp(f.ctx, upd), errs.NotFound)
		}},
		{"DeleteCascades", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			u := f.user("bob")
			a := f.app(acme.ID, "client")
			kept := f.app(acme.ID, "kept")
			issued := meta.Token{UserID: u.ID, Hash: "issued", Kind: meta.TokenOAuth, AppID: a.ID}
			f.ok(f.s.CreateToken(f.ctx, &issued))
			other := meta.Token{UserID: u.ID, Hash: "other", Kind: meta.TokenOAuth, AppID: kept.ID}
			f.ok(f.s.CreateToken(f.ctx, &other))
			own := meta.Token{UserID: u.ID, Hash: "own"}
			f.ok(f.s.CreateToken(f.ctx, &own))
			code := meta.GrantCode{Hash: "code", AppID: a.ID, UserID: u.ID, Created: at(0), Expires: at(10)}
			f.ok(f.s.CreateGrantCode(f.ctx, code))

			f.ok(f.s.DeleteApp(f.ctx, a.ID))

			_, err := f.s.GetApp(f.ctx, "client")
			wantKind(t, "GetApp", err, errs.NotFound)
			_, err = f.s.GetTokenByHash(f.ctx, issued.Hash)
			wantKind(t, "token the application issued", err, errs.NotFound)
			_, err = f.s.TakeGrantCode(f.ctx, code.Hash, at(1))
			wantKind(t, "code of the application", err, errs.NotFound)
			toks, err := f.s.ListTokens(f.ctx, u.ID)
			f.ok(err)
			wantEqual(t, "the user's other tokens", toks, []meta.Token{other, own})
			wantKind(t, "DeleteApp again", f.s.DeleteApp(f.ctx, a.ID), errs.NotFound)
		}},
	}
}

func grantCodeTests() []test {
	return []test{
		{"TakeOnce", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			u := f.user("bob")
			a := f.app(acme.ID, "client")
			c := meta.GrantCode{Hash: "h1", AppID: a.ID, UserID: u.ID, Scopes: []string{"repo:read", "org:admin"},
				RedirectURI: "https://ci.example/cb", Created: at(0), Expires: at(10)}
			f.ok(f.s.CreateGrantCode(f.ctx, c))
			wantKind(t, "CreateGrantCode(taken hash)", f.s.CreateGrantCode(f.ctx, c), errs.Exists)
			got, err := f.s.TakeGrantCode(f.ctx, "h1", at(5))
			f.ok(err)
			wantEqual(t, "TakeGrantCode", got, c)
			wantUTC(t, "Created", got.Created)
			wantUTC(t, "Expires", got.Expires)
			_, err = f.s.TakeGrantCode(f.ctx, "h1", at(5))
			wantKind(t, "TakeGrantCode again", err, errs.NotFound)
			_, err = f.s.TakeGrantCode(f.ctx, "h2", at(5))
			wantKind(t, "TakeGrantCode(missing)", err, errs.NotFound)
		}},
		{"NoScopes", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			u := f.user("bob")
			a := f.app(acme.ID, "client")
			c := meta.GrantCode{Hash: "h1", AppID: a.ID, UserID: u.ID, Created: at(0), Expires: at(10)}
			f.ok(f.s.CreateGrantCode(f.ctx, c))
			got, err := f.s.TakeGrantCode(f.ctx, "h1", at(1))
			f.ok(err)
			if len(got.Scopes) != 0 || got.RedirectURI != "" || got.AppID != a.ID || got.UserID != u.ID {
				t.Errorf("TakeGrantCode = %+v, want no scopes nor redirect URI", got)
			}
		}},
		{"Expiry", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			u := f.user("bob")
			a := f.app(acme.ID, "client")
			for _, h := range []string{"expired", "edge"} {
				f.ok(f.s.CreateGrantCode(f.ctx, meta.GrantCode{Hash: h, AppID: a.ID, UserID: u.ID, Created: at(0), Expires: at(10)}))
			}
			_, err := f.s.TakeGrantCode(f.ctx, "expired", at(10).Add(time.Microsecond))
			wantKind(t, "TakeGrantCode(expired)", err, errs.NotFound)
			_, err = f.s.TakeGrantCode(f.ctx, "expired", at(11))
			wantKind(t, "TakeGrantCode(expired) again", err, errs.NotFound)
			// A code expiring at now has not expired before now.
			got, err := f.s.TakeGrantCode(f.ctx, "edge", at(10))
			f.ok(err)
			if got.Hash != "edge" {
				t.Errorf("TakeGrantCode(edge) = %+v", got)
			}
		}},
	}
}
