package e2e

import (
	"net/http"
	"slices"
	"testing"
)

// TestHabPackageSettings checks package settings (reference §2.8, §3.8)
// and the origin's package list built from them (GET
// /v1/depot/{origin}/pkgs, §2.2).
func TestHabPackageSettings(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testHabPackageSettings(t, newEnv(t, b.opt))
		})
	}
}

// habSettings is Builder's package settings JSON.
type habSettings struct {
	ID         string  `json:"id"`
	Origin     string  `json:"origin"`
	Name       string  `json:"name"`
	Visibility string  `json:"visibility"`
	OwnerID    string  `json:"owner_id"`
	Hidden     *bool   `json:"hidden"`
	CreatedAt  *string `json:"created_at"`
	UpdatedAt  *string `json:"updated_at"`
}

// wantSettings decodes and checks a settings answer.
func wantSettings(t testing.TB, r *response, origin, name, visibility string) habSettings {
	t.Helper()
	var s habSettings
	r.decode(t, &s)
	raw := r.jsonObject(t)
	wantDigits(t, "settings id", raw["id"])
	wantDigits(t, "settings owner_id", raw["owner_id"])
	wantStamp(t, "settings created_at", s.CreatedAt)
	wantStamp(t, "settings updated_at", s.UpdatedAt)
	if s.Origin != origin || s.Name != name || s.Visibility != visibility || s.Hidden == nil || *s.Hidden {
		t.Errorf("%s %s: settings %s, want %s/%s %s", r.method, r.target, r.Body, origin, name, visibility)
	}
	return s
}

// originPackages lists GET /v1/depot/{origin}/pkgs as c: the names.
func originPackages(t testing.TB, c *client, origin string) []string {
	t.Helper()
	var env struct {
		RangeStart int           `json:"range_start"`
		RangeEnd   int           `json:"range_end"`
		TotalCount int           `json:"total_count"`
		Data       []habSettings `json:"data"`
	}
	c.do(t, http.MethodGet, "/v1/depot/"+origin+"/pkgs", nil).want(t, http.StatusOK).decode(t, &env)
	var names []string
	for _, s := range env.Data {
		if s.Origin != origin {
			t.Errorf("settings of another origin listed: %+v", s)
		}
		names = append(names, s.Name)
	}
	if env.TotalCount != len(env.Data) || env.RangeStart != 0 {
		t.Errorf("envelope %+v", env)
	}
	slices.Sort(names)
	return names
}

func testHabPackageSettings(t *testing.T, e *env) {
	t.Run("CRUD", func(t *testing.T) {
		t.Parallel()
		owner, maint, member, reader := e.habUser(t), e.habUser(t), e.habUser(t), e.habUser(t)
		origin := owner.createOrigin(t, "private")
		owner.addMember(t, origin, maint, "maintainer")
		owner.addMember(t, origin, member, "member")
		owner.addMember(t, origin, reader, "readonly_member")
		sp := func(name string) string { return "/v1/settings/" + origin + "/" + name }

		reader.do(t, http.MethodGet, sp("app"), nil).want(t, http.StatusNotFound)
		member.do(t, http.MethodPost, sp("app"), nil).want(t, http.StatusForbidden)
		reader.do(t, http.MethodPost, sp("app"), nil).want(t, http.StatusForbidden)
		habDo(t, e.anon(), http.MethodPost, sp("app"), nil).want(t, http.StatusUnauthorized)
		// Made with the origin's default visibility.
		wantSettings(t, maint.do(t, http.MethodPost, sp("app"), nil).want(t, http.StatusCreated), origin, "app", "private")
		maint.do(t, http.MethodPost, sp("app"), nil).want(t, http.StatusConflict)
		wantSettings(t, reader.do(t, http.MethodGet, sp("app"), nil).want(t, http.StatusOK), origin, "app", "private")
		e.habUser(t).do(t, http.MethodGet, sp("app"), nil).want(t, http.StatusForbidden)
		habDo(t, e.anon(), http.MethodGet, sp("app"), nil).want(t, http.StatusUnauthorized)
		maint.do(t, http.MethodPost, "/v1/settings/nosuch"+randHex(t, 4)+"/app", nil).want(t, http.StatusNotFound)

		for _, vis := range []string{"public", "hidden", "private"} {
			wantSettings(t, maint.do(t, http.MethodPut, sp("app"), map[string]any{"visibility": vis}).want(t, http.StatusOK), origin, "app", vis)
			wantSettings(t, reader.do(t, http.MethodGet, sp("app"), nil).want(t, http.StatusOK), origin, "app", vis)
		}
		maint.do(t, http.MethodPut, sp("app"), map[string]any{}).want(t, http.StatusUnprocessableEntity).wantText(t, "Missing required package visibility")
		maint.do(t, http.MethodPut, sp("app"), map[string]any{"visibility": ""}).want(t, http.StatusUnprocessableEntity)
		maint.do(t, http.MethodPut, sp("app"), map[string]any{"visibility": "secret"}).want(t, http.StatusBadRequest)
		member.do(t, http.MethodPut, sp("app"), map[string]any{"visibility": "public"}).want(t, http.StatusForbidden)
		maint.do(t, http.MethodPut, sp("absent"), map[string]any{"visibility": "public"}).want(t, http.StatusNotFound)
		wantSettings(t, reader.do(t, http.MethodGet, sp("app"), nil).want(t, http.StatusOK), origin, "app", "private")

		member.do(t, http.MethodDelete, sp("app"), nil).want(t, http.StatusForbidden)
		maint.do(t, http.MethodDelete, sp("app"), nil).want(t, http.StatusNoContent)
		reader.do(t, http.MethodGet, sp("app"), nil).want(t, http.StatusNotFound)
		maint.do(t, http.MethodDelete, sp("app"), nil).want(t, http.StatusNotFound)

		// An upload makes them, and they outlive no release.
		member.publish(t, habPkg{ident: ident(origin, "shipped", "1.0.0", "20240101000000")})
		wantSettings(t, reader.do(t, http.MethodGet, sp("shipped"), nil).want(t, http.StatusOK), origin, "shipped", "private")
		maint.do(t, http.MethodDelete, sp("shipped"), nil).want(t, http.StatusConflict).wantNonEmptyText(t)
		maint.do(t, http.MethodPost, sp("shipped"), nil).want(t, http.StatusConflict)
	})

	t.Run("DecideUploads", func(t *testing.T) {
		t.Parallel()
		owner, member := e.habUser(t), e.habUser(t)
		origin := owner.createOrigin(t, "")
		owner.addMember(t, origin, member, "member")
		owner.do(t, http.MethodPost, "/v1/settings/"+origin+"/quiet", nil).want(t, http.StatusCreated)
		owner.do(t, http.MethodPut, "/v1/settings/"+origin+"/quiet", map[string]any{"visibility": "private"}).want(t, http.StatusOK)
		member.publish(t, habPkg{ident: ident(origin, "quiet", "1.0.0", "20240101000000")})
		member.publish(t, habPkg{ident: ident(origin, "loud", "1.0.0", "20240101000000")})
		habDo(t, e.anon(), http.MethodGet, "/v1/depot/pkgs/"+origin+"/quiet/latest", nil).want(t, http.StatusNotFound)
		member.do(t, http.MethodGet, "/v1/depot/pkgs/"+origin+"/quiet/latest", nil).want(t, http.StatusOK)
		habDo(t, e.anon(), http.MethodGet, "/v1/depot/pkgs/"+origin+"/loud/latest", nil).want(t, http.StatusOK)
	})

	t.Run("OriginPackageList", func(t *testing.T) {
		t.Parallel()
		owner, reader := e.habUser(t), e.habUser(t)
		origin := owner.createOrigin(t, "")
		owner.addMember(t, origin, reader, "readonly_member")
		wantStrings(t, "packages of a new origin", originPackages(t, e.anon(), origin))
		for name, vis := range map[string]string{"pub": "public", "priv": "private", "hid": "hidden"} {
			owner.do(t, http.MethodPost, "/v1/settings/"+origin+"/"+name, nil).want(t, http.StatusCreated)
			owner.do(t, http.MethodPut, "/v1/settings/"+origin+"/"+name, map[string]any{"visibility": vis}).want(t, http.StatusOK)
		}
		wantStrings(t, "packages anonymously", originPackages(t, e.anon(), origin), "pub")
		wantStrings(t, "packages for a stranger", originPackages(t, e.habUser(t).c, origin), "pub")
		wantStrings(t, "packages for a member", originPackages(t, reader.c, origin), "hid", "priv", "pub")
		wantStrings(t, "packages of an unknown origin", originPackages(t, e.anon(), "nosuch"+randHex(t, 4)))
	})
}
