package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// chunk PATCHes data as the bytes starting at offset and checks the 202
// answer; it returns the Location to use next.
func chunk(t testing.TB, c *client, loc string, offset int, data []byte) string {
	t.Helper()
	r := c.do(t, http.MethodPatch, loc, data,
		"Content-Type", "application/octet-stream",
		"Content-Range", fmt.Sprintf("%d-%d", offset, offset+len(data)-1),
		"Content-Length", fmt.Sprint(len(data))).want(t, http.StatusAccepted)
	r.wantHeader(t, "Range", fmt.Sprintf("0-%d", offset+len(data)-1))
	return r.location(t)
}

// startUpload POSTs for an upload session and checks the 202 answer.
func startUpload(t testing.TB, c *client, repo string) string {
	t.Helper()
	r := c.do(t, http.MethodPost, repoPath(repo, "blobs/uploads/"), nil, "Content-Length", "0").want(t, http.StatusAccepted)
	loc := r.location(t)
	if !uuidRE.MatchString(loc) {
		t.Errorf("upload Location %q contains no UUID", loc)
	}
	return loc
}

// wantBlob checks that repo serves data under digest.
func wantBlob(t testing.TB, c *client, repo, digest string, data []byte) {
	t.Helper()
	r := c.do(t, http.MethodGet, repoPath(repo, "blobs/"+digest), nil).want(t, http.StatusOK)
	r.wantBody(t, data)
}

// wantNoBlob checks that repo does not serve digest.
func wantNoBlob(t testing.TB, c *client, repo, digest string) {
	t.Helper()
	c.do(t, http.MethodGet, repoPath(repo, "blobs/"+digest), nil).wantError(t, http.StatusNotFound, "BLOB_UNKNOWN")
}

func testUpload(t *testing.T, e *env) {
	owner := e.newUser(t, false)
	repo := owner.name + "/upload"
	c := owner.bearer(t, scope(repo, "pull,push"))

	t.Run("PostThenPut", func(t *testing.T) {
		t.Parallel()
		data := randBytes(t, 4096)
		d := sha256Digest(data)
		loc := startUpload(t, c, repo)
		r := c.do(t, http.MethodPut, withQuery(t, loc, "digest", d), data,
			"Content-Type", "application/octet-stream").want(t, http.StatusCreated)
		r.wantHeader(t, "Docker-Content-Digest", d)
		c.do(t, http.MethodGet, r.location(t), nil).want(t, http.StatusOK).wantBody(t, data)
	})

	t.Run("SinglePost", func(t *testing.T) {
		t.Parallel()
		data := randBytes(t, 3000)
		d := sha256Digest(data)
		r := c.do(t, http.MethodPost, withQuery(t, repoPath(repo, "blobs/uploads/"), "digest", d), data,
			"Content-Type", "application/octet-stream").want(t, http.StatusCreated)
		r.wantHeader(t, "Docker-Content-Digest", d)
		c.do(t, http.MethodGet, r.location(t), nil).want(t, http.StatusOK).wantBody(t, data)
	})

	t.Run("ChunkedFinalChunkInPut", func(t *testing.T) {
		t.Parallel()
		data := randBytes(t, 3000)
		d := sha256Digest(data)
		loc := startUpload(t, c, repo)
		loc = chunk(t, c, loc, 0, data[:1000])
		loc = chunk(t, c, loc, 1000, data[1000:2000])
		r := c.do(t, http.MethodPut, withQuery(t, loc, "digest", d), data[2000:],
			"Content-Type", "application/octet-stream",
			"Content-Range", "2000-2999",
			"Content-Length", "1000").want(t, http.StatusCreated)
		if r.Header.Get("Location") == "" {
			t.Error("closing PUT: no Location")
		}
		wantBlob(t, c, repo, d, data)
	})

	t.Run("ChunkedEmptyPut", func(t *testing.T) {
		t.Parallel()
		data := randBytes(t, 2500)
		d := sha256Digest(data)
		loc := startUpload(t, c, repo)
		loc = chunk(t, c, loc, 0, data[:1024])
		loc = chunk(t, c, loc, 1024, data[1024:2048])
		loc = chunk(t, c, loc, 2048, data[2048:])
		wantNoBlob(t, c, repo, d)
		r := c.do(t, http.MethodPut, withQuery(t, loc, "digest", d), nil).want(t, http.StatusCreated)
		c.do(t, http.MethodGet, r.location(t), nil).want(t, http.StatusOK).wantBody(t, data)
	})

	t.Run("ChunkOutOfOrder", func(t *testing.T) {
		t.Parallel()
		data := randBytes(t, 3000)
		d := sha256Digest(data)

		loc := startUpload(t, c, repo)
		c.do(t, http.MethodPatch, loc, data[500:1000],
			"Content-Type", "application/octet-stream", "Content-Range", "500-999").
			want(t, http.StatusRequestedRangeNotSatisfiable)

		loc = chunk(t, c, loc, 0, data[:1000])
		c.do(t, http.MethodPatch, loc, data[1500:2500],
			"Content-Type", "application/octet-stream", "Content-Range", "1500-2499").
			want(t, http.StatusRequestedRangeNotSatisfiable)
		c.do(t, http.MethodPatch, loc, data[500:1500],
			"Content-Type", "application/octet-stream", "Content-Range", "500-1499").
			want(t, http.StatusRequestedRangeNotSatisfiable)

		// The status tells where to go on.
		st := c.do(t, http.MethodGet, loc, nil).want(t, http.StatusNoContent)
		st.wantHeader(t, "Range", "0-999")
		loc = chunk(t, c, st.location(t), 1000, data[1000:])
		c.do(t, http.MethodPut, withQuery(t, loc, "digest", d), nil).want(t, http.StatusCreated)
		wantBlob(t, c, repo, d, data)
	})

	t.Run("PatchWithoutContentRange", func(t *testing.T) {
		t.Parallel()
		// Docker and go-containerregistry stream a layer in one PATCH
		// without Content-Range.
		data := randBytes(t, 2222)
		d := sha256Digest(data)
		loc := startUpload(t, c, repo)
		r := c.do(t, http.MethodPatch, loc, data, "Content-Type", "application/octet-stream").want(t, http.StatusAccepted)
		r.wantHeader(t, "Range", "0-2221")
		c.do(t, http.MethodPut, withQuery(t, r.location(t), "digest", d), nil).want(t, http.StatusCreated)
		wantBlob(t, c, repo, d, data)
	})

	t.Run("UploadStatus", func(t *testing.T) {
		t.Parallel()
		data := randBytes(t, 1200)
		loc := startUpload(t, c, repo)
		st := c.do(t, http.MethodGet, loc, nil).want(t, http.StatusNoContent)
		st.location(t)
		loc = chunk(t, c, loc, 0, data[:500])
		st = c.do(t, http.MethodGet, loc, nil).want(t, http.StatusNoContent)
		st.wantHeader(t, "Range", "0-499")
		loc = chunk(t, c, st.location(t), 500, data[500:])
		st = c.do(t, http.MethodGet, loc, nil).want(t, http.StatusNoContent)
		st.wantHeader(t, "Range", "0-1199")
		c.do(t, http.MethodPut, withQuery(t, st.location(t), "digest", sha256Digest(data)), nil).want(t, http.StatusCreated)
		// A finished session is gone.
		c.do(t, http.MethodGet, loc, nil).wantError(t, http.StatusNotFound, "BLOB_UPLOAD_UNKNOWN")
	})

	t.Run("Cancel", func(t *testing.T) {
		t.Parallel()
		data := randBytes(t, 800)
		loc := startUpload(t, c, repo)
		loc = chunk(t, c, loc, 0, data[:400])
		c.do(t, http.MethodDelete, loc, nil).want(t, http.StatusNoContent)
		c.do(t, http.MethodGet, loc, nil).wantError(t, http.StatusNotFound, "BLOB_UPLOAD_UNKNOWN")
		c.do(t, http.MethodPatch, loc, data[400:], "Content-Type", "application/octet-stream",
			"Content-Range", "400-799").wantError(t, http.StatusNotFound, "BLOB_UPLOAD_UNKNOWN")
		c.do(t, http.MethodPut, withQuery(t, loc, "digest", sha256Digest(data)), nil).
			wantError(t, http.StatusNotFound, "BLOB_UPLOAD_UNKNOWN")
		wantNoBlob(t, c, repo, sha256Digest(data))
	})

	t.Run("UnknownSession", func(t *testing.T) {
		t.Parallel()
		loc := repoPath(repo, "blobs/uploads/0b7e5a9c-8f1d-4c3e-9a2b-6d4f8e1c0a97")
		c.do(t, http.MethodGet, loc, nil).wantError(t, http.StatusNotFound, "BLOB_UPLOAD_UNKNOWN")
		c.do(t, http.MethodPatch, loc, "abc", "Content-Type", "application/octet-stream").
			wantError(t, http.StatusNotFound, "BLOB_UPLOAD_UNKNOWN")
	})

	t.Run("DigestMismatch", func(t *testing.T) {
		t.Parallel()
		data, other := randBytes(t, 1000), randBytes(t, 1000)
		good, wrong := sha256Digest(data), sha256Digest(other)

		loc := startUpload(t, c, repo)
		c.do(t, http.MethodPut, withQuery(t, loc, "digest", wrong), data, "Content-Type", "application/octet-stream").
			wantError(t, http.StatusBadRequest, "DIGEST_INVALID")

		c.do(t, http.MethodPost, withQuery(t, repoPath(repo, "blobs/uploads/"), "digest", wrong), data,
			"Content-Type", "application/octet-stream").wantError(t, http.StatusBadRequest, "DIGEST_INVALID")

		loc = startUpload(t, c, repo)
		loc = chunk(t, c, loc, 0, data[:600])
		c.do(t, http.MethodPut, withQuery(t, loc, "digest", wrong), data[600:],
			"Content-Type", "application/octet-stream", "Content-Range", "600-999").
			wantError(t, http.StatusBadRequest, "DIGEST_INVALID")

		for _, d := range []string{good, wrong} {
			wantNoBlob(t, c, repo, d)
			c.do(t, http.MethodHead, repoPath(repo, "blobs/"+d), nil).want(t, http.StatusNotFound)
		}
	})

	t.Run("InvalidDigest", func(t *testing.T) {
		t.Parallel()
		data := randBytes(t, 100)
		hexd := strings.TrimPrefix(sha256Digest(data), "sha256:")
		for _, bad := range []string{
			"nodigest",
			"sha256:abc",
			"sha256:" + strings.ToUpper(hexd),
			"sha256:" + hexd + "00",
			"sha256:" + hexd[:63] + "g",
			":" + hexd,
			"sha256:",
		} {
			c.do(t, http.MethodPost, withQuery(t, repoPath(repo, "blobs/uploads/"), "digest", bad), data,
				"Content-Type", "application/octet-stream").wantError(t, http.StatusBadRequest, "DIGEST_INVALID")
			loc := startUpload(t, c, repo)
			c.do(t, http.MethodPut, withQuery(t, loc, "digest", bad), data, "Content-Type", "application/octet-stream").
				wantError(t, http.StatusBadRequest, "DIGEST_INVALID")
		}
		// A digest of an algorithm the registry does not know.
		loc := startUpload(t, c, repo)
		c.do(t, http.MethodPut, withQuery(t, loc, "digest", "md5:d41d8cd98f00b204e9800998ecf8427e"), data,
			"Content-Type", "application/octet-stream").wantError(t, http.StatusBadRequest, "DIGEST_INVALID", "UNSUPPORTED")
		// Without a digest the session cannot be closed.
		c.do(t, http.MethodPut, startUpload(t, c, repo), data, "Content-Type", "application/octet-stream").
			want(t, http.StatusBadRequest)
	})

	t.Run("SHA512", func(t *testing.T) {
		t.Parallel()
		data := randBytes(t, 5000)
		d := sha512Digest(data)
		loc := startUpload(t, c, repo)
		c.do(t, http.MethodPut, withQuery(t, loc, "digest", d), data, "Content-Type", "application/octet-stream").
			want(t, http.StatusCreated)
		r := c.do(t, http.MethodGet, repoPath(repo, "blobs/"+d), nil).want(t, http.StatusOK).wantBody(t, data)
		if got := r.Header.Get("Docker-Content-Digest"); got != "" && got != d && got != sha256Digest(data) {
			t.Errorf("Docker-Content-Digest %q does not match the body", got)
		}
		c.do(t, http.MethodHead, repoPath(repo, "blobs/"+d), nil).want(t, http.StatusOK).
			wantHeader(t, "Content-Length", "5000")
		// A sha512 mismatch is caught as well.
		loc = startUpload(t, c, repo)
		c.do(t, http.MethodPut, withQuery(t, loc, "digest", sha512Digest(randBytes(t, 10))), data,
			"Content-Type", "application/octet-stream").wantError(t, http.StatusBadRequest, "DIGEST_INVALID")
	})
}

func testMount(t *testing.T, e *env) {
	owner, other := e.newUser(t, false), e.newUser(t, false)
	src, dst := owner.name+"/mount-src", owner.name+"/mount-dst"
	foreign := other.name + "/private"
	data := randBytes(t, 2000)
	blob := pushBlob(t, owner.bearer(t, scope(src, "pull,push")), src, mtOCILayer, data)
	otherData := randBytes(t, 1500)
	otherBlob := pushBlob(t, other.basic(), foreign, mtOCILayer, otherData)

	t.Run("FromReadableRepo", func(t *testing.T) {
		t.Parallel()
		c := owner.bearer(t, scope(dst, "pull,push"), scope(src, "pull"))
		target := repoPath(dst, "blobs/uploads/?mount="+blob.Digest+"&from="+src)
		r := c.do(t, http.MethodPost, target, nil).want(t, http.StatusCreated)
		r.wantHeader(t, "Docker-Content-Digest", blob.Digest)
		c.do(t, http.MethodGet, r.location(t), nil).want(t, http.StatusOK).wantBody(t, data)
		wantBlob(t, c, dst, blob.Digest, data)
	})

	t.Run("FromUnreadableRepo", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			name string
			c    func(repo string) *client
		}{
			{"basic", func(string) *client { return owner.basic() }},
			{"bearer", func(repo string) *client { return owner.bearer(t, scope(repo, "pull,push"), scope(foreign, "pull")) }},
		} {
			repo := owner.name + "/mount-" + tc.name
			c := tc.c(repo)
			target := repoPath(repo, "blobs/uploads/?mount="+otherBlob.Digest+"&from="+foreign)
			r := c.do(t, http.MethodPost, target, nil).want(t, http.StatusAccepted)
			loc := r.location(t)
			if !uuidRE.MatchString(loc) {
				t.Errorf("%s: fallback Location %q contains no UUID", tc.name, loc)
			}
			c.do(t, http.MethodHead, repoPath(repo, "blobs/"+otherBlob.Digest), nil).want(t, http.StatusNotFound)
			// The session is a real one: the caller uploads the bytes.
			c.do(t, http.MethodPut, withQuery(t, loc, "digest", otherBlob.Digest), otherData,
				"Content-Type", "application/octet-stream").want(t, http.StatusCreated)
			wantBlob(t, c, repo, otherBlob.Digest, otherData)
		}
	})

	t.Run("MissingBlob", func(t *testing.T) {
		t.Parallel()
		c := owner.bearer(t, scope(dst, "pull,push"), scope(src, "pull"))
		missing := randDigest(t)
		r := c.do(t, http.MethodPost, repoPath(dst, "blobs/uploads/?mount="+missing+"&from="+src), nil).
			want(t, http.StatusAccepted)
		if !uuidRE.MatchString(r.location(t)) {
			t.Errorf("fallback Location %q contains no UUID", r.location(t))
		}
		wantNoBlob(t, c, dst, missing)
	})
}
