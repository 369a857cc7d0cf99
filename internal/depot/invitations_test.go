package depot_test

import (
	"context"
	"testing"

	"wharf/internal/auth"
	"wharf/internal/depot"
	"wharf/internal/errs"
)

func TestInvitations(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	bobo, wesker, ada, leon := e.person(t, "bobo"), e.person(t, "wesker"), e.person(t, "ada"), e.person(t, "leon")
	e.origin(t, bobo, "neurosis")
	e.origin(t, leon, "other")
	e.join(t, bobo, ada, "neurosis", depot.Member)

	_, err := e.svc.Invite(ctx, ada, "neurosis", "wesker")
	wantErr(t, "Invite by a member", err, errs.Denied, "")
	_, err = e.svc.Invite(ctx, bobo, "neurosis", "nobody")
	wantErr(t, "Invite an unknown user", err, errs.NotFound, "")
	_, err = e.svc.Invite(ctx, bobo, "neurosis", "ada")
	wantErr(t, "Invite a member", err, errs.Exists, "")
	inv, err := e.svc.Invite(ctx, bobo, "neurosis", "wesker")
	if err != nil {
		t.Fatal(err)
	}
	if inv.Origin != "neurosis" || inv.UserName != "wesker" || inv.UserID != wesker.UserID || inv.InviterID != bobo.UserID || inv.Ignored || inv.Created.IsZero() || inv.Updated.IsZero() {
		t.Errorf("Invite = %+v", inv)
	}
	_, err = e.svc.Invite(ctx, bobo, "neurosis", "wesker")
	wantErr(t, "Invite twice", err, errs.Exists, "")

	// Only the invitee answers, and only through the invitation's origin.
	wantErr(t, "accept by another", e.svc.AcceptInvitation(ctx, ada, "neurosis", inv.ID), errs.Denied, "")
	wantErr(t, "accept by the owner", e.svc.AcceptInvitation(ctx, bobo, "neurosis", inv.ID), errs.Denied, "")
	wantErr(t, "accept through another origin", e.svc.AcceptInvitation(ctx, wesker, "other", inv.ID), errs.NotFound, "")
	wantErr(t, "accept unknown", e.svc.AcceptInvitation(ctx, wesker, "neurosis", inv.ID+100), errs.NotFound, "")
	wantErr(t, "accept anonymous", e.svc.AcceptInvitation(ctx, auth.Principal{}, "neurosis", inv.ID), errs.Unauthenticated, "")
	wantErr(t, "ignore by another", e.svc.IgnoreInvitation(ctx, ada, "neurosis", inv.ID), errs.Denied, "")
	wantErr(t, "rescind by a member", e.svc.RescindInvitation(ctx, ada, "neurosis", inv.ID), errs.Denied, "")
	wantErr(t, "rescind by another origin's owner", e.svc.RescindInvitation(ctx, leon, "other", inv.ID), errs.NotFound, "")
	if r := e.role(t, wesker, "neurosis"); r != depot.NoRole {
		t.Fatalf("role before accepting = %v", r)
	}

	// Ignoring hides it from the invitee's list, not from the origin's.
	if err := e.svc.IgnoreInvitation(ctx, wesker, "neurosis", inv.ID); err != nil {
		t.Fatal(err)
	}
	if is, err := e.svc.UserInvitations(ctx, wesker); err != nil || len(is) != 0 {
		t.Errorf("UserInvitations after ignoring = %+v, %v", is, err)
	}
	is, err := e.svc.OriginInvitations(ctx, ada, "neurosis")
	if err != nil || len(is) != 1 || !is[0].Ignored || is[0].UserName != "wesker" || is[0].Origin != "neurosis" {
		t.Errorf("OriginInvitations = %+v, %v", is, err)
	}
	_, err = e.svc.OriginInvitations(ctx, wesker, "neurosis")
	wantErr(t, "OriginInvitations by the invitee", err, errs.Denied, "")

	// An ignored invitation can still be accepted.
	if err := e.svc.AcceptInvitation(ctx, wesker, "neurosis", inv.ID); err != nil {
		t.Fatal(err)
	}
	if r := e.role(t, wesker, "neurosis"); r != depot.ReadOnlyMember {
		t.Errorf("role after accepting = %v, want readonly_member", r)
	}
	if is, _ := e.svc.OriginInvitations(ctx, ada, "neurosis"); len(is) != 0 {
		t.Errorf("invitations after accepting = %+v", is)
	}
	wantErr(t, "accept twice", e.svc.AcceptInvitation(ctx, wesker, "neurosis", inv.ID), errs.NotFound, "")

	// Rescinding: by the invitee, or by a maintainer.
	inv2, err := e.svc.Invite(ctx, bobo, "neurosis", "leon")
	if err != nil {
		t.Fatal(err)
	}
	if is, err := e.svc.UserInvitations(ctx, leon); err != nil || len(is) != 1 || is[0].ID != inv2.ID || is[0].Origin != "neurosis" {
		t.Errorf("UserInvitations = %+v, %v", is, err)
	}
	if err := e.svc.RescindInvitation(ctx, leon, "neurosis", inv2.ID); err != nil {
		t.Errorf("rescind by the invitee: %v", err)
	}
	inv3, err := e.svc.Invite(ctx, bobo, "neurosis", "leon")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetMemberRole(ctx, bobo, "neurosis", "ada", depot.Maintainer.String()); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RescindInvitation(ctx, ada, "neurosis", inv3.ID); err != nil {
		t.Errorf("rescind by a maintainer: %v", err)
	}
	if is, _ := e.svc.UserInvitations(ctx, leon); len(is) != 0 {
		t.Errorf("invitations after rescinding = %+v", is)
	}
	if r := e.role(t, leon, "neurosis"); r != depot.NoRole {
		t.Errorf("role of a rescinded invitee = %v", r)
	}
}
