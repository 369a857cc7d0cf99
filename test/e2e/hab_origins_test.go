package e2e

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"testing"

	"wharf/internal/testserver"
)

// habNaive matches Builder's naive timestamps, which hab parses with
// %Y-%m-%dT%H:%M:%S%.f: no zone.
var habNaive = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+$`)

// habClient is a client of the Habitat front with a bearer token.
func (u *user) habClient(t *testing.T) *client {
	t.Helper()
	return u.e.withAuth("Bearer " + u.apiToken(t))
}

// habJSON sends a JSON body (nil for none) to the Habitat front.
func (c *client) habJSON(t *testing.T, method, path string, body any) *response {
	t.Helper()
	if body == nil {
		return c.do(t, method, path, nil)
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return c.do(t, method, path, b, "Content-Type", "application/json")
}

func TestHabitatOrigins(t *testing.T) {
	forEachBackendNoServer(t, func(t *testing.T, b backend) {
		e := newEnv(t, b.opt)
		bobo, wesker := e.newUser(t, false), e.newUser(t, false)
		bc, wc := bobo.habClient(t), wesker.habClient(t)
		origin := testserver.RandomName("o")
		base := "/v1/depot/origins/" + origin

		// Creation.
		e.anon().habJSON(t, "POST", "/v1/depot/origins", map[string]any{"name": origin}).want(t, http.StatusUnauthorized)
		e.withAuth("Bearer nonsense").habJSON(t, "GET", base, nil).want(t, http.StatusUnauthorized)
		bc.habJSON(t, "POST", "/v1/depot/origins", map[string]any{"name": "Not-Valid"}).want(t, http.StatusExpectationFailed)
		bc.habJSON(t, "POST", "/v1/depot/origins", map[string]any{"name": "a.b"}).want(t, http.StatusExpectationFailed)
		var created map[string]any
		bc.habJSON(t, "POST", "/v1/depot/origins", map[string]any{"name": origin}).want(t, http.StatusCreated).decode(t, &created)
		if created["name"] != origin || created["default_package_visibility"] != "public" {
			t.Errorf("created origin = %v", created)
		}
		if _, ok := created["owner_id"].(string); !ok {
			t.Errorf("owner_id is not a string: %v", created)
		}
		for _, k := range []string{"created_at", "updated_at"} {
			if s, _ := created[k].(string); !habNaive.MatchString(s) {
				t.Errorf("%s = %v, want a naive timestamp", k, created[k])
			}
		}
		bc.habJSON(t, "POST", "/v1/depot/origins", map[string]any{"name": origin}).want(t, http.StatusConflict)
		bc.habJSON(t, "POST", "/v1/depot/origins", map[string]any{"name": wesker.name}).want(t, http.StatusConflict)

		var info map[string]any
		e.anon().habJSON(t, "GET", base, nil).want(t, http.StatusOK).decode(t, &info)
		if info["owner_account"] != bobo.name || info["owner_id"] != created["owner_id"] || info["private_key_name"] != nil {
			t.Errorf("origin info = %v", info)
		}
		if _, ok := info["private_key_name"]; !ok {
			t.Errorf("origin info has no private_key_name: %v", info)
		}
		e.anon().habJSON(t, "GET", "/v1/depot/origins/"+testserver.RandomName("o"), nil).want(t, http.StatusNotFound)

		// Default visibility: administrators only; an omitted one resets it.
		wc.habJSON(t, "PUT", base, map[string]any{"default_package_visibility": "private"}).want(t, http.StatusForbidden)
		bc.habJSON(t, "PUT", base, map[string]any{"default_package_visibility": "private"}).want(t, http.StatusNoContent)
		e.anon().habJSON(t, "GET", base, nil).want(t, http.StatusOK).decode(t, &info)
		if info["default_package_visibility"] != "private" {
			t.Errorf("visibility after update = %v", info["default_package_visibility"])
		}
		bc.habJSON(t, "PUT", base, map[string]any{}).want(t, http.StatusNoContent)
		e.anon().habJSON(t, "GET", base, nil).want(t, http.StatusOK).decode(t, &info)
		if info["default_package_visibility"] != "public" {
			t.Errorf("visibility after an update without it = %v", info["default_package_visibility"])
		}

		// Invitations.
		wc.habJSON(t, "GET", base+"/users", nil).want(t, http.StatusForbidden)
		var inv map[string]any
		bc.habJSON(t, "POST", base+"/users/"+wesker.name+"/invitations", nil).want(t, http.StatusCreated).decode(t, &inv)
		invID, _ := inv["id"].(string)
		if invID == "" || inv["account_name"] != wesker.name || inv["origin"] != origin || inv["ignored"] != false {
			t.Errorf("invitation = %v", inv)
		}
		bc.habJSON(t, "POST", base+"/users/"+wesker.name+"/invitations", nil).want(t, http.StatusConflict)
		bc.habJSON(t, "POST", base+"/users/nobody-here/invitations", nil).want(t, http.StatusNotFound)
		var mine []map[string]any
		wc.habJSON(t, "GET", "/v1/user/invitations", nil).want(t, http.StatusOK).decode(t, &mine)
		if len(mine) != 1 || mine[0]["id"] != invID {
			t.Fatalf("user invitations = %v", mine)
		}
		for _, k := range []string{"created_at", "updated_at"} {
			if s, _ := mine[0][k].(string); !habNaive.MatchString(s) {
				t.Errorf("invitation %s = %v, want a naive timestamp", k, mine[0][k])
			}
		}
		bc.habJSON(t, "PUT", base+"/invitations/"+invID, nil).want(t, http.StatusForbidden)
		wc.habJSON(t, "PUT", base+"/invitations/x1", nil).want(t, http.StatusUnprocessableEntity)
		wc.habJSON(t, "PUT", base+"/invitations/"+invID, nil).want(t, http.StatusNoContent)

		var members struct {
			Origin  string   `json:"origin"`
			Members []string `json:"members"`
		}
		wc.habJSON(t, "GET", base+"/users", nil).want(t, http.StatusOK).decode(t, &members)
		want := []string{bobo.name, wesker.name}
		slices.Sort(want)
		if members.Origin != origin || !slices.Equal(members.Members, want) {
			t.Errorf("members = %+v, want %q", members, want)
		}

		// Roles.
		wc.habJSON(t, "GET", base+"/users/"+bobo.name+"/role", nil).want(t, http.StatusForbidden)
		bc.habJSON(t, "PUT", base+"/users/"+wesker.name+"/role?role=boss", nil).want(t, http.StatusUnprocessableEntity).
			wantText(t, "Invalid member role 'boss'")
		bc.habJSON(t, "PUT", base+"/users/"+wesker.name+"/role?role=owner", nil).want(t, http.StatusForbidden)
		bc.habJSON(t, "PUT", base+"/users/"+bobo.name+"/role?role=member", nil).want(t, http.StatusForbidden)
		bc.habJSON(t, "PUT", base+"/users/"+wesker.name+"/role?role=maintainer", nil).want(t, http.StatusNoContent)
		var role map[string]string
		wc.habJSON(t, "GET", base+"/users/"+wesker.name+"/role", nil).want(t, http.StatusOK).decode(t, &role)
		if role["role"] != "maintainer" {
			t.Errorf("role = %v", role)
		}

		// Ownership and departure.
		bc.habJSON(t, "POST", base+"/transfer/"+bobo.name, nil).want(t, http.StatusUnprocessableEntity).
			wantText(t, "Cannot transfer origin ownership to self")
		bc.habJSON(t, "POST", base+"/depart", nil).want(t, http.StatusForbidden).
			wantText(t, "Departing the owner from the origin is not allowed")
		other := testserver.RandomName("o")
		wc.habJSON(t, "POST", "/v1/depot/origins/"+other+"/depart", nil).want(t, http.StatusUnprocessableEntity).
			wantText(t, "Do not have access to the origin '"+other+"'")
		wc.habJSON(t, "DELETE", base, nil).want(t, http.StatusForbidden)
		bc.habJSON(t, "DELETE", base, nil).want(t, http.StatusConflict).
			wantText(t, "There are 2 members remaining in origin "+origin+". Only one is allowed.")

		var origins []map[string]any
		wc.habJSON(t, "GET", "/v1/user/origins", nil).want(t, http.StatusOK).decode(t, &origins)
		if len(origins) != 1 || origins[0]["name"] != origin || origins[0]["package_count"] != float64(0) {
			t.Errorf("user origins = %v", origins)
		}

		wc.habJSON(t, "POST", base+"/depart", nil).want(t, http.StatusNoContent)
		bc.habJSON(t, "DELETE", base, nil).want(t, http.StatusNoContent)
		e.anon().habJSON(t, "GET", base, nil).want(t, http.StatusNotFound)
	})
}

func TestHabitatAccessTokens(t *testing.T) {
	forEachBackendNoServer(t, func(t *testing.T, b backend) {
		e := newEnv(t, b.opt)
		bobo, wesker := e.newUser(t, false), e.newUser(t, false)
		bc := bobo.habClient(t)

		e.anon().habJSON(t, "GET", "/v1/profile", nil).want(t, http.StatusUnauthorized)
		var prof map[string]any
		bc.habJSON(t, "GET", "/v1/profile", nil).want(t, http.StatusOK).decode(t, &prof)
		if prof["name"] != bobo.name {
			t.Errorf("profile = %v", prof)
		}
		if _, ok := prof["id"].(string); !ok {
			t.Errorf("profile id is not a string: %v", prof)
		}
		bc.habJSON(t, "PATCH", "/v1/profile", map[string]any{}).want(t, http.StatusBadRequest)
		bc.habJSON(t, "PATCH", "/v1/profile", map[string]any{"email": "bobo@example.org"}).want(t, http.StatusOK)
		bc.habJSON(t, "GET", "/v1/profile", nil).want(t, http.StatusOK).decode(t, &prof)
		if prof["email"] != "bobo@example.org" {
			t.Errorf("email after PATCH = %v", prof["email"])
		}

		type token struct {
			ID        string `json:"id"`
			AccountID string `json:"account_id"`
			Token     string `json:"token"`
			Created   string `json:"created_at"`
		}
		var list struct {
			Tokens []token `json:"tokens"`
		}
		bc.habJSON(t, "GET", "/v1/profile/access-tokens", nil).want(t, http.StatusOK).decode(t, &list)
		if len(list.Tokens) != 0 {
			t.Errorf("tokens before any = %+v", list)
		}
		var first token
		bc.habJSON(t, "POST", "/v1/profile/access-tokens", nil).want(t, http.StatusOK).decode(t, &first)
		if first.ID == "" || first.Token == "" || first.AccountID != prof["id"] || !habNaive.MatchString(first.Created) {
			t.Errorf("new token = %+v", first)
		}
		pat := e.withAuth("Bearer " + first.Token)
		pat.habJSON(t, "GET", "/v1/profile/access-tokens", nil).want(t, http.StatusOK).decode(t, &list)
		if len(list.Tokens) != 1 || list.Tokens[0] != first {
			t.Errorf("tokens = %+v, want %+v", list.Tokens, first)
		}
		// It is an API token: the other fronts take it too.
		pat.do(t, "GET", "/api/v1/user/", nil).want(t, http.StatusOK)
		pat.do(t, "GET", "/v2/", nil).want(t, http.StatusOK)

		// A new one revokes the old.
		var second token
		pat.habJSON(t, "POST", "/v1/profile/access-tokens", nil).want(t, http.StatusOK).decode(t, &second)
		pat.habJSON(t, "GET", "/v1/profile", nil).want(t, http.StatusUnauthorized)
		pat2 := e.withAuth("Bearer " + second.Token)
		pat2.habJSON(t, "GET", "/v1/profile/access-tokens", nil).want(t, http.StatusOK).decode(t, &list)
		if len(list.Tokens) != 1 || list.Tokens[0].ID != second.ID {
			t.Errorf("tokens after renewal = %+v", list.Tokens)
		}

		pat2.habJSON(t, "DELETE", "/v1/profile/access-tokens/abc", nil).want(t, http.StatusUnprocessableEntity).
			wantText(t, "Error parsing access token.")
		wesker.habClient(t).habJSON(t, "DELETE", "/v1/profile/access-tokens/"+second.ID, nil).
			want(t, http.StatusUnauthorized).wantText(t, "Unauthorized access.")
		bc.habJSON(t, "DELETE", "/v1/profile/access-tokens/"+second.ID, nil).want(t, http.StatusOK)
		pat2.habJSON(t, "GET", "/v1/profile", nil).want(t, http.StatusUnauthorized)
		bc.habJSON(t, "GET", "/v1/profile/access-tokens", nil).want(t, http.StatusOK).decode(t, &list)
		if len(list.Tokens) != 0 {
			t.Errorf("tokens after deletion = %+v", list.Tokens)
		}
	})
}
