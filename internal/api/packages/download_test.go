package packages_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"wharf/internal/api/packages"
	"wharf/internal/errs"
	"wharf/internal/format/generic"
	"wharf/internal/meta"
)

// brokenCounter is a store whose download counter always fails.
type brokenCounter struct{ meta.Store }

func (brokenCounter) AddDownload(context.Context, int64) error {
	return errs.E(errs.Unavailable, "counter is down")
}

// fetch sends method to the generic front for the file of pub/pkg/1/f
// with header name and value pairs.
func (e *apiEnv) fetch(t *testing.T, method, file string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, packages.Prefix+"pub/generic/pkg/1/"+file, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

// downloads returns the download counter of pub/pkg version 1.
func (e *apiEnv) downloads(t *testing.T) int64 {
	t.Helper()
	return mustVersion(t, e).Downloads
}

// TestDownloadCount checks that a download is counted when the file's
// content is sent, and only then.
func TestDownloadCount(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	e.put(t, "pub", "pkg", "1")
	w := e.fetch(t, http.MethodGet, "f")
	if w.Code != http.StatusOK || w.Body.String() != "x" {
		t.Fatalf("GET: %d %q", w.Code, w.Body)
	}
	modified := w.Header().Get("Last-Modified")
	steps := []struct {
		name   string
		method string
		file   string
		hdr    []string
		status int
		counts bool
	}{
		{"HEAD", http.MethodHead, "f", nil, http.StatusOK, false},
		{"GET", http.MethodGet, "F", nil, http.StatusOK, true},
		{"range", http.MethodGet, "f", []string{"Range", "bytes=0-0"}, http.StatusPartialContent, true},
		{"range past the end", http.MethodGet, "f", []string{"Range", "bytes=5-9"}, http.StatusRequestedRangeNotSatisfiable, false},
		{"not modified", http.MethodGet, "f", []string{"If-Modified-Since", modified}, http.StatusNotModified, false},
		{"missing file", http.MethodGet, "g", nil, http.StatusNotFound, false},
	}
	want := int64(1)
	for _, s := range steps {
		w := e.fetch(t, s.method, s.file, s.hdr...)
		if w.Code != s.status {
			t.Errorf("%s: status %d, want %d: %s", s.name, w.Code, s.status, w.Body)
		}
		if s.counts {
			want++
		}
		if got := e.downloads(t); got != want {
			t.Errorf("after %s: %d downloads, want %d", s.name, got, want)
		}
	}

	// A file whose content cannot be opened is not counted.
	f, err := e.meta.GetFile(t.Context(), mustVersion(t, e).ID, "f")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.blobs.Delete(t.Context(), f.Digest); err != nil {
		t.Fatal(err)
	}
	if w := e.fetch(t, http.MethodGet, "f"); w.Code < 400 {
		t.Errorf("GET of a file without content: %d", w.Code)
	}
	if got := e.downloads(t); got != want {
		t.Errorf("a failed open counted: %d downloads, want %d", got, want)
	}
}

func mustVersion(t *testing.T, e *apiEnv) meta.Version {
	t.Helper()
	v, err := e.svc.NamedVersion(t.Context(), generic.RepoType, "pub/pkg", "1")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestDownloadCounterDown checks that a failing download counter does not
// fail the download.
func TestDownloadCounterDown(t *testing.T) {
	t.Parallel()
	e := newAPIEnvWith(t, func(s meta.Store) meta.Store { return brokenCounter{s} })
	e.put(t, "pub", "pkg", "1")
	w := e.fetch(t, http.MethodGet, "f")
	if w.Code != http.StatusOK || w.Body.String() != "x" {
		t.Errorf("GET with the counter down: %d %q", w.Code, w.Body)
	}
}
