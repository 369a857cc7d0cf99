package e2e

import (
	"crypto/rand"
	"net/http"
	"testing"

	"wharf/internal/format/hab"
	"wharf/internal/testserver"
)

// TestHabitatKeys walks an origin's keys, secrets and credential checks
// through the running server.
func TestHabitatKeys(t *testing.T) {
	forEachBackendNoServer(t, func(t *testing.T, b backend) {
		e := newEnv(t, b.opt)
		owner, other := e.newUser(t, false), e.newUser(t, false)
		oc := owner.habClient(t)
		origin := testserver.RandomName("o")
		base := "/v1/depot/origins/" + origin
		oc.habJSON(t, "POST", "/v1/depot/origins", map[string]any{"name": origin}).want(t, http.StatusCreated)

		// A generated signing pair: the public key for anyone, the
		// secret one for members.
		oc.do(t, "POST", base+"/keys", nil).want(t, http.StatusCreated)
		var keys []map[string]string
		e.anon().do(t, "GET", base+"/keys", nil).want(t, http.StatusOK).decode(t, &keys)
		if len(keys) != 1 {
			t.Fatalf("keys = %v", keys)
		}
		rev := keys[0]["revision"]
		pub := e.anon().do(t, "GET", base+"/keys/"+rev, nil).want(t, http.StatusOK).
			wantHeader(t, "X-Filename", origin+"-"+rev+".pub")
		pk, err := hab.ParseKey(string(pub.Body), hab.SigPublic)
		if err != nil {
			t.Fatalf("public key: %v", err)
		}
		other.habClient(t).do(t, "GET", base+"/secret_keys/latest", nil).want(t, http.StatusForbidden)
		sec := oc.do(t, "GET", base+"/secret_keys/latest", nil).want(t, http.StatusOK).
			wantHeader(t, "X-Filename", origin+"-"+rev+".sig.key")
		sk, err := hab.ParseKey(string(sec.Body), hab.SigSecret)
		if err != nil || sk.Public().String() != pk.String() {
			t.Fatalf("secret key %q does not match the public key: %v", sec.Body, err)
		}
		// hab pkg upload sends the key first: a known revision is a 409.
		oc.do(t, "POST", base+"/keys/"+rev, pub.Body).want(t, http.StatusConflict)

		// A secret sealed to the served encryption key.
		enc := oc.do(t, "GET", base+"/encryption_key", nil).want(t, http.StatusOK)
		ek, err := hab.ParseKey(string(enc.Body), hab.BoxPublic)
		if err != nil {
			t.Fatalf("encryption key: %v", err)
		}
		box, err := hab.SealAnonymous([]byte("s3cret"), ek, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		oc.habJSON(t, "POST", base+"/secret", map[string]string{"name": "TOKEN", "value": box.String()}).want(t, http.StatusCreated)
		var secrets []map[string]string
		oc.do(t, "GET", base+"/secret", nil).want(t, http.StatusOK).decode(t, &secrets)
		if len(secrets) != 1 || secrets[0]["name"] != "TOKEN" || secrets[0]["value"] != box.String() {
			t.Errorf("secrets = %v", secrets)
		}

		// Docker credentials are checked against this server's own
		// registry by default.
		v := "/v1/ext/integrations/docker/credentials/validate"
		oc.habJSON(t, "POST", v, map[string]string{"username": other.name, "password": other.pass}).want(t, http.StatusOK)
		oc.habJSON(t, "POST", v, map[string]string{"username": other.name, "password": "wrong"}).want(t, http.StatusBadRequest)
	})
}
