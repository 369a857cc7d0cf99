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

	"wharf/internal/testserver"
)

// replicas starts two servers sharing one data directory (the fs blob
// store) and, for PostgreSQL, one database: two replicas of a scale-out
// deployment behind a load balancer.
func replicas(t *testing.T, b backend) (*env, *env) {
	t.Helper()
	var env []string
	if b.opt.Postgres {
		_, _, dsn := ownDatabase(t)
		env = []string{"WHARF_META_DRIVER=postgres", "WHARF_POSTGRES_DSN=" + dsn}
	}
	first := newEnv(t, testserver.Options{Env: env})
	second := newEnv(t, testserver.Options{Env: append(slices.Clone(env), "WHARF_DATA="+first.srv.DataDir)})
	return first, second
}

// TestUploadAcrossReplicas writes one upload session through two replicas:
// while one receives a chunk, the other refuses to write or cancel the
// session instead of interleaving bytes, and reports only what was
// acknowledged; afterwards either finishes it.
func TestUploadAcrossReplicas(t *testing.T) {
	t.Parallel()
	forEachBackendNoServer(t, func(t *testing.T, b backend) {
		one, two := replicas(t, b)
		u := one.newUser(t, false)
		c1, c2 := u.basic(), two.withAuth(basicAuth(u.name, u.pass))
		repo := u.name + "/replicated"
		data := randBytes(t, 1<<20)
		d := sha256Digest(data)
		loc := chunk(t, c1, startUpload(t, c1, repo), 0, data[:1000])

		pr, pw := io.Pipe()
		type result struct {
			r   *response
			err error
		}
		sent := make(chan result, 1)
		go func() {
			r, err := c1.send(t, http.MethodPatch, loc, pr,
				"Content-Type", "application/octet-stream",
				"Content-Range", fmt.Sprintf("1000-%d", len(data)-1),
				"Content-Length", strconv.Itoa(len(data)-1000))
			sent <- result{r, err}
		}()
		half := len(data) / 2
		if _, err := pw.Write(data[1000:half]); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(one.srv.DataDir, sessionsDir, path.Base(loc), "data")
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			if fi, err := os.Stat(file); err == nil && fi.Size() > 1000 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the first replica wrote nothing more to %s", file)
			}
		}

		c2.do(t, http.MethodPatch, loc, data[1000:2000],
			"Content-Type", "application/octet-stream",
			"Content-Range", "1000-1999",
			"Content-Length", "1000").wantError(t, http.StatusRequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID")
		c2.do(t, http.MethodDelete, loc, nil).wantError(t, http.StatusConflict, "BLOB_UPLOAD_INVALID")
		if off, _ := uploadOffset(t, c2, loc); off != 1000 {
			t.Errorf("the second replica reports offset %d while a chunk is received, want the acknowledged 1000", off)
		}

		if _, err := pw.Write(data[half:]); err != nil {
			t.Fatal(err)
		}
		pw.Close()
		res := <-sent
		if res.err != nil {
			t.Fatalf("PATCH: %v", res.err)
		}
		res.r.want(t, http.StatusAccepted).wantHeader(t, "Range", fmt.Sprintf("0-%d", len(data)-1))
		c2.do(t, http.MethodPut, withQuery(t, loc, "digest", d), nil).want(t, http.StatusCreated)
		wantBlob(t, c1, repo, d, data)
		wantBlob(t, c2, repo, d, data)
	})
}
