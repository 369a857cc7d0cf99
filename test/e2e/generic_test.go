package e2e

import (
	"bytes"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// pkgPath is the URL path of a generic package version, or of one of its
// files when file is not empty. Each part is escaped on its own.
func pkgPath(owner, name, version, file string) string {
	p := "/api/packages/" + url.PathEscape(owner) + "/generic/" + url.PathEscape(name) + "/" + url.PathEscape(version)
	if file != "" {
		p += "/" + url.PathEscape(file)
	}
	return p
}

// blobCopies counts the files in the server's data directory that hold
// the content of sha256 digest d.
func blobCopies(t testing.TB, e *env, d string) int {
	t.Helper()
	name := strings.TrimPrefix(d, "sha256:")
	n := 0
	err := filepath.WalkDir(e.srv.DataDir, func(path string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if de.Type().IsRegular() && de.Name() == name {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// wantDownload checks a generic download: status, exact bytes and the
// headers Gitea sends.
func wantDownload(t testing.TB, c *client, path, fileName string, data []byte) {
	t.Helper()
	r := c.do(t, http.MethodGet, path, nil).want(t, http.StatusOK)
	r.wantBody(t, data)
	r.wantHeader(t, "Content-Type", "application/octet-stream")
	r.wantHeader(t, "X-Content-Type-Options", "nosniff")
	r.wantHeader(t, "Content-Disposition", `attachment; filename="`+fileName+`"; filename*=UTF-8''`+url.PathEscape(fileName))
	r.wantHeader(t, "Content-Length", strconv.Itoa(len(data)))
	r.wantHeader(t, "Access-Control-Expose-Headers", "Content-Disposition")
}

func TestGeneric(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend.name, func(t *testing.T) {
			t.Parallel()
			testGeneric(t, newEnv(t, backend.opt))
		})
	}
}

func testGeneric(t *testing.T, e *env) {
	t.Run("UploadDownload", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		c := owner.basic()
		const name, version = "te-st_pac.kage", "1.0.3-te st"
		data := randBytes(t, 3000)
		r := c.do(t, http.MethodPut, pkgPath(owner.name, name, version, "fi-le_na.me"), data).want(t, http.StatusCreated)
		if len(r.Body) != 0 {
			t.Errorf("upload answered a body: %q", r.Body)
		}
		c.do(t, http.MethodPut, pkgPath(owner.name, name, version, "fi-le_na.me"), data).want(t, http.StatusConflict)
		c.do(t, http.MethodPut, pkgPath(owner.name, name, version, "fi-le_na.me"), randBytes(t, 10)).want(t, http.StatusConflict)
		c.do(t, http.MethodPut, pkgPath(owner.name, name, version, "dummy.bin"), data).want(t, http.StatusCreated)
		if n := blobCopies(t, e, sha256Digest(data)); n != 1 {
			t.Errorf("two files with the same bytes are stored %d times, want once", n)
		}

		// Anonymous callers read a user's packages: user namespaces are public.
		wantDownload(t, e.anon(), pkgPath(owner.name, name, version, "fi-le_na.me"), "fi-le_na.me", data)
		wantDownload(t, c, pkgPath(owner.name, name, version, "dummy.bin"), "dummy.bin", data)

		h := e.anon().do(t, http.MethodHead, pkgPath(owner.name, name, version, "fi-le_na.me"), nil).want(t, http.StatusOK)
		h.wantBody(t, nil)
		h.wantHeader(t, "Content-Length", "3000")
		h.wantHeader(t, "Content-Type", "application/octet-stream")
		h.wantHeader(t, "Content-Disposition", `attachment; filename="fi-le_na.me"; filename*=UTF-8''fi-le_na.me`)
	})

	t.Run("DispositionEscaping", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		data := randBytes(t, 20)
		const file = "my file (1).tar.gz"
		owner.basic().do(t, http.MethodPut, pkgPath(owner.name, "disp", "1", file), data).want(t, http.StatusCreated)
		r := e.anon().do(t, http.MethodGet, pkgPath(owner.name, "disp", "1", file), nil).want(t, http.StatusOK)
		r.wantBody(t, data)
		r.wantHeader(t, "Content-Disposition", `attachment; filename="my file (1).tar.gz"; filename*=UTF-8''my%20file%20%281%29.tar.gz`)
	})

	t.Run("Range", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		data := randBytes(t, 100)
		p := pkgPath(owner.name, "ranged", "1.0", "r.bin")
		owner.basic().do(t, http.MethodPut, p, data).want(t, http.StatusCreated)
		r := e.anon().do(t, http.MethodGet, p, nil, "Range", "bytes=10-19").want(t, http.StatusPartialContent)
		r.wantBody(t, data[10:20])
		r.wantHeader(t, "Content-Range", "bytes 10-19/100")
		r = e.anon().do(t, http.MethodGet, p, nil, "Range", "bytes=-7").want(t, http.StatusPartialContent)
		r.wantBody(t, data[93:])
		r = e.anon().do(t, http.MethodGet, p, nil, "Range", "bytes=200-300").want(t, http.StatusRequestedRangeNotSatisfiable)
		r.wantHeader(t, "Content-Range", "bytes */100")
	})

	t.Run("EmptyFile", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		p := pkgPath(owner.name, "empty", "0.0.1", "empty.txt")
		owner.basic().do(t, http.MethodPut, p, []byte{}).want(t, http.StatusCreated)
		wantDownload(t, e.anon(), p, "empty.txt", []byte{})
	})

	t.Run("MultipartForm", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		data := randBytes(t, 500)
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("comment", "not the file")
		fw, _ := mw.CreateFormFile("file", "upload.bin")
		fw.Write(data)
		mw.Close()
		p := pkgPath(owner.name, "form", "1.0", "form.bin")
		owner.basic().do(t, http.MethodPut, p, buf.Bytes(), "Content-Type", mw.FormDataContentType()).want(t, http.StatusCreated)
		wantDownload(t, e.anon(), p, "form.bin", data)
	})

	t.Run("Validation", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		c := owner.basic()
		for _, tc := range []struct {
			name, version, file, want string
		}{
			{"-", "1.0", "f.bin", "invalid package name"},
			{"a b", "1.0", "f.bin", "invalid package name"},
			{"a?b", "1.0", "f.bin", "invalid package name"},
			{"a|b", "1.0", "f.bin", "invalid package name"},
			{"a~b", "1.0", "f.bin", "invalid package name"},
			{"pkg", "1.0", "inva|id.name", "invalid filename"},
			{"pkg", "1.0", " a", "invalid filename"},
			{"pkg", "1.0", "a ", "invalid filename"},
			{"pkg", "1.0", "a?b", "invalid filename"},
			{"pkg", " test ", "f.bin", "invalid package version"},
			{"pkg", "1.0 ", "f.bin", "invalid package version"},
			{"pkg", " 1.0", "f.bin", "invalid package version"},
			// Checked in the order name, file name, version.
			{"a b", " 1 ", " a", "invalid package name"},
			{"pkg", " 1 ", " a", "invalid filename"},
		} {
			p := pkgPath(owner.name, tc.name, tc.version, tc.file)
			c.do(t, http.MethodPut, p, "x").want(t, http.StatusBadRequest).wantText(t, tc.want)
			c.do(t, http.MethodGet, p, nil).want(t, http.StatusNotFound)
		}
		for _, tc := range []struct{ name, version, file string }{
			{"a", "1", "f"},
			{"a-", "1", "-"},
			{"a_b", "1.0.3-te st", "a b"},
			{"c.d+", "2", "-_+=:;.()[]{}~!@#$%^& aA1"},
			{"A1", "v1", "x.y"},
		} {
			data := randBytes(t, 16)
			p := pkgPath(owner.name, tc.name, tc.version, tc.file)
			c.do(t, http.MethodPut, p, data).want(t, http.StatusCreated)
			c.do(t, http.MethodGet, p, nil).want(t, http.StatusOK).wantBody(t, data)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		owner.basic().do(t, http.MethodPut, pkgPath(owner.name, "present", "1.0", "here.bin"), "data").want(t, http.StatusCreated)
		for name, c := range map[string]*client{"owner": owner.basic(), "anonymous": e.anon()} {
			t.Run(name, func(t *testing.T) {
				c.do(t, http.MethodGet, pkgPath(owner.name, "present", "1.0", "not.found"), nil).
					want(t, http.StatusNotFound).wantText(t, "package file does not exist")
				c.do(t, http.MethodGet, pkgPath(owner.name, "present", "9.9", "here.bin"), nil).
					want(t, http.StatusNotFound).wantText(t, "package does not exist")
				c.do(t, http.MethodGet, pkgPath(owner.name, "absent", "1.0", "here.bin"), nil).
					want(t, http.StatusNotFound).wantText(t, "package does not exist")
				c.do(t, http.MethodHead, pkgPath(owner.name, "present", "1.0", "not.found"), nil).want(t, http.StatusNotFound)
			})
		}
		c := owner.basic()
		c.do(t, http.MethodDelete, pkgPath(owner.name, "present", "1.0", "not.found"), nil).
			want(t, http.StatusNotFound).wantText(t, "package file does not exist")
		c.do(t, http.MethodDelete, pkgPath(owner.name, "present", "9.9", ""), nil).
			want(t, http.StatusNotFound).wantText(t, "package does not exist")
	})

	t.Run("UnknownOwner", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		ghost := "ghost" + owner.name
		e.anon().do(t, http.MethodGet, pkgPath(ghost, "p", "1", "f"), nil).want(t, http.StatusNotFound).wantText(t, "Not found.")
		owner.basic().do(t, http.MethodGet, pkgPath(ghost, "p", "1", "f"), nil).want(t, http.StatusNotFound)
		owner.basic().do(t, http.MethodPut, pkgPath(ghost, "p", "1", "f"), "x").want(t, http.StatusNotFound)
		owner.basic().do(t, http.MethodDelete, pkgPath(ghost, "p", "1", ""), nil).want(t, http.StatusNotFound)
	})

	t.Run("DeleteFile", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		c := owner.basic()
		one, two := randBytes(t, 30), randBytes(t, 40)
		c.do(t, http.MethodPut, pkgPath(owner.name, "del", "1.0", "one.bin"), one).want(t, http.StatusCreated)
		c.do(t, http.MethodPut, pkgPath(owner.name, "del", "1.0", "two.bin"), two).want(t, http.StatusCreated)

		r := e.anon().do(t, http.MethodDelete, pkgPath(owner.name, "del", "1.0", "one.bin"), nil).want(t, http.StatusUnauthorized)
		if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Basic realm=") {
			t.Errorf("anonymous delete: WWW-Authenticate %q, want a Basic challenge", r.Header.Get("WWW-Authenticate"))
		}
		c.do(t, http.MethodDelete, pkgPath(owner.name, "del", "1.0", "one.bin"), nil).want(t, http.StatusNoContent)
		c.do(t, http.MethodGet, pkgPath(owner.name, "del", "1.0", "one.bin"), nil).want(t, http.StatusNotFound)
		c.do(t, http.MethodDelete, pkgPath(owner.name, "del", "1.0", "one.bin"), nil).want(t, http.StatusNotFound)
		// The version lives on with its other file.
		wantDownload(t, c, pkgPath(owner.name, "del", "1.0", "two.bin"), "two.bin", two)

		// Deleting the last file deletes the version.
		c.do(t, http.MethodDelete, pkgPath(owner.name, "del", "1.0", "two.bin"), nil).want(t, http.StatusNoContent)
		c.do(t, http.MethodGet, pkgPath(owner.name, "del", "1.0", "two.bin"), nil).want(t, http.StatusNotFound)
		c.do(t, http.MethodDelete, pkgPath(owner.name, "del", "1.0", ""), nil).
			want(t, http.StatusNotFound).wantText(t, "package does not exist")
	})

	t.Run("DeleteVersion", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		c := owner.basic()
		data := randBytes(t, 30)
		c.do(t, http.MethodPut, pkgPath(owner.name, "delv", "2.0", "a.bin"), data).want(t, http.StatusCreated)
		c.do(t, http.MethodPut, pkgPath(owner.name, "delv", "2.0", "b.bin"), data).want(t, http.StatusCreated)
		c.do(t, http.MethodPut, pkgPath(owner.name, "delv", "3.0", "a.bin"), data).want(t, http.StatusCreated)

		e.anon().do(t, http.MethodDelete, pkgPath(owner.name, "delv", "2.0", ""), nil).want(t, http.StatusUnauthorized)
		c.do(t, http.MethodDelete, pkgPath(owner.name, "delv", "2.0", ""), nil).want(t, http.StatusNoContent)
		c.do(t, http.MethodGet, pkgPath(owner.name, "delv", "2.0", "a.bin"), nil).want(t, http.StatusNotFound)
		c.do(t, http.MethodGet, pkgPath(owner.name, "delv", "2.0", "b.bin"), nil).want(t, http.StatusNotFound)
		c.do(t, http.MethodDelete, pkgPath(owner.name, "delv", "2.0", ""), nil).want(t, http.StatusNotFound)
		// Other versions are untouched, and the deleted one can come back.
		wantDownload(t, c, pkgPath(owner.name, "delv", "3.0", "a.bin"), "a.bin", data)
		c.do(t, http.MethodPut, pkgPath(owner.name, "delv", "2.0", "a.bin"), data).want(t, http.StatusCreated)
	})

	t.Run("CaseInsensitive", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		c := owner.basic()
		data := randBytes(t, 64)
		c.do(t, http.MethodPut, pkgPath(owner.name, "CasePkg", "1.0.0-RC1", "Data.BIN"), data).want(t, http.StatusCreated)
		for _, p := range []string{
			pkgPath(owner.name, "casepkg", "1.0.0-rc1", "data.bin"),
			pkgPath(owner.name, "CASEPKG", "1.0.0-Rc1", "DATA.bin"),
			pkgPath(owner.name, "CasePkg", "1.0.0-RC1", "Data.BIN"),
		} {
			wantDownload(t, e.anon(), p, "Data.BIN", data)
		}
		c.do(t, http.MethodPut, pkgPath(owner.name, "casepkg", "1.0.0-rc1", "DATA.BIN"), data).want(t, http.StatusConflict)
		c.do(t, http.MethodDelete, pkgPath(owner.name, "casePKG", "1.0.0-rC1", "data.BIN"), nil).want(t, http.StatusNoContent)
		c.do(t, http.MethodGet, pkgPath(owner.name, "CasePkg", "1.0.0-RC1", "Data.BIN"), nil).want(t, http.StatusNotFound)
	})

	t.Run("AuthForms", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		tok := owner.apiToken(t)
		for i, authz := range []string{
			basicAuth(owner.name, owner.pass),
			basicAuth(owner.name, tok),
			basicAuth(tok, ""),
			"token " + tok,
			"Bearer " + tok,
		} {
			c := e.withAuth(authz)
			data := randBytes(t, 12)
			p := pkgPath(owner.name, "forms", "1", "f"+strconv.Itoa(i))
			c.do(t, http.MethodPut, p, data).want(t, http.StatusCreated)
			c.do(t, http.MethodGet, p, nil).want(t, http.StatusOK).wantBody(t, data)
			c.do(t, http.MethodDelete, p, nil).want(t, http.StatusNoContent)
		}
	})

	t.Run("AnonymousWrite", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		p := pkgPath(owner.name, "anon", "1", "f.bin")
		r := e.anon().do(t, http.MethodPut, p, "data").want(t, http.StatusUnauthorized)
		if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Basic realm=") {
			t.Errorf("WWW-Authenticate %q, want a Basic challenge", r.Header.Get("WWW-Authenticate"))
		}
		owner.basic().do(t, http.MethodGet, p, nil).want(t, http.StatusNotFound)
	})

	t.Run("BadCredentials", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		p := pkgPath(owner.name, "creds", "1", "f.bin")
		owner.basic().do(t, http.MethodPut, p, "data").want(t, http.StatusCreated)
		for _, authz := range []string{
			basicAuth(owner.name, "wrong-"+owner.pass),
			basicAuth("nosuchuser"+owner.name, "pw"),
			"token 0123456789abcdef",
			"Bearer not-a-token",
		} {
			c := e.withAuth(authz)
			c.do(t, http.MethodPut, pkgPath(owner.name, "creds", "1", "g.bin"), "data").want(t, http.StatusUnauthorized)
			// Credentials that are present but wrong fail reads of public
			// packages too.
			c.do(t, http.MethodGet, p, nil).want(t, http.StatusUnauthorized)
		}
	})

	t.Run("OtherUsersNamespace", func(t *testing.T) {
		t.Parallel()
		owner, other := e.newUser(t, false), e.newUser(t, false)
		p := pkgPath(owner.name, "mine", "1", "f.bin")
		owner.basic().do(t, http.MethodPut, p, "data").want(t, http.StatusCreated)
		for _, req := range []struct{ method, path string }{
			{http.MethodPut, pkgPath(owner.name, "mine", "1", "g.bin")},
			{http.MethodPut, pkgPath(owner.name, "theirs", "1", "f.bin")},
			{http.MethodDelete, p},
			{http.MethodDelete, pkgPath(owner.name, "mine", "1", "")},
		} {
			r := other.basic().do(t, req.method, req.path, "x").want(t, http.StatusUnauthorized)
			if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Basic realm=") {
				t.Errorf("%s %s: WWW-Authenticate %q, want a Basic challenge", req.method, req.path, r.Header.Get("WWW-Authenticate"))
			}
		}
		// Reading a public user's packages is fine.
		other.basic().do(t, http.MethodGet, p, nil).want(t, http.StatusOK).wantBody(t, []byte("data"))
		// A superuser writes anywhere.
		root := e.newUser(t, true)
		root.basic().do(t, http.MethodPut, pkgPath(owner.name, "mine", "1", "root.bin"), "r").want(t, http.StatusCreated)
	})

	t.Run("ScopedTokens", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		p := pkgPath(owner.name, "scoped", "1", "f.bin")
		owner.basic().do(t, http.MethodPut, p, "data").want(t, http.StatusCreated)
		read := e.withAuth("token " + owner.apiToken(t, "read:package"))
		read.do(t, http.MethodGet, p, nil).want(t, http.StatusOK)
		read.do(t, http.MethodPut, pkgPath(owner.name, "scoped", "1", "g.bin"), "x").want(t, http.StatusUnauthorized)
		read.do(t, http.MethodDelete, p, nil).want(t, http.StatusUnauthorized)
		write := e.withAuth("token " + owner.apiToken(t, "read:package", "write:package"))
		write.do(t, http.MethodPut, pkgPath(owner.name, "scoped", "1", "g.bin"), "x").want(t, http.StatusCreated)
		write.do(t, http.MethodDelete, p, nil).want(t, http.StatusNoContent)
	})

}
