package depot

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/format/hab"
	"wharf/internal/meta"
)

// Channels returns an origin's channels by name bytewise; an unknown
// origin has none.
func (s *Service) Channels(ctx context.Context, origin string) ([]meta.Channel, error) {
	ns, err := s.Origin(ctx, origin)
	if errs.Is(err, errs.NotFound) {
		return []meta.Channel{}, nil
	}
	if err != nil {
		return nil, err
	}
	return s.store.ListChannels(ctx, ns.ID)
}

// maxChannelName bounds a channel name, in bytes.
const maxChannelName = 255

// validChannelName checks the name of a new channel: Builder takes any,
// Wharf one that fits in a path segment and an index: 1 to 255 bytes of
// UTF-8 without slashes or control characters. Errors: errs.Invalid.
func validChannelName(name string) error {
	if name == "" || len(name) > maxChannelName || !utf8.ValidString(name) ||
		strings.ContainsFunc(name, func(r rune) bool { return r == '/' || unicode.IsControl(r) }) {
		return errs.E(errs.Invalid, "Invalid channel name: 1 to %d bytes of UTF-8 without '/' or control characters", maxChannelName)
	}
	return nil
}

// CreateChannel creates a channel. Errors: errs.Exists; errs.Invalid for
// a name validChannelName refuses; errs.NotFound for the origin;
// errs.Unauthenticated; errs.Denied below maintainer.
func (s *Service) CreateChannel(ctx context.Context, p auth.Principal, origin, name string) (meta.Channel, error) {
	ns, err := s.originAs(ctx, p, origin, Maintainer)
	if err != nil {
		return meta.Channel{}, err
	}
	if err := validChannelName(name); err != nil {
		return meta.Channel{}, err
	}
	ch := meta.Channel{NamespaceID: ns.ID, Name: name, OwnerID: p.UserID}
	if err := s.store.CreateChannel(ctx, &ch); err != nil {
		return meta.Channel{}, err
	}
	return ch, nil
}

// DeleteChannel deletes a channel but "stable" and "unstable"; the
// releases in it stay. Errors: errs.Conflict for those; errs.Denied below
// maintainer; errs.NotFound; errs.Unauthenticated.
func (s *Service) DeleteChannel(ctx context.Context, p auth.Principal, origin, name string) error {
	ns, err := s.originAs(ctx, p, origin, Maintainer)
	if err != nil {
		return err
	}
	if name == Stable || name == Unstable {
		return errs.E(errs.Conflict, "the %s channel cannot be deleted", name)
	}
	ch, err := s.store.GetChannel(ctx, ns.ID, name)
	if err != nil {
		return err
	}
	return s.store.DeleteChannel(ctx, ch.ID)
}

// event records a promotion or demotion of rel in q.
func (s *Service) event(ctx context.Context, q meta.Queries, op, channel, trigger string, p auth.Principal, rel meta.Release) error {
	e := meta.DepotEvent{NamespaceID: rel.NamespaceID, Operation: op, Channel: channel,
		Origin: rel.Origin, Name: rel.Name, Version: rel.Version, Release: rel.Release, Target: rel.Target,
		Visibility: rel.Visibility, RequesterID: p.UserID, Trigger: trigger}
	return q.AddDepotEvent(ctx, &e)
}

// channelAs returns the named origin and its channel when p is a
// maintainer there. Errors: errs.NotFound for either, then as need.
func (s *Service) channelAs(ctx context.Context, p auth.Principal, origin, channel string) (meta.Namespace, meta.Channel, error) {
	ns, err := s.originAs(ctx, p, origin, Maintainer)
	if err != nil {
		return ns, meta.Channel{}, err
	}
	ch, err := s.store.GetChannel(ctx, ns.ID, channel)
	return ns, ch, err
}

// promotion resolves what a single promotion or demotion names.
func (s *Service) promotion(ctx context.Context, p auth.Principal, req PromoteRequest) (meta.Channel, meta.Release, error) {
	ns, ch, err := s.channelAs(ctx, p, req.Ident.Origin, req.Channel)
	if err != nil {
		return meta.Channel{}, meta.Release{}, err
	}
	id := req.Ident
	rel, err := s.store.GetRelease(ctx, ns.ID, id.Name, id.Version, id.Release, req.Target)
	if err != nil {
		return meta.Channel{}, meta.Release{}, err
	}
	return ch, rel, nil
}

// Promote puts a release for a target in a channel; promoting twice is
// not an error, and only the first promotion is recorded as an event.
// Errors: errs.NotFound for the channel or the release;
// errs.Unauthenticated; errs.Denied below maintainer.
func (s *Service) Promote(ctx context.Context, p auth.Principal, req PromoteRequest) error {
	ch, rel, err := s.promotion(ctx, p, req)
	if err != nil {
		return err
	}
	return s.store.Tx(ctx, func(q meta.Queries) error {
		added, err := q.AddToChannel(ctx, ch.ID, rel.VersionID)
		if err != nil || !added {
			return err
		}
		return s.event(ctx, q, meta.EventPromote, ch.Name, req.Trigger, p, rel)
	})
}

// Demote takes a release for a target out of a channel. Errors:
// errs.Denied for "unstable" and below maintainer; errs.Conflict when the
// release is not in the channel; errs.NotFound; errs.Unauthenticated.
func (s *Service) Demote(ctx context.Context, p auth.Principal, req PromoteRequest) error {
	if req.Channel == Unstable {
		return errs.E(errs.Denied, "packages cannot be demoted from %s", Unstable)
	}
	ch, rel, err := s.promotion(ctx, p, req)
	if err != nil {
		return err
	}
	return s.store.Tx(ctx, func(q meta.Queries) error {
		removed, err := q.RemoveFromChannel(ctx, ch.ID, rel.VersionID)
		if err != nil {
			return err
		}
		if !removed {
			return errs.E(errs.Conflict, "%s is not in channel %s", req.Ident, ch.Name)
		}
		return s.event(ctx, q, meta.EventDemote, ch.Name, req.Trigger, p, rel)
	})
}

// BulkPromote adds every release in channel src, all targets and
// visibilities, to dst, creating dst when missing, in one transaction of
// two statements however many releases there are; each release added is
// recorded as an event. Errors: errs.Invalid when
// dst is src or "unstable"; errs.NotFound for src; errs.Unauthenticated;
// errs.Denied below maintainer.
func (s *Service) BulkPromote(ctx context.Context, p auth.Principal, origin, src, dst, trigger string) error {
	if dst == "" || dst == src || dst == Unstable {
		return errs.E(errs.Invalid, "cannot promote the packages of %s to %q", src, dst)
	}
	if err := validChannelName(dst); err != nil {
		return err
	}
	ns, from, err := s.channelAs(ctx, p, origin, src)
	if err != nil {
		return err
	}
	return s.store.Tx(ctx, func(q meta.Queries) error {
		to, err := ensureChannel(ctx, q, ns.ID, dst, p.UserID)
		if err != nil {
			return err
		}
		_, err = q.CopyChannel(ctx, from.ID, to.ID, meta.DepotEvent{Operation: meta.EventPromote, Channel: dst,
			RequesterID: p.UserID, Trigger: trigger})
		return err
	})
}

// BulkDemote removes every release in channel src from dst, undoing a
// bulk promotion, in one transaction. Errors: errs.Invalid when either is
// "unstable" or they are the same; errs.NotFound for either channel;
// errs.Unauthenticated; errs.Denied below maintainer.
func (s *Service) BulkDemote(ctx context.Context, p auth.Principal, origin, src, dst, trigger string) error {
	if dst == "" || src == Unstable || dst == Unstable || src == dst {
		return errs.E(errs.Invalid, "cannot demote the packages of %s from %q", src, dst)
	}
	ns, from, err := s.channelAs(ctx, p, origin, src)
	if err != nil {
		return err
	}
	to, err := s.store.GetChannel(ctx, ns.ID, dst)
	if err != nil {
		return err
	}
	_, err = s.store.SubtractChannel(ctx, from.ID, to.ID, meta.DepotEvent{Operation: meta.EventDemote, Channel: dst,
		RequesterID: p.UserID, Trigger: trigger})
	return err
}

// RDeps returns "origin/name" of the packages whose runtime dependencies
// include a release of origin/name for target, sorted, leaving out the
// packages of origins whose default visibility is not public unless p is
// a member there, as Builder does, and those of which p sees no release
// (Builder lists them). Build dependencies do not count, as in Builder.
func (s *Service) RDeps(ctx context.Context, p auth.Principal, origin, name, target string) ([]string, error) {
	rows, err := s.store.ListRDeps(ctx, origin, name, target)
	if err != nil {
		return nil, err
	}
	out := []string{}
	// Per origin, once: whether its packages are listed for p, and the
	// names of which p sees a release.
	visibleNames := map[string]map[string]bool{}
	for _, r := range rows {
		names, seen := visibleNames[r.Origin]
		if !seen {
			if names, err = s.listedNames(ctx, p, r.Origin, target); err != nil {
				return nil, err
			}
			visibleNames[r.Origin] = names
		}
		if names[r.Name] {
			out = append(out, hab.Ident{Origin: r.Origin, Name: r.Name}.String())
		}
	}
	slices.Sort(out)
	return out, nil
}

// listedNames returns the names of an origin's packages of which p sees a
// release for target: none when the origin does not exist, or when its
// default visibility is not public and p is not a member.
func (s *Service) listedNames(ctx context.Context, p auth.Principal, origin, target string) (map[string]bool, error) {
	ns, err := s.Origin(ctx, origin)
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	all, err := s.seesAll(ctx, p, ns)
	if err != nil {
		return nil, err
	}
	var vis []string // a member sees every release
	if !all {
		o, err := settingsOf(ctx, s.store, ns)
		if err != nil || o.DefaultVisibility != meta.VisibilityPublic {
			return nil, err
		}
		vis = []string{meta.VisibilityPublic}
	}
	rows, _, err := s.store.ListNames(ctx, meta.ReleaseFilter{NamespaceID: ns.ID, Target: target, Visibilities: vis}, 0, 0)
	if err != nil {
		return nil, err
	}
	names := make(map[string]bool, len(rows))
	for _, r := range rows {
		names[r.Name] = true
	}
	return names, nil
}

// Events lists promotions and demotions newest first: of public
// releases, of every release in the origins p is a member of, and those
// p requested.
func (s *Service) Events(ctx context.Context, p auth.Principal, req EventRequest) (Page[meta.DepotEvent], error) {
	mine, err := s.memberOrigins(ctx, p)
	if err != nil {
		return Page[meta.DepotEvent]{}, err
	}
	// What a person requested they see; a token limited by scopes or
	// grants sees only what its origins allow.
	requester := p.UserID
	if p.Caps != nil || p.Restricted {
		requester = 0
	}
	evs, total, err := s.store.ListDepotEvents(ctx, meta.EventFilter{From: req.From, To: req.To, Channel: req.Channel,
		Query: req.Query, AllIn: mine, RequesterID: requester, Offset: req.Offset, Limit: req.Limit})
	if err != nil {
		return Page[meta.DepotEvent]{}, err
	}
	return Page[meta.DepotEvent]{Items: evs, Total: total}, nil
}
