// Package fakegithub is a GitHub stand-in for tests: an HTTP server on
// loopback serving raw file contents (as raw.githubusercontent.com does)
// under /raw/ and the git trees API (as api.github.com does) under /api/,
// for repositories a test adds, recording every request it gets. Faults
// (an error status with headers, a delay) can be set per path.
package fakegithub

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Repo is a repository at one revision.
type Repo struct {
	Org, Name, Ref string
	// Files maps paths from the repository root to contents.
	Files map[string]string
	// Token, when set, makes the repository private: requests without
	// "Authorization: token <Token>" get 404, as from GitHub.
	Token string
	// Truncated marks its tree listing as truncated.
	Truncated bool
}

// Request is a request the server got.
type Request struct {
	Path          string // unescaped, e.g. /raw/org/repo/ref/a b.yaml
	Query         string
	Authorization string
	Accept        string
	UserAgent     string
}

// Fault is what the server answers instead, for a while.
type Fault struct {
	Status int         // 0 answers normally after Delay
	Header http.Header // added to the answer
	Delay  time.Duration
	Times  int // how many requests it applies to; 0 means all
}

// Server is a running fake.
type Server struct {
	// APIURL and RawURL are the bases to configure as GitHub's.
	APIURL, RawURL string

	srv    *httptest.Server
	mu     sync.Mutex
	repos  map[string]*Repo // by org/name/ref
	faults map[string]*Fault
	reqs   []Request
}

// New starts a server, stopped when the test ends.
func New(t testing.TB) *Server {
	s := &Server{repos: map[string]*Repo{}, faults: map[string]*Fault{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	s.APIURL, s.RawURL = s.srv.URL+"/api", s.srv.URL+"/raw"
	return s
}

// Add serves a repository at a revision.
func (s *Server) Add(r Repo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.repos[r.Org+"/"+r.Name+"/"+r.Ref] = &r
}

// Fail sets the fault answered for requests to path (as in Request.Path,
// e.g. "/raw/org/repo/ref/spicepod.yaml" or
// "/api/repos/org/repo/git/trees/ref").
func (s *Server) Fail(path string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[path] = &f
}

// Requests returns the requests received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqs)
}

// Reset forgets the requests received and every fault.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs, s.faults = nil, map[string]*Fault{}
}

// segments splits an escaped path and unescapes each segment.
func segments(escaped string) ([]string, bool) {
	segs := strings.Split(strings.TrimPrefix(escaped, "/"), "/")
	for i, seg := range segs {
		u, err := url.PathUnescape(seg)
		if err != nil {
			return nil, false
		}
		segs[i] = u
	}
	return segs, true
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	segs, ok := segments(r.URL.EscapedPath())
	if !ok {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	path := "/" + strings.Join(segs, "/")
	s.mu.Lock()
	s.reqs = append(s.reqs, Request{Path: path, Query: r.URL.RawQuery, Authorization: r.Header.Get("Authorization"),
		Accept: r.Header.Get("Accept"), UserAgent: r.Header.Get("User-Agent")})
	f := s.faults[path]
	var fault Fault
	if f != nil {
		fault = *f
		if f.Times > 0 {
			if f.Times--; f.Times == 0 {
				delete(s.faults, path)
			}
		}
	}
	s.mu.Unlock()
	if fault.Delay > 0 {
		select {
		case <-r.Context().Done():
			return
		case <-time.After(fault.Delay):
		}
	}
	for k, vs := range fault.Header {
		w.Header()[k] = vs
	}
	if fault.Status != 0 {
		http.Error(w, `{"message": "fault"}`, fault.Status)
		return
	}
	switch {
	case r.Method != http.MethodGet:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	case len(segs) >= 5 && segs[0] == "raw":
		s.serveRaw(w, r, segs[1], segs[2], segs[3], strings.Join(segs[4:], "/"))
	case len(segs) == 7 && segs[0] == "api" && segs[1] == "repos" && segs[4] == "git" && segs[5] == "trees":
		s.serveTree(w, r, segs[2], segs[3], segs[6])
	default:
		http.NotFound(w, r)
	}
}

// repo returns the repository a request may see.
func (s *Server) repo(r *http.Request, org, name, ref string) *Repo {
	s.mu.Lock()
	defer s.mu.Unlock()
	repo := s.repos[org+"/"+name+"/"+ref]
	if repo == nil || repo.Token != "" && r.Header.Get("Authorization") != "token "+repo.Token {
		return nil
	}
	return repo
}

func (s *Server) serveRaw(w http.ResponseWriter, r *http.Request, org, name, ref, path string) {
	repo := s.repo(r, org, name, ref)
	if repo == nil {
		http.Error(w, "404: Not Found", http.StatusNotFound)
		return
	}
	data, ok := repo.Files[path]
	if !ok {
		http.Error(w, "404: Not Found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte(data))
}

type treeEntry struct {
	Path string `json:"path"`
	Mode string `json:"mode"`
	Type string `json:"type"`
	SHA  string `json:"sha"`
	Size int64  `json:"size,omitempty"`
}

// serveTree answers the git trees API, recursive when asked: every file
// and every directory, sorted by path.
func (s *Server) serveTree(w http.ResponseWriter, r *http.Request, org, name, ref string) {
	repo := s.repo(r, org, name, ref)
	if repo == nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"message": "Not Found", "status": "404"}`))
		return
	}
	recursive := r.URL.Query().Get("recursive") != ""
	dirs := map[string]bool{}
	var tree []treeEntry
	for p, data := range repo.Files {
		parts := strings.Split(p, "/")
		if !recursive && len(parts) > 1 {
			dirs[parts[0]] = true
			continue
		}
		for i := 1; i < len(parts); i++ {
			dirs[strings.Join(parts[:i], "/")] = true
		}
		tree = append(tree, treeEntry{Path: p, Mode: "100644", Type: "blob", SHA: "0", Size: int64(len(data))})
	}
	for d := range dirs {
		tree = append(tree, treeEntry{Path: d, Mode: "040000", Type: "tree", SHA: "0"})
	}
	slices.SortFunc(tree, func(a, b treeEntry) int { return strings.Compare(a.Path, b.Path) })
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(map[string]any{"sha": ref, "url": r.URL.String(), "tree": tree, "truncated": repo.Truncated})
}
