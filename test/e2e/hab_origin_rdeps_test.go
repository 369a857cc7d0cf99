package e2e

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"wharf/internal/format/hab"
)

// TestHabRdepsEvents checks reverse dependencies (reference §2.11) and
// the audit events of promotions (§2.12).
func TestHabRdepsEvents(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testHabRdepsEvents(t, newEnv(t, b.opt))
		})
	}
}

// rdeps returns GET /v1/rdeps/{origin}/{name}[?target=] as c.
func rdeps(t testing.TB, c *client, origin, name, target string) []string {
	t.Helper()
	p := "/v1/rdeps/" + origin + "/" + name
	if target != "" {
		p += "?target=" + target
	}
	var v struct {
		Origin string   `json:"origin"`
		Name   string   `json:"name"`
		Rdeps  []string `json:"rdeps"`
	}
	r := c.do(t, http.MethodGet, p, nil).want(t, http.StatusOK)
	r.decode(t, &v)
	if v.Origin != origin || v.Name != name || v.Rdeps == nil {
		t.Errorf("rdeps answer %s", r.Body)
	}
	return v.Rdeps
}

// habEvent is an item of /v1/depot/events.
type habEvent struct {
	Operation    string  `json:"operation"`
	CreatedAt    *string `json:"created_at"`
	Origin       string  `json:"origin"`
	Channel      string  `json:"channel"`
	PackageIdent struct {
		Origin, Name, Version, Release string
	} `json:"package_ident"`
}

func testHabRdepsEvents(t *testing.T, e *env) {
	t.Run("Rdeps", func(t *testing.T) {
		t.Parallel()
		owner, powner, pmember := e.habUser(t), e.habUser(t), e.habUser(t)
		a := owner.createOrigin(t, "")
		p := powner.createOrigin(t, "private")
		powner.addMember(t, p, pmember, "member")

		lib := ident(a, "lib", "1.0.0", "20240101000000")
		lib2 := ident(a, "lib", "1.1.0", "20240201000000")
		owner.publish(t, habPkg{ident: lib})
		owner.publish(t, habPkg{ident: lib2})
		owner.publish(t, habPkg{ident: ident(a, "app", "1.0.0", "20240102000000"), tdeps: []hab.Ident{lib}})
		owner.publish(t, habPkg{ident: ident(a, "newapp", "2.0", "20240202000000"), tdeps: []hab.Ident{lib2}})
		// A dependency of a dependency is in TDEPS too.
		owner.publish(t, habPkg{ident: ident(a, "deep", "1.0", "20240103000000"),
			tdeps: []hab.Ident{ident(a, "app", "1.0.0", "20240102000000"), lib}})
		// Build dependencies do not count.
		owner.publish(t, habPkg{ident: ident(a, "builder", "1.0", "20240104000000"), buildTDeps: []hab.Ident{lib}})
		// Other targets are asked for by name.
		owner.publish(t, habPkg{ident: ident(a, "armapp", "1.0", "20240105000000"), target: "aarch64-linux", tdeps: []hab.Ident{lib}})
		// An origin whose packages are private by default shows its
		// rdeps to its members only.
		pmember.publish(t, habPkg{ident: ident(p, "papp", "1.0", "20240106000000"), tdeps: []hab.Ident{lib}})

		public := []string{a + "/app", a + "/deep", a + "/newapp"}
		wantStrings(t, "rdeps anonymously", rdeps(t, e.anon(), a, "lib", ""), public...)
		wantStrings(t, "rdeps for a stranger", rdeps(t, e.habUser(t).c, a, "lib", ""), public...)
		wantStrings(t, "rdeps for the public origin's owner", rdeps(t, owner.c, a, "lib", ""), public...)
		withPrivate := append(append([]string{}, public...), p+"/papp")
		if p < a {
			withPrivate = append([]string{p + "/papp"}, public...)
		}
		wantStrings(t, "rdeps for a member of the private origin", rdeps(t, pmember.c, a, "lib", ""), withPrivate...)
		wantStrings(t, "rdeps on x86_64-linux", rdeps(t, e.anon(), a, "lib", "x86_64-linux"), public...)
		wantStrings(t, "rdeps on aarch64-linux", rdeps(t, e.anon(), a, "lib", "aarch64-linux"), a+"/armapp")
		wantStrings(t, "rdeps of app", rdeps(t, e.anon(), a, "app", ""), a+"/deep")
		wantStrings(t, "rdeps of a leaf", rdeps(t, e.anon(), a, "deep", ""))
		wantStrings(t, "rdeps of an unknown package", rdeps(t, e.anon(), a, "nosuch", ""))
	})

	t.Run("Events", func(t *testing.T) {
		t.Parallel()
		owner, powner, pmember := e.habUser(t), e.habUser(t), e.habUser(t)
		a := owner.createOrigin(t, "")
		p := powner.createOrigin(t, "private")
		powner.addMember(t, p, pmember, "readonly_member")
		app := ident(a, "app", "1.0.0", "20240102000000")
		papp := ident(p, "papp", "1.0.0", "20240102000000")
		owner.publish(t, habPkg{ident: app})
		powner.publish(t, habPkg{ident: papp})
		chanPath := func(id hab.Ident, channel, op string) string {
			return "/v1/depot/channels/" + id.Origin + "/" + channel + "/pkgs/" + id.Name + "/" + id.Version + "/" + id.Release + "/" + op + "?target=x86_64-linux"
		}
		owner.do(t, http.MethodPut, chanPath(app, "stable", "promote"), nil).want(t, http.StatusOK)
		owner.do(t, http.MethodPut, chanPath(app, "stable", "demote"), nil).want(t, http.StatusOK)
		powner.do(t, http.MethodPut, chanPath(papp, "stable", "promote"), nil).want(t, http.StatusOK)

		now := time.Now().UTC()
		day := func(d time.Time) string { return d.Format("2006-01-02") }
		events := func(c *client, from, to string, extra url.Values) []habEvent {
			q := url.Values{"from_date": {from}, "to_date": {to}}
			for k, v := range extra {
				q[k] = v
			}
			var env struct {
				TotalCount int        `json:"total_count"`
				Data       []habEvent `json:"data"`
			}
			c.do(t, http.MethodGet, "/v1/depot/events?"+q.Encode(), nil).want(t, http.StatusOK).decode(t, &env)
			var mine []habEvent
			for _, ev := range env.Data {
				wantStamp(t, "event created_at", ev.CreatedAt)
				if ev.Origin == a || ev.Origin == p {
					mine = append(mine, ev)
				}
			}
			return mine
		}
		summary := func(evs []habEvent) []string {
			out := []string{}
			for _, ev := range evs {
				id := ev.PackageIdent
				out = append(out, ev.Operation+" "+ev.Channel+" "+id.Origin+"/"+id.Name+"/"+id.Version+"/"+id.Release)
			}
			return out
		}
		from, to := day(now.AddDate(0, 0, -1)), day(now.AddDate(0, 0, 1))
		// Newest first; uploads are not audited.
		wantStrings(t, "events anonymously", summary(events(e.anon(), from, to, nil)),
			"Demote stable "+app.String(), "Promote stable "+app.String())
		wantStrings(t, "events for a member of the private origin", summary(events(pmember.c, from, to, nil)),
			"Promote stable "+papp.String(), "Demote stable "+app.String(), "Promote stable "+app.String())
		// Both dates are inclusive; unpadded months and days are taken.
		wantStrings(t, "events of today", summary(events(e.anon(), day(now), day(now), nil)),
			"Demote stable "+app.String(), "Promote stable "+app.String())
		unpadded := now.Format("2006-1-2")
		wantStrings(t, "events with unpadded dates", summary(events(e.anon(), unpadded, unpadded, nil)),
			"Demote stable "+app.String(), "Promote stable "+app.String())
		wantStrings(t, "events of the past", summary(events(e.anon(), "2001-01-01", "2001-02-01", nil)))
		wantStrings(t, "events of the future", summary(events(e.anon(), day(now.AddDate(0, 0, 2)), day(now.AddDate(0, 0, 3)), nil)))
		wantStrings(t, "events of another channel", summary(events(e.anon(), from, to, url.Values{"channel": {"unstable"}})))

		for _, q := range []string{"", "?from_date=" + from, "?to_date=" + to, "?from_date=yesterday&to_date=" + to, "?from_date=" + from + "&to_date=2024-13-45"} {
			habDo(t, e.anon(), http.MethodGet, "/v1/depot/events"+q, nil).want(t, http.StatusBadRequest)
		}
	})
}
