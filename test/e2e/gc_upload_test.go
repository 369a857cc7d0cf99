package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// TestGCSparesUploadBeingWritten runs `wharf admin gc`, a process of its
// own, while a chunk streams into `wharf serve`: the session is older than
// the upload TTL but being written, so it stays, the chunk is acknowledged
// and the blob completes. A session that is idle is reaped, and a chunk
// or close sent to it afterwards gets BLOB_UPLOAD_UNKNOWN.
func TestGCSparesUploadBeingWritten(t *testing.T) {
	t.Parallel()
	forEachBackendNoServer(t, func(t *testing.T, b backend) {
		opt := b.opt
		opt.Env = append(slices.Clone(opt.Env), "WHARF_GC_INTERVAL=0s")
		e := newEnv(t, opt)
		u := e.newUser(t, false)
		c := u.basic()
		repo := u.name + "/streaming"
		data := randBytes(t, 2<<20)
		d := sha256Digest(data)
		loc := startUpload(t, c, repo)

		pr, pw := io.Pipe()
		type result struct {
			r   *response
			err error
		}
		sent := make(chan result, 1)
		go func() {
			r, err := c.send(t, http.MethodPatch, loc, pr,
				"Content-Type", "application/octet-stream",
				"Content-Range", fmt.Sprintf("0-%d", len(data)-1),
				"Content-Length", strconv.Itoa(len(data)))
			sent <- result{r, err}
		}()
		half := len(data) / 2
		if _, err := pw.Write(data[:half]); err != nil {
			t.Fatal(err)
		}
		// Once bytes reach the session's file the server is writing it.
		file := filepath.Join(e.srv.DataDir, sessionsDir, path.Base(loc), "data")
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			if fi, err := os.Stat(file); err == nil && fi.Size() > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the server wrote nothing to %s", file)
			}
		}

		if out := gcNow(t, e); out != gcOutput(0, 0, 0) {
			t.Errorf("gc while a chunk streams printed %q, want nothing deleted", out)
		}
		if _, err := pw.Write(data[half:]); err != nil {
			t.Fatal(err)
		}
		pw.Close()
		res := <-sent
		if res.err != nil {
			t.Fatalf("PATCH: %v", res.err)
		}
		loc = res.r.want(t, http.StatusAccepted).location(t)
		res.r.wantHeader(t, "Range", fmt.Sprintf("0-%d", len(data)-1))
		c.do(t, http.MethodPut, withQuery(t, loc, "digest", d), nil).want(t, http.StatusCreated)
		wantBlob(t, c, repo, d, data)

		idle := chunk(t, c, startUpload(t, c, repo), 0, data[:1000])
		if out := gcNow(t, e); out != gcOutput(1, 0, 0) {
			t.Errorf("gc with an idle session printed %q, want it deleted", out)
		}
		c.do(t, http.MethodPatch, idle, data[1000:2000],
			"Content-Type", "application/octet-stream",
			"Content-Range", "1000-1999",
			"Content-Length", "1000").wantError(t, http.StatusNotFound, "BLOB_UPLOAD_UNKNOWN")
		c.do(t, http.MethodPut, withQuery(t, idle, "digest", sha256Digest(data[:1000])), nil).
			wantError(t, http.StatusNotFound, "BLOB_UPLOAD_UNKNOWN")
		if s := storedSessions(t, e); len(s) != 0 {
			t.Errorf("upload sessions %v left on disk", s)
		}
	})
}
