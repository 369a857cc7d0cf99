package e2e

import (
	"net/http"
	"slices"
	"testing"

	"wharf/internal/testserver"
)

// TestHabProfile checks the profile and personal access tokens (reference
// §2.9): the token /v1/profile/access-tokens makes is a Wharf token that
// works on every front, and making another revokes it.
func TestHabProfile(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testHabProfile(t, newEnv(t, b.opt))
		})
	}
}

// habToken is Builder's access token JSON.
type habToken struct {
	ID        string  `json:"id"`
	AccountID string  `json:"account_id"`
	Token     string  `json:"token"`
	CreatedAt *string `json:"created_at"`
}

// habProfile is Builder's profile JSON.
type habProfile struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Email     string  `json:"email"`
	CreatedAt *string `json:"created_at"`
	UpdatedAt *string `json:"updated_at"`
}

func testHabProfile(t *testing.T, e *env) {
	t.Run("Profile", func(t *testing.T) {
		t.Parallel()
		a := e.habUser(t)
		r := a.do(t, http.MethodGet, "/v1/profile", nil).want(t, http.StatusOK)
		var p habProfile
		r.decode(t, &p)
		wantDigits(t, "profile id", r.jsonObject(t)["id"])
		wantStamp(t, "profile created_at", p.CreatedAt)
		wantStamp(t, "profile updated_at", p.UpdatedAt)
		if p.Name != a.name || p.Email != a.name+"@example.com" {
			t.Errorf("profile %s", r.Body)
		}
		// The same account under its password.
		var viaBasic habProfile
		a.basic().do(t, http.MethodGet, "/v1/profile", nil).want(t, http.StatusOK).decode(t, &viaBasic)
		if viaBasic.ID != p.ID {
			t.Errorf("profile by password %+v, by token %+v", viaBasic, p)
		}
		habDo(t, e.anon(), http.MethodGet, "/v1/profile", nil).want(t, http.StatusUnauthorized)
		habDo(t, e.anon(), http.MethodPatch, "/v1/profile", map[string]any{"email": "x@example.com"}).want(t, http.StatusUnauthorized)

		newMail := testserver.RandomName("m") + "@example.org"
		a.do(t, http.MethodPatch, "/v1/profile", map[string]any{"email": newMail}).want(t, http.StatusOK)
		var after habProfile
		a.do(t, http.MethodGet, "/v1/profile", nil).want(t, http.StatusOK).decode(t, &after)
		if after.Email != newMail || after.ID != p.ID || after.Name != a.name {
			t.Errorf("profile after PATCH %+v, want e-mail %s", after, newMail)
		}
		// It is the account's address on the other fronts too.
		var qu struct {
			Username string `json:"username"`
			Email    string `json:"email"`
		}
		a.c.quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusOK).decode(t, &qu)
		if qu.Username != a.name || qu.Email != newMail {
			t.Errorf("Quay user after PATCH %+v, want e-mail %s", qu, newMail)
		}
		for _, body := range []any{map[string]any{}, map[string]any{"email": ""}} {
			a.do(t, http.MethodPatch, "/v1/profile", body).want(t, http.StatusBadRequest)
		}
		a.do(t, http.MethodGet, "/v1/profile", nil).want(t, http.StatusOK).decode(t, &after)
		if after.Email != newMail {
			t.Errorf("e-mail after refused PATCHes %q", after.Email)
		}
	})

	t.Run("AccessTokens", func(t *testing.T) {
		t.Parallel()
		a, other := e.habUser(t), e.habUser(t)
		list := func(c *client) []habToken {
			var v struct {
				Tokens []habToken `json:"tokens"`
			}
			r := c.do(t, http.MethodGet, "/v1/profile/access-tokens", nil).want(t, http.StatusOK)
			r.decode(t, &v)
			if v.Tokens == nil {
				t.Errorf("token list %s: want a tokens array", r.Body)
			}
			return v.Tokens
		}
		if got := list(a.c); len(got) != 0 {
			t.Errorf("tokens of a new account: %+v", got)
		}
		habDo(t, e.anon(), http.MethodPost, "/v1/profile/access-tokens", nil).want(t, http.StatusUnauthorized)

		var profile habProfile
		a.do(t, http.MethodGet, "/v1/profile", nil).want(t, http.StatusOK).decode(t, &profile)
		r := a.do(t, http.MethodPost, "/v1/profile/access-tokens", nil).want(t, http.StatusOK)
		var first habToken
		r.decode(t, &first)
		wantDigits(t, "token id", r.jsonObject(t)["id"])
		wantStamp(t, "token created_at", first.CreatedAt)
		if first.Token == "" || first.AccountID != profile.ID {
			t.Fatalf("new token %s, want a token of account %s", r.Body, profile.ID)
		}

		// It works everywhere a Wharf token does.
		tc := e.withAuth("Bearer " + first.Token)
		var p habProfile
		tc.do(t, http.MethodGet, "/v1/profile", nil).want(t, http.StatusOK).decode(t, &p)
		if p.Name != a.name {
			t.Errorf("profile with the access token: %+v", p)
		}
		var qu struct {
			Username string `json:"username"`
		}
		tc.quayDo(t, http.MethodGet, "user/", nil).want(t, http.StatusOK).decode(t, &qu)
		if qu.Username != a.name {
			t.Errorf("Quay user with the access token: %+v", qu)
		}
		// docker login -u <name> -p <token>: Basic on /v2/ and the token
		// flow, which grants a push into the user's namespace.
		e.withAuth(basicAuth(a.name, first.Token)).do(t, http.MethodGet, "/v2/", nil).want(t, http.StatusOK)
		repo := a.name + "/habtoken"
		jwt := e.fetchToken(t, basicAuth(a.name, first.Token), scope(repo, "pull,push"))
		if acc := tokenAccess(t, jwt); len(acc) != 1 || !slices.Contains(acc[0].Actions, "push") {
			t.Errorf("registry token for the access token: %+v, want push on %s", acc, repo)
		}
		pushBlob(t, e.withAuth("Bearer "+jwt), repo, "application/octet-stream", randBytes(t, 100))
		// The Wharf token made by the operator is another token and
		// keeps working.
		a.do(t, http.MethodGet, "/v1/profile", nil).want(t, http.StatusOK)

		got := list(a.c)
		if len(got) != 1 || got[0].ID != first.ID || got[0].AccountID != profile.ID {
			t.Errorf("token list %+v, want the one made", got)
		}

		// A new one replaces it.
		var second habToken
		tc.do(t, http.MethodPost, "/v1/profile/access-tokens", nil).want(t, http.StatusOK).decode(t, &second)
		if second.Token == "" || second.Token == first.Token || second.ID == first.ID {
			t.Fatalf("second token %+v, first %+v", second, first)
		}
		tc.do(t, http.MethodGet, "/v1/profile", nil).want(t, http.StatusUnauthorized)
		e.withAuth(basicAuth(a.name, first.Token)).do(t, http.MethodGet, "/v2/", nil).want(t, http.StatusUnauthorized)
		tc2 := e.withAuth("Bearer " + second.Token)
		tc2.do(t, http.MethodGet, "/v1/profile", nil).want(t, http.StatusOK)
		got = list(tc2)
		if len(got) != 1 || got[0].ID != second.ID {
			t.Errorf("token list after replacing %+v, want only %s", got, second.ID)
		}

		// Deleting.
		a.do(t, http.MethodDelete, "/v1/profile/access-tokens/abc", nil).want(t, http.StatusUnprocessableEntity).wantText(t, "Error parsing access token.")
		other.do(t, http.MethodDelete, "/v1/profile/access-tokens/"+second.ID, nil).want(t, http.StatusUnauthorized).wantText(t, "Unauthorized access.")
		var theirs habToken
		other.do(t, http.MethodPost, "/v1/profile/access-tokens", nil).want(t, http.StatusOK).decode(t, &theirs)
		a.do(t, http.MethodDelete, "/v1/profile/access-tokens/"+theirs.ID, nil).want(t, http.StatusUnauthorized)
		e.withAuth("Bearer "+theirs.Token).do(t, http.MethodGet, "/v1/profile", nil).want(t, http.StatusOK)
		tc2.do(t, http.MethodGet, "/v1/profile", nil).want(t, http.StatusOK)

		a.do(t, http.MethodDelete, "/v1/profile/access-tokens/"+second.ID, nil).want(t, http.StatusOK)
		tc2.do(t, http.MethodGet, "/v1/profile", nil).want(t, http.StatusUnauthorized)
		if got := list(a.c); len(got) != 0 {
			t.Errorf("token list after delete %+v", got)
		}
		habDo(t, e.anon(), http.MethodDelete, "/v1/profile/access-tokens/"+theirs.ID, nil).want(t, http.StatusUnauthorized)
	})
}
