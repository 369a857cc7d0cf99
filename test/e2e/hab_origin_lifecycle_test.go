package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"wharf/internal/format/hab"
)

// TestHabOrigins checks the life of an origin (reference §2.4, §13.9,
// §13.10): creation and its side effects, reading it, its default
// visibility, and deletion refused until it is empty. An origin is a
// Wharf organisation, seen through the Quay API and giving its members
// rights on its generic packages.
func TestHabOrigins(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testHabOrigins(t, newEnv(t, b.opt))
		})
	}
}

func testHabOrigins(t *testing.T, e *env) {
	t.Run("Create", func(t *testing.T) {
		t.Parallel()
		owner := e.habUser(t)
		name := "o" + randHex(t, 6)
		r := owner.do(t, http.MethodPost, "/v1/depot/origins", map[string]any{"name": name}).want(t, http.StatusCreated)
		var o habOrigin
		r.decode(t, &o)
		obj := r.jsonObject(t)
		wantDigits(t, "owner_id", obj["owner_id"])
		wantStamp(t, "created_at", o.CreatedAt)
		wantStamp(t, "updated_at", o.UpdatedAt)
		if o.Name != name || o.DefaultPackageVisibility != "public" {
			t.Errorf("created origin %s", r.Body)
		}

		// The creator is its owner and only member.
		if got := owner.roleOf(t, name, owner.name); got != "owner" {
			t.Errorf("creator's role %q, want owner", got)
		}
		wantStrings(t, "members", owner.members(t, name), owner.name)

		// Every origin has unstable and stable.
		var chans []struct {
			Name string `json:"name"`
		}
		habDo(t, e.anon(), http.MethodGet, "/v1/depot/channels/"+name, nil).want(t, http.StatusOK).decode(t, &chans)
		var names []string
		for _, c := range chans {
			names = append(names, c.Name)
		}
		wantStrings(t, "channels", names, "stable", "unstable")

		got, gobj := getOrigin(t, e.anon(), name)
		if gobj["owner_id"] != obj["owner_id"] || got.Name != name || got.DefaultPackageVisibility != "public" {
			t.Errorf("GET origin %v, want the owner id %v", gobj, obj["owner_id"])
		}
		if got.OwnerAccount == nil || *got.OwnerAccount != owner.name {
			t.Errorf("owner_account %v, want %q", gobj["owner_account"], owner.name)
		}
		if v, ok := gobj["private_key_name"]; !ok || v != nil {
			t.Errorf("private_key_name %#v (present %v), want null", v, ok)
		}

		// Taken: by the origin itself, for anyone, and by a user's
		// namespace.
		owner.do(t, http.MethodPost, "/v1/depot/origins", map[string]any{"name": name}).want(t, http.StatusConflict)
		e.habUser(t).do(t, http.MethodPost, "/v1/depot/origins", map[string]any{"name": name}).want(t, http.StatusConflict)
		owner.do(t, http.MethodPost, "/v1/depot/origins", map[string]any{"name": owner.name}).want(t, http.StatusConflict)

		private := "p" + randHex(t, 6)
		var po habOrigin
		owner.do(t, http.MethodPost, "/v1/depot/origins", map[string]any{"name": private, "default_package_visibility": "private"}).
			want(t, http.StatusCreated).decode(t, &po)
		if po.DefaultPackageVisibility != "private" {
			t.Errorf("origin created private: %+v", po)
		}
		if got, _ := getOrigin(t, e.anon(), private); got.DefaultPackageVisibility != "private" {
			t.Errorf("GET private origin: %+v", got)
		}
	})

	t.Run("InvalidNames", func(t *testing.T) {
		t.Parallel()
		owner := e.habUser(t)
		for _, name := range []string{"Bad Name", "-x", "_x", "UPPER", "a/b", "a.b", strings.Repeat("a", 256)} {
			owner.do(t, http.MethodPost, "/v1/depot/origins", map[string]any{"name": name}).want(t, http.StatusExpectationFailed)
			habDo(t, e.anon(), http.MethodGet, originPath(name), nil).want(t, http.StatusNotFound)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		t.Parallel()
		u := e.habUser(t)
		habDo(t, e.anon(), http.MethodGet, originPath("nosuch"+randHex(t, 4)), nil).want(t, http.StatusNotFound)
		// A person's namespace is not an origin.
		habDo(t, e.anon(), http.MethodGet, originPath(u.name), nil).want(t, http.StatusNotFound)
	})

	t.Run("PrivateKeyName", func(t *testing.T) {
		t.Parallel()
		owner := e.habUser(t)
		origin := owner.createOrigin(t, "")
		_, sec := keyAt(t, origin, time.Date(2021, 5, 6, 7, 8, 9, 0, time.UTC))
		owner.do(t, http.MethodPost, originPath(origin, "secret_keys", sec.Revision), sec.String()).want(t, http.StatusCreated)
		got, obj := getOrigin(t, e.anon(), origin)
		if got.PrivateKeyName == nil || *got.PrivateKeyName != origin+"-20210506070809" {
			t.Errorf("private_key_name %#v, want %q", obj["private_key_name"], origin+"-20210506070809")
		}
	})

	t.Run("DefaultVisibility", func(t *testing.T) {
		t.Parallel()
		owner, admin, maint := e.habUser(t), e.habUser(t), e.habUser(t)
		origin := owner.createOrigin(t, "")
		owner.addMember(t, origin, admin, "administrator")
		owner.addMember(t, origin, maint, "maintainer")
		vis := func() string {
			got, _ := getOrigin(t, e.anon(), origin)
			return got.DefaultPackageVisibility
		}
		owner.do(t, http.MethodPut, originPath(origin), map[string]any{"default_package_visibility": "private"}).want(t, http.StatusNoContent)
		if v := vis(); v != "private" {
			t.Errorf("after PUT private: %q", v)
		}
		// Omitted resets to public, as Builder does.
		admin.do(t, http.MethodPut, originPath(origin), map[string]any{}).want(t, http.StatusNoContent)
		if v := vis(); v != "public" {
			t.Errorf("after PUT without a visibility: %q, want public", v)
		}
		maint.do(t, http.MethodPut, originPath(origin), map[string]any{"default_package_visibility": "private"}).want(t, http.StatusForbidden)
		if v := vis(); v != "public" {
			t.Errorf("after a refused PUT: %q", v)
		}
		habDo(t, e.anon(), http.MethodPut, originPath(origin), map[string]any{"default_package_visibility": "private"}).want(t, http.StatusUnauthorized)
	})

	t.Run("Delete", func(t *testing.T) {
		t.Parallel()
		owner, admin, member := e.habUser(t), e.habUser(t), e.habUser(t)
		origin := owner.createOrigin(t, "")
		owner.addMember(t, origin, admin, "administrator")
		owner.addMember(t, origin, member, "member")

		// Something of every kind that blocks the deletion.
		box := sealSecret(t, owner, origin, "value")
		owner.do(t, http.MethodPost, originPath(origin, "secret"), map[string]any{"name": "S1", "value": box}).want(t, http.StatusCreated)
		owner.do(t, http.MethodPut, originPath(origin, "integrations", "docker", "reg"), map[string]any{"username": "u", "password": "p"}).
			want(t, http.StatusCreated)
		owner.do(t, http.MethodPost, "/v1/depot/channels/"+origin+"/extra", nil).want(t, http.StatusCreated)
		pkg := habPkg{ident: ident(origin, "thing", "1.0.0", "20240101000000")}
		member.publish(t, pkg)
		owner.do(t, http.MethodPost, "/v1/settings/"+origin+"/other", nil).want(t, http.StatusCreated)

		refused := func(why string) {
			t.Helper()
			r := owner.do(t, http.MethodDelete, originPath(origin), nil)
			if r.Status != http.StatusConflict {
				t.Fatalf("delete with %s remaining: want 409, got:\n%s", why, r)
			}
			r.wantNonEmptyText(t)
			habDo(t, e.anon(), http.MethodGet, originPath(origin), nil).want(t, http.StatusOK)
		}
		// Only the owner may try.
		admin.do(t, http.MethodDelete, originPath(origin), nil).want(t, http.StatusForbidden)
		member.do(t, http.MethodDelete, originPath(origin), nil).want(t, http.StatusForbidden)
		refused("everything")
		owner.do(t, http.MethodDelete, originPath(origin, "users", admin.name), nil).want(t, http.StatusNoContent)
		owner.do(t, http.MethodDelete, originPath(origin, "users", member.name), nil).want(t, http.StatusNoContent)
		refused("secrets, integrations, channels, packages, settings")
		owner.do(t, http.MethodDelete, originPath(origin, "secret", "S1"), nil).want(t, http.StatusOK)
		refused("integrations, channels, packages, settings")
		owner.do(t, http.MethodDelete, originPath(origin, "integrations", "docker", "reg"), nil).want(t, http.StatusNoContent)
		refused("channels, packages, settings")
		owner.do(t, http.MethodDelete, "/v1/depot/channels/"+origin+"/extra", nil).want(t, http.StatusOK)
		refused("packages, settings")
		owner.do(t, http.MethodDelete, identPath(pkg.ident)+"?target="+hab.DefaultTarget, nil).want(t, http.StatusNoContent)
		refused("settings")
		owner.do(t, http.MethodDelete, "/v1/settings/"+origin+"/thing", nil).want(t, http.StatusNoContent)
		refused("one package's settings")
		owner.do(t, http.MethodDelete, "/v1/settings/"+origin+"/other", nil).want(t, http.StatusNoContent)

		owner.do(t, http.MethodDelete, originPath(origin), nil).want(t, http.StatusNoContent)
		habDo(t, e.anon(), http.MethodGet, originPath(origin), nil).want(t, http.StatusNotFound)
		owner.c.quayDo(t, http.MethodGet, "organization/"+origin, nil).want(t, http.StatusNotFound)
		var chans []any
		habDo(t, e.anon(), http.MethodGet, "/v1/depot/channels/"+origin, nil).want(t, http.StatusOK).decode(t, &chans)
		if len(chans) != 0 {
			t.Errorf("channels of a deleted origin: %v", chans)
		}
		owner.do(t, http.MethodDelete, originPath(origin), nil).want(t, http.StatusNotFound)
		// The name is free again, and nothing of the old origin comes
		// back with it.
		owner.do(t, http.MethodPost, "/v1/depot/origins", map[string]any{"name": origin}).want(t, http.StatusCreated)
		wantStrings(t, "members of the new origin", owner.members(t, origin), owner.name)
		if got := owner.originInvitations(t, origin); len(got) != 0 {
			t.Errorf("invitations of the new origin: %+v", got)
		}
		var secrets, keys []any
		owner.do(t, http.MethodGet, originPath(origin, "secret"), nil).want(t, http.StatusOK).decode(t, &secrets)
		e.anon().do(t, http.MethodGet, originPath(origin, "keys"), nil).want(t, http.StatusOK).decode(t, &keys)
		if len(secrets) != 0 || len(keys) != 0 {
			t.Errorf("the new origin has secrets %v and keys %v", secrets, keys)
		}
		var integrations map[string]any
		owner.do(t, http.MethodGet, originPath(origin, "integrations"), nil).want(t, http.StatusOK).decode(t, &integrations)
		if len(integrations) != 0 {
			t.Errorf("integrations of the new origin: %v", integrations)
		}
		owner.do(t, http.MethodGet, "/v1/settings/"+origin+"/other", nil).want(t, http.StatusNotFound)
		admin.do(t, http.MethodGet, originPath(origin, "users"), nil).want(t, http.StatusForbidden)
		e.anon().do(t, http.MethodGet, "/v1/depot/pkgs/"+origin+"/thing/latest", nil).want(t, http.StatusNotFound)
	})

	t.Run("MadeThroughQuay", func(t *testing.T) {
		t.Parallel()
		// Every organisation is an origin (docs/api/habitat.md, The
		// model): its teams give origin roles.
		creator, builder, reader := e.habUser(t), e.habUser(t), e.habUser(t)
		org := creator.createOrg(t)
		putTeamMember(t, creator.user, org, "builders", "creator", builder.user)
		putTeamMember(t, creator.user, org, "readers", "member", reader.user)

		o, obj := getOrigin(t, e.anon(), org)
		if o.Name != org || o.DefaultPackageVisibility != "public" || o.OwnerAccount == nil || *o.OwnerAccount != creator.name {
			t.Errorf("origin made through Quay: %v", obj)
		}
		wantStrings(t, "members", reader.members(t, org), sortedNames(creator, builder, reader)...)
		// Its creator owns it, as an origin's; it has both channels.
		for who, role := range map[*habActor]string{creator: "owner", builder: "member", reader: "readonly_member"} {
			if got := builder.roleOf(t, org, who.name); got != role {
				t.Errorf("role of %s = %q, want %q", who.name, got, role)
			}
		}
		builder.publish(t, habPkg{ident: ident(org, "made", "1.0", "20240101000000")})
		r := reader.do(t, http.MethodPost, identPath(ident(org, "nope", "1.0", "20240101000000"))+"?checksum=00", "x")
		r.want(t, http.StatusForbidden)
		builder.do(t, http.MethodPost, "/v1/depot/channels/"+org+"/beta", nil).want(t, http.StatusUnauthorized)
		creator.do(t, http.MethodPost, "/v1/depot/channels/"+org+"/stable", nil).want(t, http.StatusConflict)
		creator.do(t, http.MethodPost, "/v1/depot/channels/"+org+"/beta", nil).want(t, http.StatusCreated)
		creator.do(t, http.MethodPut, originPath(org), map[string]any{"default_package_visibility": "private"}).want(t, http.StatusNoContent)
		// The owner deletes it once it is empty, as any origin.
		creator.do(t, http.MethodDelete, originPath(org), nil).want(t, http.StatusConflict)
	})

	t.Run("QuayOrganization", func(t *testing.T) {
		t.Parallel()
		owner, member, reader, admin := e.habUser(t), e.habUser(t), e.habUser(t), e.habUser(t)
		origin := owner.createOrigin(t, "")
		owner.addMember(t, origin, member, "member")
		owner.addMember(t, origin, reader, "readonly_member")
		owner.addMember(t, origin, admin, "administrator")

		v := owner.c.quayDo(t, http.MethodGet, "organization/"+origin, nil).want(t, http.StatusOK).jsonObject(t)
		if v["name"] != origin || v["is_admin"] != true || v["is_member"] != true {
			t.Errorf("owner's Quay view of the origin: %v", v)
		}
		v = admin.c.quayDo(t, http.MethodGet, "organization/"+origin, nil).want(t, http.StatusOK).jsonObject(t)
		if v["is_admin"] != true || v["is_member"] != true {
			t.Errorf("administrator's Quay view: %v", v)
		}
		v = member.c.quayDo(t, http.MethodGet, "organization/"+origin, nil).want(t, http.StatusOK).jsonObject(t)
		if v["name"] != origin || v["is_admin"] != false || v["is_member"] != true {
			t.Errorf("member's Quay view: %v", v)
		}
		v = e.anon().quayDo(t, http.MethodGet, "organization/"+origin, nil).want(t, http.StatusOK).jsonObject(t)
		if v["name"] != origin || v["is_member"] != false {
			t.Errorf("anonymous Quay view: %v", v)
		}

		// Habitat roles count on the other fronts (docs/auth.md): a
		// member writes the origin's generic packages, a read-only
		// member does not, a stranger does not.
		data := randBytes(t, 40)
		p := pkgPath(origin, "tool", "1.0", "tool.bin")
		member.c.do(t, http.MethodPut, p, data).want(t, http.StatusCreated)
		member.c.do(t, http.MethodGet, p, nil).want(t, http.StatusOK).wantBody(t, data)
		reader.c.do(t, http.MethodGet, p, nil).want(t, http.StatusOK).wantBody(t, data)
		reader.c.do(t, http.MethodPut, pkgPath(origin, "tool", "1.0", "r.bin"), data).want(t, http.StatusUnauthorized)
		e.habUser(t).c.do(t, http.MethodPut, pkgPath(origin, "tool", "1.0", "s.bin"), data).want(t, http.StatusUnauthorized)
		admin.c.do(t, http.MethodPut, pkgPath(origin, "tool", "1.0", "a.bin"), data).want(t, http.StatusCreated)
		// Dropping the membership drops the right.
		owner.do(t, http.MethodDelete, originPath(origin, "users", member.name), nil).want(t, http.StatusNoContent)
		member.c.do(t, http.MethodPut, pkgPath(origin, "tool", "1.0", "m2.bin"), data).want(t, http.StatusUnauthorized)
	})
}
