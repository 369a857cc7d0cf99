package metatest

import (
	"testing"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func tokenKindTests() []test {
	return []test{
		{"RoundTrip", func(t *testing.T, f *fixture) {
			u := f.user("mia")
			acme := f.org("acme", false)
			app := f.app(acme.ID, "client")
			toks := []meta.Token{
				{UserID: u.ID, Name: "laptop", Hash: "h-app", Kind: meta.TokenApp, UUID: "uuid-app",
					Sealed: []byte{0, 0xfe, 'x'}, Scopes: []string{"repo:read"}},
				{UserID: u.ID, Name: "cli", Hash: "h-api", Kind: meta.TokenAPI, UUID: "uuid-api", Expires: at(60)},
				{UserID: u.ID, Name: "oauth", Hash: "h-oauth", Kind: meta.TokenOAuth, AppID: app.ID,
					Scopes: []string{"repo:read", "user:read"}},
			}
			for i := range toks {
				f.ok(f.s.CreateToken(f.ctx, &toks[i]))
				got, err := f.s.GetTokenByHash(f.ctx, toks[i].Hash)
				f.ok(err)
				wantEqual(t, "GetTokenByHash("+toks[i].Hash+")", got, toks[i])
			}
			for _, tok := range toks[:2] {
				got, err := f.s.GetTokenByUUID(f.ctx, tok.UUID)
				f.ok(err)
				wantEqual(t, "GetTokenByUUID("+tok.UUID+")", got, tok)
			}
			list, err := f.s.ListTokens(f.ctx, u.ID)
			f.ok(err)
			wantEqual(t, "ListTokens", list, toks)
		}},
		{"DefaultKind", func(t *testing.T, f *fixture) {
			u := f.user("ned")
			tok := meta.Token{UserID: u.ID, Hash: "h"}
			f.ok(f.s.CreateToken(f.ctx, &tok))
			got, err := f.s.GetTokenByHash(f.ctx, "h")
			f.ok(err)
			if got.Kind != meta.TokenAPI || got.UUID != "" || got.AppID != 0 || got.Sealed != nil {
				t.Errorf("token made without kind, uuid, app or seal = %+v, want kind %q and none of the others", got, meta.TokenAPI)
			}
		}},
		{"UUIDErrors", func(t *testing.T, f *fixture) {
			u := f.user("olga")
			f.ok(f.s.CreateToken(f.ctx, &meta.Token{UserID: u.ID, Hash: "h1", UUID: "u-1"}))
			dup := meta.Token{UserID: u.ID, Hash: "h2", UUID: "u-1"}
			wantKind(t, "duplicate UUID", f.s.CreateToken(f.ctx, &dup), errs.Exists)
			for _, h := range []string{"h3", "h4"} {
				f.ok(f.s.CreateToken(f.ctx, &meta.Token{UserID: u.ID, Hash: h}))
			}
			_, err := f.s.GetTokenByUUID(f.ctx, "u-2")
			wantKind(t, "GetTokenByUUID(missing)", err, errs.NotFound)
			_, err = f.s.GetTokenByUUID(f.ctx, "")
			wantKind(t, "GetTokenByUUID(\"\")", err, errs.NotFound)
			_, err = f.s.GetTokenByHash(f.ctx, "h2")
			wantKind(t, "token refused for its UUID", err, errs.NotFound)
		}},
		{"MissingApp", func(t *testing.T, f *fixture) {
			u := f.user("pia")
			acme := f.org("acme", false)
			app := f.app(acme.ID, "client")
			tok := meta.Token{UserID: u.ID, Hash: "h", Kind: meta.TokenOAuth, AppID: app.ID + 1000}
			wantKind(t, "CreateToken(missing app)", f.s.CreateToken(f.ctx, &tok), errs.NotFound)
		}},
		{"ListAppTokens", func(t *testing.T, f *fixture) {
			u := f.user("quinn")
			v := f.user("rita")
			acme := f.org("acme", false)
			app := f.app(acme.ID, "one")
			other := f.app(acme.ID, "two")
			var want []meta.Token
			for i, user := range []meta.User{v, u, v} {
				tok := meta.Token{UserID: user.ID, Name: "oauth", Hash: "h-" + string(rune('a'+i)), Kind: meta.TokenOAuth,
					AppID: app.ID, Scopes: []string{"repo:read"}}
				f.ok(f.s.CreateToken(f.ctx, &tok))
				want = append(want, tok)
				tick()
			}
			f.ok(f.s.CreateToken(f.ctx, &meta.Token{UserID: u.ID, Hash: "h-other", Kind: meta.TokenOAuth, AppID: other.ID}))
			f.ok(f.s.CreateToken(f.ctx, &meta.Token{UserID: u.ID, Hash: "h-api"}))
			got, err := f.s.ListAppTokens(f.ctx, app.ID)
			f.ok(err)
			wantEqual(t, "ListAppTokens", got, want)
			none, err := f.s.ListAppTokens(f.ctx, other.ID+1000)
			f.ok(err)
			if len(none) != 0 {
				t.Errorf("ListAppTokens(missing app) = %v, want none", none)
			}
		}},
	}
}
