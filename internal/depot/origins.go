package depot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/format/hab"
	"wharf/internal/meta"
)

// OriginInfo is an origin with its Habitat settings and its owner.
type OriginInfo struct {
	Namespace meta.Namespace
	// Settings are the origin's settings, the defaults (public packages,
	// the organisation's creation time) when it has none stored.
	Settings meta.Origin
	// OwnerID and OwnerName name the member with the owner role or, when
	// none has it, the first person of the owners team; 0 and "" when
	// there is neither.
	OwnerID   int64
	OwnerName string
	// PrivateKeyName is "<origin>-<revision>" of the newest secret signing
	// key, "" when there is none. Only GetOrigin fills it.
	PrivateKeyName string
	// PackageCount is how many packages the origin holds: names with
	// settings, as Builder counts them (a name gets settings at its first
	// upload). Only UserOrigins fills it.
	PackageCount int
}

// CreateOriginRequest describes a new origin.
type CreateOriginRequest struct {
	Name string
	// DefaultVisibility is the visibility of the origin's new packages:
	// meta.VisibilityPublic (when empty) or meta.VisibilityPrivate.
	DefaultVisibility string
}

// checkDefaultVisibility checks a default package visibility; "" is
// public.
func checkDefaultVisibility(v string) (string, error) {
	switch v {
	case "":
		return meta.VisibilityPublic, nil
	case meta.VisibilityPublic, meta.VisibilityPrivate:
		return v, nil
	}
	return "", errs.E(errs.Invalid, "invalid default package visibility '%s'", v)
}

// CreateOrigin creates an origin: an organisation (with its owners team
// holding the creator), the creator as its member with the owner role,
// its channels "unstable" and "stable" and its settings, in one
// transaction. The name must be both a Habitat origin name and a Wharf
// namespace name. Errors: errs.Invalid for a bad name or visibility;
// errs.Exists when a user or organisation has the name;
// errs.Unauthenticated; errs.Denied for a robot or a credential that may
// not act for its user's account.
func (s *Service) CreateOrigin(ctx context.Context, p auth.Principal, req CreateOriginRequest) (OriginInfo, error) {
	if p.Anonymous() {
		return OriginInfo{}, errs.E(errs.Unauthenticated, "authentication required")
	}
	if !p.AdministersAccount() {
		return OriginInfo{}, errs.E(errs.Denied, "this credential may not create origins")
	}
	vis, err := checkDefaultVisibility(req.DefaultVisibility)
	if err != nil {
		return OriginInfo{}, err
	}
	if err := hab.ValidOrigin(req.Name); err != nil {
		return OriginInfo{}, err
	}
	if err := auth.ValidNamespaceName(req.Name); err != nil {
		return OriginInfo{}, errs.Wrap(errs.Invalid, fmt.Sprintf("invalid origin '%s'", req.Name), err)
	}
	info := OriginInfo{OwnerID: p.UserID, OwnerName: p.Name}
	ns, err := s.acct.CreateOrg(ctx, auth.CreateOrgRequest{Name: req.Name, Creator: p,
		Also: func(ctx context.Context, q meta.Queries, ns meta.Namespace) error {
			// InitOrigin runs as the service's OnCreateOrg hook where the
			// application wires one; it is idempotent.
			if err := InitOrigin(ctx, q, ns, p); err != nil {
				return err
			}
			info.Settings = meta.Origin{NamespaceID: ns.ID, DefaultVisibility: vis}
			return q.PutOrigin(ctx, &info.Settings)
		}})
	if err != nil {
		return OriginInfo{}, err
	}
	info.Namespace = ns
	return info, nil
}

// InitOrigin makes an organisation an origin, in the transaction that
// creates it: its creator becomes its member with the owner role, and it
// gets the channels "unstable" and "stable". It keeps what exists, so it
// may run twice. The application sets it as auth.Service.OnCreateOrg, so
// that organisations made through any front are origins.
func InitOrigin(ctx context.Context, q meta.Queries, ns meta.Namespace, creator auth.Principal) error {
	if _, err := q.GetMember(ctx, ns.ID, creator.UserID); errs.Is(err, errs.NotFound) {
		m := meta.Member{NamespaceID: ns.ID, UserID: creator.UserID, Role: meta.MemberOwner}
		if err := q.PutMember(ctx, &m); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	for _, name := range []string{Unstable, Stable} {
		if _, err := ensureChannel(ctx, q, ns.ID, name, creator.UserID); err != nil {
			return err
		}
	}
	return nil
}

// GetOrigin returns an origin with its owner and newest secret signing
// key name; anyone may read it. Errors: errs.NotFound.
func (s *Service) GetOrigin(ctx context.Context, name string) (OriginInfo, error) {
	ns, err := s.Origin(ctx, name)
	if err != nil {
		return OriginInfo{}, err
	}
	info, err := s.originInfo(ctx, s.store, ns)
	if err != nil {
		return OriginInfo{}, err
	}
	k, err := s.store.LatestOriginKey(ctx, ns.ID, meta.KeySigSecret)
	switch {
	case err == nil:
		info.PrivateKeyName = ns.Name + "-" + k.Revision
	case !errs.Is(err, errs.NotFound):
		return OriginInfo{}, fmt.Errorf("origin %s: %w", name, err)
	}
	return info, nil
}

// originInfo reads an origin's settings and owner.
func (s *Service) originInfo(ctx context.Context, q meta.Queries, ns meta.Namespace) (OriginInfo, error) {
	info := OriginInfo{Namespace: ns}
	var err error
	if info.Settings, err = settingsOf(ctx, q, ns); err != nil {
		return OriginInfo{}, err
	}
	owner, err := auth.OwnerOfOrigin(ctx, q, ns)
	if err != nil {
		return OriginInfo{}, err
	}
	info.OwnerID, info.OwnerName = owner.ID, owner.Name
	return info, nil
}

// settingsOf returns an origin's settings, the defaults when it has none.
func settingsOf(ctx context.Context, q meta.Queries, ns meta.Namespace) (meta.Origin, error) {
	o, err := q.GetOrigin(ctx, ns.ID)
	if errs.Is(err, errs.NotFound) {
		return meta.Origin{NamespaceID: ns.ID, DefaultVisibility: meta.VisibilityPublic, Created: ns.Created, Updated: ns.Created}, nil
	}
	if err != nil {
		return meta.Origin{}, fmt.Errorf("settings of origin %s: %w", ns.Name, err)
	}
	return o, nil
}

// UpdateOrigin sets the visibility of an origin's new packages; ""
// resets it to public, as Builder does. Errors: errs.Invalid for another
// visibility; errs.NotFound; errs.Unauthenticated; errs.Denied below
// administrator.
func (s *Service) UpdateOrigin(ctx context.Context, p auth.Principal, name, visibility string) error {
	ns, err := s.originAs(ctx, p, name, Administrator)
	if err != nil {
		return err
	}
	vis, err := checkDefaultVisibility(visibility)
	if err != nil {
		return err
	}
	err = s.store.Tx(ctx, func(q meta.Queries) error {
		o, err := settingsOf(ctx, q, ns)
		if err != nil {
			return err
		}
		o.DefaultVisibility = vis
		return q.PutOrigin(ctx, &o)
	})
	if err != nil {
		return fmt.Errorf("update origin %s: %w", name, err)
	}
	return nil
}

// UserOrigins returns the origins the caller is a member of, directly or
// through a team, by name, with how many packages each holds (see
// OriginInfo.PackageCount). Errors: errs.Unauthenticated.
func (s *Service) UserOrigins(ctx context.Context, p auth.Principal) ([]OriginInfo, error) {
	if p.Anonymous() {
		return nil, errs.E(errs.Unauthenticated, "authentication required")
	}
	origins, err := s.originsOf(ctx, p.UserID)
	if err != nil {
		return nil, fmt.Errorf("origins of %s: %w", p.Name, err)
	}
	out := make([]OriginInfo, 0, len(origins))
	for _, ns := range origins {
		info, err := s.originInfo(ctx, s.store, ns)
		if err != nil {
			return nil, err
		}
		if info.PackageCount, err = s.store.CountPackageSettings(ctx, ns.ID); err != nil {
			return nil, fmt.Errorf("origins of %s: %w", p.Name, err)
		}
		out = append(out, info)
	}
	return out, nil
}

// originsOf returns the origins a user is a member of, directly or
// through a team, by name.
func (s *Service) originsOf(ctx context.Context, userID int64) ([]meta.Namespace, error) {
	ids := map[int64]bool{}
	ms, err := s.store.ListUserMembers(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		ids[m.NamespaceID] = true
	}
	teams, err := s.store.ListUserTeams(ctx, userID, 0)
	if err != nil {
		return nil, err
	}
	for _, t := range teams {
		ids[t.NamespaceID] = true
	}
	out := make([]meta.Namespace, 0, len(ids))
	for id := range ids {
		ns, err := s.store.GetNamespaceByID(ctx, id)
		if errs.Is(err, errs.NotFound) {
			continue // deleted meanwhile
		}
		if err != nil {
			return nil, err
		}
		if ns.Kind == meta.KindOrg {
			out = append(out, ns)
		}
	}
	slices.SortFunc(out, func(a, b meta.Namespace) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}
