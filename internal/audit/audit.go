// Package audit records the usage log: who did what, to which namespace
// and repository, from where. Every mutating call of the management APIs
// writes an entry, with Quay's log kind names.
package audit

import (
	"context"
	"encoding/json"
	"fmt"

	"wharf/internal/meta"
)

// Recorder writes log entries. It is safe for concurrent use.
type Recorder struct {
	logs meta.Logs
}

// New returns a Recorder writing to logs.
func New(logs meta.Logs) *Recorder { return &Recorder{logs: logs} }

// Entry is one thing that happened.
type Entry struct {
	Kind        string // a Quay log kind name, such as "create_repo"
	NamespaceID int64
	RepoID      int64
	PerformerID int64 // 0 for anonymous callers
	IP          string
	Metadata    map[string]any
}

// Record writes e. A failure is returned for the caller to log; the
// action it describes has already happened.
func (r *Recorder) Record(ctx context.Context, e Entry) error {
	var md []byte
	if len(e.Metadata) > 0 {
		var err error
		if md, err = json.Marshal(e.Metadata); err != nil {
			return fmt.Errorf("audit %s: %w", e.Kind, err)
		}
	}
	le := meta.LogEntry{Kind: e.Kind, NamespaceID: e.NamespaceID, RepoID: e.RepoID,
		PerformerID: e.PerformerID, IP: e.IP, Metadata: md}
	if err := r.logs.AddLog(ctx, &le); err != nil {
		return fmt.Errorf("audit %s: %w", e.Kind, err)
	}
	return nil
}

// List returns the entries f selects.
func (r *Recorder) List(ctx context.Context, f meta.LogFilter) ([]meta.LogEntry, error) {
	return r.logs.ListLogs(ctx, f)
}

// Count returns how many entries f selects, at most f.Limit when it is
// positive, without reading them.
func (r *Recorder) Count(ctx context.Context, f meta.LogFilter) (int, error) {
	return r.logs.CountLogs(ctx, f)
}
