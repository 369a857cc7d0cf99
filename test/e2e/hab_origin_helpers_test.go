package e2e

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/blake2b"

	"wharf/internal/format/hab"
	"wharf/internal/testserver"
)

// This file holds the helpers of the tests of the Habitat depot's origin
// routes (/v1/depot/origins/..., /v1/user/..., /v1/profile/...): callers
// with a Wharf API token, origins, members and small signed packages.

// habActor is a user calling the Habitat API with a Wharf API token sent
// as `Authorization: Bearer <token>`, as hab does.
type habActor struct {
	*user
	tok string
	c   *client
}

// habUser creates a user and an API token of theirs.
func (e *env) habUser(t *testing.T) *habActor {
	t.Helper()
	u := e.newUser(t, false)
	tok := u.apiToken(t)
	return &habActor{user: u, tok: tok, c: e.withAuth("Bearer " + tok)}
}

// do sends a request as a; a body that is not a string, []byte or reader
// is sent as JSON.
func (a *habActor) do(t testing.TB, method, path string, body any, hdr ...string) *response {
	t.Helper()
	return habDo(t, a.c, method, path, body, hdr...)
}

// habDo sends a request with c; a body that is not a string, []byte or
// reader is sent as JSON with its content type.
func habDo(t testing.TB, c *client, method, path string, body any, hdr ...string) *response {
	t.Helper()
	switch body.(type) {
	case nil, string, []byte:
	default:
		if _, ok := body.(interface{ Read([]byte) (int, error) }); !ok {
			body = mustJSON(t, body)
			hdr = append(hdr, "Content-Type", "application/json")
		}
	}
	return c.do(t, method, path, body, hdr...)
}

// originPath is the path of an origin's route under /v1/depot/origins/.
func originPath(origin string, rest ...string) string {
	p := "/v1/depot/origins/" + url.PathEscape(origin)
	for _, r := range rest {
		p += "/" + r
	}
	return p
}

// habOrigin is Builder's origin JSON, as POST and GET give it.
type habOrigin struct {
	OwnerID                  *string `json:"owner_id"`
	Name                     string  `json:"name"`
	CreatedAt                *string `json:"created_at"`
	UpdatedAt                *string `json:"updated_at"`
	DefaultPackageVisibility string  `json:"default_package_visibility"`
	OwnerAccount             *string `json:"owner_account"`
	PrivateKeyName           *string `json:"private_key_name"`
	PackageCount             *int    `json:"package_count"`
}

// createOrigin creates an origin owned by a with the given default
// visibility ("" leaves it out) and returns its name.
func (a *habActor) createOrigin(t testing.TB, visibility string) string {
	t.Helper()
	name := testserver.RandomName("o")
	body := map[string]any{"name": name}
	if visibility != "" {
		body["default_package_visibility"] = visibility
	}
	a.do(t, http.MethodPost, "/v1/depot/origins", body).want(t, http.StatusCreated)
	return name
}

// getOrigin reads an origin as c.
func getOrigin(t testing.TB, c *client, origin string) (habOrigin, map[string]any) {
	t.Helper()
	r := c.do(t, http.MethodGet, originPath(origin), nil).want(t, http.StatusOK)
	var o habOrigin
	r.decode(t, &o)
	return o, r.jsonObject(t)
}

// habInvitation is Builder's invitation JSON.
type habInvitation struct {
	ID          string  `json:"id"`
	Origin      string  `json:"origin"`
	AccountID   string  `json:"account_id"`
	AccountName string  `json:"account_name"`
	OwnerID     string  `json:"owner_id"`
	Ignored     bool    `json:"ignored"`
	CreatedAt   *string `json:"created_at"`
	UpdatedAt   *string `json:"updated_at"`
}

// invite invites m into origin as a and returns the invitation.
func (a *habActor) invite(t testing.TB, origin string, m *habActor) habInvitation {
	t.Helper()
	var inv habInvitation
	a.do(t, http.MethodPost, originPath(origin, "users", m.name, "invitations"), nil).want(t, http.StatusCreated).decode(t, &inv)
	if inv.ID == "" {
		t.Fatalf("invitation without an id: %+v", inv)
	}
	return inv
}

// addMember makes m a member of origin with role, as its owner (or any
// administrator) a: an invitation m accepts, then the role.
func (a *habActor) addMember(t testing.TB, origin string, m *habActor, role string) {
	t.Helper()
	inv := a.invite(t, origin, m)
	m.do(t, http.MethodPut, originPath(origin, "invitations", inv.ID), nil).want(t, http.StatusNoContent)
	if role != "readonly_member" {
		a.do(t, http.MethodPut, originPath(origin, "users", m.name, "role")+"?role="+role, nil).want(t, http.StatusNoContent)
	}
}

// roleOf returns m's role in origin as a sees it.
func (a *habActor) roleOf(t testing.TB, origin, m string) string {
	t.Helper()
	var v struct {
		Role string `json:"role"`
	}
	a.do(t, http.MethodGet, originPath(origin, "users", m, "role"), nil).want(t, http.StatusOK).decode(t, &v)
	return v.Role
}

// members returns the member list of origin as a sees it.
func (a *habActor) members(t testing.TB, origin string) []string {
	t.Helper()
	var v struct {
		Origin  string   `json:"origin"`
		Members []string `json:"members"`
	}
	a.do(t, http.MethodGet, originPath(origin, "users"), nil).want(t, http.StatusOK).decode(t, &v)
	if v.Origin != origin || v.Members == nil {
		t.Errorf("member list of %s: %+v", origin, v)
	}
	return v.Members
}

// naiveStampRE is Builder's naive timestamp, which hab parses with
// %Y-%m-%dT%H:%M:%S%.f: no zone.
var naiveStampRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?$`)

// wantStamp checks a naive timestamp field that must be present.
func wantStamp(t testing.TB, what string, v *string) {
	t.Helper()
	if v == nil {
		t.Errorf("%s is null", what)
		return
	}
	if !naiveStampRE.MatchString(*v) {
		t.Errorf("%s = %q, not a naive %%Y-%%m-%%dT%%H:%%M:%%S%%.f timestamp", what, *v)
	}
}

// wantDigits checks a database id serialized as a string of digits.
func wantDigits(t testing.TB, what string, v any) {
	t.Helper()
	s, ok := v.(string)
	if !ok || s == "" || strings.Trim(s, "0123456789") != "" {
		t.Errorf("%s = %#v, want a string of digits", what, v)
	}
}

// wantStrings checks a list for exact contents in order.
func wantStrings(t testing.TB, what string, got []string, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if got == nil {
		got = []string{}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

// wantNonEmptyText checks that an error answer explains itself in plain
// text.
func (r *response) wantNonEmptyText(t testing.TB) *response {
	t.Helper()
	if strings.TrimSpace(string(r.Body)) == "" {
		t.Errorf("%s %s -> %d: empty body, want an explanation", r.method, r.target, r.Status)
	}
	return r
}

// keyAt makes a signing key pair of origin with the revision of t0.
func keyAt(t testing.TB, origin string, t0 time.Time) (pub, sec hab.Key) {
	t.Helper()
	pub, sec, err := hab.GenerateSigningPair(origin, t0, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub, sec
}

// habPkg describes a small package to build.
type habPkg struct {
	ident      hab.Ident
	target     string // "" is x86_64-linux
	tdeps      []hab.Ident
	buildTDeps []hab.Ident
}

// build makes a signed .hart of p with a file of random bytes.
func (p habPkg) build(t testing.TB, key hab.Key) []byte {
	t.Helper()
	target := p.target
	if target == "" {
		target = hab.DefaultTarget
	}
	data := randBytes(t, 256)
	m := hab.Metadata{
		Ident: p.ident, Target: target, Manifest: "# " + p.ident.Name + "\n",
		Deps: p.tdeps, TDeps: p.tdeps, BuildDeps: p.buildTDeps, BuildTDeps: p.buildTDeps,
	}
	var buf bytes.Buffer
	files := []hab.File{{Path: "bin/" + p.ident.Name, Mode: 0o755, Size: int64(len(data)), Body: bytes.NewReader(data)}}
	if err := hab.WriteArchive(&buf, m, files, key, time.Unix(1700000000, 0)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hartChecksum is the lowercase hex BLAKE2b-256 of a whole .hart.
func hartChecksum(b []byte) string {
	sum := blake2b.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// identPath is the /v1/depot/pkgs/ path of a fully qualified ident.
func identPath(id hab.Ident) string {
	return "/v1/depot/pkgs/" + url.PathEscape(id.Origin) + "/" + url.PathEscape(id.Name) + "/" +
		url.PathEscape(id.Version) + "/" + url.PathEscape(id.Release)
}

// upload uploads a built package as a, expecting 201.
func (a *habActor) upload(t testing.TB, p habPkg, hart []byte) {
	t.Helper()
	target := p.target
	if target == "" {
		target = hab.DefaultTarget
	}
	q := url.Values{"checksum": {hartChecksum(hart)}, "target": {target}}
	a.do(t, http.MethodPost, identPath(p.ident)+"?"+q.Encode(), hart).want(t, http.StatusCreated)
}

// publish builds and uploads a package signed with a fresh key of its
// origin.
func (a *habActor) publish(t testing.TB, p habPkg) {
	t.Helper()
	_, sec := keyAt(t, p.ident.Origin, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	a.upload(t, p, p.build(t, sec))
}

// ident makes a fully qualified ident.
func ident(origin, name, version, release string) hab.Ident {
	return hab.Ident{Origin: origin, Name: name, Version: version, Release: release}
}

// decodeJSON decodes v from a JSON body, failing the test.
func decodeJSON(t testing.TB, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decoding %q: %v", abbrev(b), err)
	}
}
