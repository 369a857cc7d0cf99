package depot_test

import (
	"context"
	"slices"
	"testing"

	"wharf/internal/auth"
	"wharf/internal/depot"
	"wharf/internal/errs"
)

func TestMembersAndRoles(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	bobo, wesker, ada, leon := e.person(t, "bobo"), e.person(t, "wesker"), e.person(t, "ada"), e.person(t, "leon")
	stranger := e.person(t, "stranger")
	e.origin(t, bobo, "neurosis")
	e.join(t, bobo, wesker, "neurosis", depot.Administrator)
	e.join(t, bobo, ada, "neurosis", depot.Member)
	e.join(t, bobo, leon, "neurosis", depot.ReadOnlyMember)

	names, err := e.svc.Members(ctx, leon, "neurosis")
	if err != nil || !slices.Equal(names, []string{"ada", "bobo", "leon", "wesker"}) {
		t.Errorf("Members = %q, %v", names, err)
	}
	_, err = e.svc.Members(ctx, stranger, "neurosis")
	wantErr(t, "Members by a stranger", err, errs.Denied, "")
	_, err = e.svc.Members(ctx, auth.Principal{}, "neurosis")
	wantErr(t, "Members anonymous", err, errs.Unauthenticated, "")

	for name, want := range map[string]depot.Role{"bobo": depot.Owner, "wesker": depot.Administrator, "ada": depot.Member, "leon": depot.ReadOnlyMember} {
		if r, err := e.svc.MemberRole(ctx, ada, "neurosis", name); err != nil || r != want {
			t.Errorf("MemberRole %s = %v, %v; want %v", name, r, err, want)
		}
	}
	_, err = e.svc.MemberRole(ctx, leon, "neurosis", "bobo")
	wantErr(t, "MemberRole by a read-only member", err, errs.Denied, "")
	_, err = e.svc.MemberRole(ctx, ada, "neurosis", "stranger")
	wantErr(t, "MemberRole of a stranger", err, errs.NotFound, "")
	_, err = e.svc.MemberRole(ctx, ada, "neurosis", "nobody")
	wantErr(t, "MemberRole of an unknown user", err, errs.NotFound, "")

	set := func(p auth.Principal, user, role string) error {
		return e.svc.SetMemberRole(ctx, p, "neurosis", user, role)
	}
	wantErr(t, "SetMemberRole bad role", set(wesker, "ada", "boss"), errs.Invalid, "Invalid member role 'boss'")
	wantErr(t, "SetMemberRole owner", set(wesker, "ada", "owner"), errs.Denied, "")
	wantErr(t, "SetMemberRole own role", set(wesker, "wesker", "member"), errs.Denied, "")
	wantErr(t, "SetMemberRole of the owner", set(wesker, "bobo", "member"), errs.Denied, "")
	wantErr(t, "SetMemberRole of a stranger", set(wesker, "stranger", "member"), errs.NotFound, "")
	wantErr(t, "SetMemberRole of an unknown user", set(wesker, "nobody", "member"), errs.NotFound, "")
	wantErr(t, "SetMemberRole by a member", set(ada, "leon", "member"), errs.Denied, "")
	wantErr(t, "SetMemberRole by a stranger, bad role", set(stranger, "leon", "boss"), errs.Denied, "")
	if err := set(wesker, "leon", "maintainer"); err != nil {
		t.Fatal(err)
	}
	if r := e.role(t, leon, "neurosis"); r != depot.Maintainer {
		t.Errorf("leon's role after the change = %v", r)
	}
	if r := e.role(t, stranger, "neurosis"); r != depot.NoRole {
		t.Errorf("stranger's role = %v", r)
	}
}

func TestRemoveMember(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	bobo, wesker, ada := e.person(t, "bobo"), e.person(t, "wesker"), e.person(t, "ada")
	e.origin(t, bobo, "neurosis")
	e.join(t, bobo, wesker, "neurosis", depot.Administrator)
	e.join(t, bobo, ada, "neurosis", depot.Member)

	wantErr(t, "RemoveMember by an administrator", e.svc.RemoveMember(ctx, wesker, "neurosis", "ada"), errs.Denied, "")
	wantErr(t, "RemoveMember of self", e.svc.RemoveMember(ctx, bobo, "neurosis", "bobo"), errs.Invalid, "Removing the owner is not allowd")
	wantErr(t, "RemoveMember of an unknown user", e.svc.RemoveMember(ctx, bobo, "neurosis", "nobody"), errs.NotFound, "")
	if err := e.svc.RemoveMember(ctx, bobo, "neurosis", "ada"); err != nil {
		t.Fatal(err)
	}
	if r := e.role(t, ada, "neurosis"); r != depot.NoRole {
		t.Errorf("removed member's role = %v", r)
	}
	if names, _ := e.svc.Members(ctx, bobo, "neurosis"); !slices.Equal(names, []string{"bobo", "wesker"}) {
		t.Errorf("Members after removal = %q", names)
	}
}

func TestTransferOwnership(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	bobo, wesker := e.person(t, "bobo"), e.person(t, "wesker")
	e.person(t, "stranger")
	e.origin(t, bobo, "neurosis")
	e.join(t, bobo, wesker, "neurosis", depot.Member)

	wantErr(t, "transfer to self", e.svc.TransferOwnership(ctx, bobo, "neurosis", "bobo"), errs.Invalid, "Cannot transfer origin ownership to self")
	wantErr(t, "transfer to a stranger", e.svc.TransferOwnership(ctx, bobo, "neurosis", "stranger"), errs.Denied, "")
	wantErr(t, "transfer to an unknown user", e.svc.TransferOwnership(ctx, bobo, "neurosis", "nobody"), errs.NotFound, "")
	wantErr(t, "transfer by a member", e.svc.TransferOwnership(ctx, wesker, "neurosis", "wesker"), errs.Denied, "")
	wantErr(t, "transfer anonymous", e.svc.TransferOwnership(ctx, auth.Principal{}, "neurosis", "wesker"), errs.Unauthenticated, "")
	if err := e.svc.TransferOwnership(ctx, bobo, "neurosis", "wesker"); err != nil {
		t.Fatal(err)
	}
	if r := e.role(t, wesker, "neurosis"); r != depot.Owner {
		t.Errorf("new owner's role = %v", r)
	}
	if r := e.role(t, bobo, "neurosis"); r != depot.Maintainer {
		t.Errorf("old owner's role = %v", r)
	}
	o, err := e.svc.GetOrigin(ctx, "neurosis")
	if err != nil || o.OwnerName != "wesker" || o.OwnerID != wesker.UserID {
		t.Errorf("GetOrigin after transfer = %+v, %v", o, err)
	}
	// The old owner may now leave; the new one may not.
	wantErr(t, "new owner departs", e.svc.Depart(ctx, wesker, "neurosis"), errs.Denied, "Departing the owner from the origin is not allowed")
	if err := e.svc.Depart(ctx, bobo, "neurosis"); err != nil {
		t.Errorf("old owner departs: %v", err)
	}
}

func TestDepart(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	bobo, wesker, stranger := e.person(t, "bobo"), e.person(t, "wesker"), e.person(t, "stranger")
	e.origin(t, bobo, "neurosis")
	e.join(t, bobo, wesker, "neurosis", depot.Maintainer)

	wantErr(t, "owner departs", e.svc.Depart(ctx, bobo, "neurosis"), errs.Denied, "Departing the owner from the origin is not allowed")
	wantErr(t, "stranger departs", e.svc.Depart(ctx, stranger, "neurosis"), errs.Invalid, "Do not have access to the origin 'neurosis'")
	wantErr(t, "depart a missing origin", e.svc.Depart(ctx, wesker, "missing"), errs.Invalid, "Do not have access to the origin 'missing'")
	wantErr(t, "depart anonymous", e.svc.Depart(ctx, auth.Principal{}, "neurosis"), errs.Unauthenticated, "")
	if err := e.svc.Depart(ctx, wesker, "neurosis"); err != nil {
		t.Fatal(err)
	}
	if r := e.role(t, wesker, "neurosis"); r != depot.NoRole {
		t.Errorf("role after departing = %v", r)
	}
	wantErr(t, "depart twice", e.svc.Depart(ctx, wesker, "neurosis"), errs.Invalid, "")
}
