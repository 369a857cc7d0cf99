package e2e

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// uploadOffset asks an upload session for its status and returns the
// offset the next chunk starts at and the Location to send it to.
func uploadOffset(t testing.TB, c *client, loc string) (int, string) {
	t.Helper()
	r := c.do(t, http.MethodGet, loc, nil).want(t, http.StatusNoContent)
	rng := r.Header.Get("Range")
	start, end, ok := strings.Cut(rng, "-")
	n, err := strconv.Atoi(end)
	if !ok || start != "0" || err != nil {
		t.Fatalf("upload status Range %q is not 0-<end>", rng)
	}
	return n + 1, r.location(t)
}

// TestRestart checks that upload sessions survive the server: a clean
// stop, and a kill in the middle of a chunk.
func TestRestart(t *testing.T) {
	forEachBackendNoServer(t, func(t *testing.T, b backend) {
		t.Run("SIGTERM", func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.opt)
			u := e.newUser(t, false)
			repo := u.name + "/resume"
			c := u.bearer(t, scope(repo, "pull,push"))
			const mib = 1 << 20
			data := randBytes(t, 3*mib)
			d := sha256Digest(data)
			loc := startUpload(t, c, repo)
			loc = chunk(t, c, loc, 0, data[:mib])

			if err := e.srv.Stop(); err != nil {
				t.Fatalf("stopping with SIGTERM: %v", err)
			}
			e.srv.Restart()
			e.forgetConnections()

			// The registry token issued before the restart still works.
			off, loc := uploadOffset(t, c, loc)
			if off != mib {
				t.Fatalf("after restart the upload is at %d, want %d", off, mib)
			}
			loc = chunk(t, c, loc, off, data[off:2*mib])
			wantNoBlob(t, c, repo, d)
			c.do(t, http.MethodPut, withQuery(t, loc, "digest", d), data[2*mib:],
				"Content-Type", "application/octet-stream",
				"Content-Range", fmt.Sprintf("%d-%d", 2*mib, 3*mib-1)).want(t, http.StatusCreated)
			r := c.do(t, http.MethodGet, repoPath(repo, "blobs/"+d), nil).want(t, http.StatusOK).wantBody(t, data)
			if sha256Digest(r.Body) != d {
				t.Error("blob served after restart does not match its digest")
			}
		})

		t.Run("SIGKILL", func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.opt)
			u := e.newUser(t, false)
			repo := u.name + "/killed"
			c := u.basic()
			const mib = 1 << 20
			data := randBytes(t, 4*mib)
			d := sha256Digest(data)
			loc := startUpload(t, c, repo)
			loc = chunk(t, c, loc, 0, data[:mib])
			loc = chunk(t, c, loc, mib, data[mib:2*mib])

			// A third chunk is half sent when the process dies.
			pr, pw := io.Pipe()
			sent := make(chan error, 1)
			go func() {
				r, err := c.send(t, http.MethodPatch, loc, pr,
					"Content-Type", "application/octet-stream",
					"Content-Range", fmt.Sprintf("%d-%d", 2*mib, 3*mib-1),
					"Content-Length", strconv.Itoa(mib))
				if err == nil && r.Status == http.StatusAccepted {
					err = errors.New("a chunk sent only in part was accepted")
				}
				sent <- err
			}()
			const partial = 256 << 10
			if _, err := pw.Write(data[2*mib : 2*mib+partial]); err != nil {
				t.Fatal(err)
			}
			time.Sleep(300 * time.Millisecond)
			e.srv.Kill()
			pw.CloseWithError(errors.New("server killed"))
			if err := <-sent; err != nil && strings.Contains(err.Error(), "accepted") {
				t.Fatal(err)
			}

			e.srv.Restart()
			e.forgetConnections()
			wantNoBlob(t, c, repo, d)
			c.do(t, http.MethodHead, repoPath(repo, "blobs/"+d), nil).want(t, http.StatusNotFound)

			// Acknowledged chunks survived; the unacknowledged one at most
			// in part.
			off, loc := uploadOffset(t, c, loc)
			t.Logf("after the kill the upload resumes at %d (acknowledged %d, sent %d)", off, 2*mib, 2*mib+partial)
			if off < 2*mib || off > 2*mib+partial {
				t.Fatalf("after the kill the upload is at %d, want between %d and %d", off, 2*mib, 2*mib+partial)
			}
			loc = chunk(t, c, loc, off, data[off:])
			wantNoBlob(t, c, repo, d)
			r := c.do(t, http.MethodPut, withQuery(t, loc, "digest", d), nil).want(t, http.StatusCreated)
			c.do(t, http.MethodGet, r.location(t), nil).want(t, http.StatusOK).wantBody(t, data)

			// Everything acknowledged before the kill is still served.
			e.srv.Kill()
			e.srv.Restart()
			e.forgetConnections()
			wantBlob(t, c, repo, d, data)
		})
	})
}
