package pkggen_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/errs"
	"wharf/internal/pkggen"
	"wharf/internal/testserver/fakegithub"
)

// TestGenerate checks a whole package: the exact entries in Spice's order,
// the bytes of every file (dataset.yml stored as dataset.yaml, the root
// manifest as spicepod.yaml), and what GitHub was asked, with which
// headers.
func TestGenerate(t *testing.T) {
	t.Parallel()
	e := newEnv(t, pkggen.Options{MaxFiles: 16}) // exactly its files
	p, data, err := e.generate(t, "github:acme/taxi/main/spicepod.yaml", "ghp_secret")
	if err != nil {
		t.Fatal(err)
	}
	if p.Cached || p.CacheErr != nil {
		t.Errorf("a branch package: Cached %v, CacheErr %v", p.Cached, p.CacheErr)
	}
	sum := sha256.Sum256(data)
	if p.Digest != "sha256:"+hex.EncodeToString(sum[:]) {
		t.Errorf("Digest %s is not the package's", p.Digest)
	}
	fakegithub.WantSpiceDemo(t, data)

	reqs := e.gh.Requests()
	var paths []string
	for _, r := range reqs {
		if r.Authorization != "token ghp_secret" || r.UserAgent != "wharf" {
			t.Errorf("%s: Authorization %q, User-Agent %q", r.Path, r.Authorization, r.UserAgent)
		}
		if strings.HasPrefix(r.Path, "/api/") && (r.Query != "recursive=1" || r.Accept != "application/vnd.github+json") {
			t.Errorf("tree request %s?%s, Accept %q", r.Path, r.Query, r.Accept)
		}
		paths = append(paths, r.Path)
	}
	slices.Sort(paths)
	want := []string{"/api/repos/acme/taxi/git/trees/main"}
	for _, f := range []string{
		"spicepod.yaml", "spicepods/spiceai/quickstart/spicepod.yaml",
		"datasets/trips/dataset.yaml", "data/trips.csv", "data/zones.csv",
		"data/events/2024-01.jsonl", "data/events/2024-02.jsonl", "data/events/archive/2023.jsonl",
		"datasets/weather/dataset.yaml", "datasets/weather/dataset.yml",
		"sql/busiest.sql", "views/daily/view.yaml", "sql/daily.sql", "models/forecaster/model.yaml",
		"datasets/taxi_trips/dataset.yaml", "data/taxi_trips.parquet", "embeddings/minilm/embeddings.yaml",
	} {
		want = append(want, "/raw/acme/taxi/main/"+f)
	}
	slices.Sort(want)
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("requests to GitHub mismatch (-want +got):\n%s", diff)
	}
}

// TestGenerateNested checks that references resolve from the repository
// root whatever the manifest's directory, and that the manifest is
// stored as spicepod.yaml.
func TestGenerateNested(t *testing.T) {
	t.Parallel()
	e := newEnv(t, pkggen.Options{})
	e.gh.Add(fakegithub.Repo{Org: "acme", Name: "mono", Ref: "main", Files: map[string]string{
		"apps/x/app.yaml":     "version: v2\nkind: Spicepod\nname: x\nviews:\n  - name: v\n    sql_ref: shared/v.sql\n  - name: e\n    sql_ref: ./shared/empty.sql\n",
		"shared/v.sql":        "select 1",
		"shared/empty.sql":    "",
		"apps/x/shared/v.sql": "never used",
	}})
	_, data, err := e.generate(t, "github:acme/mono/main/apps/x/app.yaml", "")
	if err != nil {
		t.Fatal(err)
	}
	names, files := fakegithub.Unzip(t, data)
	if diff := cmp.Diff([]string{"shared/", "shared/v.sql", "shared/empty.sql", "spicepod.yaml"}, names); diff != "" {
		t.Errorf("entries mismatch (-want +got):\n%s", diff)
	}
	if files["shared/v.sql"] != "select 1" || files["shared/empty.sql"] != "" || !strings.HasPrefix(files["spicepod.yaml"], "version: v2") {
		t.Errorf("files = %q", files)
	}
	for _, r := range e.gh.Requests() {
		if r.Authorization != "" {
			t.Errorf("%s sent Authorization %q without a token", r.Path, r.Authorization)
		}
	}
}

// TestGenerateDeterministic checks that the same files make the same
// bytes.
func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	e := newEnv(t, pkggen.Options{Concurrency: 1})
	other := newEnv(t, pkggen.Options{Concurrency: 8})
	p1, _, err := e.generate(t, "github:acme/taxi/main/spicepod.yaml", "")
	if err != nil {
		t.Fatal(err)
	}
	p2, _, err := other.generate(t, "github:acme/taxi/main/spicepod.yaml", "")
	if err != nil {
		t.Fatal(err)
	}
	if p1.Digest != p2.Digest {
		t.Errorf("digests differ: %s and %s", p1.Digest, p2.Digest)
	}
}

// TestCache checks that a package of a commit SHA is kept: an identical
// request is answered from the blob store, asking GitHub only whether the
// token still reads the manifest, another
// token or another path is not, a branch is never kept, and a record
// whose blob went away is generated again.
func TestCache(t *testing.T) {
	t.Parallel()
	e := newEnv(t, pkggen.Options{})
	from := "github:acme/taxi/" + sha + "/spicepod.yaml"
	first, data, err := e.generate(t, from, "tok")
	if err != nil {
		t.Fatal(err)
	}
	if first.Cached || first.CacheErr != nil {
		t.Fatalf("first: Cached %v, CacheErr %v", first.Cached, first.CacheErr)
	}
	e.gh.Reset()
	again, data2, err := e.generate(t, strings.Replace(from, "acme/taxi/"+sha, "ACME/Taxi/"+strings.ToUpper(sha), 1), "tok")
	if err != nil {
		t.Fatal(err)
	}
	if !again.Cached || again.Digest != first.Digest || string(data2) != string(data) {
		t.Errorf("second: Cached %v, digest %s, want the first's %s", again.Cached, again.Digest, first.Digest)
	}
	if reqs := e.gh.Requests(); len(reqs) != 1 || reqs[0].Path != "/raw/acme/taxi/"+sha+"/spicepod.yaml" {
		t.Errorf("a cached package asked GitHub %v, want only the manifest, to check the token", reqs)
	}

	other, _, err := e.generate(t, from, "other-token")
	if err != nil || other.Cached {
		t.Errorf("another token: Cached %v, err %v, want a fresh package", other != nil && other.Cached, err)
	}
	e.gh.Reset()
	for range 2 {
		p, _, err := e.generate(t, "github:acme/taxi/main/spicepod.yaml", "tok")
		if err != nil || p.Cached {
			t.Errorf("branch: err %v, Cached %v", err, p != nil && p.Cached)
		}
	}

	if err := e.blobs.Delete(t.Context(), first.Digest); err != nil {
		t.Fatal(err)
	}
	p, data3, err := e.generate(t, from, "tok")
	if err != nil || p.Cached || string(data3) != string(data) {
		t.Errorf("after losing the blob: err %v, Cached %v, same bytes %v", err, p != nil && p.Cached, string(data3) == string(data))
	}
	p, _, err = e.generate(t, from, "tok")
	if err != nil || !p.Cached {
		t.Errorf("kept again: err %v, Cached %v", err, p != nil && p.Cached)
	}
}

// TestPrune checks that pruning forgets kept packages older than the
// cache lifetime, whose blobs are then unreferenced, and that a package
// past its lifetime is generated again even before it is pruned.
func TestPrune(t *testing.T) {
	t.Parallel()
	e := newEnv(t, pkggen.Options{})
	from := "github:acme/taxi/" + sha + "/spicepod.yaml"
	p, _, err := e.generate(t, from, "")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := e.svc.Prune(t.Context()); err != nil || n != 0 {
		t.Errorf("Prune of a young package = %d, %v", n, err)
	}
	later := time.Now().Add(2 * time.Hour)
	if bs, err := e.store.UnreferencedBlobs(t.Context(), later, 0); err != nil || len(bs) != 0 {
		t.Errorf("unreferenced blobs while kept = %v, %v", bs, err)
	}
	old := pkggen.New(e.store, e.blobs, pkggen.Options{APIURL: e.gh.APIURL, RawURL: e.gh.RawURL, CacheTTL: time.Hour,
		TempDir: t.TempDir(), Now: func() time.Time { return later }})
	e.gh.Reset()
	if p, _, err := (&env{gh: e.gh, svc: old}).generate(t, from, ""); err != nil || p.Cached {
		t.Errorf("past its lifetime: err %v, Cached %v", err, p != nil && p.Cached)
	}
	if len(e.gh.Requests()) == 0 {
		t.Error("a package past its lifetime was not fetched again")
	}
	if n, err := (pkggen.New(e.store, e.blobs, pkggen.Options{CacheTTL: time.Hour, Now: func() time.Time { return later.Add(2 * time.Hour) }})).Prune(t.Context()); err != nil || n != 1 {
		t.Errorf("Prune past the lifetime = %d, %v, want 1", n, err)
	}
	bs, err := e.store.UnreferencedBlobs(t.Context(), later.Add(time.Hour), 0)
	if err != nil || len(bs) != 1 || bs[0].Digest != p.Digest {
		t.Errorf("unreferenced blobs after pruning = %v, %v, want %s", bs, err, p.Digest)
	}
}

// TestCacheConcurrent checks that identical requests at once fetch the
// package once: the others wait and get it from the cache.
func TestCacheConcurrent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, pkggen.Options{})
	from := "github:acme/taxi/" + sha + "/spicepod.yaml"
	var wg sync.WaitGroup
	digests := make([]string, 4)
	for i := range digests {
		wg.Go(func() {
			p, _, err := e.generate(t, from, "")
			if err != nil {
				t.Error(err)
				return
			}
			digests[i] = p.Digest
		})
	}
	wg.Wait()
	n := 0
	for _, r := range e.gh.Requests() {
		if r.Path == "/raw/acme/taxi/"+sha+"/spicepod.yaml" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the manifest was fetched %d times, want once", n)
	}
	for _, d := range digests[1:] {
		if d != digests[0] {
			t.Errorf("digests differ: %v", digests)
		}
	}
}

// TestGenerateFetchesLittle checks that a component referred to twice is
// fetched once and listed once, and that files a tree listing shows to be
// too large are never downloaded.
func TestGenerateFetchesLittle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, pkggen.Options{MaxBytes: 10000})
	e.gh.Add(fakegithub.Repo{Org: "acme", Name: "x", Ref: "main", Files: map[string]string{
		"spicepod.yaml":      "version: v1\nkind: Spicepod\nname: x\ndatasets:\n  - ref: d\n  - ref: d/\n",
		"d/dataset.yaml":     "name: d\nfrom: file:data/d.csv\n",
		"data/d.csv":         "1,2\n",
		"big.yaml":           "version: v1\nkind: Spicepod\nname: x\ndatasets:\n  - from: file:data/big\n    name: b\n",
		"data/big/small.csv": "1\n",
		"data/big/large.csv": strings.Repeat("x", 20000),
	}})
	_, data, err := e.generate(t, "github:acme/x/main/spicepod.yaml", "")
	if err != nil {
		t.Fatal(err)
	}
	names, _ := fakegithub.Unzip(t, data)
	if diff := cmp.Diff([]string{"d/", "d/dataset.yaml", "data/", "data/d.csv", "spicepod.yaml"}, names); diff != "" {
		t.Errorf("entries mismatch (-want +got):\n%s", diff)
	}
	n := 0
	for _, r := range e.gh.Requests() {
		if r.Path == "/raw/acme/x/main/d/dataset.yaml" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("d/dataset.yaml was fetched %d times, want once", n)
	}

	e.gh.Reset()
	_, _, err = e.generate(t, "github:acme/x/main/big.yaml", "")
	if !errs.Is(err, errs.TooLarge) {
		t.Fatalf("error %v, want errs.TooLarge", err)
	}
	for _, r := range e.gh.Requests() {
		if strings.HasPrefix(r.Path, "/raw/acme/x/main/data/big/") {
			t.Errorf("%s was downloaded although the listing showed it too large", r.Path)
		}
	}
}

// TestCacheConcurrentTimeout checks that identical requests waiting for
// each other are all bounded by one time limit: when the first one runs
// out of time, those waiting behind it do not each take the limit again.
func TestCacheConcurrentTimeout(t *testing.T) {
	t.Parallel()
	const limit = 400 * time.Millisecond
	e := newEnv(t, pkggen.Options{Timeout: limit})
	e.gh.Fail("/raw/acme/taxi/"+sha+"/data/trips.csv", fakegithub.Fault{Delay: 30 * time.Second})
	from := "github:acme/taxi/" + sha + "/spicepod.yaml"
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			start := time.Now()
			_, _, err := e.generate(t, from, "")
			if !errors.Is(err, pkggen.ErrTimeout) {
				t.Errorf("error %v, want ErrTimeout", err)
			}
			if d := time.Since(start); d > 2*limit {
				t.Errorf("answered after %v, past the %v limit", d, limit)
			}
		})
	}
	wg.Wait()
}

// TestGenerateRepeatedDependency checks that a dependency listed twice is
// fetched once and packaged once: a zip never holds two entries of one
// name.
func TestGenerateRepeatedDependency(t *testing.T) {
	t.Parallel()
	e := newEnv(t, pkggen.Options{})
	e.gh.Add(fakegithub.Repo{Org: "acme", Name: "twice", Ref: "main", Files: map[string]string{
		"spicepod.yaml":                     "version: v1\nkind: Spicepod\nname: x\ndependencies:\n  - acme/base\n  - acme/base\n",
		"spicepods/acme/base/spicepod.yaml": "version: v1\nkind: Spicepod\nname: base\n",
	}})
	_, data, err := e.generate(t, "github:acme/twice/main/spicepod.yaml", "")
	if err != nil {
		t.Fatal(err)
	}
	names, _ := fakegithub.Unzip(t, data)
	want := []string{"spicepod.yaml", "spicepods/", "spicepods/acme/", "spicepods/acme/base/", "spicepods/acme/base/spicepod.yaml"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("entries mismatch (-want +got):\n%s", diff)
	}
}

// TestCacheRechecksToken checks that a package kept for a token is served
// only while GitHub still lets that token read the repository: a revoked
// token gets what GitHub answers, not the kept package.
func TestCacheRechecksToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, pkggen.Options{})
	private := fakegithub.SpiceDemo("acme", "secret", sha)
	private.Token = "tok"
	e.gh.Add(private)
	from := "github:acme/secret/" + sha + "/spicepod.yaml"
	if _, _, err := e.generate(t, from, "tok"); err != nil {
		t.Fatal(err)
	}
	e.gh.Reset()
	p, _, err := e.generate(t, from, "tok")
	if err != nil || !p.Cached {
		t.Fatalf("while the token is good: err %v, Cached %v", err, p != nil && p.Cached)
	}
	var paths []string
	for _, r := range e.gh.Requests() {
		paths = append(paths, r.Path)
	}
	if diff := cmp.Diff([]string{"/raw/acme/secret/" + sha + "/spicepod.yaml"}, paths); diff != "" {
		t.Errorf("a cached package asked GitHub (-want +got):\n%s", diff)
	}

	private.Token = "rotated"
	e.gh.Add(private)
	if _, _, err := e.generate(t, from, "tok"); !errs.Is(err, errs.NotFound) {
		t.Errorf("with a revoked token: error %v, want errs.NotFound from GitHub", err)
	}
}

// TestMaxRunning checks that generations beyond Options.MaxRunning wait
// for a running one to end before asking GitHub anything, so that the
// disk and connections all callers together use stay bounded.
func TestMaxRunning(t *testing.T) {
	t.Parallel()
	e := newEnv(t, pkggen.Options{MaxRunning: 1, Timeout: 10 * time.Second})
	e.gh.Add(fakegithub.Repo{Org: "acme", Name: "small", Ref: "main", Files: map[string]string{
		"spicepod.yaml": "version: v1\nkind: Spicepod\nname: s\n"}})
	e.gh.Fail(mainRaw+"data/trips.csv", fakegithub.Fault{Delay: 600 * time.Millisecond})
	var wg sync.WaitGroup
	var slowEnd, smallEnd time.Time
	wg.Go(func() {
		if _, _, err := e.generate(t, "github:acme/taxi/main/spicepod.yaml", ""); err != nil {
			t.Error(err)
		}
		slowEnd = time.Now()
	})
	time.Sleep(150 * time.Millisecond) // the slow one is running
	wg.Go(func() {
		if _, _, err := e.generate(t, "github:acme/small/main/spicepod.yaml", ""); err != nil {
			t.Error(err)
		}
		smallEnd = time.Now()
	})
	wg.Wait()
	if smallEnd.Before(slowEnd) {
		t.Errorf("a second generation ran beside the first with MaxRunning 1 (ended %v before it)", slowEnd.Sub(smallEnd))
	}
}
