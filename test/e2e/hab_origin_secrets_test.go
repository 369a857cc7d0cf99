package e2e

import (
	"crypto/rand"
	"net/http"
	"strings"
	"testing"
	"time"

	"wharf/internal/format/hab"
)

// TestHabSecrets checks origin secrets and integrations (reference §2.6,
// §2.7, §6.2): values sealed to the served encryption key are stored,
// listed and deleted; boxes the origin cannot open are refused;
// integrations never give their password back; registry credentials are
// checked against Wharf's own /v2/.
func TestHabSecrets(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testHabSecrets(t, newEnv(t, b.opt))
		})
	}
}

// encryptionKey fetches an origin's public encryption key as a.
func encryptionKey(t testing.TB, a *habActor, origin string) hab.Key {
	t.Helper()
	r := a.do(t, http.MethodGet, originPath(origin, "encryption_key"), nil).want(t, http.StatusOK)
	k, err := hab.ParseKey(string(r.Body), hab.BoxPublic)
	if err != nil {
		t.Fatalf("encryption key: %v\n%s", err, r.Body)
	}
	return k
}

// sealSecret seals value to the origin's encryption key, as hab origin
// secret upload does, and returns the box's text.
func sealSecret(t testing.TB, a *habActor, origin, value string) string {
	t.Helper()
	box, err := hab.SealAnonymous([]byte(value), encryptionKey(t, a, origin), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return box.String()
}

// habSecret is an item of the secret list.
type habSecret struct {
	ID       string `json:"id"`
	OriginID string `json:"origin_id"`
	Name     string `json:"name"`
	Value    string `json:"value"`
}

func testHabSecrets(t *testing.T, e *env) {
	t.Run("Secrets", func(t *testing.T) {
		t.Parallel()
		owner, admin, maint := e.habUser(t), e.habUser(t), e.habUser(t)
		origin := owner.createOrigin(t, "")
		owner.addMember(t, origin, admin, "administrator")
		owner.addMember(t, origin, maint, "maintainer")
		list := func() []habSecret {
			r := admin.do(t, http.MethodGet, originPath(origin, "secret"), nil).want(t, http.StatusOK)
			var v []habSecret
			r.decode(t, &v)
			if v == nil {
				t.Errorf("secret list is not an array: %s", r.Body)
			}
			var raw []map[string]any
			r.decode(t, &raw)
			for _, s := range raw {
				wantDigits(t, "secret id", s["id"])
			}
			return v
		}
		if got := list(); len(got) != 0 {
			t.Errorf("secrets of a new origin: %+v", got)
		}

		box := sealSecret(t, admin, origin, "hunter2")
		post := func(a *habActor, body any) *response {
			return a.do(t, http.MethodPost, originPath(origin, "secret"), body)
		}
		post(admin, map[string]any{"name": "AWS_KEY", "value": box}).want(t, http.StatusCreated)
		got := list()
		if len(got) != 1 || got[0].Name != "AWS_KEY" || got[0].OriginID != "0" || strings.TrimSpace(got[0].Value) != box {
			t.Errorf("secret list %+v, want AWS_KEY with origin_id \"0\" and the box as sent", got)
		}
		post(owner, map[string]any{"name": "AWS_KEY", "value": sealSecret(t, owner, origin, "other")}).want(t, http.StatusConflict)
		post(owner, map[string]any{"name": "SECOND", "value": sealSecret(t, owner, origin, "two")}).want(t, http.StatusCreated)

		// Who may.
		post(maint, map[string]any{"name": "M", "value": box}).want(t, http.StatusForbidden)
		maint.do(t, http.MethodGet, originPath(origin, "secret"), nil).want(t, http.StatusForbidden)
		habDo(t, e.anon(), http.MethodGet, originPath(origin, "secret"), nil).want(t, http.StatusUnauthorized)
		maint.do(t, http.MethodDelete, originPath(origin, "secret", "AWS_KEY"), nil).want(t, http.StatusForbidden)

		// Boxes the origin cannot open.
		served := encryptionKey(t, admin, origin)
		rev, err := time.Parse("20060102150405", served.Revision)
		if err != nil {
			t.Fatal(err)
		}
		sameName, _, err := hab.GenerateBoxPair(origin, rev, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		otherRev, _, err := hab.GenerateBoxPair(origin, rev.Add(-time.Hour), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		otherOrigin, _, err := hab.GenerateBoxPair("elsewhere", rev, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []hab.Key{sameName, otherRev, otherOrigin} {
			b, err := hab.SealAnonymous([]byte("x"), k, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			post(admin, map[string]any{"name": "BAD", "value": b.String()}).want(t, http.StatusUnprocessableEntity)
		}
		tampered, err := hab.ParseAnonymousBox(box)
		if err != nil {
			t.Fatal(err)
		}
		tampered.Ciphertext[len(tampered.Ciphertext)-1] ^= 1
		for _, body := range []any{
			map[string]any{"name": "BAD", "value": "garbage"},
			map[string]any{"name": "BAD", "value": tampered.String()},
			map[string]any{"name": "BAD", "value": ""},
		} {
			post(admin, body).want(t, http.StatusUnprocessableEntity)
		}
		post(admin, map[string]any{"name": "BAD"}).want(t, http.StatusUnprocessableEntity).wantText(t, "Missing value for field 'value'")
		post(admin, map[string]any{"value": box}).want(t, http.StatusUnprocessableEntity).wantText(t, "Missing value for field 'name'")
		post(admin, map[string]any{"name": "", "value": box}).want(t, http.StatusUnprocessableEntity).wantText(t, "Missing value for field 'name'")
		post(admin, "{not json").want(t, http.StatusBadRequest, http.StatusUnprocessableEntity)
		if got := list(); len(got) != 2 {
			t.Errorf("secrets after refused posts: %+v", got)
		}

		admin.do(t, http.MethodDelete, originPath(origin, "secret", "AWS_KEY"), nil).want(t, http.StatusOK)
		admin.do(t, http.MethodDelete, originPath(origin, "secret", "AWS_KEY"), nil).want(t, http.StatusOK)
		admin.do(t, http.MethodDelete, originPath(origin, "secret", "NEVER"), nil).want(t, http.StatusOK)
		got = list()
		if len(got) != 1 || got[0].Name != "SECOND" {
			t.Errorf("secrets after delete: %+v", got)
		}
		// The name is free again.
		post(admin, map[string]any{"name": "AWS_KEY", "value": box}).want(t, http.StatusCreated)
	})

	t.Run("Integrations", func(t *testing.T) {
		t.Parallel()
		owner, maint, member, reader := e.habUser(t), e.habUser(t), e.habUser(t), e.habUser(t)
		origin := owner.createOrigin(t, "")
		owner.addMember(t, origin, maint, "maintainer")
		owner.addMember(t, origin, member, "member")
		owner.addMember(t, origin, reader, "readonly_member")
		ipath := func(rest ...string) string { return originPath(origin, append([]string{"integrations"}, rest...)...) }

		creds := map[string]any{"username": "bob", "password": "s3cr3t-pw", "url": "https://registry.example.com"}
		member.do(t, http.MethodPut, ipath("docker", "hub"), creds).want(t, http.StatusForbidden)
		habDo(t, e.anon(), http.MethodPut, ipath("docker", "hub"), creds).want(t, http.StatusUnauthorized)
		maint.do(t, http.MethodPut, ipath("docker", "hub"), creds).want(t, http.StatusCreated)
		maint.do(t, http.MethodPut, ipath("docker", "quay"), map[string]any{"username": "q", "password": "p"}).want(t, http.StatusCreated)
		r := maint.do(t, http.MethodPut, ipath("docker", "broken"), "{not json")
		if r.Status < 400 || r.Status >= 500 {
			t.Errorf("integration that is not JSON: want a 4xx, got:\n%s", r)
		}

		for _, a := range []*habActor{reader, owner} {
			r := a.do(t, http.MethodGet, ipath("docker", "hub"), nil).want(t, http.StatusOK)
			if strings.Contains(string(r.Body), "s3cr3t-pw") {
				t.Errorf("integration answer holds the password: %s", r.Body)
			}
			var v struct {
				Origin      string         `json:"origin"`
				Integration string         `json:"integration"`
				Name        string         `json:"name"`
				Body        map[string]any `json:"body"`
			}
			r.decode(t, &v)
			if v.Origin != origin || v.Integration != "docker" || v.Name != "hub" ||
				v.Body["username"] != "bob" || v.Body["url"] != "https://registry.example.com" {
				t.Errorf("integration %s", r.Body)
			}
			if _, ok := v.Body["password"]; ok {
				t.Errorf("integration body has a password key: %s", r.Body)
			}

			var names struct {
				Names []string `json:"names"`
			}
			a.do(t, http.MethodGet, ipath("docker", "names"), nil).want(t, http.StatusOK).decode(t, &names)
			wantStrings(t, "integration names", names.Names, "hub", "quay")
			var all map[string][]string
			a.do(t, http.MethodGet, ipath(), nil).want(t, http.StatusOK).decode(t, &all)
			if len(all) != 1 {
				t.Errorf("integration map %v", all)
			}
			wantStrings(t, "docker integrations", all["docker"], "hub", "quay")
		}
		e.habUser(t).do(t, http.MethodGet, ipath("docker", "hub"), nil).want(t, http.StatusForbidden)
		habDo(t, e.anon(), http.MethodGet, ipath("docker", "hub"), nil).want(t, http.StatusUnauthorized)
		reader.do(t, http.MethodGet, ipath("docker", "nosuch"), nil).want(t, http.StatusNotFound)

		member.do(t, http.MethodDelete, ipath("docker", "hub"), nil).want(t, http.StatusForbidden)
		maint.do(t, http.MethodDelete, ipath("docker", "hub"), nil).want(t, http.StatusNoContent)
		maint.do(t, http.MethodDelete, ipath("docker", "hub"), nil).want(t, http.StatusNotFound)
		reader.do(t, http.MethodGet, ipath("docker", "hub"), nil).want(t, http.StatusNotFound)
		var names struct {
			Names []string `json:"names"`
		}
		reader.do(t, http.MethodGet, ipath("docker", "names"), nil).want(t, http.StatusOK).decode(t, &names)
		wantStrings(t, "names after delete", names.Names, "quay")
	})

	t.Run("ValidateCredentials", func(t *testing.T) {
		t.Parallel()
		caller, account := e.habUser(t), e.habUser(t)
		const path = "/v1/ext/integrations/docker/credentials/validate"
		// The default registry is Wharf's own /v2/.
		caller.do(t, http.MethodPost, path, map[string]any{"username": account.name, "password": account.pass}).want(t, http.StatusOK)
		caller.do(t, http.MethodPost, path, map[string]any{"username": account.name, "password": account.tok}).want(t, http.StatusOK)
		caller.do(t, http.MethodPost, path, map[string]any{"username": account.name, "password": account.pass, "url": e.srv.URL}).want(t, http.StatusOK)
		caller.do(t, http.MethodPost, path, map[string]any{"username": account.name, "password": "wrong-" + account.pass}).want(t, http.StatusBadRequest)
		caller.do(t, http.MethodPost, path, map[string]any{"username": "nosuch" + randHex(t, 4), "password": "pw"}).want(t, http.StatusBadRequest)
		caller.do(t, http.MethodPost, path, map[string]any{"username": account.name}).want(t, http.StatusBadRequest)
		caller.do(t, http.MethodPost, path, map[string]any{"password": account.pass}).want(t, http.StatusBadRequest)
		caller.do(t, http.MethodPost, path, map[string]any{}).want(t, http.StatusBadRequest)
		habDo(t, e.anon(), http.MethodPost, path, map[string]any{"username": account.name, "password": account.pass}).want(t, http.StatusUnauthorized)
	})
}
