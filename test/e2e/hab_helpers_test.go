package e2e

import (
	"archive/tar"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ulikunitz/xz"
	"golang.org/x/crypto/blake2b"

	"wharf/internal/format/hab"
	"wharf/internal/testserver"
)

// This file holds the helpers of the Habitat depot tests: users with
// bearer tokens, origins with their signing keys and members, real .hart
// files, and the JSON shapes of Builder's answers.

// eachHabBackend runs fn as one parallel subtest per backend, each with
// its own server shared by fn's subtests.
func eachHabBackend(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			fn(t, newEnv(t, b.opt))
		})
	}
}

// depotUser is an account calling the depot with an API token, as hab
// does with its personal access token.
type depotUser struct {
	*user
	api *client
}

// newDepotUser creates a user and an API token for it.
func newDepotUser(t *testing.T, e *env) *depotUser {
	t.Helper()
	u := e.newUser(t, false)
	return &depotUser{user: u, api: e.withAuth("Bearer " + u.apiToken(t))}
}

// jsonBody marshals v for a request body.
func jsonBody(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sendJSON sends v as a JSON body.
func (c *client) sendJSON(t testing.TB, method, target string, v any) *response {
	t.Helper()
	return c.do(t, method, target, jsonBody(t, v), "Content-Type", "application/json")
}

// originKeys is an origin name with a signing key pair.
type originKeys struct {
	name     string
	pub, sec hab.Key
}

// newOriginKeys makes a signing key pair for an origin named name, a
// random one when name is empty.
func newOriginKeys(t testing.TB, name string) originKeys {
	t.Helper()
	if name == "" {
		name = testserver.RandomName("o")
	}
	pub, sec, err := hab.GenerateSigningPair(name, time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return originKeys{name: name, pub: pub, sec: sec}
}

// depotOrigin is an origin on a server with its owner and signing keys.
type depotOrigin struct {
	originKeys
	e     *env
	owner *depotUser
}

// newOrigin creates an origin owned by owner (default visibility public)
// and uploads its public signing key, as `hab origin create` and
// `hab origin key upload` do.
func newOrigin(t *testing.T, e *env, owner *depotUser) *depotOrigin {
	t.Helper()
	return createOrigin(t, e, owner, newOriginKeys(t, ""), "")
}

// createOrigin creates the origin of keys, with a default package
// visibility when vis is not empty, and uploads its public key.
func createOrigin(t *testing.T, e *env, owner *depotUser, keys originKeys, vis string) *depotOrigin {
	t.Helper()
	body := map[string]string{"name": keys.name}
	if vis != "" {
		body["default_package_visibility"] = vis
	}
	owner.api.sendJSON(t, http.MethodPost, "/v1/depot/origins", body).want(t, http.StatusCreated)
	o := &depotOrigin{originKeys: keys, e: e, owner: owner}
	owner.api.do(t, http.MethodPost, o.keyPath(), keys.pub.String()).want(t, http.StatusCreated)
	return o
}

// keyPath is the path of the origin's public signing key.
func (o *depotOrigin) keyPath() string {
	return "/v1/depot/origins/" + o.name + "/keys/" + o.pub.Revision
}

// addMember makes u a member of the origin with a role, as Builder's
// users do: the owner invites, u accepts (and becomes a read-only
// member), the owner sets the role.
func (o *depotOrigin) addMember(t *testing.T, u *depotUser, role string) {
	t.Helper()
	r := o.owner.api.do(t, http.MethodPost, "/v1/depot/origins/"+o.name+"/users/"+u.name+"/invitations", nil).
		want(t, http.StatusCreated)
	var inv struct {
		ID string `json:"id"`
	}
	r.decode(t, &inv)
	if inv.ID == "" {
		t.Fatalf("invitation has no string id:\n%s", r)
	}
	u.api.do(t, http.MethodPut, "/v1/depot/origins/"+o.name+"/invitations/"+inv.ID, nil).want(t, http.StatusNoContent)
	if role != "readonly_member" {
		o.owner.api.do(t, http.MethodPut, "/v1/depot/origins/"+o.name+"/users/"+u.name+"/role?role="+role, nil).
			want(t, http.StatusNoContent)
	}
}

// member creates a user with a role in the origin.
func (o *depotOrigin) member(t *testing.T, role string) *depotUser {
	t.Helper()
	u := newDepotUser(t, o.e)
	o.addMember(t, u, role)
	return u
}

// hart is a built .hart file.
type hart struct {
	id       hab.Ident
	target   string
	data     []byte
	checksum string // BLAKE2b-256 of data, lowercase hex
}

// checksumOf is the checksum Builder computes: BLAKE2b-256 of the whole
// file.
func checksumOf(b []byte) string {
	sum := blake2b.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// hartMtime dates the files of built packages.
var hartMtime = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// release returns the i-th release stamp, 14 digits.
func release(i int) string { return fmt.Sprintf("%014d", 20240101000000+int64(i)) }

// pkgMeta is the metadata of a small x86_64-linux package.
func pkgMeta(t testing.TB, ident string) hab.Metadata {
	t.Helper()
	id, err := hab.ParseFullIdent(ident)
	if err != nil {
		t.Fatal(err)
	}
	return hab.Metadata{Ident: id, Target: "x86_64-linux", Manifest: "# " + id.Name + "\n\n" + id.String()}
}

// buildHart writes a signed .hart of m with one small file, dated
// hartMtime.
func buildHart(t testing.TB, sec hab.Key, m hab.Metadata) hart {
	t.Helper()
	return buildHartAt(t, sec, m, hartMtime)
}

// buildHartAt is buildHart with the files dated mtime: another mtime
// gives other bytes for the same package.
func buildHartAt(t testing.TB, sec hab.Key, m hab.Metadata, mtime time.Time) hart {
	t.Helper()
	content := "#!/bin/sh\necho " + m.Ident.String() + "\n"
	files := []hab.File{{Path: "bin/run", Mode: 0o755, Size: int64(len(content)), Body: strings.NewReader(content)}}
	var buf bytes.Buffer
	if err := hab.WriteArchive(&buf, m, files, sec, mtime); err != nil {
		t.Fatal(err)
	}
	return hart{id: m.Ident, target: m.Target, data: buf.Bytes(), checksum: checksumOf(buf.Bytes())}
}

// hartOf builds a small x86_64-linux package of ident signed by the
// origin's key.
func (k originKeys) hartOf(t testing.TB, ident string) hart {
	t.Helper()
	return buildHart(t, k.sec, pkgMeta(t, ident))
}

// rawHart writes a .hart signed by sec whose package directory dir
// (origin/name/version/release) holds exactly files (name, content),
// without the checks WriteArchive makes, for malformed packages.
func rawHart(t testing.TB, sec hab.Key, dir string, files [][2]string) []byte {
	t.Helper()
	var payload bytes.Buffer
	xw, err := xz.WriterConfig{DictCap: 64 << 10}.NewWriter(&payload)
	if err != nil {
		t.Fatal(err)
	}
	tw := tar.NewWriter(xw)
	for _, f := range files {
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: "hab/pkgs/" + dir + "/" + f[0], Mode: 0o644,
			Size: int64(len(f[1])), ModTime: hartMtime}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := xw.Close(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := hab.WriteHeader(&out, sec, checksumOf(payload.Bytes())); err != nil {
		t.Fatal(err)
	}
	out.Write(payload.Bytes())
	return out.Bytes()
}

// buildHarts builds many small packages quickly: their payloads are
// written with a small xz dictionary, signed with WriteHeader.
func buildHarts(t testing.TB, sec hab.Key, metas []hab.Metadata) []hart {
	t.Helper()
	out := make([]hart, len(metas))
	for i, m := range metas {
		id := m.Ident.String()
		data := rawHart(t, sec, id, [][2]string{
			{"IDENT", id}, {"TARGET", m.Target}, {"MANIFEST", m.Manifest}, {"PACKAGE_TYPE", "standard"}, {"EXPOSES", ""}})
		out[i] = hart{id: m.Ident, target: m.Target, data: data, checksum: checksumOf(data)}
	}
	return out
}

// esc escapes each part of a path on its own.
func esc(parts ...string) string {
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = url.PathEscape(p)
	}
	return strings.Join(out, "/")
}

// pkgURL is /v1/depot/pkgs/<origin>/<name>/<version>/<release>.
func pkgURL(id hab.Ident) string {
	return "/v1/depot/pkgs/" + esc(id.Origin, id.Name, id.Version, id.Release)
}

// chanURL is /v1/depot/channels/<origin>/<channel>/pkgs/<name>/<version>/<release>.
func chanURL(id hab.Ident, channel string) string {
	return "/v1/depot/channels/" + esc(id.Origin, channel) + "/pkgs/" + esc(id.Name, id.Version, id.Release)
}

// uploadURL is the upload request hab pkg upload sends for h.
func uploadURL(h hart, forced bool) string {
	return pkgURL(h.id) + "?checksum=" + h.checksum + "&target=" + h.target + fmt.Sprintf("&forced=%t", forced)
}

// upload sends h as hab pkg upload does.
func (c *client) upload(t testing.TB, h hart) *response {
	t.Helper()
	return c.do(t, http.MethodPost, uploadURL(h, false), h.data)
}

// mustUpload uploads h and expects 201.
func (c *client) mustUpload(t testing.TB, h hart) {
	t.Helper()
	c.upload(t, h).want(t, http.StatusCreated)
}

// uploadAll uploads harts with a few requests at a time, once the first
// release of each package name is in.
func (c *client) uploadAll(t testing.TB, harts []hart) {
	t.Helper()
	first := map[string]bool{}
	var rest []hart
	for _, h := range harts {
		if !first[h.id.Name] {
			first[h.id.Name] = true
			c.mustUpload(t, h)
		} else {
			rest = append(rest, h)
		}
	}
	c.uploadConcurrently(t, rest)
}

// uploadConcurrently uploads harts with a few requests at a time.
func (c *client) uploadConcurrently(t testing.TB, harts []hart) {
	t.Helper()
	c.uploadParallel(t, harts, 4)
}

// uploadParallel uploads harts with n requests at a time.
func (c *client) uploadParallel(t testing.TB, harts []hart, n int) {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failed []string
	sem := make(chan struct{}, n)
	for _, h := range harts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			r, err := c.send(t, http.MethodPost, uploadURL(h, false), h.data)
			if err == nil && r.Status == http.StatusCreated {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed = append(failed, err.Error())
			} else {
				failed = append(failed, r.String())
			}
		}()
	}
	wg.Wait()
	if len(failed) > 0 {
		t.Fatalf("%d uploads failed, the first:\n%s", len(failed), failed[0])
	}
}

// promote puts a release in a channel, creating the channel first as hab
// pkg promote does (409 when it exists).
func (c *client) promote(t testing.TB, h hart, channel string) {
	t.Helper()
	c.do(t, http.MethodPost, "/v1/depot/channels/"+esc(h.id.Origin, channel), nil).want(t, http.StatusCreated, http.StatusConflict)
	c.do(t, http.MethodPut, chanURL(h.id, channel)+"/promote?target="+h.target, nil).want(t, http.StatusOK)
}

// identJSON is Builder's package ident; version and release are null in
// distinct lists.
type identJSON struct {
	Origin  string  `json:"origin"`
	Name    string  `json:"name"`
	Version *string `json:"version"`
	Release *string `json:"release"`
}

func (i identJSON) String() string {
	s := i.Origin + "/" + i.Name
	if i.Version != nil {
		s += "/" + *i.Version
	}
	if i.Release != nil {
		s += "/" + *i.Release
	}
	return s
}

// listItem is an item of /depot/pkgs lists: an ident with its channels
// and targets.
type listItem struct {
	identJSON
	Channels  []string `json:"channels"`
	Platforms []string `json:"platforms"`
}

// pkgJSON is Builder's package object.
type pkgJSON struct {
	ID          string      `json:"id"`
	OwnerID     string      `json:"owner_id"`
	Name        string      `json:"name"`
	Origin      string      `json:"origin"`
	Ident       identJSON   `json:"ident"`
	IdentArray  []string    `json:"ident_array"`
	Checksum    string      `json:"checksum"`
	Manifest    string      `json:"manifest"`
	Config      string      `json:"config"`
	Target      string      `json:"target"`
	Deps        []identJSON `json:"deps"`
	TDeps       []identJSON `json:"tdeps"`
	BuildDeps   []identJSON `json:"build_deps"`
	BuildTDeps  []identJSON `json:"build_tdeps"`
	Exposes     []uint32    `json:"exposes"`
	Visibility  string      `json:"visibility"`
	CreatedAt   string      `json:"created_at"`
	UpdatedAt   string      `json:"updated_at"`
	PackageType string      `json:"package_type"`
	Channels    []string    `json:"channels"`
	IsAService  bool        `json:"is_a_service"`
	Size        *int64      `json:"size"`
}

// naiveTime is Builder's timestamp: UTC without a zone.
var naiveTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$`)

// decodePkg decodes a package object, checking that the keys hab needs
// are present and not null and that ids are strings.
func (r *response) decodePkg(t testing.TB) pkgJSON {
	t.Helper()
	var raw map[string]json.RawMessage
	r.decode(t, &raw)
	for _, k := range []string{"ident", "checksum", "manifest", "deps", "tdeps", "exposes", "config"} {
		if v, ok := raw[k]; !ok || string(v) == "null" {
			t.Errorf("%s %s: package JSON lacks %q (hab requires it):\n%s", r.method, r.target, k, r)
		}
	}
	for _, k := range []string{"id", "owner_id"} {
		if v := raw[k]; len(v) == 0 || v[0] != '"' {
			t.Errorf("%s %s: %s is %s, want a string", r.method, r.target, k, v)
		}
	}
	var p pkgJSON
	r.decode(t, &p)
	for _, ts := range []string{p.CreatedAt, p.UpdatedAt} {
		if !naiveTime.MatchString(ts) {
			t.Errorf("%s %s: timestamp %q is not naive UTC", r.method, r.target, ts)
		}
	}
	return p
}

// identOf renders a JSON ident as a hab.Ident.
func (i identJSON) ident() hab.Ident {
	id := hab.Ident{Origin: i.Origin, Name: i.Name}
	if i.Version != nil {
		id.Version = *i.Version
	}
	if i.Release != nil {
		id.Release = *i.Release
	}
	return id
}

// wantIdent checks that a package JSON names h's ident, in both forms.
func (p pkgJSON) wantIdent(t testing.TB, id hab.Ident) {
	t.Helper()
	if p.Ident.ident() != id || p.Ident.Version == nil || p.Ident.Release == nil {
		t.Errorf("package ident %s, want %s", p.Ident, id)
	}
	if want := []string{id.Origin, id.Name, id.Version, id.Release}; !slices.Equal(p.IdentArray, want) {
		t.Errorf("ident_array %q, want %q", p.IdentArray, want)
	}
	if p.Origin != id.Origin || p.Name != id.Name {
		t.Errorf("origin/name %s/%s, want %s/%s", p.Origin, p.Name, id.Origin, id.Name)
	}
}

// page is Builder's paginated envelope.
type page struct {
	RangeStart int             `json:"range_start"`
	RangeEnd   int             `json:"range_end"`
	TotalCount int             `json:"total_count"`
	Data       json.RawMessage `json:"data"`
}

// decodePage decodes an envelope whose data items go into items (a
// pointer to a slice); data must be an array.
func (r *response) decodePage(t testing.TB, items any) page {
	t.Helper()
	var p page
	r.decode(t, &p)
	if len(p.Data) == 0 || p.Data[0] != '[' {
		t.Fatalf("%s %s: envelope data is %s, want an array", r.method, r.target, p.Data)
	}
	if items != nil {
		if err := json.Unmarshal(p.Data, items); err != nil {
			t.Fatalf("%s %s: envelope data: %v", r.method, r.target, err)
		}
	}
	return p
}

// wantPage checks an envelope's status, range and total; it returns the
// items as ident strings.
func (r *response) wantPage(t testing.TB, start, end, total, n int) []string {
	t.Helper()
	want := http.StatusOK
	if total > end+1 {
		want = http.StatusPartialContent
	}
	r.want(t, want)
	var items []identJSON
	p := r.decodePage(t, &items)
	if p.RangeStart != start || p.RangeEnd != end || p.TotalCount != total || len(items) != n {
		t.Errorf("%s %s: envelope %d..%d of %d with %d items, want %d..%d of %d with %d",
			r.method, r.target, p.RangeStart, p.RangeEnd, p.TotalCount, len(items), start, end, total, n)
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.String()
	}
	return out
}

// listIdents returns every ident string of a list, following its pages
// with range = items received so far, as hab pkg search does.
func (c *client) listIdents(t testing.TB, path string) []string {
	t.Helper()
	var all []string
	for round := 0; ; round++ {
		if round > 100 {
			t.Fatalf("%s: the paging loop does not end", path)
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		r := c.do(t, http.MethodGet, fmt.Sprintf("%s%srange=%d", path, sep, len(all)), nil).want(t, http.StatusOK, http.StatusPartialContent)
		var items []identJSON
		p := r.decodePage(t, &items)
		for _, it := range items {
			all = append(all, it.String())
		}
		if len(items) == 0 || p.TotalCount <= len(all) {
			if r.Status != http.StatusOK {
				t.Errorf("%s: last page answered %d, want 200", r.target, r.Status)
			}
			if p.TotalCount != len(all) {
				t.Errorf("%s: the loop got %d items, total_count says %d", path, len(all), p.TotalCount)
			}
			return all
		}
	}
}

// wantSeq compares two string lists.
func wantSeq(t testing.TB, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

// idents renders harts' idents as strings.
func idents(hs ...hart) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.id.String()
	}
	return out
}

// wantStatusText checks a status and that the plain-text body starts
// with prefix.
func (r *response) wantStatusText(t testing.TB, status int, prefix string) *response {
	t.Helper()
	r.want(t, status)
	if !strings.HasPrefix(string(r.Body), prefix) {
		t.Errorf("%s %s: body %q, want it to start with %q", r.method, r.target, abbrev(r.Body), prefix)
	}
	return r
}
