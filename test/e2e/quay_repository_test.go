package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
)

// TestQuayRepository drives the repository endpoints of the Quay API:
// create with every validation error, read with tags, list with its
// filters and pages, description, visibility, trust and delete, and who
// may do each.
func TestQuayRepository(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.opt)
			owner, other := e.newUser(t, false), e.newUser(t, false)
			oc, xc, anon := owner.quayAPI(t), other.quayAPI(t), e.anon()
			t.Run("create", func(t *testing.T) { testQuayRepoCreate(t, owner, oc, xc, anon) })
			t.Run("get", func(t *testing.T) { testQuayRepoGet(t, owner, oc, xc, anon) })
			t.Run("list", func(t *testing.T) { testQuayRepoList(t, owner, oc, xc, anon) })
			t.Run("change", func(t *testing.T) { testQuayRepoChange(t, owner, oc, xc, anon) })
			t.Run("paging", func(t *testing.T) { testQuayRepoPaging(t, e) })
			t.Run("scoped token", func(t *testing.T) { testQuayRepoScopedToken(t, owner, oc) })
		})
	}
}

const jsonCT = "application/json"

func testQuayRepoCreate(t *testing.T, owner *user, oc, xc, anon *client) {
	post := func(c *client, body any) *response {
		t.Helper()
		return c.do(t, http.MethodPost, "/api/v1/repository", mustJSON(t, body), "Content-Type", jsonCT)
	}
	ns := owner.name
	r := post(oc, map[string]any{"namespace": ns, "repository": "app", "visibility": "private", "description": "an app"}).
		want(t, http.StatusCreated).jsonObject(t)
	if r["namespace"] != ns || r["name"] != "app" || r["kind"] != "image" {
		t.Errorf("create answered %v", r)
	}
	// Without a namespace the caller's own is used; nested names are fine.
	r = post(oc, map[string]any{"repository": "team/tool", "visibility": "public", "description": ""}).
		want(t, http.StatusCreated).jsonObject(t)
	if r["namespace"] != ns || r["name"] != "team/tool" {
		t.Errorf("create of a nested name answered %v", r)
	}
	post(oc, map[string]any{"namespace": ns, "repository": "app", "visibility": "private", "description": ""}).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "Repository already exists")
	for _, name := range []string{"Upper", "-lead", "a//b", "trail/", "sp ace"} {
		post(oc, map[string]any{"namespace": ns, "repository": name, "visibility": "private", "description": ""}).
			wantProblem(t, http.StatusBadRequest, "invalid_request", "Invalid repository name")
	}
	for _, tc := range []struct {
		body   map[string]any
		detail string
	}{
		{map[string]any{"visibility": "private", "description": ""}, "'repository' is a required property"},
		{map[string]any{"repository": "x", "description": ""}, "'visibility' is a required property"},
		{map[string]any{"repository": "x", "visibility": "private"}, "'description' is a required property"},
		{map[string]any{"repository": "x", "visibility": "secret", "description": ""}, `"secret" is not one of ['public', 'private']`},
	} {
		post(oc, tc.body).wantProblem(t, http.StatusBadRequest, "invalid_request", tc.detail)
	}
	post(oc, map[string]any{"repository": 5, "visibility": "private", "description": ""}).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "")
	oc.do(t, http.MethodPost, "/api/v1/repository", nil).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "Missing JSON body")
	oc.do(t, http.MethodPost, "/api/v1/repository", "{not json").
		wantProblem(t, http.StatusBadRequest, "invalid_request", "")

	body := map[string]any{"namespace": ns, "repository": "intruded", "visibility": "public", "description": ""}
	post(anon, body).wantRefused(t, true)
	post(xc, body).wantRefused(t, false)
	// A namespace that does not exist is refused like a foreign one.
	post(oc, map[string]any{"namespace": "no-such-ns-" + ns, "repository": "x", "visibility": "public", "description": ""}).
		wantRefused(t, false)
	oc.do(t, http.MethodGet, "/api/v1/repository/"+ns+"/intruded", nil).
		wantProblem(t, http.StatusNotFound, "not_found", "")
}

func testQuayRepoGet(t *testing.T, owner *user, oc, xc, anon *client) {
	ns := owner.name
	createQuayRepo(t, oc, ns, "shown", "private")
	img := pushedImage(t, owner.bearer(t, scope(ns+"/shown", "pull,push")), ns+"/shown", "v1")

	r := oc.do(t, http.MethodGet, "/api/v1/repository/"+ns+"/shown", nil).want(t, http.StatusOK).jsonObject(t)
	want := map[string]any{
		"namespace": ns, "name": "shown", "kind": "image", "description": "", "is_public": false,
		"is_organization": false, "is_starred": false, "trust_enabled": false, "state": "NORMAL",
		"can_write": true, "can_admin": true,
	}
	for k, v := range want {
		if r[k] != v {
			t.Errorf("GET repository: %s = %v, want %v", k, r[k], v)
		}
	}
	for _, k := range []string{"status_token", "tag_expiration_s", "is_free_account"} {
		if _, ok := r[k]; !ok {
			t.Errorf("GET repository: no %s", k)
		}
	}
	tags, _ := r["tags"].(map[string]any)
	tag, _ := tags["v1"].(map[string]any)
	if len(tags) != 1 || tag["name"] != "v1" || tag["manifest_digest"] != img.digest ||
		tag["size"] != float64(len(img.body)) || tag["last_modified"] == nil {
		t.Errorf("GET repository: tags = %v, want v1 at %s", r["tags"], img.digest)
	}
	r = oc.do(t, http.MethodGet, "/api/v1/repository/"+ns+"/shown?includeTags=false&includeStats=true", nil).
		want(t, http.StatusOK).jsonObject(t)
	if _, ok := r["tags"]; ok {
		t.Errorf("includeTags=false still shows tags")
	}
	if stats, _ := r["stats"].([]any); len(stats) != 92 {
		t.Errorf("includeStats: %d days, want 92", len(stats))
	} else if last, _ := stats[91].(map[string]any); last["count"].(float64) < 1 {
		t.Errorf("includeStats: today counts %v actions, want the creation at least", last["count"])
	}

	// A private repository is refused before anything is looked up.
	anon.do(t, http.MethodGet, "/api/v1/repository/"+ns+"/shown", nil).wantRefused(t, true)
	xc.do(t, http.MethodGet, "/api/v1/repository/"+ns+"/shown", nil).wantRefused(t, false)
	anon.do(t, http.MethodGet, "/api/v1/repository/"+ns+"/missing", nil).wantRefused(t, true)
	xc.do(t, http.MethodGet, "/api/v1/repository/"+ns+"/missing", nil).wantRefused(t, false)
	oc.do(t, http.MethodGet, "/api/v1/repository/"+ns+"/missing", nil).wantProblem(t, http.StatusNotFound, "not_found", "")

	// Anyone reads a public one, without the rights to change it.
	createQuayRepo(t, oc, ns, "open", "public")
	for _, c := range []*client{anon, xc} {
		r = c.do(t, http.MethodGet, "/api/v1/repository/"+ns+"/open", nil).want(t, http.StatusOK).jsonObject(t)
		if r["is_public"] != true || r["can_write"] != false || r["can_admin"] != false {
			t.Errorf("public repository as a stranger: %v", r)
		}
	}
}

// repoNames returns "namespace/name" of each entry of a list answer.
func repoNames(t *testing.T, r *response) ([]string, map[string]any) {
	t.Helper()
	var body struct {
		Repositories []map[string]any `json:"repositories"`
		NextPage     *string          `json:"next_page"`
	}
	r.decode(t, &body)
	var names []string
	byName := map[string]any{}
	for _, it := range body.Repositories {
		n := fmt.Sprint(it["namespace"], "/", it["name"])
		names = append(names, n)
		byName[n] = it
	}
	if body.NextPage != nil {
		byName["next_page"] = *body.NextPage
	}
	return names, byName
}

func testQuayRepoList(t *testing.T, owner *user, oc, xc, anon *client) {
	ns := owner.name
	createQuayRepo(t, oc, ns, "list-private", "private")
	createQuayRepo(t, oc, ns, "list-public", "public")
	pushedImage(t, owner.bearer(t, scope(ns+"/list-public", "pull,push")), ns+"/list-public", "latest")
	priv, pub := ns+"/list-private", ns+"/list-public"

	oc.do(t, http.MethodGet, "/api/v1/repository", nil).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "namespace, starred or public are required for this API call")
	oc.do(t, http.MethodGet, "/api/v1/repository?repo_kind=application&namespace="+ns, nil).
		wantProblem(t, http.StatusBadRequest, "invalid_request", "")

	names, items := repoNames(t, oc.do(t, http.MethodGet, "/api/v1/repository?namespace="+ns+"&last_modified=true&popularity=true", nil).want(t, http.StatusOK))
	if !slices.Contains(names, priv) || !slices.Contains(names, pub) {
		t.Fatalf("owner's list %v lacks %s or %s", names, priv, pub)
	}
	pi, _ := items[pub].(map[string]any)
	if lm, ok := pi["last_modified"].(float64); !ok || lm < 1.6e9 {
		t.Errorf("last_modified of a tagged repository = %v, want epoch seconds", pi["last_modified"])
	}
	if n, ok := pi["popularity"].(float64); !ok || n < 1 {
		t.Errorf("popularity = %v, want the count of actions, creating the repository included", pi["popularity"])
	}
	if pi["is_starred"] != false || pi["kind"] != "image" || pi["state"] != "NORMAL" || pi["is_public"] != true {
		t.Errorf("list entry %v", pi)
	}
	if pv, _ := items[priv].(map[string]any); pv["last_modified"] != nil {
		t.Errorf("last_modified of an untagged repository = %v, want null", pv["last_modified"])
	}

	// Strangers see nothing of the namespace without public=true, and
	// only its public repositories with it.
	for _, c := range []*client{anon, xc} {
		names, _ = repoNames(t, c.do(t, http.MethodGet, "/api/v1/repository?namespace="+ns, nil).want(t, http.StatusOK))
		if len(names) != 0 {
			t.Errorf("stranger's list of %s without public: %v", ns, names)
		}
		names, items = repoNames(t, c.do(t, http.MethodGet, "/api/v1/repository?public=true&namespace="+ns, nil).want(t, http.StatusOK))
		if !slices.Contains(names, pub) || slices.Contains(names, priv) {
			t.Errorf("stranger's public list of %s: %v", ns, names)
		}
		if _, starred := items[pub].(map[string]any)["is_starred"]; starred == (c == anon) {
			t.Errorf("is_starred shown=%v to the anonymous caller=%v", starred, c == anon)
		}
	}
	names, _ = repoNames(t, xc.do(t, http.MethodGet, "/api/v1/repository?namespace=no-such-namespace-"+ns, nil).want(t, http.StatusOK))
	if len(names) != 0 {
		t.Errorf("list of a missing namespace: %v", names)
	}
	anon.do(t, http.MethodGet, "/api/v1/repository?starred=true", nil).want(t, http.StatusBadRequest)
}

func testQuayRepoChange(t *testing.T, owner *user, oc, xc, anon *client) {
	ns := owner.name
	path := "/api/v1/repository/" + ns + "/changed"
	createQuayRepo(t, oc, ns, "changed", "private")
	get := func() map[string]any {
		return oc.do(t, http.MethodGet, path, nil).want(t, http.StatusOK).jsonObject(t)
	}

	// Every change is written to the usage log, which the statistics count.
	actionsToday := func() float64 {
		t.Helper()
		r := oc.do(t, http.MethodGet, path+"?includeStats=true&includeTags=false", nil).want(t, http.StatusOK).jsonObject(t)
		stats, _ := r["stats"].([]any)
		if len(stats) == 0 {
			t.Fatalf("no stats: %v", r)
		}
		return stats[len(stats)-1].(map[string]any)["count"].(float64)
	}
	before := actionsToday()
	oc.do(t, http.MethodPut, path, `{"description": "new words"}`).want(t, http.StatusOK).wantText(t, `{"success":true}`)
	if d := get()["description"]; d != "new words" {
		t.Errorf("description = %v after PUT", d)
	}
	oc.do(t, http.MethodPut, path, `{}`).wantProblem(t, http.StatusBadRequest, "invalid_request", "'description' is a required property")
	oc.do(t, http.MethodPut, path, `{"description": 3}`).wantProblem(t, http.StatusBadRequest, "invalid_request", "")

	oc.do(t, http.MethodPost, path+"/changetrust", `{"trust_enabled": true}`).want(t, http.StatusOK).wantText(t, `{"success":true}`)
	if r := get(); r["trust_enabled"] != true || r["description"] != "new words" {
		t.Errorf("after changetrust: %v", r)
	}
	oc.do(t, http.MethodPost, path+"/changetrust", `{}`).wantProblem(t, http.StatusBadRequest, "invalid_request", "'trust_enabled' is a required property")

	anon.do(t, http.MethodGet, path, nil).wantRefused(t, true)
	oc.do(t, http.MethodPost, path+"/changevisibility", `{"visibility": "public"}`).want(t, http.StatusOK).wantText(t, `{"success":true}`)
	if after := actionsToday(); after != before+3 {
		t.Errorf("actions today went from %v to %v after three changes, want +3", before, after)
	}
	anon.do(t, http.MethodGet, path, nil).want(t, http.StatusOK)
	oc.do(t, http.MethodPost, path+"/changevisibility", `{"visibility": "hidden"}`).wantProblem(t, http.StatusBadRequest, "invalid_request", "")
	oc.do(t, http.MethodPost, path+"/changevisibility", `{}`).wantProblem(t, http.StatusBadRequest, "invalid_request", "'visibility' is a required property")

	// Strangers may read the now public repository but change nothing.
	for _, c := range []*client{anon, xc} {
		c.do(t, http.MethodPut, path, `{"description": "defaced"}`).wantRefused(t, c == anon)
		c.do(t, http.MethodPost, path+"/changevisibility", `{"visibility": "private"}`).wantRefused(t, c == anon)
		c.do(t, http.MethodPost, path+"/changetrust", `{"trust_enabled": false}`).wantRefused(t, c == anon)
		c.do(t, http.MethodDelete, path, nil).wantRefused(t, c == anon)
	}
	if r := get(); r["description"] != "new words" || r["is_public"] != true || r["trust_enabled"] != true {
		t.Errorf("strangers changed the repository: %v", r)
	}

	pushedImage(t, owner.bearer(t, scope(ns+"/changed", "pull,push")), ns+"/changed", "v1")
	oc.do(t, http.MethodDelete, path, nil).want(t, http.StatusNoContent)
	oc.do(t, http.MethodGet, path, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	oc.do(t, http.MethodDelete, path, nil).wantProblem(t, http.StatusNotFound, "not_found", "")
	// The name is free again, and the new repository starts empty.
	createQuayRepo(t, oc, ns, "changed", "private")
	if r := get(); len(r["tags"].(map[string]any)) != 0 || r["description"] != "" {
		t.Errorf("recreated repository kept old content: %v", r)
	}
}

func testQuayRepoPaging(t *testing.T, e *env) {
	u := e.newUser(t, false)
	c := u.quayAPI(t)
	var want []string
	for i := range 101 {
		name := fmt.Sprintf("r%03d", i)
		createQuayRepo(t, c, u.name, name, "private")
		want = append(want, u.name+"/"+name)
	}
	page1, items := repoNames(t, c.do(t, http.MethodGet, "/api/v1/repository?namespace="+u.name, nil).want(t, http.StatusOK))
	next, _ := items["next_page"].(string)
	if len(page1) != 100 || next == "" {
		t.Fatalf("first page: %d repositories, next_page %q; want 100 and a token", len(page1), next)
	}
	page2, items := repoNames(t, c.do(t, http.MethodGet, "/api/v1/repository?namespace="+u.name+"&next_page="+next, nil).want(t, http.StatusOK))
	if _, more := items["next_page"]; more || len(page2) != 1 {
		t.Errorf("second page: %v, next_page present %v; want 1 repository and no token", page2, more)
	}
	if got := append(page1, page2...); !slices.Equal(got, want) {
		t.Errorf("pages in order of creation: got %v, want %v", got, want)
	}
	// A token that does not decode starts over.
	again, _ := repoNames(t, c.do(t, http.MethodGet, "/api/v1/repository?namespace="+u.name+"&next_page=garbage!", nil).want(t, http.StatusOK))
	if !slices.Equal(again, page1) {
		t.Errorf("a bad token did not start over")
	}
}

// testQuayRepoScopedToken checks that a token limited to pulling one
// repository reads it but changes nothing and lists nothing else private.
func testQuayRepoScopedToken(t *testing.T, owner *user, oc *client) {
	ns := owner.name
	createQuayRepo(t, oc, ns, "scoped", "private")
	createQuayRepo(t, oc, ns, "unscoped", "private")
	sc := owner.quayAPI(t, scope(ns+"/scoped", "pull"))
	r := sc.do(t, http.MethodGet, "/api/v1/repository/"+ns+"/scoped", nil).want(t, http.StatusOK).jsonObject(t)
	if r["can_write"] != false || r["can_admin"] != false {
		t.Errorf("pull-only token: can_write %v, can_admin %v", r["can_write"], r["can_admin"])
	}
	sc.do(t, http.MethodPut, "/api/v1/repository/"+ns+"/scoped", `{"description": "x"}`).wantRefused(t, false)
	sc.do(t, http.MethodGet, "/api/v1/repository/"+ns+"/unscoped", nil).wantRefused(t, false)
	names, _ := repoNames(t, sc.do(t, http.MethodGet, "/api/v1/repository?namespace="+ns, nil).want(t, http.StatusOK))
	if !slices.Contains(names, ns+"/scoped") || slices.Contains(names, ns+"/unscoped") {
		t.Errorf("pull-only token lists %v", names)
	}
}
