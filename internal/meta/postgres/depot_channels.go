package postgres

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const channelCols = `id, namespace_id, name, owner_id, created, updated`

func scanChannel(s pgx.Row) (meta.Channel, error) {
	var c meta.Channel
	if err := s.Scan(&c.ID, &c.NamespaceID, &c.Name, &c.OwnerID, &c.Created, &c.Updated); err != nil {
		return meta.Channel{}, err
	}
	c.Created, c.Updated = c.Created.UTC(), c.Updated.UTC()
	return c, nil
}

// CreateChannel implements meta.Channels. Errors beyond the interface's:
// errs.Invalid for an empty name; errs.NotFound for a missing namespace.
func (q *queries) CreateChannel(ctx context.Context, c *meta.Channel) error {
	if err := meta.CheckChannel(c); err != nil {
		return err
	}
	at := now()
	err := q.db.QueryRow(ctx, `INSERT INTO channels (namespace_id, name, owner_id, created, updated)
		SELECT $1::bigint, $2::text, $3::bigint, $4::timestamptz, $4::timestamptz
		WHERE EXISTS (SELECT 1 FROM namespaces WHERE id = $1)
		ON CONFLICT DO NOTHING RETURNING id`, c.NamespaceID, c.Name, c.OwnerID, at).Scan(&c.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		err = parentOrExists(ctx, q.db, "namespace not found", "channel exists",
			`SELECT EXISTS (SELECT 1 FROM namespaces WHERE id = $1)`, c.NamespaceID)
	}
	switch {
	case isUnique(err):
		return errs.E(errs.Exists, "channel exists")
	case isForeignKey(err):
		return errs.E(errs.NotFound, "namespace not found")
	case err != nil:
		return wrap("create channel", err)
	}
	c.Created, c.Updated = at, at
	return nil
}

// GetChannel implements meta.Channels.
func (q *queries) GetChannel(ctx context.Context, namespaceID int64, name string) (meta.Channel, error) {
	c, err := scanChannel(q.db.QueryRow(ctx, `SELECT `+channelCols+` FROM channels
		WHERE namespace_id = $1 AND name = $2`, namespaceID, name))
	return c, wrap("get channel", missing(err, "channel not found"))
}

// ListChannels implements meta.Channels.
func (q *queries) ListChannels(ctx context.Context, namespaceID int64) ([]meta.Channel, error) {
	cs, err := list(ctx, q.db, scanChannel, `SELECT `+channelCols+` FROM channels
		WHERE namespace_id = $1 ORDER BY name`, namespaceID)
	return cs, wrap("list channels", err)
}

// DeleteChannel implements meta.Channels.
func (q *queries) DeleteChannel(ctx context.Context, id int64) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM channels WHERE id = $1`, id)
	return wrap("delete channel", changed(tag, err, "channel not found"))
}

// AddToChannel implements meta.Channels. Adding a version that is in the
// channel already counts as promoting it again: the membership's Updated
// moves.
func (q *queries) AddToChannel(ctx context.Context, channelID, versionID int64) (bool, error) {
	at := now()
	var added bool
	err := q.atomic(ctx, func(c dbtx) error {
		tag, err := c.Exec(ctx, `INSERT INTO channel_versions (channel_id, version_id, created, updated)
			SELECT $1::bigint, $2::bigint, $3::timestamptz, $3::timestamptz
			WHERE EXISTS (SELECT 1 FROM channels WHERE id = $1) AND EXISTS (SELECT 1 FROM versions WHERE id = $2)
			ON CONFLICT (channel_id, version_id) DO NOTHING`, channelID, versionID, at)
		if isForeignKey(err) {
			return errs.E(errs.NotFound, "channel or version not found")
		}
		if err != nil {
			return err
		}
		if added = tag.RowsAffected() == 1; added {
			return nil
		}
		tag, err = c.Exec(ctx, `UPDATE channel_versions SET updated = $1
			WHERE channel_id = $2 AND version_id = $3`, at, channelID, versionID)
		return changed(tag, err, "channel or version not found")
	})
	return added, wrap("add to channel", err)
}

// RemoveFromChannel implements meta.Channels.
func (q *queries) RemoveFromChannel(ctx context.Context, channelID, versionID int64) (bool, error) {
	tag, err := q.db.Exec(ctx, `DELETE FROM channel_versions WHERE channel_id = $1 AND version_id = $2`,
		channelID, versionID)
	if err != nil {
		return false, wrap("remove from channel", err)
	}
	return tag.RowsAffected() > 0, nil
}

// CopyChannel implements meta.Channels. The events are made from the rows
// the insert added, so concurrent promotions record each addition once.
func (q *queries) CopyChannel(ctx context.Context, src, dst int64, e meta.DepotEvent) (int, error) {
	if err := meta.CheckEventTemplate(e); err != nil {
		return 0, err
	}
	var n int
	err := q.db.QueryRow(ctx, `WITH added AS (
			INSERT INTO channel_versions (channel_id, version_id, created, updated)
			SELECT $1::bigint, version_id, $2::timestamptz, $2::timestamptz FROM channel_versions WHERE channel_id = $3
			ON CONFLICT (channel_id, version_id) DO NOTHING
			RETURNING version_id),
		events AS (
			INSERT INTO depot_events (namespace_id, operation, channel, origin, name,
				version, release, target, visibility, requester_id, trigger, created)
			SELECT hr.namespace_id, $4, $5, hr.origin, hr.name, hr.version, hr.release, hr.target, hr.visibility, $6, $7, $2
			FROM added a JOIN hab_releases hr ON hr.version_id = a.version_id)
		SELECT count(*) FROM added`,
		dst, now(), src, e.Operation, e.Channel, e.RequesterID, e.Trigger).Scan(&n)
	if isForeignKey(err) {
		return 0, errs.E(errs.NotFound, "channel not found")
	}
	return n, wrap("copy channel", err)
}

// SubtractChannel implements meta.Channels.
func (q *queries) SubtractChannel(ctx context.Context, src, dst int64, e meta.DepotEvent) (int, error) {
	if err := meta.CheckEventTemplate(e); err != nil {
		return 0, err
	}
	var n int
	err := q.db.QueryRow(ctx, `WITH removed AS (
			DELETE FROM channel_versions WHERE channel_id = $1
				AND version_id IN (SELECT version_id FROM channel_versions WHERE channel_id = $2)
			RETURNING version_id),
		events AS (
			INSERT INTO depot_events (namespace_id, operation, channel, origin, name,
				version, release, target, visibility, requester_id, trigger, created)
			SELECT hr.namespace_id, $3, $4, hr.origin, hr.name, hr.version, hr.release, hr.target, hr.visibility, $5, $6, $7
			FROM removed r JOIN hab_releases hr ON hr.version_id = r.version_id)
		SELECT count(*) FROM removed`,
		dst, src, e.Operation, e.Channel, e.RequesterID, e.Trigger, now()).Scan(&n)
	return n, wrap("subtract channel", err)
}

// ListVersionChannels implements meta.Channels. The map has an entry for
// every version in at least one channel.
func (q *queries) ListVersionChannels(ctx context.Context, versionIDs []int64) (map[int64][]meta.ChannelMembership, error) {
	out := make(map[int64][]meta.ChannelMembership)
	if len(versionIDs) == 0 {
		return out, nil
	}
	ms, err := list(ctx, q.db, func(s pgx.Row) (meta.ChannelMembership, error) {
		var m meta.ChannelMembership
		err := s.Scan(&m.VersionID, &m.ChannelID, &m.Channel, &m.Created, &m.Updated)
		m.Created, m.Updated = m.Created.UTC(), m.Updated.UTC()
		return m, err
	}, `SELECT cv.version_id, c.id, c.name, cv.created, cv.updated FROM channel_versions cv
		JOIN channels c ON c.id = cv.channel_id
		WHERE cv.version_id = ANY ($1::bigint[])
		ORDER BY cv.version_id, c.name`, versionIDs)
	if err != nil {
		return nil, wrap("list version channels", err)
	}
	for _, m := range ms {
		out[m.VersionID] = append(out[m.VersionID], m)
	}
	return out, nil
}

const eventCols = `id, namespace_id, operation, channel, origin, name, version, release, target, visibility,
	requester_id, trigger, created`

func scanEvent(s pgx.Row) (meta.DepotEvent, error) {
	var e meta.DepotEvent
	if err := s.Scan(&e.ID, &e.NamespaceID, &e.Operation, &e.Channel, &e.Origin, &e.Name, &e.Version,
		&e.Release, &e.Target, &e.Visibility, &e.RequesterID, &e.Trigger, &e.Created); err != nil {
		return meta.DepotEvent{}, err
	}
	e.Created = e.Created.UTC()
	return e, nil
}

// AddDepotEvent implements meta.DepotEvents. Errors: errs.Invalid for
// what meta.CheckDepotEvent refuses; errs.NotFound for a missing
// namespace.
func (q *queries) AddDepotEvent(ctx context.Context, e *meta.DepotEvent) error {
	if err := meta.CheckDepotEvent(e); err != nil {
		return err
	}
	created := utc(e.Created)
	if created.IsZero() {
		created = now()
	}
	err := q.db.QueryRow(ctx, `INSERT INTO depot_events (namespace_id, operation, channel, origin, name,
			version, release, target, visibility, requester_id, trigger, created)
		SELECT $1::bigint, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text,
			$10::bigint, $11::text, $12::timestamptz
		WHERE EXISTS (SELECT 1 FROM namespaces WHERE id = $1)
		RETURNING id`,
		e.NamespaceID, e.Operation, e.Channel, e.Origin, e.Name, e.Version, e.Release, e.Target, e.Visibility,
		e.RequesterID, e.Trigger, created).Scan(&e.ID)
	switch {
	case errors.Is(err, pgx.ErrNoRows), isForeignKey(err):
		return errs.E(errs.NotFound, "namespace not found")
	case err != nil:
		return wrap("add depot event", err)
	}
	e.Created = created
	return nil
}

// SetEventVisibility implements meta.DepotEvents.
func (q *queries) SetEventVisibility(ctx context.Context, namespaceID int64, name, version, release, visibility string) error {
	if err := meta.CheckVisibility(visibility); err != nil {
		return err
	}
	_, err := q.db.Exec(ctx, `UPDATE depot_events SET visibility = $1
		WHERE namespace_id = $2 AND name = $3 AND version = $4 AND release = $5`,
		visibility, namespaceID, name, version, release)
	return wrap("set event visibility", err)
}

// ListDepotEvents implements meta.DepotEvents; a zero From or To leaves
// that end open. The total comes from a window count, or from a count
// query when the page is past the end. Errors: errs.Invalid for a
// negative offset.
func (q *queries) ListDepotEvents(ctx context.Context, f meta.EventFilter) ([]meta.DepotEvent, int, error) {
	if err := meta.CheckPage(f.Offset); err != nil {
		return nil, 0, err
	}
	var w where
	if !f.From.IsZero() {
		w.and(`created >= ` + w.arg(upTime(f.From)))
	}
	if !f.To.IsZero() {
		w.and(`created < ` + w.arg(upTime(f.To)))
	}
	if f.Channel != "" {
		w.and(`channel = ` + w.arg(f.Channel))
	}
	if f.Query != "" {
		w.and(`lower(origin || '/' || name || '/' || version || '/' || release) LIKE ` +
			w.arg(containsPattern(strings.ToLower(f.Query))) + ` ESCAPE '\'`)
	}
	vis := []string{`visibility = 'public'`}
	if len(f.AllIn) > 0 {
		vis = append(vis, `namespace_id = ANY (`+w.arg(f.AllIn)+`::bigint[])`)
	}
	if f.RequesterID != 0 {
		vis = append(vis, `requester_id = `+w.arg(f.RequesterID))
	}
	w.and(`(` + strings.Join(vis, ` OR `) + `)`)
	args := len(w.args) // the filter's, before the page's
	query := `SELECT ` + eventCols + `, count(*) OVER () FROM depot_events` + w.String() + `
		ORDER BY created DESC, id DESC LIMIT ` + w.arg(limit(f.Limit)) + ` OFFSET ` + w.arg(f.Offset)
	es, total, err := listPage(ctx, q.db, scanEvent, query, w.args,
		f.Offset, `SELECT count(*) FROM depot_events`+w.String(), w.args[:args])
	return es, total, wrap("list depot events", err)
}
