package e2e

import (
	"bytes"
	"net/http"
	"testing"
)

// TestGenericOrganisation publishes generic packages under an
// organisation: members of its creator and admin teams upload, members of
// other teams and outsiders may not, and everyone reads what is public.
func TestGenericOrganisation(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, backend.opt)
			admin, creator, reader, outsider := e.newUser(t, false), e.newUser(t, false), e.newUser(t, false), e.newUser(t, false)
			org := admin.createOrg(t)
			ac := admin.basic()
			ac.putTeam(t, org, "builders", "creator")
			ac.join(t, org, "builders", creator)
			ac.putTeam(t, org, "readers", "member")
			ac.join(t, org, "readers", reader)

			data := randBytes(t, 2000)
			creator.basic().do(t, http.MethodPut, pkgPath(org, "tool", "1.0", "tool.tar"), data).want(t, http.StatusCreated)
			// The creator administers what they created; the admin team
			// administers everything in the organisation.
			ac.do(t, http.MethodPut, pkgPath(org, "tool", "1.0", "extra.txt"), []byte("x")).want(t, http.StatusCreated)
			reader.basic().do(t, http.MethodPut, pkgPath(org, "tool", "1.0", "mine.txt"), []byte("x")).want(t, http.StatusUnauthorized)

			// Packages of a public organisation are public, as a user's are.
			for who, c := range map[string]*client{"reader": reader.basic(), "outsider": outsider.basic(), "anonymous": e.anon()} {
				if r := c.do(t, http.MethodGet, pkgPath(org, "tool", "1.0", "tool.tar"), nil).want(t, http.StatusOK); !bytes.Equal(r.Body, data) {
					t.Errorf("%s downloaded other bytes", who)
				}
			}
			outsider.basic().do(t, http.MethodPut, pkgPath(org, "other", "1.0", "f"), []byte("x")).want(t, http.StatusUnauthorized)
			creator.basic().do(t, http.MethodGet, pkgPath(org, "tool", "1.0", "tool.tar"), nil).want(t, http.StatusOK)
			ac.do(t, http.MethodGet, pkgPath(org, "tool", "1.0", "tool.tar"), nil).want(t, http.StatusOK)
		})
	}
}
