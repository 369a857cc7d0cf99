package e2e

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"wharf/internal/format/hab"
	"wharf/internal/testserver"
)

// TestHabRegress pins down the depot's answers where it once went wrong:
// OAuth scopes and restricted tokens capping what a member sees and does,
// origin and package names compared exactly, a delete racing a promotion
// to stable, bad input answered with a 4xx, private releases cached
// privately, and events and rdeps following release visibility.
func TestHabRegress(t *testing.T) {
	eachHabBackend(t, func(t *testing.T, e *env) {
		for _, c := range []struct {
			name string
			fn   func(t *testing.T, e *env)
		}{
			{"OAuthScopes", testRegressOAuthScopes},
			{"RestrictedToken", testRegressRestricted},
			{"ExactOriginName", testRegressOriginCase},
			{"PromoteDeleteRace", testRegressPromoteDelete},
			{"BadInput", testRegressBadInput},
			{"PackageNameCase", testRegressPackageCase},
			{"PrivateCache", testRegressPrivateCache},
			{"EventsVisibility", testRegressEventsVisibility},
			{"RdepsVisibility", testRegressRdeps},
		} {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				c.fn(t, e)
			})
		}
	})
}

// postHart uploads a built .hart of id for x86_64-linux as c.
func postHart(t testing.TB, c *client, id hab.Ident, data []byte) *response {
	t.Helper()
	q := url.Values{"checksum": {checksumOf(data)}, "target": {hab.DefaultTarget}}
	return c.do(t, http.MethodPost, pkgURL(id)+"?"+q.Encode(), data)
}

// regEvents lists the events of a channel from yesterday to tomorrow as
// c, as "Operation origin/name/version/release".
func regEvents(t testing.TB, c *client, channel string) []string {
	t.Helper()
	now := time.Now().UTC()
	q := url.Values{"from_date": {now.AddDate(0, 0, -1).Format("2006-01-02")},
		"to_date": {now.AddDate(0, 0, 1).Format("2006-01-02")}, "channel": {channel}}
	var evs []habEvent
	c.do(t, http.MethodGet, "/v1/depot/events?"+q.Encode(), nil).want(t, http.StatusOK).decodePage(t, &evs)
	var out []string
	for _, ev := range evs {
		id := ev.PackageIdent
		out = append(out, ev.Operation+" "+id.Origin+"/"+id.Name+"/"+id.Version+"/"+id.Release)
	}
	return out
}

// searchIdents runs a package search as c and returns the idents found.
func searchIdents(t testing.TB, c *client, query string) []string {
	t.Helper()
	var items []identJSON
	c.do(t, http.MethodGet, "/v1/depot/pkgs/search/"+url.PathEscape(query), nil).want(t, http.StatusOK).decodePage(t, &items)
	var out []string
	for _, i := range items {
		out = append(out, i.String())
	}
	return out
}

// channelNames lists an origin's channels, bldr-* ones included.
func channelNames(t testing.TB, c *client, origin string) []string {
	t.Helper()
	var chans []struct {
		Name string `json:"name"`
	}
	c.do(t, http.MethodGet, "/v1/depot/channels/"+url.PathEscape(origin)+"?sandbox=true", nil).want(t, http.StatusOK).decode(t, &chans)
	var out []string
	for _, ch := range chans {
		out = append(out, ch.Name)
	}
	return out
}

// releaseChannels lists the channels of a release as c.
func releaseChannels(t testing.TB, c *client, id hab.Ident) []string {
	t.Helper()
	var chans []struct {
		Name string `json:"name"`
	}
	c.do(t, http.MethodGet, pkgURL(id)+"/channels?target=x86_64-linux", nil).want(t, http.StatusOK).decode(t, &chans)
	var out []string
	for _, ch := range chans {
		out = append(out, ch.Name)
	}
	return out
}

// testRegressOAuthScopes: an OAuth token's scopes cap its user's origin
// role (reference: roles; docs/api/habitat.md "The model").
func testRegressOAuthScopes(t *testing.T, e *env) {
	owner := newDepotUser(t, e)
	o := createOrigin(t, e, owner, newOriginKeys(t, ""), "private")
	member := o.member(t, "member")
	owner.api.do(t, http.MethodPost, "/v1/depot/origins/"+o.name+"/secret_keys/"+o.sec.Revision, o.sec.String()).
		want(t, http.StatusCreated)
	h := o.hartOf(t, o.name+"/secret/1.0.0/"+release(1))
	owner.api.mustUpload(t, h)
	app := makeApp(t, owner.basic(), o.name, "https://client.example/cb")
	token := func(u *depotUser, scope string) *client {
		return e.withAuth("Bearer " + oauthToken(t, e, app, u.user, scope))
	}
	origin := "/v1/depot/origins/" + o.name
	download := pkgURL(h.id) + "/download?target=x86_64-linux"

	// What the owner's full token and anyone see, for comparison.
	owner.api.do(t, http.MethodGet, pkgURL(h.id), nil).want(t, http.StatusOK)
	owner.api.do(t, http.MethodGet, origin+"/encryption_key", nil).want(t, http.StatusOK)
	owner.api.do(t, http.MethodGet, origin+"/secret_keys/latest", nil).want(t, http.StatusOK)
	e.anon().do(t, http.MethodGet, pkgURL(h.id), nil).want(t, http.StatusNotFound)

	t.Run("UserRead", func(t *testing.T) {
		c := token(owner, "user:read")
		c.do(t, http.MethodGet, pkgURL(h.id), nil).want(t, http.StatusNotFound)
		c.do(t, http.MethodGet, download, nil).want(t, http.StatusNotFound)
		c.do(t, http.MethodGet, "/v1/depot/pkgs/"+o.name+"/secret/latest?target=x86_64-linux", nil).want(t, http.StatusNotFound)
		var items []identJSON
		c.do(t, http.MethodGet, "/v1/depot/pkgs/"+o.name+"/secret", nil).want(t, http.StatusOK).decodePage(t, &items)
		if len(items) != 0 {
			t.Errorf("user:read token lists private releases: %v", items)
		}
		c.do(t, http.MethodGet, origin+"/encryption_key", nil).want(t, http.StatusForbidden)
		c.do(t, http.MethodGet, origin+"/users", nil).want(t, http.StatusForbidden)
	})
	t.Run("RepoCreate", func(t *testing.T) {
		c := token(owner, "repo:create")
		c.do(t, http.MethodGet, origin+"/secret_keys/latest", nil).want(t, http.StatusForbidden)
		h2 := o.hartOf(t, o.name+"/secret/1.0.0/"+release(2))
		c.upload(t, h2).want(t, http.StatusForbidden)
		owner.api.do(t, http.MethodGet, pkgURL(h2.id), nil).want(t, http.StatusNotFound)
		c.do(t, http.MethodDelete, pkgURL(h.id), nil).want(t, http.StatusForbidden)
		owner.api.do(t, http.MethodGet, pkgURL(h.id), nil).want(t, http.StatusOK)
	})
	t.Run("RepoRead", func(t *testing.T) {
		c := token(member, "repo:read")
		p := c.do(t, http.MethodGet, pkgURL(h.id), nil).want(t, http.StatusOK).decodePkg(t)
		p.wantIdent(t, h.id)
		c.do(t, http.MethodGet, download, nil).want(t, http.StatusOK).wantBody(t, h.data)
		c.upload(t, o.hartOf(t, o.name+"/secret/1.0.0/"+release(3))).want(t, http.StatusForbidden)
	})
	t.Run("RepoWrite", func(t *testing.T) {
		c := token(owner, "repo:write repo:create")
		h4 := o.hartOf(t, o.name+"/secret/1.0.0/"+release(4))
		c.mustUpload(t, h4)
		owner.api.do(t, http.MethodGet, pkgURL(h4.id), nil).want(t, http.StatusOK)
		// Promoting is a maintainer's: repo:write does not reach it.
		c.do(t, http.MethodPut, chanURL(h4.id, "unstable")+"/promote?target=x86_64-linux", nil).want(t, http.StatusUnauthorized)
		c.sendJSON(t, http.MethodPut, origin, map[string]any{"default_package_visibility": "public"}).want(t, http.StatusForbidden)
	})
	t.Run("OrgAdmin", func(t *testing.T) {
		c := token(owner, "org:admin")
		c.do(t, http.MethodPut, origin+"/users/"+member.name+"/role?role=maintainer", nil).want(t, http.StatusNoContent)
		var v struct {
			Role string `json:"role"`
		}
		owner.api.do(t, http.MethodGet, origin+"/users/"+member.name+"/role", nil).want(t, http.StatusOK).decode(t, &v)
		if v.Role != "maintainer" {
			t.Errorf("role after an org:admin token set it: %q, want maintainer", v.Role)
		}
		c.do(t, http.MethodGet, origin+"/encryption_key", nil).want(t, http.StatusOK)
	})
}

// testRegressRestricted: a token restricted to a repository of its user
// reads no private package of the origins the user is a member of, in
// search and events either.
func testRegressRestricted(t *testing.T, e *env) {
	owner := newDepotUser(t, e)
	o := newOrigin(t, e, owner)
	u := o.member(t, "member")
	name := testserver.RandomName("rs")
	pub := o.hartOf(t, o.name+"/"+name+"/1.0.0/"+release(1))
	priv := o.hartOf(t, o.name+"/"+name+"/2.0.0/"+release(2))
	owner.api.mustUpload(t, pub)
	owner.api.mustUpload(t, priv)
	owner.api.do(t, http.MethodPatch, pkgURL(priv.id)+"/private", nil).want(t, http.StatusOK)
	channel := testserver.RandomName("ev")
	owner.api.promote(t, pub, channel)
	owner.api.promote(t, priv, channel)

	restricted := e.withAuth("Bearer " + u.apiToken(t, "repository:"+u.name+"/x:pull"))
	restricted.do(t, http.MethodGet, pkgURL(priv.id), nil).want(t, http.StatusNotFound)

	both := []string{priv.id.String(), pub.id.String()}
	only := []string{pub.id.String()}
	got := searchIdents(t, u.api, name)
	slices.Sort(got)
	slices.Sort(both)
	wantSeq(t, "member's search", got, both)
	wantSeq(t, "restricted token's search", searchIdents(t, restricted, name), only)
	wantSeq(t, "anonymous search", searchIdents(t, e.anon(), name), only)

	wantSeq(t, "member's events", regEvents(t, u.api, channel), []string{"Promote " + priv.id.String(), "Promote " + pub.id.String()})
	wantSeq(t, "restricted token's events", regEvents(t, restricted, channel), []string{"Promote " + pub.id.String()})
}

// testRegressOriginCase: origin names are matched exactly, so another
// spelling cannot slip past the rdeps guard of a delete.
func testRegressOriginCase(t *testing.T, e *env) {
	owner := newDepotUser(t, e)
	o := newOrigin(t, e, owner)
	lib := o.hartOf(t, o.name+"/openssl/1.0.0/"+release(1))
	owner.api.mustUpload(t, lib)
	appID := ident(o.name, "app", "1.0.0", release(2))
	postHart(t, owner.api, appID, habPkg{ident: appID, tdeps: []hab.Ident{lib.id}}.build(t, o.sec)).want(t, http.StatusCreated)

	up := strings.ToUpper(o.name)
	upper := lib.id
	upper.Origin = up
	owner.api.do(t, http.MethodDelete, pkgURL(upper), nil).want(t, http.StatusNotFound)
	owner.api.do(t, http.MethodGet, pkgURL(lib.id), nil).want(t, http.StatusOK)
	owner.api.do(t, http.MethodDelete, pkgURL(lib.id), nil).wantStatusText(t, http.StatusUnprocessableEntity, "Deleting package with rdeps not allowed")
	owner.api.do(t, http.MethodGet, pkgURL(lib.id), nil).want(t, http.StatusOK)
	for _, c := range []*client{e.anon(), owner.api} {
		c.do(t, http.MethodGet, "/v1/depot/origins/"+up, nil).want(t, http.StatusNotFound)
		c.do(t, http.MethodGet, "/v1/depot/origins/"+o.name, nil).want(t, http.StatusOK)
	}
}

// testRegressPromoteDelete races a promotion to stable against a delete
// of the same release: never both.
func testRegressPromoteDelete(t *testing.T, e *env) {
	const n = 20
	owner := newDepotUser(t, e)
	o := newOrigin(t, e, owner)
	owner.api.do(t, http.MethodPost, "/v1/depot/channels/"+o.name+"/stable", nil).want(t, http.StatusCreated, http.StatusConflict)
	metas := make([]hab.Metadata, n)
	for i := range metas {
		metas[i] = pkgMeta(t, o.name+"/race/1.0.0/"+release(i))
	}
	harts := buildHarts(t, o.sec, metas)
	owner.api.uploadAll(t, harts)

	type result struct {
		promote, del int
		err          error
	}
	results := make([]result, n)
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	send := func(i int, method, target string, into *int) {
		defer wg.Done()
		<-start
		r, err := owner.api.send(t, method, target, nil)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			results[i].err = err
			return
		}
		*into = r.Status
	}
	for i, h := range harts {
		wg.Add(2)
		go send(i, http.MethodPut, chanURL(h.id, "stable")+"/promote?target=x86_64-linux", &results[i].promote)
		go send(i, http.MethodDelete, pkgURL(h.id), &results[i].del)
	}
	close(start)
	wg.Wait()

	for i, h := range harts {
		res := results[i]
		if res.err != nil {
			t.Errorf("%s: %v", h.id, res.err)
			continue
		}
		r := owner.api.do(t, http.MethodGet, pkgURL(h.id), nil)
		switch {
		case res.promote == http.StatusOK && res.del == http.StatusNoContent:
			t.Errorf("%s: promotion to stable (200) and delete (204) both succeeded", h.id)
		case r.Status == http.StatusOK:
			if res.promote != http.StatusOK || res.del != http.StatusUnprocessableEntity {
				t.Errorf("%s exists after promote %d, delete %d; want 200 and 422", h.id, res.promote, res.del)
			}
			if chans := releaseChannels(t, owner.api, h.id); !slices.Contains(chans, "stable") {
				t.Errorf("%s survived the delete but is not in stable: %q", h.id, chans)
			}
		case r.Status == http.StatusNotFound:
			if res.promote != http.StatusNotFound || res.del != http.StatusNoContent {
				t.Errorf("%s is gone after promote %d, delete %d; want 404 and 204", h.id, res.promote, res.del)
			}
		default:
			t.Errorf("%s after the race:\n%s", h.id, r)
		}
	}
}

// testRegressBadInput: names that are not clean UTF-8, over-long channel
// names and a secret name with a NUL are the caller's mistakes, on both
// stores.
func testRegressBadInput(t *testing.T, e *env) {
	owner := newDepotUser(t, e)
	o := newOrigin(t, e, owner)
	h := o.hartOf(t, o.name+"/good/1.0.0/"+release(1))
	owner.api.mustUpload(t, h)
	on := o.name
	rel := h.id.Release

	t.Run("Paths", func(t *testing.T) {
		for _, bad := range []string{"%FF", "%00", "a%FFb", "a%00b", "%C3%28"} {
			gets := []string{
				"/v1/depot/origins/" + bad,
				"/v1/depot/origins/" + bad + "/keys/latest",
				"/v1/depot/pkgs/" + bad + "/good/1.0.0/" + rel,
				"/v1/depot/pkgs/" + on + "/" + bad,
				"/v1/depot/pkgs/" + on + "/" + bad + "/latest",
				"/v1/depot/pkgs/" + on + "/good/" + bad + "/" + rel,
				"/v1/depot/pkgs/" + on + "/good/1.0.0/" + bad,
				"/v1/depot/pkgs/" + on + "/good/1.0.0/" + bad + "/download",
				"/v1/depot/channels/" + on + "/" + bad + "/pkgs",
				"/v1/depot/channels/" + on + "/" + bad + "/pkgs/good/latest",
				"/v1/depot/channels/" + on + "/" + bad + "/pkgs/good/1.0.0/" + rel,
				"/v1/depot/pkgs/search/" + bad,
				"/v1/settings/" + on + "/" + bad,
				"/v1/rdeps/" + on + "/" + bad,
				"/v1/depot/" + bad + "/pkgs",
			}
			for _, p := range gets {
				e.anon().do(t, http.MethodGet, p, nil).want(t, http.StatusBadRequest)
				owner.api.do(t, http.MethodGet, p, nil).want(t, http.StatusBadRequest)
			}
			owner.api.do(t, http.MethodPost, "/v1/depot/channels/"+on+"/"+bad, nil).want(t, http.StatusBadRequest)
			owner.api.do(t, http.MethodPut, "/v1/depot/channels/"+on+"/"+bad+"/pkgs/good/1.0.0/"+rel+"/promote?target=x86_64-linux", nil).
				want(t, http.StatusBadRequest)
			owner.api.do(t, http.MethodPost, "/v1/depot/pkgs/"+on+"/"+bad+"/1.0.0/"+rel+"?checksum="+h.checksum+"&target=x86_64-linux", h.data).
				want(t, http.StatusBadRequest)
			owner.api.do(t, http.MethodPost, "/v1/settings/"+on+"/"+bad, nil).want(t, http.StatusBadRequest)
			today := time.Now().UTC().Format("2006-01-02")
			for _, k := range []string{"channel", "query"} {
				e.anon().do(t, http.MethodGet, "/v1/depot/events?from_date="+today+"&to_date="+today+"&"+k+"="+bad, nil).
					want(t, http.StatusBadRequest)
			}
			owner.api.do(t, http.MethodPut, "/v1/depot/channels/"+on+"/unstable/pkgs/promote?channel="+bad, nil).want(t, http.StatusBadRequest)
			e.anon().do(t, http.MethodGet, "/v1/depot/pkgs/"+on+"/good/1.0.0/"+rel+"?target="+bad, nil).want(t, http.StatusBadRequest)
		}
	})

	// Channel names: at most 255 bytes.
	long := strings.Repeat("c", 300)
	t.Run("ChannelNames", func(t *testing.T) {
		owner.api.do(t, http.MethodPost, "/v1/depot/channels/"+on+"/"+long, nil).want(t, http.StatusUnprocessableEntity).wantNonEmptyText(t)
		longest := strings.Repeat("d", 255)
		owner.api.do(t, http.MethodPost, "/v1/depot/channels/"+on+"/"+longest, nil).want(t, http.StatusCreated)
		// Bulk promotion names its new channel in the query; the front maps
		// an invalid name to 400.
		owner.api.do(t, http.MethodPut, "/v1/depot/channels/"+on+"/unstable/pkgs/promote?channel=a%2Fb", nil).want(t, http.StatusBadRequest)
		owner.api.do(t, http.MethodPut, "/v1/depot/channels/"+on+"/unstable/pkgs/promote?channel="+long, nil).want(t, http.StatusBadRequest)
		chans := channelNames(t, owner.api, on)
		for _, bad := range []string{"a/b", long} {
			if slices.Contains(chans, bad) {
				t.Errorf("a refused channel name was created: %q", abbrev([]byte(bad)))
			}
		}
		if !slices.Contains(chans, longest) {
			t.Errorf("channel of 255 bytes missing from %q", chans)
		}
		if got := releaseChannels(t, owner.api, h.id); slices.ContainsFunc(got, func(c string) bool { return c == "a/b" || c == long }) {
			t.Errorf("release promoted to a refused channel: %q", got)
		}
	})

	// A secret whose name holds a NUL.
	t.Run("SecretName", func(t *testing.T) {
		admin := &habActor{user: owner.user, c: owner.api}
		box := sealSecret(t, admin, on, "v")
		r := owner.api.sendJSON(t, http.MethodPost, "/v1/depot/origins/"+on+"/secret", map[string]string{"name": "a\x00b", "value": box})
		if r.Status < 400 || r.Status >= 500 {
			t.Errorf("secret named a\\x00b: want a 4xx\n%s", r)
		}
		var secrets []habSecret
		owner.api.do(t, http.MethodGet, "/v1/depot/origins/"+on+"/secret", nil).want(t, http.StatusOK).decode(t, &secrets)
		if len(secrets) != 0 {
			t.Errorf("secrets after the refusal: %+v", secrets)
		}
	})
}

// testRegressPackageCase: package names that differ only in case are
// refused, and another spelling names no package.
func testRegressPackageCase(t *testing.T, e *env) {
	owner := newDepotUser(t, e)
	o := newOrigin(t, e, owner)
	h := o.hartOf(t, o.name+"/Case/1.0.0/"+release(1))
	owner.api.mustUpload(t, h)
	lower := o.hartOf(t, o.name+"/case/1.0.0/"+release(2))
	r := owner.api.upload(t, lower).want(t, http.StatusUnprocessableEntity).wantNonEmptyText(t)
	if !strings.Contains(string(r.Body), "case") {
		t.Errorf("refusal does not say why: %q", r.Body)
	}
	owner.api.do(t, http.MethodGet, pkgURL(lower.id), nil).want(t, http.StatusNotFound)
	owner.api.do(t, http.MethodGet, "/v1/settings/"+o.name+"/Case", nil).want(t, http.StatusOK)
	for _, n := range []string{"CASE", "case"} {
		owner.api.do(t, http.MethodGet, "/v1/settings/"+o.name+"/"+n, nil).want(t, http.StatusNotFound)
	}
	owner.api.do(t, http.MethodPost, "/v1/settings/"+o.name+"/CASE", nil).want(t, http.StatusUnprocessableEntity)
	owner.api.do(t, http.MethodGet, "/v1/settings/"+o.name+"/CASE", nil).want(t, http.StatusNotFound)
}

// testRegressPrivateCache: a private release's .hart and JSON may be
// kept by the caller's cache only.
func testRegressPrivateCache(t *testing.T, e *env) {
	owner := newDepotUser(t, e)
	o := createOrigin(t, e, owner, newOriginKeys(t, ""), "private")
	h := o.hartOf(t, o.name+"/hidden/1.0.0/"+release(1))
	owner.api.mustUpload(t, h)
	wantPrivate := func(r *response) {
		t.Helper()
		if cc := r.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "private, max-age=") {
			t.Errorf("%s %s: Cache-Control %q, want private, max-age=…", r.method, r.target, cc)
		}
	}
	wantPrivate(owner.api.do(t, http.MethodGet, pkgURL(h.id), nil).want(t, http.StatusOK))
	wantPrivate(owner.api.do(t, http.MethodGet, pkgURL(h.id)+"/download?target=x86_64-linux", nil).want(t, http.StatusOK).wantBody(t, h.data))
	owner.api.do(t, http.MethodPatch, pkgURL(h.id)+"/public", nil).want(t, http.StatusOK)
	owner.api.do(t, http.MethodGet, pkgURL(h.id)+"/download?target=x86_64-linux", nil).want(t, http.StatusOK).
		wantHeader(t, "Cache-Control", "public, max-age=31536000")
}

// testRegressEventsVisibility: a release made private takes its events
// out of what outsiders see.
func testRegressEventsVisibility(t *testing.T, e *env) {
	owner := newDepotUser(t, e)
	o := newOrigin(t, e, owner)
	member := o.member(t, "readonly_member")
	outsider := newDepotUser(t, e)
	h := o.hartOf(t, o.name+"/ev/1.0.0/"+release(1))
	owner.api.mustUpload(t, h)
	channel := testserver.RandomName("ev")
	owner.api.promote(t, h, channel)
	want := []string{"Promote " + h.id.String()}
	wantSeq(t, "anonymous events of a public release", regEvents(t, e.anon(), channel), want)

	owner.api.do(t, http.MethodPatch, pkgURL(h.id)+"/private", nil).want(t, http.StatusOK)
	wantSeq(t, "anonymous events of a private release", regEvents(t, e.anon(), channel), nil)
	wantSeq(t, "outsider's events of a private release", regEvents(t, outsider.api, channel), nil)
	wantSeq(t, "member's events of a private release", regEvents(t, member.api, channel), want)
	wantSeq(t, "owner's events of a private release", regEvents(t, owner.api, channel), want)

	owner.api.do(t, http.MethodPatch, pkgURL(h.id)+"/public", nil).want(t, http.StatusOK)
	wantSeq(t, "anonymous events of a release made public again", regEvents(t, e.anon(), channel), want)
}

// testRegressRdeps: a private package of a public origin is an rdep only
// for those who see it.
func testRegressRdeps(t *testing.T, e *env) {
	coreOwner, owner := newDepotUser(t, e), newDepotUser(t, e)
	core := newOrigin(t, e, coreOwner)
	lib := core.hartOf(t, core.name+"/openssl/1.0.0/"+release(1))
	coreOwner.api.mustUpload(t, lib)
	o := newOrigin(t, e, owner)
	member := o.member(t, "readonly_member")
	priv := ident(o.name, "secretapp", "1.0.0", release(2))
	pub := ident(o.name, "openapp", "1.0.0", release(3))
	for _, id := range []hab.Ident{priv, pub} {
		postHart(t, owner.api, id, habPkg{ident: id, tdeps: []hab.Ident{lib.id}}.build(t, o.sec)).want(t, http.StatusCreated)
	}
	owner.api.do(t, http.MethodPatch, pkgURL(priv)+"/private", nil).want(t, http.StatusOK)

	all := []string{o.name + "/openapp", o.name + "/secretapp"}
	public := []string{o.name + "/openapp"}
	wantStrings(t, "rdeps anonymously", rdeps(t, e.anon(), core.name, "openssl", ""), public...)
	wantStrings(t, "rdeps for a stranger", rdeps(t, newDepotUser(t, e).api, core.name, "openssl", ""), public...)
	wantStrings(t, "rdeps for core's owner", rdeps(t, coreOwner.api, core.name, "openssl", ""), public...)
	wantStrings(t, "rdeps for the owner", rdeps(t, owner.api, core.name, "openssl", ""), all...)
	wantStrings(t, "rdeps for a member", rdeps(t, member.api, core.name, "openssl", ""), all...)
}
