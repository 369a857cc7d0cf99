package e2e

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

// TestHabChannels checks channels (§2.3, §7): the list, creation and
// deletion with their refusals (401 for every caller without the role),
// single and bulk promotion and demotion, and the audit events they
// leave.
func TestHabChannels(t *testing.T) {
	eachHabBackend(t, func(t *testing.T, e *env) {
		owner := newDepotUser(t, e)
		o := newOrigin(t, e, owner)
		maint := o.member(t, "maintainer")
		dev := o.member(t, "member")
		outsider := newDepotUser(t, e)
		c := owner.api
		chPath := func(name string) string { return "/v1/depot/channels/" + o.name + "/" + name }
		names := func(t *testing.T, query string) []string {
			t.Helper()
			var chans []map[string]any
			e.anon().do(t, http.MethodGet, "/v1/depot/channels/"+o.name+query, nil).want(t, http.StatusOK).decode(t, &chans)
			var out []string
			for _, ch := range chans {
				if len(ch) != 1 {
					t.Errorf("channel list item %v, want {\"name\": ...}", ch)
				}
				out = append(out, ch["name"].(string))
			}
			return out
		}

		t.Run("List", func(t *testing.T) {
			wantSeq(t, "new origin's channels", names(t, ""), []string{"stable", "unstable"})
			for _, n := range []string{"alpha", "Zeta", "bldr-1234567890", "beta-2"} {
				maint.api.do(t, http.MethodPost, chPath(n), nil).want(t, http.StatusCreated)
			}
			// Byte order: upper case first; build sandboxes only on request.
			wantSeq(t, "channels", names(t, ""), []string{"Zeta", "alpha", "beta-2", "stable", "unstable"})
			wantSeq(t, "channels with sandboxes", names(t, "?sandbox=true"),
				[]string{"Zeta", "alpha", "beta-2", "bldr-1234567890", "stable", "unstable"})
			var none []any
			e.anon().do(t, http.MethodGet, "/v1/depot/channels/nosuchorigin", nil).want(t, http.StatusOK).decode(t, &none)
			if none == nil || len(none) != 0 {
				t.Errorf("channels of an unknown origin: %v, want []", none)
			}
		})

		t.Run("CreateDelete", func(t *testing.T) {
			// Every caller without the maintainer role gets 401 here.
			for _, cl := range []*client{e.anon(), outsider.api, dev.api} {
				cl.do(t, http.MethodPost, chPath("nope"), nil).want(t, http.StatusUnauthorized)
			}
			c.do(t, http.MethodPost, chPath("gone"), nil).want(t, http.StatusCreated)
			c.do(t, http.MethodPost, chPath("gone"), nil).want(t, http.StatusConflict)
			for _, cl := range []*client{e.anon(), outsider.api, dev.api} {
				cl.do(t, http.MethodDelete, chPath("gone"), nil).want(t, http.StatusUnauthorized)
			}
			for _, n := range []string{"stable", "unstable"} {
				c.do(t, http.MethodDelete, chPath(n), nil).want(t, http.StatusForbidden)
			}
			// Deleting a channel leaves its packages in the others.
			h := o.hartOf(t, o.name+"/kept/1.0/"+release(1))
			c.mustUpload(t, h)
			c.promote(t, h, "gone")
			maint.api.do(t, http.MethodDelete, chPath("gone"), nil).want(t, http.StatusOK)
			c.do(t, http.MethodDelete, chPath("gone"), nil).want(t, http.StatusNotFound)
			if slices.Contains(names(t, ""), "gone") {
				t.Error("a deleted channel is listed")
			}
			c.do(t, http.MethodGet, chanURL(h.id, "unstable")+"?target=x86_64-linux", nil).want(t, http.StatusOK)
			c.do(t, http.MethodGet, chanURL(h.id, "gone")+"?target=x86_64-linux", nil).want(t, http.StatusNotFound)
			// Created again, it is empty.
			c.do(t, http.MethodPost, chPath("gone"), nil).want(t, http.StatusCreated)
			c.do(t, http.MethodGet, chPath("gone")+"/pkgs", nil).wantPage(t, 0, 0, 0, 0)
		})

		t.Run("PromoteDemote", func(t *testing.T) {
			h := o.hartOf(t, o.name+"/single/1.0/"+release(1))
			c.mustUpload(t, h)
			c.do(t, http.MethodPost, chPath("qa"), nil).want(t, http.StatusCreated)
			promote := chanURL(h.id, "qa") + "/promote?target=x86_64-linux"
			demote := chanURL(h.id, "qa") + "/demote?target=x86_64-linux"
			for _, cl := range []*client{e.anon(), outsider.api, dev.api} {
				cl.do(t, http.MethodPut, promote, nil).want(t, http.StatusUnauthorized)
			}
			// Not in the channel: 400.
			c.do(t, http.MethodPut, demote, nil).want(t, http.StatusBadRequest)
			maint.api.do(t, http.MethodPut, promote, nil).want(t, http.StatusOK)
			for _, cl := range []*client{e.anon(), outsider.api, dev.api} {
				cl.do(t, http.MethodPut, demote, nil).want(t, http.StatusUnauthorized)
			}
			maint.api.do(t, http.MethodPut, demote, nil).want(t, http.StatusOK)
			c.do(t, http.MethodGet, chanURL(h.id, "qa")+"?target=x86_64-linux", nil).want(t, http.StatusNotFound)
			c.do(t, http.MethodPut, demote, nil).want(t, http.StatusBadRequest)
			// Nothing leaves unstable: 403, before the caller is even checked.
			for _, cl := range []*client{c, e.anon()} {
				cl.do(t, http.MethodPut, chanURL(h.id, "unstable")+"/demote?target=x86_64-linux", nil).want(t, http.StatusForbidden)
			}
			c.do(t, http.MethodGet, chanURL(h.id, "unstable")+"?target=x86_64-linux", nil).want(t, http.StatusOK)
		})

		t.Run("Bulk", func(t *testing.T) {
			x1 := o.hartOf(t, o.name+"/bx/1.0/"+release(1))
			x2 := o.hartOf(t, o.name+"/bx/1.1/"+release(2))
			y1 := o.hartOf(t, o.name+"/by/1.0/"+release(3))
			for _, h := range []hart{x1, x2, y1} {
				c.mustUpload(t, h)
			}
			c.promote(t, x1, "src")
			c.promote(t, x2, "src")
			c.promote(t, y1, "src")
			bulk := func(op, src, dst string) string {
				return chPath(src) + "/pkgs/" + op + "?channel=" + dst
			}
			inChannel := func(t *testing.T, ch string) []string {
				t.Helper()
				return c.listIdents(t, chPath(ch)+"/pkgs")
			}
			// 400: to itself or to unstable; demotions touching unstable.
			c.do(t, http.MethodPut, bulk("promote", "src", "src"), nil).want(t, http.StatusBadRequest)
			c.do(t, http.MethodPut, bulk("promote", "src", "unstable"), nil).want(t, http.StatusBadRequest)
			c.do(t, http.MethodPut, bulk("demote", "unstable", "src"), nil).want(t, http.StatusBadRequest)
			c.do(t, http.MethodPut, bulk("demote", "src", "unstable"), nil).want(t, http.StatusBadRequest)
			c.do(t, http.MethodPut, bulk("demote", "src", "src"), nil).want(t, http.StatusBadRequest)
			for _, cl := range []*client{e.anon(), outsider.api, dev.api} {
				cl.do(t, http.MethodPut, bulk("promote", "src", "dst"), nil).want(t, http.StatusUnauthorized)
			}
			wantSeq(t, "refused promotions leave no channel", inChannel(t, "dst"), []string{})

			// Bulk promote copies every release (not only the latest) and
			// creates the destination.
			maint.api.do(t, http.MethodPut, bulk("promote", "src", "dst"), nil).want(t, http.StatusOK)
			wantSeq(t, "dst after bulk promote", inChannel(t, "dst"), idents(x1, x2, y1))
			if !slices.Contains(names(t, ""), "dst") {
				t.Error("bulk promotion did not create its destination")
			}
			maint.api.do(t, http.MethodPut, bulk("promote", "src", "dst"), nil).want(t, http.StatusOK)
			wantSeq(t, "dst after a second bulk promote", inChannel(t, "dst"), idents(x1, x2, y1))

			// Bulk demote removes from dst what is in src.
			bz := o.hartOf(t, o.name+"/bz/1.0/"+release(4))
			c.mustUpload(t, bz)
			c.promote(t, bz, "dst")
			c.do(t, http.MethodPut, chanURL(x1.id, "src")+"/demote?target=x86_64-linux", nil).want(t, http.StatusOK)
			maint.api.do(t, http.MethodPut, bulk("demote", "src", "dst"), nil).want(t, http.StatusOK)
			wantSeq(t, "dst after bulk demote", inChannel(t, "dst"), idents(x1, bz))
			wantSeq(t, "src after bulk demote", inChannel(t, "src"), idents(x2, y1))
			// A missing source channel: 404.
			c.do(t, http.MethodPut, bulk("promote", "nosuch", "dst"), nil).want(t, http.StatusNotFound)
		})

		t.Run("Events", func(t *testing.T) {
			h := o.hartOf(t, o.name+"/evented/1.0/"+release(1))
			p := o.hartOf(t, o.name+"/hushed/1.0/"+release(2))
			c.mustUpload(t, h)
			c.mustUpload(t, p)
			c.do(t, http.MethodPatch, pkgURL(p.id)+"/private", nil).want(t, http.StatusOK)
			c.do(t, http.MethodPost, chPath("ev"), nil).want(t, http.StatusCreated)
			c.do(t, http.MethodPut, chanURL(h.id, "ev")+"/promote?target=x86_64-linux", nil, "User-Agent", "hab/1.6.1245/20240715145236 (x86_64-linux; 6.1.0)").
				want(t, http.StatusOK)
			c.do(t, http.MethodPut, chanURL(h.id, "ev")+"/promote?target=x86_64-linux", nil).want(t, http.StatusOK) // no second event
			c.do(t, http.MethodPut, chanURL(p.id, "ev")+"/promote?target=x86_64-linux", nil).want(t, http.StatusOK)
			c.do(t, http.MethodPut, chanURL(h.id, "ev")+"/demote?target=x86_64-linux", nil).want(t, http.StatusOK)

			type event struct {
				Operation    string    `json:"operation"`
				CreatedAt    string    `json:"created_at"`
				Origin       string    `json:"origin"`
				Channel      string    `json:"channel"`
				PackageIdent identJSON `json:"package_ident"`
			}
			now := time.Now().UTC()
			day := func(d int) string { return now.AddDate(0, 0, d).Format("2006-01-02") }
			events := func(t *testing.T, cl *client, from, to string) []string {
				t.Helper()
				r := cl.do(t, http.MethodGet, "/v1/depot/events?from_date="+from+"&to_date="+to+"&channel=ev", nil).want(t, http.StatusOK)
				var evs []event
				r.decodePage(t, &evs)
				var out []string
				for _, ev := range evs {
					if ev.Origin != o.name || ev.Channel != "ev" || !naiveTime.MatchString(ev.CreatedAt) {
						t.Errorf("event %+v: want origin %s, channel ev, a naive timestamp", ev, o.name)
					}
					out = append(out, ev.Operation+" "+ev.PackageIdent.String())
				}
				return out
			}
			// Newest first; members see private packages' events.
			wantSeq(t, "owner's events", events(t, c, day(-1), day(1)),
				[]string{"Demote " + h.id.String(), "Promote " + p.id.String(), "Promote " + h.id.String()})
			wantSeq(t, "anonymous events", events(t, e.anon(), day(-1), day(1)),
				[]string{"Demote " + h.id.String(), "Promote " + h.id.String()})
			wantSeq(t, "outsider's events", events(t, outsider.api, day(-1), day(1)),
				[]string{"Demote " + h.id.String(), "Promote " + h.id.String()})
			// Both dates are inclusive; other days have none.
			if got := events(t, e.anon(), day(0), day(0)); len(got) != 2 {
				t.Errorf("events of today: %q, want 2", got)
			}
			if got := events(t, e.anon(), day(-30), day(-2)); len(got) != 0 {
				t.Errorf("events of last month: %q, want none", got)
			}
			if got := events(t, e.anon(), day(2), day(3)); len(got) != 0 {
				t.Errorf("events of the days to come: %q, want none", got)
			}
			// Non-zero-padded dates are taken.
			short := now.Format("2006-1-2")
			if got := events(t, e.anon(), short, short); len(got) != 2 {
				t.Errorf("events of %s: %q, want 2", short, got)
			}
			e.anon().do(t, http.MethodGet, "/v1/depot/events?from_date="+day(0), nil).want(t, http.StatusBadRequest)
			e.anon().do(t, http.MethodGet, "/v1/depot/events?to_date="+day(0), nil).want(t, http.StatusBadRequest)
			e.anon().do(t, http.MethodGet, "/v1/depot/events", nil).want(t, http.StatusBadRequest)
		})
	})
}
