package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
)

// TestGenericConcurrency races uploads and deletes of different files of
// one version against each other: each request succeeds, and the version
// ends with exactly the files that were not deleted, or goes away with the
// last of them.
func TestGenericConcurrency(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend.name, func(t *testing.T) {
			t.Parallel()
			testGenericConcurrency(t, newEnv(t, backend.opt))
		})
	}
}

// versionFiles returns the names of a version's files, or nil when the
// version does not exist.
func versionFiles(t *testing.T, c *client, owner, name, version string) []string {
	t.Helper()
	r := c.do(t, http.MethodGet, apiPath(owner, "generic", name, version)+"/files", nil).want(t, http.StatusOK, http.StatusNotFound)
	if r.Status == http.StatusNotFound {
		return nil
	}
	var fs []apiFile
	decode(t, r, &fs)
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	slices.Sort(names)
	return names
}

// parallel runs fn(i) for i in [0, n) at once and returns the statuses.
func parallel(n int, fn func(i int) int) []int {
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			statuses[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return statuses
}

func wantStatuses(t *testing.T, what string, got []int, want int) {
	t.Helper()
	for i, s := range got {
		if s != want {
			t.Errorf("%s: request %d answered %d, want %d (all: %v)", what, i, s, want, got)
			return
		}
	}
}

func testGenericConcurrency(t *testing.T, e *env) {
	const rounds, n = 8, 6
	status := func(c *client, method, target string, body any) int {
		r, err := c.send(t, method, target, body)
		if err != nil {
			t.Errorf("%s %s: %v", method, target, err)
			return 0
		}
		return r.Status
	}

	t.Run("FirstUploads", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		c := owner.basic()
		for round := range rounds {
			version := fmt.Sprintf("1.%d", round)
			var want []string
			for i := range n {
				want = append(want, fmt.Sprintf("f%d.bin", i))
			}
			got := parallel(n, func(i int) int {
				return status(c, http.MethodPut, pkgPath(owner.name, "race", version, want[i]), randBytes(t, 100+i))
			})
			wantStatuses(t, "uploads to new version "+version, got, http.StatusCreated)
			if files := versionFiles(t, c, owner.name, "race", version); !slices.Equal(files, want) {
				t.Errorf("version %s has files %q, want %q", version, files, want)
			}
		}
	})

	t.Run("LastDeletes", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		c := owner.basic()
		for round := range rounds {
			version := fmt.Sprintf("2.%d", round)
			c.do(t, http.MethodPut, pkgPath(owner.name, "race", "keep", "k.bin"), "k").want(t, http.StatusCreated, http.StatusConflict)
			for i := range n {
				c.do(t, http.MethodPut, pkgPath(owner.name, "race", version, fmt.Sprintf("f%d.bin", i)), randBytes(t, 10)).
					want(t, http.StatusCreated)
			}
			got := parallel(n, func(i int) int {
				return status(c, http.MethodDelete, pkgPath(owner.name, "race", version, fmt.Sprintf("f%d.bin", i)), nil)
			})
			wantStatuses(t, "deletes of the files of "+version, got, http.StatusNoContent)
			c.do(t, http.MethodGet, apiPath(owner.name, "generic", "race", version), nil).want(t, http.StatusNotFound)
			c.do(t, http.MethodDelete, pkgPath(owner.name, "race", version, ""), nil).want(t, http.StatusNotFound)
		}
		_, names, _ := listPackages(t, c, apiPath(owner.name, "", "", ""))
		wantList(t, "listing after deletes", names, "race@keep")
	})

	t.Run("DeleteBesideUpload", func(t *testing.T) {
		t.Parallel()
		owner := e.newUser(t, false)
		c := owner.basic()
		for round := range rounds {
			version := fmt.Sprintf("3.%d", round)
			c.do(t, http.MethodPut, pkgPath(owner.name, "race", version, "old.bin"), "old").want(t, http.StatusCreated)
			got := parallel(2, func(i int) int {
				if i == 0 {
					return status(c, http.MethodDelete, pkgPath(owner.name, "race", version, "old.bin"), nil)
				}
				return status(c, http.MethodPut, pkgPath(owner.name, "race", version, "new.bin"), "new")
			})
			if got[0] != http.StatusNoContent || got[1] != http.StatusCreated {
				t.Errorf("version %s: delete of the last file answered %d, upload beside it %d", version, got[0], got[1])
			}
			if files := versionFiles(t, c, owner.name, "race", version); !slices.Equal(files, []string{"new.bin"}) {
				t.Errorf("version %s has files %q, want only new.bin", version, files)
			}
		}
	})
}
