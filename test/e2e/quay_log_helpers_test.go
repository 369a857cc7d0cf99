package e2e

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"

	"wharf/internal/meta"
	"wharf/internal/meta/sqlite"
)

// usageLog reads the usage log of a server running on SQLite. No
// endpoint of the families reads the log, so tests of what the
// API writes there read the database.
type usageLog struct {
	st  *sqlite.Store
	ctx context.Context
}

// openUsageLog opens the database of e's server, which must run on
// SQLite, for reading. It is closed when the test ends.
func openUsageLog(t *testing.T, e *env) *usageLog {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(e.srv.DataDir, "wharf.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &usageLog{st: st, ctx: ctx}
}

// namespaceID returns the ID of the namespace named name.
func (l *usageLog) namespaceID(t *testing.T, name string) int64 {
	t.Helper()
	ns, err := l.st.GetNamespace(l.ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	return ns.ID
}

// logWant is an entry a test expects: its kind, the metadata keys it
// carries, and the namespace it is filed under (0: any but none).
type logWant struct {
	kind string
	keys []string
	nsID int64
}

// check compares the entries performer wrote, oldest first and without
// those of the kinds in ignore, with wants. Every entry has an IP
// address and a namespace.
func (l *usageLog) check(t *testing.T, performer string, ignore []string, wants []logWant) {
	t.Helper()
	u, err := l.st.GetUser(l.ctx, performer)
	if err != nil {
		t.Fatal(err)
	}
	es, err := l.st.ListLogs(l.ctx, meta.LogFilter{PerformerID: u.ID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(es) // oldest first
	es = slices.DeleteFunc(es, func(e meta.LogEntry) bool { return slices.Contains(ignore, e.Kind) })
	var kinds, wantKinds []string
	for _, e := range es {
		kinds = append(kinds, e.Kind)
	}
	for _, w := range wants {
		wantKinds = append(wantKinds, w.kind)
	}
	if !slices.Equal(kinds, wantKinds) {
		t.Fatalf("%s's log kinds %v, want %v", performer, kinds, wantKinds)
	}
	for i, w := range wants {
		var md map[string]any
		if err := json.Unmarshal(es[i].Metadata, &md); err != nil {
			t.Fatalf("entry %d: metadata %q: %v", i, es[i].Metadata, err)
		}
		if es[i].IP == "" || es[i].NamespaceID == 0 || (w.nsID != 0 && es[i].NamespaceID != w.nsID) {
			t.Errorf("entry %d: %+v, want kind %s in namespace %d", i, es[i], w.kind, w.nsID)
		}
		for _, k := range w.keys {
			if _, ok := md[k]; !ok {
				t.Errorf("entry %d (%s): metadata %v lacks %s", i, es[i].Kind, md, k)
			}
		}
	}
}
