package metatest

import (
	"fmt"
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func logTests() []test {
	return []test{
		{"AddLog", func(t *testing.T, f *fixture) {
			before := time.Now()
			e := meta.LogEntry{Kind: "push_repo", NamespaceID: 7, RepoID: 8, PerformerID: 9, IP: "192.0.2.1",
				Metadata: []byte(`{"repo":"acme/app","tag":"v1"}`)}
			f.ok(f.s.AddLog(f.ctx, &e))
			if e.ID == 0 {
				t.Fatal("AddLog did not set ID")
			}
			wantStamp(t, "Created", e.Created, before)
			dated := meta.LogEntry{Kind: "pull_repo", RepoID: 8, Metadata: []byte(`{}`), Created: at(0)}
			f.ok(f.s.AddLog(f.ctx, &dated))
			if !dated.Created.Equal(at(0)) {
				t.Errorf("AddLog changed a given Created to %v", dated.Created)
			}
			got, err := f.s.ListLogs(f.ctx, meta.LogFilter{RepoID: 8, Start: before.Add(-time.Hour), End: at(1), Limit: 10})
			f.ok(err)
			wantEqual(t, "ListLogs", got, []meta.LogEntry{dated, e}) // dated lies in the future
			for _, g := range got {
				wantUTC(t, "Created", g.Created)
			}
		}},
		{"Filters", testLogFilters},
		{"NeedsAnID", func(t *testing.T, f *fixture) {
			f.ok(f.s.AddLog(f.ctx, &meta.LogEntry{Kind: "login", Created: at(0)}))
			_, err := f.s.ListLogs(f.ctx, meta.LogFilter{Start: at(-10), End: at(10), Limit: 10})
			wantKind(t, "ListLogs without namespace, repository or performer", err, errs.Invalid)
			_, err = f.s.ListLogs(f.ctx, meta.LogFilter{Kinds: []string{"login"}, Start: at(-10), End: at(10), Limit: 10})
			wantKind(t, "ListLogs with only kinds", err, errs.Invalid)
			_, err = f.s.CountLogs(f.ctx, meta.LogFilter{Kinds: []string{"login"}})
			wantKind(t, "CountLogs with only kinds", err, errs.Invalid)
		}},
	}
}

// testLogFilters lists a log by each selector and bound.
func testLogFilters(t *testing.T, f *fixture) {
	const ns1, ns2, repo, p1, p2 = 11, 12, 21, 31, 32
	var es []meta.LogEntry
	for i, e := range []meta.LogEntry{
		{Kind: "push_repo", NamespaceID: ns1, RepoID: repo, PerformerID: p1},
		{Kind: "pull_repo", NamespaceID: ns1, RepoID: repo, PerformerID: p2},
		{Kind: "create_team", NamespaceID: ns1, PerformerID: p1},
		{Kind: "push_repo", NamespaceID: ns2, PerformerID: p2},
		{Kind: "login", PerformerID: p1},
		{Kind: "pull_repo", NamespaceID: ns1, RepoID: repo, IP: "2001:db8::1"},
	} {
		e.Created = at(i)
		e.Metadata = fmt.Appendf(nil, `{"n":%d}`, i)
		f.ok(f.s.AddLog(f.ctx, &e))
		es = append(es, e)
	}
	pick := func(is ...int) []meta.LogEntry {
		var out []meta.LogEntry
		for _, i := range is {
			out = append(out, es[i])
		}
		return out
	}
	all := func(lf meta.LogFilter) meta.LogFilter {
		if lf.Start.IsZero() {
			lf.Start = at(-60)
		}
		if lf.End.IsZero() {
			lf.End = at(60)
		}
		if lf.Limit == 0 {
			lf.Limit = 100
		}
		return lf
	}
	cases := []struct {
		name string
		f    meta.LogFilter
		want []meta.LogEntry
	}{
		{"namespace", all(meta.LogFilter{NamespaceID: ns1}), pick(5, 2, 1, 0)},
		{"other namespace", all(meta.LogFilter{NamespaceID: ns2}), pick(3)},
		{"repository", all(meta.LogFilter{RepoID: repo}), pick(5, 1, 0)},
		{"performer", all(meta.LogFilter{PerformerID: p1}), pick(4, 2, 0)},
		{"other performer", all(meta.LogFilter{PerformerID: p2}), pick(3, 1)},
		{"unknown namespace", all(meta.LogFilter{NamespaceID: 99}), nil},
		{"one kind", all(meta.LogFilter{NamespaceID: ns1, Kinds: []string{"pull_repo"}}), pick(5, 1)},
		{"two kinds", all(meta.LogFilter{NamespaceID: ns1, Kinds: []string{"push_repo", "create_team"}}), pick(2, 0)},
		{"kind of none", all(meta.LogFilter{PerformerID: p1, Kinds: []string{"delete_repo"}}), nil},
		{"start is in, end is out", all(meta.LogFilter{NamespaceID: ns1, Start: at(1), End: at(5)}), pick(2, 1)},
		{"empty range", all(meta.LogFilter{NamespaceID: ns1, Start: at(2), End: at(2)}), nil},
		{"before ID", all(meta.LogFilter{NamespaceID: ns1, BeforeID: es[2].ID}), pick(1, 0)},
		{"limit", all(meta.LogFilter{NamespaceID: ns1, Limit: 2}), pick(5, 2)},
		{"next page", all(meta.LogFilter{NamespaceID: ns1, Limit: 2, BeforeID: es[2].ID}), pick(1, 0)},
		{"kind, range, page", all(meta.LogFilter{RepoID: repo, Kinds: []string{"pull_repo", "push_repo"},
			Start: at(0), End: at(6), BeforeID: es[5].ID, Limit: 1}), pick(1)},
	}
	for _, c := range cases {
		got, err := f.s.ListLogs(f.ctx, c.f)
		f.ok(err)
		wantEqual(t, "ListLogs "+c.name, got, c.want)
		n, err := f.s.CountLogs(f.ctx, c.f)
		f.ok(err)
		if n != len(c.want) {
			t.Errorf("CountLogs %s = %d, want %d", c.name, n, len(c.want))
		}
	}
	n, err := f.s.CountLogs(f.ctx, meta.LogFilter{NamespaceID: ns1})
	f.ok(err)
	if n != 4 {
		t.Errorf("CountLogs without bounds = %d, want 4", n)
	}
}
