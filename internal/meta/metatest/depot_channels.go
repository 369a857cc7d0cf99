package metatest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// channel creates a channel of a namespace.
func (f *fixture) channel(namespaceID int64, name string) meta.Channel {
	f.t.Helper()
	c := meta.Channel{NamespaceID: namespaceID, Name: name}
	f.ok(f.s.CreateChannel(f.ctx, &c))
	return c
}

// channelHolds returns the version ids, ascending, of those of rs that
// channel ch holds, read from the releases' memberships.
func (f *fixture) channelHolds(ch meta.Channel, rs ...meta.Release) []int64 {
	f.t.Helper()
	ids := make([]int64, 0, len(rs))
	for _, r := range rs {
		ids = append(ids, r.VersionID)
	}
	ms, err := f.s.ListVersionChannels(f.ctx, ids)
	f.ok(err)
	var out []int64
	for _, id := range ids {
		if slices.ContainsFunc(ms[id], func(m meta.ChannelMembership) bool { return m.ChannelID == ch.ID }) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// channelNames returns the names of channels, in order.
func channelNames(cs []meta.Channel) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func channelTests() []test {
	return []test{
		{"CreateGetList", func(t *testing.T, f *fixture) {
			core, acme := f.org("core", true), f.org("acme", true)
			bob := f.person("bob", true)
			before := time.Now()
			c := meta.Channel{NamespaceID: core.ID, Name: "stable", OwnerID: bob.ID}
			f.ok(f.s.CreateChannel(f.ctx, &c))
			if c.ID == 0 {
				t.Fatal("CreateChannel did not set ID")
			}
			wantStamp(t, "Created", c.Created, before)
			if !c.Updated.Equal(c.Created) {
				t.Errorf("Updated %v, want Created %v", c.Updated, c.Created)
			}
			got, err := f.s.GetChannel(f.ctx, core.ID, "stable")
			f.ok(err)
			wantEqual(t, "GetChannel", got, c)
			// Names are case-sensitive.
			_, err = f.s.GetChannel(f.ctx, core.ID, "Stable")
			wantKind(t, "GetChannel(Stable)", err, errs.NotFound)
			f.channel(core.ID, "Stable")
			f.channel(core.ID, "beta")
			f.channel(core.ID, "unstable")
			f.channel(acme.ID, "stable") // the same name in another origin
			_, err = f.s.GetChannel(f.ctx, acme.ID, "beta")
			wantKind(t, "GetChannel(other origin)", err, errs.NotFound)
			cs, err := f.s.ListChannels(f.ctx, core.ID)
			f.ok(err)
			wantEqual(t, "ListChannels", channelNames(cs), []string{"Stable", "beta", "stable", "unstable"})
			wantEqual(t, "ListChannels[2]", cs[2], c)

			wantKind(t, "CreateChannel(taken)", f.s.CreateChannel(f.ctx, &meta.Channel{NamespaceID: core.ID, Name: "stable"}), errs.Exists)
			wantKind(t, "CreateChannel(empty)", f.s.CreateChannel(f.ctx, &meta.Channel{NamespaceID: core.ID}), errs.Invalid)
			wantKind(t, "CreateChannel(no namespace)", f.s.CreateChannel(f.ctx, &meta.Channel{NamespaceID: 1 << 40, Name: "x"}), errs.NotFound)
			f.ok(f.s.Tx(f.ctx, func(q meta.Queries) error {
				wantKind(t, "CreateChannel(taken) in Tx", q.CreateChannel(f.ctx, &meta.Channel{NamespaceID: core.ID, Name: "stable"}), errs.Exists)
				wantKind(t, "CreateChannel(no namespace) in Tx", q.CreateChannel(f.ctx, &meta.Channel{NamespaceID: 1 << 40, Name: "x"}), errs.NotFound)
				_, err := q.AddToChannel(f.ctx, c.ID, 1<<40)
				wantKind(t, "AddToChannel(no version) in Tx", err, errs.NotFound)
				return q.CreateChannel(f.ctx, &meta.Channel{NamespaceID: core.ID, Name: "dev"})
			}))
			_, err = f.s.GetChannel(f.ctx, core.ID, "dev")
			f.ok(err)

			f.ok(f.s.DeleteChannel(f.ctx, c.ID))
			_, err = f.s.GetChannel(f.ctx, core.ID, "stable")
			wantKind(t, "GetChannel after delete", err, errs.NotFound)
			wantKind(t, "DeleteChannel again", f.s.DeleteChannel(f.ctx, c.ID), errs.NotFound)
		}},
		{"CopySubtract", func(t *testing.T, f *fixture) {
			core := f.org("core", true)
			bob := f.person("bob", true)
			pub, priv := meta.VisibilityPublic, meta.VisibilityPrivate
			a := f.habRelease(core, "nginx", "1.0", "1", linux, pub)
			b := f.habRelease(core, "nginx", "1.0", "2", linux, priv)
			c := f.habRelease(core, "redis", "1.0", "1", linux, pub)
			unstable, stable := f.channel(core.ID, "unstable"), f.channel(core.ID, "stable")
			for _, r := range []meta.Release{a, b, c} {
				_, err := f.s.AddToChannel(f.ctx, unstable.ID, r.VersionID)
				f.ok(err)
			}
			_, err := f.s.AddToChannel(f.ctx, stable.ID, c.VersionID)
			f.ok(err)
			promote := meta.DepotEvent{Operation: meta.EventPromote, Channel: "stable", RequesterID: bob.ID, Trigger: "HabClient"}
			n, err := f.s.CopyChannel(f.ctx, unstable.ID, stable.ID, promote)
			f.ok(err)
			if n != 2 {
				t.Errorf("CopyChannel added %d, want 2 (c was there)", n)
			}
			ids := f.channelHolds(stable, a, b, c)
			wantEqual(t, "stable after CopyChannel", ids, releaseIDs(a, b, c))
			es, total, err := f.s.ListDepotEvents(f.ctx, meta.EventFilter{AllIn: []int64{core.ID}})
			f.ok(err)
			if total != 2 {
				t.Fatalf("events after CopyChannel: %d, want 2: %+v", total, es)
			}
			for _, e := range es {
				if e.Operation != meta.EventPromote || e.Channel != "stable" || e.RequesterID != bob.ID || e.Trigger != "HabClient" ||
					e.Origin != "core" || e.Name != "nginx" || e.NamespaceID != core.ID || e.Target != linux {
					t.Errorf("event %+v", e)
				}
			}
			if es[0].Visibility == es[1].Visibility {
				t.Errorf("events do not carry their releases' visibilities: %+v", es)
			}
			// Copying again adds and records nothing.
			n, err = f.s.CopyChannel(f.ctx, unstable.ID, stable.ID, promote)
			f.ok(err)
			if n != 0 {
				t.Errorf("CopyChannel again added %d", n)
			}
			// Subtracting beta's releases (a) from stable removes a only.
			beta := f.channel(core.ID, "beta")
			_, err = f.s.AddToChannel(f.ctx, beta.ID, a.VersionID)
			f.ok(err)
			demote := meta.DepotEvent{Operation: meta.EventDemote, Channel: "stable", RequesterID: bob.ID, Trigger: "Unknown"}
			n, err = f.s.SubtractChannel(f.ctx, beta.ID, stable.ID, demote)
			f.ok(err)
			if n != 1 {
				t.Errorf("SubtractChannel removed %d, want 1", n)
			}
			ids = f.channelHolds(stable, a, b, c)
			wantEqual(t, "stable after SubtractChannel", ids, releaseIDs(b, c))
			es, total, err = f.s.ListDepotEvents(f.ctx, meta.EventFilter{AllIn: []int64{core.ID}, Limit: 1})
			f.ok(err)
			if total != 3 || len(es) != 1 || es[0].Operation != meta.EventDemote || es[0].Release != "1" || es[0].Name != "nginx" {
				t.Errorf("newest event after SubtractChannel: %+v (total %d)", es, total)
			}
			_, err = f.s.CopyChannel(f.ctx, unstable.ID, stable.ID, meta.DepotEvent{Operation: "promote", Channel: "stable"})
			wantKind(t, "CopyChannel(bad operation)", err, errs.Invalid)
			_, err = f.s.SubtractChannel(f.ctx, unstable.ID, stable.ID, meta.DepotEvent{Operation: meta.EventDemote})
			wantKind(t, "SubtractChannel(no channel)", err, errs.Invalid)
			// Inside a transaction, as the depot runs them.
			f.ok(f.s.Tx(f.ctx, func(q meta.Queries) error {
				_, err := q.CopyChannel(f.ctx, unstable.ID, beta.ID, promote)
				return err
			}))
			ids = f.channelHolds(beta, a, b, c)
			wantEqual(t, "beta after CopyChannel in Tx", ids, releaseIDs(a, b, c))
		}},
		{"Membership", func(t *testing.T, f *fixture) {
			core := f.org("core", true)
			pub := meta.VisibilityPublic
			a := f.habRelease(core, "nginx", "1.0", "1", linux, pub)
			b := f.habRelease(core, "nginx", "1.0", "2", linux, pub)
			c := f.habRelease(core, "redis", "1.0", "1", linux, pub)
			stable, unstable, beta := f.channel(core.ID, "stable"), f.channel(core.ID, "unstable"), f.channel(core.ID, "Beta")

			before := time.Now()
			for _, m := range []struct {
				ch meta.Channel
				r  meta.Release
			}{{unstable, c}, {unstable, a}, {stable, a}, {beta, a}, {unstable, b}} {
				added, err := f.s.AddToChannel(f.ctx, m.ch.ID, m.r.VersionID)
				f.ok(err)
				if !added {
					t.Errorf("AddToChannel(%s, %d) = false, want true", m.ch.Name, m.r.VersionID)
				}
			}
			ids := f.channelHolds(unstable, a, b, c)
			wantEqual(t, "unstable holds", ids, releaseIDs(a, b, c))
			ms, err := f.s.ListVersionChannels(f.ctx, []int64{a.VersionID, b.VersionID, 1 << 40})
			f.ok(err)
			if len(ms) != 2 {
				t.Errorf("ListVersionChannels has %d versions, want 2: %v", len(ms), ms)
			}
			var names []string
			for _, m := range ms[a.VersionID] {
				names = append(names, m.Channel)
				if m.VersionID != a.VersionID {
					t.Errorf("membership %+v is not of version %d", m, a.VersionID)
				}
				wantStamp(t, "membership Created", m.Created, before)
				if !m.Updated.Equal(m.Created) {
					t.Errorf("new membership %+v has Updated != Created", m)
				}
			}
			wantEqual(t, "channels of a", names, []string{"Beta", "stable", "unstable"})
			if m := ms[a.VersionID]; len(m) == 3 && (m[0].ChannelID != beta.ID || m[1].ChannelID != stable.ID) {
				t.Errorf("channel ids of a: %+v", m)
			}
			if m := ms[b.VersionID]; len(m) != 1 || m[0].ChannelID != unstable.ID || m[0].Channel != "unstable" {
				t.Errorf("channels of b: %+v", m)
			}
			empty, err := f.s.ListVersionChannels(f.ctx, nil)
			f.ok(err)
			if len(empty) != 0 {
				t.Errorf("ListVersionChannels(nil) = %v", empty)
			}

			// Adding again promotes again: Updated moves, Created stays.
			first := ms[a.VersionID][1]
			tick()
			added, err := f.s.AddToChannel(f.ctx, stable.ID, a.VersionID)
			f.ok(err)
			if added {
				t.Error("AddToChannel of a member = true, want false")
			}
			ms, err = f.s.ListVersionChannels(f.ctx, []int64{a.VersionID})
			f.ok(err)
			again := ms[a.VersionID][1]
			if !again.Created.Equal(first.Created) || !again.Updated.After(first.Updated) {
				t.Errorf("membership after promoting again = %+v, was %+v", again, first)
			}

			removed, err := f.s.RemoveFromChannel(f.ctx, unstable.ID, a.VersionID)
			f.ok(err)
			if !removed {
				t.Error("RemoveFromChannel of a member = false")
			}
			removed, err = f.s.RemoveFromChannel(f.ctx, unstable.ID, a.VersionID)
			f.ok(err)
			if removed {
				t.Error("RemoveFromChannel of a non-member = true")
			}
			ids = f.channelHolds(unstable, a, b, c)
			wantEqual(t, "unstable after remove", ids, releaseIDs(b, c))

			_, err = f.s.AddToChannel(f.ctx, 1<<40, a.VersionID)
			wantKind(t, "AddToChannel(no channel)", err, errs.NotFound)
			_, err = f.s.AddToChannel(f.ctx, stable.ID, 1<<40)
			wantKind(t, "AddToChannel(no version)", err, errs.NotFound)

			// Deleting a channel removes its memberships.
			f.ok(f.s.DeleteChannel(f.ctx, unstable.ID))
			ms, err = f.s.ListVersionChannels(f.ctx, []int64{a.VersionID, b.VersionID, c.VersionID})
			f.ok(err)
			if len(ms) != 1 || len(ms[a.VersionID]) != 2 {
				t.Errorf("memberships after DeleteChannel = %+v", ms)
			}
			ids = f.channelHolds(unstable, a, b, c)
			if len(ids) != 0 {
				t.Errorf("deleted channel holds %v", ids)
			}
		}},
		{"DeleteNamespace", func(t *testing.T, f *fixture) {
			acme := f.org("acme", true)
			bob := f.person("bob", true)
			f.channel(acme.ID, "stable")
			f.ok(f.s.PutOrigin(f.ctx, &meta.Origin{NamespaceID: acme.ID, DefaultVisibility: meta.VisibilityPrivate}))
			f.ok(f.s.AddDepotEvent(f.ctx, &meta.DepotEvent{NamespaceID: acme.ID, Operation: meta.EventPromote,
				Channel: "stable", Origin: "acme", Name: "app", Version: "1", Release: "1", Target: linux,
				Visibility: meta.VisibilityPublic, RequesterID: bob.ID, Trigger: "HabClient"}))
			// A repository holds the namespace; deleting it lets go.
			r := f.habRelease(acme, "app", "1", "1", linux, meta.VisibilityPublic)
			f.ok(f.s.CreatePackageSettings(f.ctx, &meta.PackageSettings{RepoID: r.RepoID, Origin: "acme", Name: "app",
				Visibility: meta.VisibilityPublic}))
			wantKind(t, "DeleteNamespace(with a repository)", f.s.DeleteNamespace(f.ctx, acme.ID), errs.Conflict)
			_, err := f.s.DeleteRepo(f.ctx, r.RepoID)
			f.ok(err)
			f.ok(f.s.DeleteUser(f.ctx, bob.ID))
			f.ok(f.s.DeleteNamespace(f.ctx, acme.ID))
			cs, err := f.s.ListChannels(f.ctx, acme.ID)
			f.ok(err)
			if len(cs) != 0 {
				t.Errorf("channels after DeleteNamespace: %v", cs)
			}
			_, err = f.s.GetOrigin(f.ctx, acme.ID)
			wantKind(t, "GetOrigin after DeleteNamespace", err, errs.NotFound)
			es, total, err := f.s.ListDepotEvents(f.ctx, meta.EventFilter{AllIn: []int64{acme.ID}})
			f.ok(err)
			if len(es) != 0 || total != 0 {
				t.Errorf("events after DeleteNamespace: %v, total %d", es, total)
			}
			if n, err := f.s.CountPackageSettings(f.ctx, acme.ID); err != nil || n != 0 {
				t.Errorf("package settings after DeleteNamespace: %d, %v", n, err)
			}
		}},
	}
}

// event adds a depot event.
func (f *fixture) event(e meta.DepotEvent) meta.DepotEvent {
	f.t.Helper()
	f.ok(f.s.AddDepotEvent(f.ctx, &e))
	return e
}

// eventIDs returns the ids of events, in order.
func eventIDs(es ...meta.DepotEvent) []int64 {
	var ids []int64
	for _, e := range es {
		ids = append(ids, e.ID)
	}
	return ids
}

func depotEventTests() []test {
	return []test{
		{"AddList", func(t *testing.T, f *fixture) {
			core, acme := f.org("core", true), f.org("acme", false)
			bob, ann := f.person("bob", true), f.person("ann", true)
			pub, priv := meta.VisibilityPublic, meta.VisibilityPrivate
			ev := func(ns meta.Namespace, op, channel, name, version string, vis string, requester int64, minute int) meta.DepotEvent {
				return f.event(meta.DepotEvent{NamespaceID: ns.ID, Operation: op, Channel: channel, Origin: ns.Name,
					Name: name, Version: version, Release: "20240101000000", Target: linux, Visibility: vis,
					RequesterID: requester, Trigger: "BuilderUi", Created: at(minute)})
			}
			e1 := ev(core, meta.EventPromote, "stable", "nginx", "1.0", pub, bob.ID, 0)
			e2 := ev(core, meta.EventDemote, "stable", "nginx", "1.0", pub, bob.ID, 10)
			e3 := ev(acme, meta.EventPromote, "stable", "App", "2.0", priv, ann.ID, 10) // same time as e2
			e4 := ev(acme, meta.EventPromote, "Stable", "tool", "1.0", priv, bob.ID, 20)
			e5 := ev(core, meta.EventPromote, "beta", "redis", "7.2", priv, ann.ID, 30)
			if e1.ID == 0 || !e1.Created.Equal(at(0)) {
				t.Errorf("AddDepotEvent = %+v", e1)
			}
			wantUTC(t, "Created", e1.Created)
			before := time.Now()
			now := f.event(meta.DepotEvent{NamespaceID: core.ID, Operation: meta.EventPromote, Channel: "stable",
				Origin: "core", Name: "now", Version: "1", Release: "1", Target: linux, Visibility: pub, Trigger: "HabClient"})
			wantStamp(t, "Created now", now.Created, before)

			list := func(what string, ef meta.EventFilter, want []int64, wantTotal int) []meta.DepotEvent {
				t.Helper()
				es, total, err := f.s.ListDepotEvents(f.ctx, ef)
				f.ok(err)
				wantEqual(t, what, eventIDs(es...), want)
				if total != wantTotal {
					t.Errorf("%s: total %d, want %d", what, total, wantTotal)
				}
				return es
			}
			// The fixed times lie in the future: the event made now is the
			// oldest. e2 and e3 share a time; the higher id comes first.
			all := []int64{acme.ID, core.ID}
			es := list("everything", meta.EventFilter{AllIn: all}, eventIDs(e5, e4, e3, e2, e1, now), 6)
			wantEqual(t, "listed event", es[4], e1)
			list("public", meta.EventFilter{}, eventIDs(e2, e1, now), 3)
			list("public and core", meta.EventFilter{AllIn: []int64{core.ID}}, eventIDs(e5, e2, e1, now), 4)
			list("public and bob's", meta.EventFilter{RequesterID: bob.ID}, eventIDs(e4, e2, e1, now), 4)
			list("public and ann's", meta.EventFilter{RequesterID: ann.ID}, eventIDs(e5, e3, e2, e1, now), 5)
			list("[10, 30)", meta.EventFilter{AllIn: all, From: at(10), To: at(30)}, eventIDs(e4, e3, e2), 3)
			list("from 20", meta.EventFilter{AllIn: all, From: at(20)}, eventIDs(e5, e4), 2)
			list("before 10", meta.EventFilter{AllIn: all, To: at(10)}, eventIDs(e1, now), 2)
			list("channel stable", meta.EventFilter{AllIn: all, Channel: "stable"}, eventIDs(e3, e2, e1, now), 4)
			list("channel Stable", meta.EventFilter{AllIn: all, Channel: "Stable"}, eventIDs(e4), 1)
			list("query NGINX/1", meta.EventFilter{AllIn: all, Query: "NGINX/1"}, eventIDs(e2, e1), 2)
			list("query acme/app/2.0/2024", meta.EventFilter{AllIn: all, Query: "acme/app/2.0/2024"}, eventIDs(e3), 1)
			list("query e/app", meta.EventFilter{AllIn: all, Query: "e/app"}, eventIDs(e3), 1)
			list("query %", meta.EventFilter{AllIn: all, Query: "%"}, nil, 0)
			list("query _", meta.EventFilter{AllIn: all, Query: "_"}, nil, 0)
			list("query linux", meta.EventFilter{AllIn: all, Query: "linux"}, nil, 0) // the target is not part of it
			list("query and channel", meta.EventFilter{AllIn: all, Query: "acme", Channel: "stable"}, eventIDs(e3), 1)
			list("page", meta.EventFilter{AllIn: all, Offset: 1, Limit: 2}, eventIDs(e4, e3), 6)
			list("last page", meta.EventFilter{AllIn: all, Offset: 4, Limit: 5}, eventIDs(e1, now), 6)
			list("past the end", meta.EventFilter{AllIn: all, Offset: 6, Limit: 5}, nil, 6)
			list("past the end, public", meta.EventFilter{Offset: 9}, nil, 3)
			// A release made private takes its events out of the public
			// list; another origin's same ident keeps its own.
			f.ok(f.s.SetEventVisibility(f.ctx, core.ID, "nginx", "1.0", "20240101000000", priv))
			list("public after nginx went private", meta.EventFilter{}, eventIDs(now), 1)
			list("core's after nginx went private", meta.EventFilter{AllIn: []int64{core.ID}}, eventIDs(e5, e2, e1, now), 4)
			f.ok(f.s.SetEventVisibility(f.ctx, core.ID, "nginx", "1.0", "20240101000000", pub))
			list("public again", meta.EventFilter{}, eventIDs(e2, e1, now), 3)
			wantKind(t, "SetEventVisibility(bad)", f.s.SetEventVisibility(f.ctx, core.ID, "nginx", "1.0", "20240101000000", "all"), errs.Invalid)
		}},
		{"Errors", func(t *testing.T, f *fixture) {
			core := f.org("core", true)
			good := func() meta.DepotEvent {
				return meta.DepotEvent{NamespaceID: core.ID, Operation: meta.EventPromote, Channel: "stable",
					Origin: "core", Name: "nginx", Version: "1", Release: "1", Target: linux,
					Visibility: meta.VisibilityPublic, Trigger: "Unknown"}
			}
			for name, edit := range map[string]func(e *meta.DepotEvent){
				"unknown operation":  func(e *meta.DepotEvent) { e.Operation = "promote" },
				"unknown visibility": func(e *meta.DepotEvent) { e.Visibility = "all" },
				"empty channel":      func(e *meta.DepotEvent) { e.Channel = "" },
				"empty origin":       func(e *meta.DepotEvent) { e.Origin = "" },
				"empty name":         func(e *meta.DepotEvent) { e.Name = "" },
			} {
				e := good()
				edit(&e)
				wantKind(t, "AddDepotEvent("+name+")", f.s.AddDepotEvent(f.ctx, &e), errs.Invalid)
			}
			e := good()
			e.NamespaceID = 1 << 40
			wantKind(t, "AddDepotEvent(no namespace)", f.s.AddDepotEvent(f.ctx, &e), errs.NotFound)
			_, _, err := f.s.ListDepotEvents(f.ctx, meta.EventFilter{Offset: -1})
			wantKind(t, "ListDepotEvents(negative offset)", err, errs.Invalid)
			f.ok(f.s.Tx(f.ctx, func(q meta.Queries) error {
				e := good()
				e.NamespaceID = 1 << 40
				wantKind(t, "AddDepotEvent(no namespace) in Tx", q.AddDepotEvent(f.ctx, &e), errs.NotFound)
				e = good()
				return q.AddDepotEvent(f.ctx, &e)
			}))
			es, total, err := f.s.ListDepotEvents(f.ctx, meta.EventFilter{})
			f.ok(err)
			if len(es) != 1 || total != 1 {
				t.Errorf("events after refusals = %v, total %d, want the one written in Tx", es, total)
			}
		}},
	}
}

func originTests() []test {
	return []test{
		{"PutGet", func(t *testing.T, f *fixture) {
			acme := f.org("acme", true)
			_, err := f.s.GetOrigin(f.ctx, acme.ID)
			wantKind(t, "GetOrigin before Put", err, errs.NotFound)
			before := time.Now()
			o := meta.Origin{NamespaceID: acme.ID, DefaultVisibility: meta.VisibilityPrivate}
			f.ok(f.s.PutOrigin(f.ctx, &o))
			wantStamp(t, "Created", o.Created, before)
			if !o.Updated.Equal(o.Created) {
				t.Errorf("new origin: Updated %v, Created %v", o.Updated, o.Created)
			}
			got, err := f.s.GetOrigin(f.ctx, acme.ID)
			f.ok(err)
			wantEqual(t, "GetOrigin", got, o)
			tick()
			o2 := meta.Origin{NamespaceID: acme.ID, DefaultVisibility: meta.VisibilityPublic}
			f.ok(f.s.PutOrigin(f.ctx, &o2))
			if !o2.Created.Equal(o.Created) || !o2.Updated.After(o.Updated) {
				t.Errorf("replaced origin = %+v, first %+v", o2, o)
			}
			got, err = f.s.GetOrigin(f.ctx, acme.ID)
			f.ok(err)
			wantEqual(t, "GetOrigin after replacing", got, o2)

			for _, v := range []string{meta.VisibilityHidden, "", "Public"} {
				wantKind(t, fmt.Sprintf("PutOrigin(%q)", v), f.s.PutOrigin(f.ctx, &meta.Origin{NamespaceID: acme.ID, DefaultVisibility: v}), errs.Invalid)
			}
			wantKind(t, "PutOrigin(no namespace)", f.s.PutOrigin(f.ctx, &meta.Origin{NamespaceID: 1 << 40, DefaultVisibility: meta.VisibilityPublic}), errs.NotFound)
			other := f.org("other", true)
			f.ok(f.s.Tx(f.ctx, func(q meta.Queries) error {
				wantKind(t, "PutOrigin(no namespace) in Tx", q.PutOrigin(f.ctx, &meta.Origin{NamespaceID: 1 << 40, DefaultVisibility: meta.VisibilityPublic}), errs.NotFound)
				return q.PutOrigin(f.ctx, &meta.Origin{NamespaceID: other.ID, DefaultVisibility: meta.VisibilityPrivate})
			}))
			got, err = f.s.GetOrigin(f.ctx, other.ID)
			f.ok(err)
			if got.DefaultVisibility != meta.VisibilityPrivate {
				t.Errorf("origin written in Tx = %+v", got)
			}
		}},
		{"PackageSettings", func(t *testing.T, f *fixture) {
			acme, other := f.org("acme", true), f.org("other", true)
			bob := f.person("bob", true)
			pub, priv, hid := meta.VisibilityPublic, meta.VisibilityPrivate, meta.VisibilityHidden
			settings := func(name, vis string) meta.PackageSettings {
				r := f.repoIn(acme, "hab", name, true)
				s := meta.PackageSettings{RepoID: r.ID, Origin: "acme", Name: name, Visibility: vis, OwnerID: bob.ID}
				f.ok(f.s.CreatePackageSettings(f.ctx, &s))
				return s
			}
			before := time.Now()
			app := settings("app", pub)
			if app.NamespaceID != acme.ID {
				t.Errorf("CreatePackageSettings set namespace %d, want %d", app.NamespaceID, acme.ID)
			}
			wantStamp(t, "Created", app.Created, before)
			got, err := f.s.GetPackageSettings(f.ctx, app.RepoID)
			f.ok(err)
			wantEqual(t, "GetPackageSettings", got, app)
			upper := settings("Zed", priv)
			cli := settings("app-cli", priv)
			lib := settings("lib", hid)
			nginx := settings("nginx", pub)

			tick()
			f.ok(f.s.UpdatePackageSettings(f.ctx, meta.PackageSettings{RepoID: lib.RepoID, Visibility: priv}))
			got, err = f.s.GetPackageSettings(f.ctx, lib.RepoID)
			f.ok(err)
			if got.Visibility != priv || !got.Updated.After(lib.Updated) || !got.Created.Equal(lib.Created) || got.Name != "lib" {
				t.Errorf("settings after update = %+v, were %+v", got, lib)
			}
			lib = got

			list := func(what string, vis []string, offset, limit int, want []meta.PackageSettings, wantTotal int) {
				t.Helper()
				ps, total, err := f.s.ListPackageSettings(f.ctx, acme.ID, vis, offset, limit)
				f.ok(err)
				wantEqual(t, what, ps, want)
				if total != wantTotal {
					t.Errorf("%s: total %d, want %d", what, total, wantTotal)
				}
			}
			all := []meta.PackageSettings{upper, app, cli, lib, nginx}
			list("all", nil, 0, 0, all, 5)
			list("page", nil, 1, 2, all[1:3], 5)
			list("past the end", nil, 5, 2, nil, 5)
			list("private", []string{priv}, 0, 0, []meta.PackageSettings{upper, cli, lib}, 3)
			list("public or hidden", []string{pub, hid}, 0, 0, []meta.PackageSettings{app, nginx}, 2)
			list("private, page", []string{priv}, 2, 1, []meta.PackageSettings{lib}, 3)
			ps, total, err := f.s.ListPackageSettings(f.ctx, other.ID, nil, 0, 0)
			f.ok(err)
			if len(ps) != 0 || total != 0 {
				t.Errorf("settings of another origin: %v, %d", ps, total)
			}
			if n, err := f.s.CountPackageSettings(f.ctx, acme.ID); err != nil || n != 5 {
				t.Errorf("CountPackageSettings = %d, %v, want 5", n, err)
			}

			// Errors.
			r := f.repoIn(acme, "hab", "new", true)
			wantKind(t, "CreatePackageSettings(again)", f.s.CreatePackageSettings(f.ctx,
				&meta.PackageSettings{RepoID: app.RepoID, Origin: "acme", Name: "app", Visibility: pub}), errs.Exists)
			wantKind(t, "CreatePackageSettings(no repository)", f.s.CreatePackageSettings(f.ctx,
				&meta.PackageSettings{RepoID: 1 << 40, Origin: "acme", Name: "x", Visibility: pub}), errs.NotFound)
			for name, s := range map[string]meta.PackageSettings{
				"unknown visibility": {RepoID: r.ID, Origin: "acme", Name: "new", Visibility: "open"},
				"empty origin":       {RepoID: r.ID, Name: "new", Visibility: pub},
				"empty name":         {RepoID: r.ID, Origin: "acme", Visibility: pub},
				"other namespace":    {RepoID: r.ID, NamespaceID: other.ID, Origin: "acme", Name: "new", Visibility: pub},
			} {
				wantKind(t, "CreatePackageSettings("+name+")", f.s.CreatePackageSettings(f.ctx, &s), errs.Invalid)
			}
			_, err = f.s.GetPackageSettings(f.ctx, r.ID)
			wantKind(t, "GetPackageSettings after refusals", err, errs.NotFound)
			wantKind(t, "UpdatePackageSettings(no settings)", f.s.UpdatePackageSettings(f.ctx,
				meta.PackageSettings{RepoID: r.ID, Visibility: pub}), errs.NotFound)
			wantKind(t, "UpdatePackageSettings(unknown visibility)", f.s.UpdatePackageSettings(f.ctx,
				meta.PackageSettings{RepoID: app.RepoID, Visibility: "open"}), errs.Invalid)
			_, _, err = f.s.ListPackageSettings(f.ctx, acme.ID, []string{"open"}, 0, 0)
			wantKind(t, "ListPackageSettings(unknown visibility)", err, errs.Invalid)
			_, _, err = f.s.ListPackageSettings(f.ctx, acme.ID, nil, -1, 0)
			wantKind(t, "ListPackageSettings(negative offset)", err, errs.Invalid)
			f.ok(f.s.Tx(f.ctx, func(q meta.Queries) error {
				wantKind(t, "CreatePackageSettings(again) in Tx", q.CreatePackageSettings(f.ctx,
					&meta.PackageSettings{RepoID: app.RepoID, Origin: "acme", Name: "app", Visibility: pub}), errs.Exists)
				wantKind(t, "CreatePackageSettings(no repository) in Tx", q.CreatePackageSettings(f.ctx,
					&meta.PackageSettings{RepoID: 1 << 40, Origin: "acme", Name: "x", Visibility: pub}), errs.NotFound)
				return q.CreatePackageSettings(f.ctx, &meta.PackageSettings{RepoID: r.ID, Origin: "acme", Name: "new", Visibility: pub})
			}))
			if n, err := f.s.CountPackageSettings(f.ctx, acme.ID); err != nil || n != 6 {
				t.Errorf("CountPackageSettings after Tx = %d, %v, want 6", n, err)
			}
		}},
		{"DeletePackageSettings", func(t *testing.T, f *fixture) {
			acme := f.org("acme", true)
			r := f.habRelease(acme, "app", "1", "1", linux, meta.VisibilityPublic)
			f.ok(f.s.CreatePackageSettings(f.ctx, &meta.PackageSettings{RepoID: r.RepoID, Origin: "acme", Name: "app",
				Visibility: meta.VisibilityPublic}))
			wantKind(t, "DeletePackageSettings(with a release)", f.s.DeletePackageSettings(f.ctx, r.RepoID), errs.Conflict)
			if _, err := f.s.GetPackageSettings(f.ctx, r.RepoID); err != nil {
				t.Errorf("settings after a refused delete: %v", err)
			}
			f.ok(f.s.DeleteVersion(f.ctx, r.VersionID))
			f.ok(f.s.DeletePackageSettings(f.ctx, r.RepoID))
			_, err := f.s.GetPackageSettings(f.ctx, r.RepoID)
			wantKind(t, "GetPackageSettings after delete", err, errs.NotFound)
			wantKind(t, "DeletePackageSettings(again)", f.s.DeletePackageSettings(f.ctx, r.RepoID), errs.NotFound)
			// The repository stays.
			if _, err := f.s.GetRepoByID(f.ctx, r.RepoID); err != nil {
				t.Errorf("repository after deleting its settings: %v", err)
			}
			f.ok(f.s.Tx(f.ctx, func(q meta.Queries) error {
				wantKind(t, "DeletePackageSettings(missing) in Tx", q.DeletePackageSettings(f.ctx, r.RepoID), errs.NotFound)
				return q.CreatePackageSettings(f.ctx, &meta.PackageSettings{RepoID: r.RepoID, Origin: "acme", Name: "app",
					Visibility: meta.VisibilityPrivate})
			}))
		}},
	}
}
