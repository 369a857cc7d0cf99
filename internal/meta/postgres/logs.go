package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const logCols = `id, kind, namespace_id, repo_id, performer_id, ip, metadata, created`

func scanLog(s pgx.Row) (meta.LogEntry, error) {
	var e meta.LogEntry
	var namespaceID, repoID, performerID *int64
	if err := s.Scan(&e.ID, &e.Kind, &namespaceID, &repoID, &performerID, &e.IP, &e.Metadata, &e.Created); err != nil {
		return meta.LogEntry{}, err
	}
	e.NamespaceID, e.RepoID, e.PerformerID = unnullID(namespaceID), unnullID(repoID), unnullID(performerID)
	e.Metadata = nullBytes(e.Metadata)
	e.Created = e.Created.UTC()
	return e, nil
}

// AddLog implements meta.Logs. Created is stored to the microsecond in UTC
// and e is updated to match. Errors: errs.Invalid for an empty kind.
func (q *queries) AddLog(ctx context.Context, e *meta.LogEntry) error {
	if e.Kind == "" {
		return errs.E(errs.Invalid, "log entry kind is empty")
	}
	created := utc(e.Created)
	if created.IsZero() {
		created = now()
	}
	err := q.db.QueryRow(ctx, `INSERT INTO logs (kind, namespace_id, repo_id, performer_id, ip, metadata, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		e.Kind, nullID(e.NamespaceID), nullID(e.RepoID), nullID(e.PerformerID), e.IP, nullBytes(e.Metadata),
		created).Scan(&e.ID)
	if err != nil {
		return wrap("add log entry", err)
	}
	e.Created = created
	return nil
}

// ListLogs implements meta.Logs. Each of the namespace, repository and
// performer that is set narrows the selection; the query reads the index
// of one of them backwards. Limit <= 0 means no limit. Errors:
// errs.Invalid when none of the three is set.
func (q *queries) ListLogs(ctx context.Context, f meta.LogFilter) ([]meta.LogEntry, error) {
	w, err := logWhere(f)
	if err != nil {
		return nil, wrap("list log entries", err)
	}
	query := `SELECT ` + logCols + ` FROM logs` + w.String() +
		` ORDER BY created DESC, id DESC LIMIT ` + w.arg(limit(f.Limit))
	es, err := list(ctx, q.db, scanLog, query, w.args...)
	return es, wrap("list log entries", err)
}

// CountLogs implements meta.Logs: it counts what ListLogs would return,
// without reading the entries. Errors as ListLogs.
func (q *queries) CountLogs(ctx context.Context, f meta.LogFilter) (int, error) {
	w, err := logWhere(f)
	if err != nil {
		return 0, wrap("count log entries", err)
	}
	var n int
	err = q.db.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM logs`+w.String()+
		` LIMIT `+w.arg(limit(f.Limit))+`) AS selected`, w.args...).Scan(&n)
	return n, wrap("count log entries", err)
}

// logWhere is the condition of the entries f selects. Errors:
// errs.Invalid when f names no namespace, repository or performer.
func logWhere(f meta.LogFilter) (where, error) {
	var w where
	if f.NamespaceID == 0 && f.RepoID == 0 && f.PerformerID == 0 {
		return w, errs.E(errs.Invalid, "log filter needs a namespace, a repository or a performer")
	}
	if f.NamespaceID != 0 {
		w.and(`namespace_id = ` + w.arg(f.NamespaceID))
	}
	if f.RepoID != 0 {
		w.and(`repo_id = ` + w.arg(f.RepoID))
	}
	if f.PerformerID != 0 {
		w.and(`performer_id = ` + w.arg(f.PerformerID))
	}
	if len(f.Kinds) > 0 {
		w.and(`kind = ANY (` + w.arg(f.Kinds) + `::text[])`)
	}
	if !f.Start.IsZero() {
		w.and(`created >= ` + w.arg(upTime(f.Start)))
	}
	if !f.End.IsZero() {
		w.and(`created < ` + w.arg(upTime(f.End)))
	}
	if f.BeforeID != 0 {
		w.and(`id < ` + w.arg(f.BeforeID))
	}
	return w, nil
}
