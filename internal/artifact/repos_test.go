package artifact_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/artifact"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

func TestNewRejectsBadFormats(t *testing.T) {
	t.Parallel()
	ok := testFormats()[0]
	noName := ok
	noName.ValidName = nil
	noPublic := ok
	noPublic.PublicByDefault = nil
	noType := ok
	noType.Type = ""
	for name, fs := range map[string][]artifact.Format{
		"duplicate":          {ok, ok},
		"no ValidName":       {noName},
		"no PublicByDefault": {noPublic},
		"no Type":            {noType},
	} {
		if _, err := artifact.New(nil, nil, fs, artifact.Options{}); err == nil {
			t.Errorf("%s: New accepted the formats", name)
		}
	}
}

func TestEnsureRepo(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	user, err := e.svc.Namespace(ctx, userNS)
	if err != nil {
		t.Fatal(err)
	}
	org, err := e.svc.Namespace(ctx, orgNS)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		typ, name  string
		wantNS     int64
		wantPublic bool
		wantKind   errs.Kind // Other: success
	}{
		{typ: "oci", name: "alice/app", wantNS: user.ID},
		{typ: "oci", name: "alice/tools/app", wantNS: user.ID},
		{typ: "oci", name: "acme/app", wantNS: org.ID}, // OCI is never public by default
		{typ: "generic", name: "alice/tool", wantNS: user.ID},
		{typ: "generic", name: "acme/tool", wantNS: org.ID, wantPublic: true},
		{typ: "generic", name: "acme/Mixed.Case_1", wantNS: org.ID, wantPublic: true},
		{typ: "oci", name: "nobody/app", wantKind: errs.NotFound},
		{typ: "generic", name: "nobody/tool", wantKind: errs.NotFound},
		{typ: "oci", name: "alice/Upper", wantKind: errs.Invalid},
		{typ: "oci", name: "alice//app", wantKind: errs.Invalid},
		{typ: "oci", name: "", wantKind: errs.Invalid},
		{typ: "generic", name: "alice", wantKind: errs.Invalid},
		{typ: "generic", name: "alice/a b", wantKind: errs.Invalid},
		{typ: "generic", name: "alice/a/b", wantKind: errs.Invalid},
		{typ: "hab", name: "alice/app", wantKind: errs.Unsupported},
	}
	for _, tt := range tests {
		t.Run(tt.typ+":"+tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := e.svc.EnsureRepo(ctx, tt.typ, tt.name, 0)
			if tt.wantKind != errs.Other {
				wantKind(t, "EnsureRepo", err, tt.wantKind)
				if _, err := e.svc.Repo(ctx, tt.typ, tt.name); !errs.Is(err, errs.NotFound) {
					t.Errorf("Repo after a refused EnsureRepo: %v, want not found", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("EnsureRepo: %v", err)
			}
			want := meta.Repository{ID: r.ID, NamespaceID: tt.wantNS, Type: tt.typ, Name: tt.name, Public: tt.wantPublic, Created: r.Created}
			if diff := cmp.Diff(want, r); diff != "" {
				t.Errorf("EnsureRepo (-want +got):\n%s", diff)
			}
			if r.ID == 0 || r.Created.IsZero() {
				t.Errorf("EnsureRepo returned ID %d, Created %v", r.ID, r.Created)
			}
			again, err := e.svc.EnsureRepo(ctx, tt.typ, tt.name, 0)
			if err != nil {
				t.Fatalf("EnsureRepo again: %v", err)
			}
			if diff := cmp.Diff(r, again); diff != "" {
				t.Errorf("EnsureRepo again created or changed the repository (-first +second):\n%s", diff)
			}
			got, err := e.svc.Repo(ctx, tt.typ, tt.name)
			if err != nil {
				t.Fatalf("Repo: %v", err)
			}
			if diff := cmp.Diff(r, got); diff != "" {
				t.Errorf("Repo (-EnsureRepo +Repo):\n%s", diff)
			}
		})
	}
}

func TestEnsureRepoTypesAreSeparate(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	a := e.repo(t, "oci", "alice/same")
	b := e.repo(t, "generic", "alice/same")
	if a.ID == b.ID {
		t.Errorf("oci and generic repositories of one name share id %d", a.ID)
	}
}

func TestEnsureRepoConcurrent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	const n = 10
	repos := make([]meta.Repository, n)
	failed := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { repos[i], failed[i] = e.svc.EnsureRepo(ctx, "oci", "alice/racy", 0) })
	}
	wg.Wait()
	for i := range n {
		if failed[i] != nil {
			t.Fatalf("EnsureRepo %d: %v", i, failed[i])
		}
		if diff := cmp.Diff(repos[0], repos[i]); diff != "" {
			t.Errorf("EnsureRepo %d returned another repository (-0 +%d):\n%s", i, i, diff)
		}
	}
	all, err := e.svc.ListRepos(ctx, "oci", meta.Page{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 {
		t.Errorf("ListRepos after %d concurrent EnsureRepo: %d repositories, want 1", n, len(all))
	}
}

func TestSetRepoPublicAndDeleteRepo(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	r := e.repo(t, "oci", "alice/vis")
	if err := e.svc.SetRepoPublic(ctx, r.ID, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.svc.Repo(ctx, "oci", "alice/vis"); !got.Public {
		t.Errorf("SetRepoPublic(true) did not stick")
	}
	d := e.push(t, r.ID, []byte("layer"))
	if err := e.svc.DeleteRepo(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Repo(ctx, "oci", "alice/vis"); !errs.Is(err, errs.NotFound) {
		t.Errorf("Repo after DeleteRepo: %v, want not found", err)
	}
	if diff := cmp.Diff([]string{d}, e.unreferenced(t)); diff != "" {
		t.Errorf("blobs of a deleted repository should be left for gc (-want +got):\n%s", diff)
	}
	wantKind(t, "DeleteRepo again", e.svc.DeleteRepo(ctx, r.ID), errs.NotFound)
}

func TestPing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	if err := e.svc.Ping(t.Context()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

// manyRepos creates n generic repositories in the user namespace, in one
// transaction, and returns their names in list order. Every third name
// has upper-case letters, to page across names stored as sent.
func manyRepos(t testing.TB, e *env, n int) []string {
	t.Helper()
	ctx := context.Background()
	ns, err := e.svc.Namespace(ctx, userNS)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, n)
	for i := range n {
		names[i] = fmt.Sprintf("%s/pkg-%04d", userNS, i)
		if i%3 == 1 {
			names[i] = fmt.Sprintf("%s/Pkg-%04d", userNS, i)
		}
	}
	err = e.meta.Tx(ctx, func(q meta.Queries) error {
		for _, name := range names {
			if err := q.CreateRepo(ctx, &meta.Repository{NamespaceID: ns.ID, Type: "generic", Name: name}); err != nil {
				return err
			}
		}
		// Another type, interleaved by name, must never show.
		return q.CreateRepo(ctx, &meta.Repository{NamespaceID: ns.ID, Type: "oci", Name: userNS + "/pkg-0500x"})
	})
	if err != nil {
		t.Fatalf("create repositories: %v", err)
	}
	return names
}

// index returns the number in a name made by manyRepos.
func index(t testing.TB, name string) int {
	var i int
	if _, err := fmt.Sscanf(name[len(userNS)+5:], "%04d", &i); err != nil {
		t.Fatalf("name %q: %v", name, err)
	}
	return i
}

func TestListReposPaging(t *testing.T) {
	t.Parallel()
	const n = 1200
	e := newEnv(t, artifact.Options{})
	names := manyRepos(t, e, n)

	tests := []struct {
		name  string
		after string
		limit int
		keep  func(i int) bool // nil: no filter
	}{
		{name: "no filter", limit: 100},
		{name: "no filter, no limit"},
		{name: "every third", limit: 100, keep: func(i int) bool { return i%3 == 0 }},
		{name: "mixed-case only", limit: 77, keep: func(i int) bool { return i%3 == 1 }},
		{name: "tail only", limit: 50, keep: func(i int) bool { return i >= 1100 }},
		{name: "sparse", limit: 2, keep: func(i int) bool { return i == 7 || i == 777 || i == 1199 }},
		{name: "every fifth, no limit", keep: func(i int) bool { return i%5 == 0 }},
		{name: "page equals batch", limit: 500},
		{name: "none", limit: 10, keep: func(int) bool { return false }},
		{name: "after a mixed-case name", after: userNS + "/Pkg-0598", limit: 300},
		{name: "after a lower-cased mixed-case name", after: userNS + "/pkg-0598", limit: 300},
		{name: "after the last", after: names[n-1], limit: 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			var want []string
			start := 0
			if tt.after != "" {
				start = index(t, tt.after) + 1
			}
			for _, name := range names[start:] {
				if tt.keep == nil || tt.keep(index(t, name)) {
					want = append(want, name)
				}
			}
			var keep func(meta.Repository) (bool, error)
			if tt.keep != nil {
				keep = func(r meta.Repository) (bool, error) {
					if r.Type != "generic" {
						return false, fmt.Errorf("keep saw a repository of type %q", r.Type)
					}
					return tt.keep(index(t, r.Name)), nil
				}
			}
			var got []string
			p := meta.Page{After: tt.after, Limit: tt.limit}
			for pages := 0; ; pages++ {
				if pages > n {
					t.Fatal("paging does not end")
				}
				page, err := e.svc.ListRepos(ctx, "generic", p, keep)
				if err != nil {
					t.Fatalf("ListRepos(%+v): %v", p, err)
				}
				for _, r := range page {
					got = append(got, r.Name)
				}
				if tt.limit <= 0 || len(page) < tt.limit {
					// A short page must be the last: nothing kept may follow.
					if rest := len(want) - len(got); rest > 0 && len(page) > 0 {
						t.Errorf("page after %q has %d repositories, %d more were due", p.After, len(page), rest)
					}
					break
				}
				if len(page) > tt.limit {
					t.Fatalf("page of %d repositories for limit %d", len(page), tt.limit)
				}
				p.After = page[len(page)-1].Name
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("pages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestListReposKeepError(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	names := manyRepos(t, e, 700)
	for _, at := range []int{0, 3, 650} {
		t.Run(fmt.Sprint(at), func(t *testing.T) {
			t.Parallel()
			boom := errors.New("boom")
			calls := 0
			got, err := e.svc.ListRepos(t.Context(), "generic", meta.Page{Limit: 1000}, func(r meta.Repository) (bool, error) {
				calls++
				if r.Name == names[at] {
					return false, boom
				}
				return true, nil
			})
			if !errors.Is(err, boom) {
				t.Errorf("ListRepos: error %v, want the filter's", err)
			}
			if got != nil {
				t.Errorf("ListRepos returned %d repositories with its error", len(got))
			}
			if calls != at+1 {
				t.Errorf("filter called %d times, want %d (it must stop at the error)", calls, at+1)
			}
		})
	}
}

func TestListReposUnknownType(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	e.repo(t, "oci", "alice/one")
	got, err := e.svc.ListRepos(t.Context(), "hab", meta.Page{}, nil)
	if err != nil || len(got) != 0 {
		t.Errorf("ListRepos of a type without repositories: %v, %v; want none", got, err)
	}
}
