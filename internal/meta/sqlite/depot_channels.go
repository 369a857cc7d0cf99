package sqlite

import (
	"context"
	"encoding/json"
	"strings"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

const channelCols = `id, namespace_id, name, owner_id, created, updated`

func scanChannel(s scanner) (meta.Channel, error) {
	var c meta.Channel
	var created, updated int64
	if err := s.Scan(&c.ID, &c.NamespaceID, &c.Name, &c.OwnerID, &created, &updated); err != nil {
		return meta.Channel{}, err
	}
	c.Created, c.Updated = unstamp(created), unstamp(updated)
	return c, nil
}

// CreateChannel implements meta.Channels. Errors beyond the interface's:
// errs.Invalid for an empty name; errs.NotFound for a missing namespace.
func (q *queries) CreateChannel(ctx context.Context, c *meta.Channel) error {
	if err := meta.CheckChannel(c); err != nil {
		return err
	}
	at := now()
	err := q.wr.QueryRowContext(ctx, `INSERT INTO channels (namespace_id, name, owner_id, created, updated)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, c.NamespaceID, c.Name, c.OwnerID, stamp(at), stamp(at)).Scan(&c.ID)
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
	c, err := scanChannel(q.rd.QueryRowContext(ctx, `SELECT `+channelCols+` FROM channels
		WHERE namespace_id = ? AND name = ?`, namespaceID, name))
	return c, wrap("get channel", missing(err, "channel not found"))
}

// ListChannels implements meta.Channels.
func (q *queries) ListChannels(ctx context.Context, namespaceID int64) ([]meta.Channel, error) {
	cs, err := list(ctx, q.rd, scanChannel, `SELECT `+channelCols+` FROM channels
		WHERE namespace_id = ? ORDER BY name`, namespaceID)
	return cs, wrap("list channels", err)
}

// DeleteChannel implements meta.Channels.
func (q *queries) DeleteChannel(ctx context.Context, id int64) error {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM channels WHERE id = ?`, id)
	return wrap("delete channel", changed(res, err, "channel not found"))
}

// AddToChannel implements meta.Channels. Adding a version that is in the
// channel already counts as promoting it again: the membership's Updated
// moves.
func (q *queries) AddToChannel(ctx context.Context, channelID, versionID int64) (bool, error) {
	at := stamp(now())
	var added bool
	err := q.atomic(ctx, func(c dbtx) error {
		res, err := c.ExecContext(ctx, `INSERT INTO channel_versions (channel_id, version_id, created, updated)
			VALUES (?1, ?2, ?3, ?3) ON CONFLICT (channel_id, version_id) DO NOTHING`, channelID, versionID, at)
		if isForeignKey(err) {
			return errs.E(errs.NotFound, "channel or version not found")
		}
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if added = n == 1; added {
			return nil
		}
		res, err = c.ExecContext(ctx, `UPDATE channel_versions SET updated = ?
			WHERE channel_id = ? AND version_id = ?`, at, channelID, versionID)
		return changed(res, err, "channel or version not found")
	})
	return added, wrap("add to channel", err)
}

// RemoveFromChannel implements meta.Channels.
func (q *queries) RemoveFromChannel(ctx context.Context, channelID, versionID int64) (bool, error) {
	res, err := q.wr.ExecContext(ctx, `DELETE FROM channel_versions WHERE channel_id = ? AND version_id = ?`,
		channelID, versionID)
	if err != nil {
		return false, wrap("remove from channel", err)
	}
	n, err := res.RowsAffected()
	return n > 0, wrap("remove from channel", err)
}

// CopyChannel implements meta.Channels. One writer at a time: the events
// and the memberships see the same channels.
func (q *queries) CopyChannel(ctx context.Context, src, dst int64, e meta.DepotEvent) (int, error) {
	if err := meta.CheckEventTemplate(e); err != nil {
		return 0, err
	}
	at := stamp(now())
	var n int64
	err := q.atomic(ctx, func(c dbtx) error {
		_, err := c.ExecContext(ctx, `INSERT INTO depot_events (namespace_id, operation, channel, origin, name,
				version, release, target, visibility, requester_id, trigger, created)
			SELECT hr.namespace_id, ?1, ?2, hr.origin, hr.name, hr.version, hr.release, hr.target, hr.visibility, ?3, ?4, ?5
			FROM channel_versions s JOIN hab_releases hr ON hr.version_id = s.version_id
			WHERE s.channel_id = ?6
				AND NOT EXISTS (SELECT 1 FROM channel_versions d WHERE d.channel_id = ?7 AND d.version_id = s.version_id)
			ORDER BY s.version_id`,
			e.Operation, e.Channel, e.RequesterID, e.Trigger, at, src, dst)
		if err != nil {
			return err
		}
		res, err := c.ExecContext(ctx, `INSERT INTO channel_versions (channel_id, version_id, created, updated)
			SELECT ?1, version_id, ?2, ?2 FROM channel_versions WHERE channel_id = ?3
			ON CONFLICT (channel_id, version_id) DO NOTHING`, dst, at, src)
		if isForeignKey(err) {
			return errs.E(errs.NotFound, "channel not found")
		}
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), wrap("copy channel", err)
}

// SubtractChannel implements meta.Channels.
func (q *queries) SubtractChannel(ctx context.Context, src, dst int64, e meta.DepotEvent) (int, error) {
	if err := meta.CheckEventTemplate(e); err != nil {
		return 0, err
	}
	at := stamp(now())
	var n int64
	err := q.atomic(ctx, func(c dbtx) error {
		_, err := c.ExecContext(ctx, `INSERT INTO depot_events (namespace_id, operation, channel, origin, name,
				version, release, target, visibility, requester_id, trigger, created)
			SELECT hr.namespace_id, ?1, ?2, hr.origin, hr.name, hr.version, hr.release, hr.target, hr.visibility, ?3, ?4, ?5
			FROM channel_versions d JOIN hab_releases hr ON hr.version_id = d.version_id
			WHERE d.channel_id = ?6
				AND EXISTS (SELECT 1 FROM channel_versions s WHERE s.channel_id = ?7 AND s.version_id = d.version_id)
			ORDER BY d.version_id`,
			e.Operation, e.Channel, e.RequesterID, e.Trigger, at, dst, src)
		if err != nil {
			return err
		}
		res, err := c.ExecContext(ctx, `DELETE FROM channel_versions WHERE channel_id = ?1
			AND version_id IN (SELECT version_id FROM channel_versions WHERE channel_id = ?2)`, dst, src)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), wrap("subtract channel", err)
}

// ListVersionChannels implements meta.Channels. The map has an entry for
// every version in at least one channel.
func (q *queries) ListVersionChannels(ctx context.Context, versionIDs []int64) (map[int64][]meta.ChannelMembership, error) {
	out := make(map[int64][]meta.ChannelMembership)
	if len(versionIDs) == 0 {
		return out, nil
	}
	ids, err := json.Marshal(versionIDs)
	if err != nil {
		return nil, wrap("list version channels", err)
	}
	ms, err := list(ctx, q.rd, func(s scanner) (meta.ChannelMembership, error) {
		var m meta.ChannelMembership
		var created, updated int64
		err := s.Scan(&m.VersionID, &m.ChannelID, &m.Channel, &created, &updated)
		m.Created, m.Updated = unstamp(created), unstamp(updated)
		return m, err
	}, `SELECT cv.version_id, c.id, c.name, cv.created, cv.updated FROM channel_versions cv
		JOIN channels c ON c.id = cv.channel_id
		WHERE cv.version_id IN (SELECT value FROM json_each(?))
		ORDER BY cv.version_id, c.name`, string(ids))
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

func scanEvent(s scanner) (meta.DepotEvent, error) {
	var e meta.DepotEvent
	var created int64
	if err := s.Scan(&e.ID, &e.NamespaceID, &e.Operation, &e.Channel, &e.Origin, &e.Name, &e.Version,
		&e.Release, &e.Target, &e.Visibility, &e.RequesterID, &e.Trigger, &created); err != nil {
		return meta.DepotEvent{}, err
	}
	e.Created = unstamp(created)
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
	err := q.wr.QueryRowContext(ctx, `INSERT INTO depot_events (namespace_id, operation, channel, origin, name,
			version, release, target, visibility, requester_id, trigger, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.NamespaceID, e.Operation, e.Channel, e.Origin, e.Name, e.Version, e.Release, e.Target, e.Visibility,
		e.RequesterID, e.Trigger, stamp(created)).Scan(&e.ID)
	if isForeignKey(err) {
		return errs.E(errs.NotFound, "namespace not found")
	}
	if err != nil {
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
	_, err := q.wr.ExecContext(ctx, `UPDATE depot_events SET visibility = ?
		WHERE namespace_id = ? AND name = ? AND version = ? AND release = ?`,
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
		w.and(`created >= ` + w.arg(stampUp(f.From)))
	}
	if !f.To.IsZero() {
		w.and(`created < ` + w.arg(stampUp(f.To)))
	}
	if f.Channel != "" {
		w.and(`channel = ` + w.arg(f.Channel))
	}
	if f.Query != "" {
		// LIKE compares ASCII letters case-insensitively.
		w.and(`origin || '/' || name || '/' || version || '/' || release LIKE ` +
			w.arg(containsPattern(strings.ToLower(f.Query))) + ` ESCAPE '\'`)
	}
	vis := []string{`visibility = 'public'`}
	if len(f.AllIn) > 0 {
		in, err := json.Marshal(f.AllIn)
		if err != nil {
			return nil, 0, wrap("list depot events", err)
		}
		vis = append(vis, `namespace_id IN (SELECT value FROM json_each(`+w.arg(string(in))+`))`)
	}
	if f.RequesterID != 0 {
		vis = append(vis, `requester_id = `+w.arg(f.RequesterID))
	}
	w.and(`(` + strings.Join(vis, ` OR `) + `)`)
	args := len(w.args) // the filter's, before the page's
	query := `SELECT ` + eventCols + `, count(*) OVER () FROM depot_events` + w.String() + `
		ORDER BY created DESC, id DESC LIMIT ` + w.arg(limit(f.Limit)) + ` OFFSET ` + w.arg(f.Offset)
	es, total, err := listPage(ctx, q.rd, scanEvent, query, w.args,
		f.Offset, `SELECT count(*) FROM depot_events`+w.String(), w.args[:args])
	return es, total, wrap("list depot events", err)
}
