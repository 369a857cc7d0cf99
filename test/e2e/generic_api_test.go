package e2e

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// apiUser, apiPackage and apiFile are the JSON objects of Gitea's general
// package API as a client decodes them.
type apiUser struct {
	ID       int64  `json:"id"`
	Login    string `json:"login"`
	UserName string `json:"username"`
	Email    string `json:"email"`
	Created  string `json:"created"`
}

type apiPackage struct {
	ID         int64           `json:"id"`
	Owner      *apiUser        `json:"owner"`
	Repository json.RawMessage `json:"repository"`
	Creator    *apiUser        `json:"creator"`
	Type       string          `json:"type"`
	Name       string          `json:"name"`
	Version    string          `json:"version"`
	CreatedAt  string          `json:"created_at"`
}

type apiFile struct {
	ID     int64  `json:"id"`
	Size   int64  `json:"Size"`
	Name   string `json:"name"`
	MD5    string `json:"md5"`
	SHA1   string `json:"sha1"`
	SHA256 string `json:"sha256"`
	SHA512 string `json:"sha512"`
}

// apiPath is the URL path of an owner's package listing with query q, or
// of a package version when name is not empty.
func apiPath(owner, typ, name, version string) string {
	p := "/api/v1/packages/" + url.PathEscape(owner)
	if name != "" {
		p += "/" + typ + "/" + url.PathEscape(name) + "/" + url.PathEscape(version)
	}
	return p
}

// decode decodes a JSON body into v.
func decode(t testing.TB, r *response, v any) {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s %s: Content-Type %q, want JSON", r.method, r.target, ct)
	}
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decoding %s: %v", r, err)
	}
}

// listPackages fetches a listing and returns its entries as
// "name@version" and the X-Total-Count header.
func listPackages(t testing.TB, c *client, target string) ([]apiPackage, []string, int) {
	t.Helper()
	r := c.do(t, http.MethodGet, target, nil).want(t, http.StatusOK)
	var ps []apiPackage
	decode(t, r, &ps)
	total, err := strconv.Atoi(r.Header.Get("X-Total-Count"))
	if err != nil {
		t.Fatalf("X-Total-Count: %v\n%s", err, r)
	}
	names := []string{}
	for _, p := range ps {
		names = append(names, p.Name+"@"+p.Version)
	}
	return ps, names, total
}

func wantList(t testing.TB, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func TestGenericAPI(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend.name, func(t *testing.T) {
			t.Parallel()
			testGenericAPI(t, newEnv(t, backend.opt))
		})
	}
}

func testGenericAPI(t *testing.T, e *env) {
	t.Run("GetFilesDelete", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		c := owner.basic()
		const name, version = "te-st_pac.kage", "1.0.3-te st"
		before := time.Now().Add(-time.Second)
		c.do(t, http.MethodPut, pkgPath(owner.name, name, version, "empty.bin"), []byte{}).want(t, http.StatusCreated)
		data := randBytes(t, 70_000)
		c.do(t, http.MethodPut, pkgPath(owner.name, name, version, "data.bin"), data).want(t, http.StatusCreated)

		ps, names, total := listPackages(t, c, apiPath(owner.name, "", "", ""))
		wantList(t, "listing", names, name+"@"+version)
		if total != 1 {
			t.Errorf("X-Total-Count = %d, want 1", total)
		}
		p := ps[0]
		if p.Type != "generic" || p.Owner == nil || p.Owner.Login != owner.name || p.Owner.ID == 0 ||
			p.Creator == nil || p.Creator.Login != owner.name || p.Creator.ID != p.Owner.ID {
			t.Errorf("package = %+v (owner %+v, creator %+v)", p, p.Owner, p.Creator)
		}
		if string(p.Repository) != "null" {
			t.Errorf("repository = %s, want null", p.Repository)
		}
		if ts, err := time.Parse(time.RFC3339, p.CreatedAt); err != nil || ts.Before(before) || ts.After(time.Now().Add(time.Second)) {
			t.Errorf("created_at = %q (%v), want an RFC 3339 time of the upload", p.CreatedAt, err)
		}
		if p.Creator.Email == "" {
			t.Errorf("the user's own e-mail address is hidden from them: %+v", p.Creator)
		}
		if strings.Contains(string(c.do(t, http.MethodGet, apiPath(owner.name, "", "", ""), nil).Body), "html_url") {
			t.Error("listing has an html_url")
		}

		r := c.do(t, http.MethodGet, apiPath(owner.name, "generic", name, version), nil).want(t, http.StatusOK)
		var one apiPackage
		decode(t, r, &one)
		if one.ID != p.ID || one.Name != name || one.Version != version || one.CreatedAt != p.CreatedAt ||
			one.Creator == nil || one.Creator.ID != p.Creator.ID {
			t.Errorf("get = %+v, listed %+v", one, p)
		}
		// Lookups are case-insensitive.
		c.do(t, http.MethodGet, apiPath(owner.name, "generic", strings.ToUpper(name), strings.ToUpper(version)), nil).want(t, http.StatusOK)
		c.do(t, http.MethodGet, apiPath(owner.name, "generic", name, "9.9"), nil).want(t, http.StatusNotFound)
		c.do(t, http.MethodGet, apiPath(owner.name, "npm", name, version), nil).want(t, http.StatusNotFound)
		c.do(t, http.MethodGet, apiPath(owner.name, "npm", name, version)+"/files", nil).want(t, http.StatusNotFound)

		r = c.do(t, http.MethodGet, apiPath(owner.name, "generic", name, version)+"/files", nil).want(t, http.StatusOK)
		if !strings.Contains(string(r.Body), `"Size":`) {
			t.Errorf("files lack the capitalised Size key: %s", r.Body)
		}
		var files []apiFile
		decode(t, r, &files)
		sum := func(b []byte) apiFile {
			m, s1, s2, s5 := md5.Sum(b), sha1.Sum(b), sha256.Sum256(b), sha512.Sum512(b)
			return apiFile{Size: int64(len(b)), MD5: hex.EncodeToString(m[:]), SHA1: hex.EncodeToString(s1[:]),
				SHA256: hex.EncodeToString(s2[:]), SHA512: hex.EncodeToString(s5[:])}
		}
		wantData, wantEmpty := sum(data), sum(nil)
		wantData.Name, wantEmpty.Name = "data.bin", "empty.bin"
		if len(files) != 2 {
			t.Fatalf("files = %+v, want two", files)
		}
		for i, want := range []apiFile{wantData, wantEmpty} {
			if files[i].ID == 0 {
				t.Errorf("file %s has no id", files[i].Name)
			}
			want.ID = files[i].ID
			if files[i] != want {
				t.Errorf("file %d = %+v, want %+v", i, files[i], want)
			}
		}
		if files[1].MD5 != "d41d8cd98f00b204e9800998ecf8427e" ||
			files[1].SHA256 != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
			t.Errorf("empty file hashes = %+v", files[1])
		}

		e.anon().do(t, http.MethodDelete, apiPath(owner.name, "generic", name, version), nil).want(t, http.StatusUnauthorized)
		read := e.withAuth("token " + owner.apiToken(t, "read:package"))
		read.do(t, http.MethodGet, apiPath(owner.name, "generic", name, version), nil).want(t, http.StatusOK)
		read.do(t, http.MethodDelete, apiPath(owner.name, "generic", name, version), nil).want(t, http.StatusUnauthorized)
		c.do(t, http.MethodDelete, apiPath(owner.name, "generic", name, version), nil).want(t, http.StatusNoContent)
		c.do(t, http.MethodDelete, apiPath(owner.name, "generic", name, version), nil).want(t, http.StatusNotFound)
		c.do(t, http.MethodGet, apiPath(owner.name, "generic", name, version), nil).want(t, http.StatusNotFound)
		c.do(t, http.MethodGet, pkgPath(owner.name, name, version, "data.bin"), nil).want(t, http.StatusNotFound)
		_, names, total = listPackages(t, c, apiPath(owner.name, "", "", ""))
		wantList(t, "listing after delete", names)
		if total != 0 {
			t.Errorf("X-Total-Count after delete = %d", total)
		}
	})

	t.Run("ListOrderFilterPaging", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		c := owner.basic()
		var want []string // newest first
		for _, pv := range []struct{ name, version string }{
			{"alpha", "1.0"}, {"Beta-Tool", "1.0"}, {"alpha", "2.0"}, {"gamma", "0.1"}, {"beta-tool", "2.0"},
		} {
			c.do(t, http.MethodPut, pkgPath(owner.name, pv.name, pv.version, "f.bin"), "x").want(t, http.StatusCreated)
			want = append([]string{pv.name + "@" + pv.version}, want...)
		}
		// The second beta-tool upload went into the package named
		// Beta-Tool, whose name keeps its first spelling.
		want[0] = "Beta-Tool@2.0"
		_, names, total := listPackages(t, c, apiPath(owner.name, "", "", ""))
		wantList(t, "all", names, want...)
		if total != 5 {
			t.Errorf("X-Total-Count = %d, want 5", total)
		}
		_, names, _ = listPackages(t, c, apiPath(owner.name, "", "", "")+"?type=generic&q=TOOL")
		wantList(t, "q=TOOL", names, "Beta-Tool@2.0", "Beta-Tool@1.0")
		_, names, _ = listPackages(t, c, apiPath(owner.name, "", "", "")+"?q="+url.QueryEscape(owner.name))
		wantList(t, "q=owner name", names)
		_, names, total = listPackages(t, c, apiPath(owner.name, "", "", "")+"?type=npm")
		wantList(t, "type=npm", names)
		if total != 0 {
			t.Errorf("type=npm X-Total-Count = %d", total)
		}

		var paged []string
		for page := 1; page <= 3; page++ {
			target := apiPath(owner.name, "", "", "") + "?limit=2&page=" + strconv.Itoa(page)
			r := c.do(t, http.MethodGet, target, nil).want(t, http.StatusOK)
			r.wantHeader(t, "X-Total-Count", "5")
			link := r.Header.Get("Link")
			if hasNext := strings.Contains(link, `rel="next"`); hasNext != (page < 3) {
				t.Errorf("page %d: Link %q", page, link)
			}
			if page < 3 && !strings.Contains(link, "page="+strconv.Itoa(page+1)) {
				t.Errorf("page %d: Link %q does not name the next page", page, link)
			}
			if page > 1 && !strings.Contains(link, `rel="prev"`) {
				t.Errorf("page %d: Link %q has no prev", page, link)
			}
			var ps []apiPackage
			decode(t, r, &ps)
			for _, p := range ps {
				paged = append(paged, p.Name+"@"+p.Version)
			}
		}
		wantList(t, "pages", paged, want...)
		_, names, total = listPackages(t, c, apiPath(owner.name, "", "", "")+"?limit=2&page=9")
		wantList(t, "past the end", names)
		if total != 5 {
			t.Errorf("past the end X-Total-Count = %d, want 5", total)
		}
	})

	t.Run("Access", func(t *testing.T) {
		t.Parallel()
		owner, other := e.newUser(t, false), e.newUser(t, false)
		c := owner.basic()
		c.do(t, http.MethodPut, pkgPath(owner.name, "pub", "1", "f.bin"), "x").want(t, http.StatusCreated)
		c.do(t, http.MethodPut, pkgPath(owner.name, "priv", "1", "f.bin"), "x").want(t, http.StatusCreated)
		if _, err := e.srv.Admin("", "repo", "private", "--type", "generic", owner.name+"/priv"); err != nil {
			t.Fatal(err)
		}
		list := apiPath(owner.name, "", "", "")
		_, names, total := listPackages(t, c, list)
		wantList(t, "owner's listing", names, "priv@1", "pub@1")
		if total != 2 {
			t.Errorf("owner's X-Total-Count = %d", total)
		}
		for what, cl := range map[string]*client{"anonymous": e.anon(), "other user": other.basic()} {
			ps, names, total := listPackages(t, cl, list)
			wantList(t, what+" listing", names, "pub@1")
			if total != 1 {
				t.Errorf("%s X-Total-Count = %d, want 1", what, total)
			}
			if ps[0].Creator == nil || ps[0].Creator.Email != "" || ps[0].Owner.Email != "" {
				t.Errorf("%s sees e-mail addresses: owner %+v creator %+v", what, ps[0].Owner, ps[0].Creator)
			}
			cl.do(t, http.MethodGet, apiPath(owner.name, "generic", "pub", "1"), nil).want(t, http.StatusOK)
			cl.do(t, http.MethodGet, apiPath(owner.name, "generic", "pub", "1")+"/files", nil).want(t, http.StatusOK)
			// A private package is, to them, one that does not exist.
			for _, target := range []string{apiPath(owner.name, "generic", "priv", "1"), apiPath(owner.name, "generic", "priv", "1") + "/files"} {
				r := cl.do(t, http.MethodGet, target, nil).want(t, http.StatusNotFound)
				r.wantHeader(t, "WWW-Authenticate", "")
				var msg struct{ Message string }
				if decode(t, r, &msg); msg.Message != "package does not exist" {
					t.Errorf("%s: message %q", what, msg.Message)
				}
			}
			cl.do(t, http.MethodDelete, apiPath(owner.name, "generic", "pub", "1"), nil).want(t, http.StatusUnauthorized)
		}
		root := e.newUser(t, true)
		_, names, _ = listPackages(t, root.basic(), list)
		wantList(t, "superuser listing", names, "priv@1", "pub@1")
		// A token scoped to one package cannot list the owner.
		one := e.withAuth("token " + owner.apiToken(t, "repository:"+owner.name+"/pub:pull"))
		one.do(t, http.MethodGet, list, nil).want(t, http.StatusForbidden)
		read := e.withAuth("token " + owner.apiToken(t, "read:package"))
		_, names, _ = listPackages(t, read, list)
		wantList(t, "read token listing", names, "priv@1", "pub@1")

		e.withAuth(basicAuth(owner.name, "wrong")).do(t, http.MethodGet, list, nil).want(t, http.StatusUnauthorized)
		c.do(t, http.MethodGet, apiPath("nosuchowner"+owner.name, "", "", ""), nil).want(t, http.StatusNotFound)
		c.do(t, http.MethodGet, apiPath("nosuchowner"+owner.name, "generic", "pub", "1"), nil).want(t, http.StatusNotFound)
		c.do(t, http.MethodPost, list, nil).want(t, http.StatusMethodNotAllowed)
		root.basic().do(t, http.MethodDelete, apiPath(owner.name, "generic", "priv", "1"), nil).want(t, http.StatusNoContent)
	})

	t.Run("SuperuserCreator", func(t *testing.T) {
		t.Parallel()
		// The creator is who uploaded, not the owner.
		owner, root := e.newUser(t, false), e.newUser(t, true)
		root.basic().do(t, http.MethodPut, pkgPath(owner.name, "byroot", "1", "f.bin"), "x").want(t, http.StatusCreated)
		ps, _, _ := listPackages(t, owner.basic(), apiPath(owner.name, "", "", ""))
		if len(ps) != 1 || ps[0].Creator == nil || ps[0].Creator.Login != root.name || ps[0].Owner.Login != owner.name {
			t.Errorf("listing = %+v", ps)
		}
	})
}
