package depot

import (
	"context"
	"fmt"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// OriginInvitations returns an origin's invitations, ignored ones too,
// oldest first. Errors: errs.NotFound; errs.Unauthenticated; errs.Denied
// below read-only member.
func (s *Service) OriginInvitations(ctx context.Context, p auth.Principal, origin string) ([]meta.OriginInvitation, error) {
	ns, err := s.originAs(ctx, p, origin, ReadOnlyMember)
	if err != nil {
		return nil, err
	}
	is, err := s.store.ListOriginInvitations(ctx, ns.ID)
	if err != nil {
		return nil, fmt.Errorf("invitations of origin %s: %w", ns.Name, err)
	}
	return is, nil
}

// Invite invites a person to become a member of an origin. Errors:
// errs.NotFound for an unknown origin or user; errs.Exists when the user
// is invited already or is a member; errs.Unauthenticated; errs.Denied
// below maintainer.
func (s *Service) Invite(ctx context.Context, p auth.Principal, origin, user string) (meta.OriginInvitation, error) {
	ns, err := s.originAs(ctx, p, origin, Maintainer)
	if err != nil {
		return meta.OriginInvitation{}, err
	}
	u, err := s.person(ctx, user)
	if err != nil {
		return meta.OriginInvitation{}, err
	}
	inv := meta.OriginInvitation{NamespaceID: ns.ID, UserID: u.ID, InviterID: p.UserID}
	err = s.store.Tx(ctx, func(q meta.Queries) error {
		r, err := roleOf(ctx, q, ns, u.ID)
		if err != nil {
			return err
		}
		if r != NoRole {
			return errs.E(errs.Exists, "User '%s' is already a member of origin '%s'", u.Name, ns.Name)
		}
		err = q.CreateOriginInvitation(ctx, &inv)
		if errs.Is(err, errs.Exists) {
			return errs.Wrap(errs.Exists, fmt.Sprintf("User '%s' is already invited to origin '%s'", u.Name, ns.Name), err)
		}
		return err
	})
	if err != nil {
		return meta.OriginInvitation{}, fmt.Errorf("invite %s to %s: %w", u.Name, ns.Name, err)
	}
	inv.Origin, inv.UserName = ns.Name, u.Name
	return inv, nil
}

// invitation returns an invitation of an origin. Errors: errs.NotFound,
// also for an invitation to another origin.
func (s *Service) invitation(ctx context.Context, q meta.Queries, ns meta.Namespace, id int64) (meta.OriginInvitation, error) {
	inv, err := q.GetOriginInvitation(ctx, id)
	if err == nil && inv.NamespaceID != ns.ID {
		err = errs.E(errs.NotFound, "invitation not found")
	}
	if err != nil {
		return meta.OriginInvitation{}, errs.Wrap(errs.NotFound, "invitation not found", err)
	}
	return inv, nil
}

// answerOrigin returns the named origin for p to answer one of its
// invitations. Errors: errs.Unauthenticated; errs.NotFound.
func (s *Service) answerOrigin(ctx context.Context, p auth.Principal, origin string) (meta.Namespace, error) {
	if p.Anonymous() {
		return meta.Namespace{}, errs.E(errs.Unauthenticated, "authentication required")
	}
	return s.Origin(ctx, origin)
}

// answering returns the named origin and its invitation id for p to
// answer. Errors: as answerOrigin; errs.NotFound also for an unknown
// invitation or one to another origin.
func (s *Service) answering(ctx context.Context, p auth.Principal, origin string, id int64) (meta.Namespace, meta.OriginInvitation, error) {
	ns, err := s.answerOrigin(ctx, p, origin)
	if err != nil {
		return meta.Namespace{}, meta.OriginInvitation{}, err
	}
	inv, err := s.invitation(ctx, s.store, ns, id)
	return ns, inv, err
}

// inviteeOnly checks that p may answer an invitation: it is addressed to
// p's user and p may act for their account.
func inviteeOnly(p auth.Principal, inv meta.OriginInvitation) error {
	if inv.UserID != p.UserID || !p.AdministersAccount() {
		return errs.E(errs.Denied, "only the invited user may answer an invitation")
	}
	return nil
}

// AcceptInvitation makes the invited caller a read-only member of the
// origin (a member already keeps their role) and deletes the invitation.
// Errors: errs.NotFound for an unknown origin or invitation, also one to
// another origin; errs.Denied when the invitation is another user's;
// errs.Unauthenticated.
func (s *Service) AcceptInvitation(ctx context.Context, p auth.Principal, origin string, id int64) error {
	ns, err := s.answerOrigin(ctx, p, origin)
	if err != nil {
		return err
	}
	err = s.store.Tx(ctx, func(q meta.Queries) error {
		if err := lockOrigin(ctx, q, ns, p, NoRole); err != nil {
			return err
		}
		inv, err := s.invitation(ctx, q, ns, id)
		if err != nil {
			return err
		}
		if err := inviteeOnly(p, inv); err != nil {
			return err
		}
		_, err = q.GetMember(ctx, ns.ID, inv.UserID)
		switch {
		case errs.Is(err, errs.NotFound):
			m := meta.Member{NamespaceID: ns.ID, UserID: inv.UserID, Role: meta.MemberReadOnly}
			if err := q.PutMember(ctx, &m); err != nil {
				return err
			}
		case err != nil:
			return err
		}
		return q.DeleteOriginInvitation(ctx, inv.ID)
	})
	if err != nil {
		return fmt.Errorf("accept invitation %d: %w", id, err)
	}
	return nil
}

// IgnoreInvitation marks the caller's invitation ignored: it leaves the
// caller's list but stays in the origin's. Errors: as AcceptInvitation.
func (s *Service) IgnoreInvitation(ctx context.Context, p auth.Principal, origin string, id int64) error {
	_, inv, err := s.answering(ctx, p, origin, id)
	if err != nil {
		return err
	}
	if err := inviteeOnly(p, inv); err != nil {
		return err
	}
	if err := s.store.IgnoreOriginInvitation(ctx, inv.ID); err != nil {
		return fmt.Errorf("ignore invitation %d: %w", id, err)
	}
	return nil
}

// RescindInvitation deletes an invitation; the invited user and the
// origin's maintainers may. Errors: errs.NotFound for an unknown origin
// or invitation, also one to another origin; errs.Denied for anyone
// else; errs.Unauthenticated.
func (s *Service) RescindInvitation(ctx context.Context, p auth.Principal, origin string, id int64) error {
	ns, inv, err := s.answering(ctx, p, origin, id)
	if err != nil {
		return err
	}
	if inviteeOnly(p, inv) != nil {
		if _, err := s.need(ctx, p, ns, Maintainer); err != nil {
			return err
		}
	}
	if err := s.store.DeleteOriginInvitation(ctx, inv.ID); err != nil {
		return fmt.Errorf("rescind invitation %d: %w", id, err)
	}
	return nil
}

// UserInvitations returns the caller's invitations that are not ignored,
// oldest first. Errors: errs.Unauthenticated.
func (s *Service) UserInvitations(ctx context.Context, p auth.Principal) ([]meta.OriginInvitation, error) {
	if p.Anonymous() {
		return nil, errs.E(errs.Unauthenticated, "authentication required")
	}
	is, err := s.store.ListUserInvitations(ctx, p.UserID)
	if err != nil {
		return nil, fmt.Errorf("invitations of %s: %w", p.Name, err)
	}
	return is, nil
}
