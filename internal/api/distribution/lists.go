package distribution

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"wharf/internal/auth"
	"wharf/internal/meta"
)

// maxPage bounds one page of tags or repositories; longer lists continue
// through the Link header.
const maxPage = 1000

// pageOf reads the n and last query parameters. n=0 asks for an empty
// list.
func pageOf(r *http.Request) (meta.Page, bool, error) {
	q := r.URL.Query()
	p := meta.Page{After: q.Get("last"), Limit: maxPage}
	if s := q.Get("n"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return p, false, newError(codeUnsupported, "n must be a non-negative integer")
		}
		if n == 0 {
			return p, true, nil
		}
		p.Limit = min(n, maxPage)
	}
	return p, false, nil
}

// link sets the Link header for the page after last.
func link(w http.ResponseWriter, path string, n int, last string) {
	v := url.Values{"n": {strconv.Itoa(n)}, "last": {last}}
	w.Header().Set("Link", "<"+path+"?"+v.Encode()+`>; rel="next"`)
}

// writeJSON answers v as JSON. Only marshalling can fail it; see below.
func writeJSON(w http.ResponseWriter, contentType string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err // nothing is sent yet: the error gets its own response
	}
	w.Header().Set("Content-Type", contentType)
	// A failed write means the client went away; there is no one left to
	// answer, and an error response after the headers would corrupt the
	// stream.
	_, _ = w.Write(append(b, '\n'))
	return nil
}

func (h *Handler) tags(w http.ResponseWriter, r *http.Request, req *request) error {
	repo, err := h.repo(r, req)
	if err != nil {
		return err
	}
	p, empty, err := pageOf(r)
	if err != nil {
		return err
	}
	names := []string{}
	if !empty {
		p.Limit++ // one more tells whether a next page exists
		ts, err := h.opt.Artifacts.Tags(r.Context(), repo.ID, p)
		if err != nil {
			return err
		}
		for _, t := range ts {
			names = append(names, t.Name)
		}
		if len(names) == p.Limit {
			names = names[:p.Limit-1]
			link(w, r.URL.Path, p.Limit-1, names[len(names)-1])
		}
	}
	return writeJSON(w, "application/json", struct {
		Name string   `json:"name"`
		Tags []string `json:"tags"`
	}{req.route.Name, names})
}

func (h *Handler) catalog(w http.ResponseWriter, r *http.Request, req *request) error {
	p, empty, err := pageOf(r)
	if err != nil {
		return err
	}
	// A token issued for the catalog carries no repository scopes; what
	// it may list is what its user may read.
	who := req.principal
	if who.Restricted && who.PermitsResource(auth.GrantRegistry, "catalog", auth.Admin) {
		who.Restricted = false
	}
	names := []string{}
	if !empty {
		p.Limit++
		can := func(repo meta.Repository) (bool, error) {
			return h.opt.Authorizer.Can(r.Context(), who, auth.Pull, RepoType, repo.Name)
		}
		// A superuser reads everything; anyone else only what the store's
		// visibility rules let them see, each confirmed by the authorizer.
		var repos []meta.Repository
		if who.Superuser {
			repos, err = h.opt.Artifacts.ListRepos(r.Context(), RepoType, p, can)
		} else {
			repos, err = h.opt.Artifacts.ListReadableRepos(r.Context(), who.UserID, RepoType, p, can)
		}
		if err != nil {
			return err
		}
		for _, repo := range repos {
			names = append(names, repo.Name)
		}
		if len(names) == p.Limit {
			names = names[:p.Limit-1]
			link(w, r.URL.Path, p.Limit-1, names[len(names)-1])
		}
	}
	return writeJSON(w, "application/json", struct {
		Repositories []string `json:"repositories"`
	}{names})
}
