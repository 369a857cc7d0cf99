package depot_test

import (
	"context"
	"testing"

	"wharf/internal/auth"
	"wharf/internal/depot"
	"wharf/internal/meta"
)

// An organisation made through the account service, as the Quay API makes
// them, is an origin: its creator owns it and it has both channels.
func TestOrganisationIsOrigin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	alice := e.person(t, "alice")
	if _, err := e.acct.CreateOrg(ctx, auth.CreateOrgRequest{Name: "quayorg", Creator: alice}); err != nil {
		t.Fatal(err)
	}
	if r := e.role(t, alice, "quayorg"); r != depot.Owner {
		t.Errorf("creator's role = %v, want owner", r)
	}
	info, err := e.svc.GetOrigin(ctx, "quayorg")
	if err != nil || info.OwnerName != "alice" {
		t.Errorf("GetOrigin = %+v, %v", info, err)
	}
	chs, err := e.svc.Channels(ctx, "quayorg")
	if err != nil || len(chs) != 2 || chs[0].Name != depot.Stable || chs[1].Name != depot.Unstable {
		t.Errorf("channels = %+v, %v", chs, err)
	}
}

// An organisation without an owner membership (made before organisations
// were origins) is owned by the first person of its owners team, and only
// by them.
func TestOrganisationWithoutOwnerMembership(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	alice, bob := e.person(t, "alice"), e.person(t, "bob")
	ns := meta.Namespace{Name: "legacy", Kind: meta.KindOrg, Public: true}
	if err := e.store.CreateNamespace(ctx, &ns); err != nil {
		t.Fatal(err)
	}
	team := meta.Team{NamespaceID: ns.ID, Name: auth.OwnersTeam, Role: meta.TeamAdmin}
	if err := e.store.CreateTeam(ctx, &team); err != nil {
		t.Fatal(err)
	}
	for _, p := range []auth.Principal{alice, bob} {
		if err := e.store.AddTeamMember(ctx, team.ID, p.UserID); err != nil {
			t.Fatal(err)
		}
	}
	if r := e.role(t, alice, "legacy"); r != depot.Owner {
		t.Errorf("first owners-team person's role = %v, want owner", r)
	}
	if r := e.role(t, bob, "legacy"); r != depot.Administrator {
		t.Errorf("second owners-team person's role = %v, want administrator", r)
	}
	// Once someone holds the owner membership, the fallback is gone.
	if err := e.store.PutMember(ctx, &meta.Member{NamespaceID: ns.ID, UserID: bob.UserID, Role: meta.MemberOwner}); err != nil {
		t.Fatal(err)
	}
	if r := e.role(t, alice, "legacy"); r != depot.Administrator {
		t.Errorf("alice after bob owns it = %v, want administrator", r)
	}
}
