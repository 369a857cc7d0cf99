package depot_test

import (
	"context"
	"testing"

	"wharf/internal/auth"
	"wharf/internal/depot"
	"wharf/internal/errs"
	"wharf/internal/format/oci"
	"wharf/internal/meta"
)

func TestDeleteOriginRefusals(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	bobo, wesker := e.person(t, "bobo"), e.person(t, "wesker")
	ns := e.origin(t, bobo, "neurosis")
	e.join(t, bobo, wesker, "neurosis", depot.Administrator)

	del := func() error { return e.svc.DeleteOrigin(ctx, bobo, "neurosis") }
	wantErr(t, "DeleteOrigin by an administrator", e.svc.DeleteOrigin(ctx, wesker, "neurosis"), errs.Denied, "")
	wantErr(t, "DeleteOrigin anonymous", e.svc.DeleteOrigin(ctx, auth.Principal{}, "neurosis"), errs.Unauthenticated, "")
	wantErr(t, "DeleteOrigin missing", e.svc.DeleteOrigin(ctx, bobo, "missing"), errs.NotFound, "")

	wantErr(t, "with a member", del(), errs.Conflict, "There are 2 members remaining in origin neurosis. Only one is allowed.")
	if err := e.svc.RemoveMember(ctx, bobo, "neurosis", "wesker"); err != nil {
		t.Fatal(err)
	}

	s := meta.OriginSecret{NamespaceID: ns.ID, Name: "TOKEN", Value: "box", OwnerID: bobo.UserID}
	if err := e.store.CreateOriginSecret(ctx, &s); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "with a secret", del(), errs.Conflict, "There are 1 secrets remaining in origin neurosis. Must be zero.")
	if _, err := e.store.DeleteOriginSecret(ctx, ns.ID, "TOKEN"); err != nil {
		t.Fatal(err)
	}

	i := meta.Integration{NamespaceID: ns.ID, Integration: "docker", Name: "hub", Body: []byte("sealed")}
	if err := e.store.PutIntegration(ctx, &i); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "with an integration", del(), errs.Conflict, "There are 1 integrations remaining in origin neurosis. Must be zero.")
	if err := e.store.DeleteIntegration(ctx, ns.ID, "docker", "hub"); err != nil {
		t.Fatal(err)
	}

	c := meta.Channel{NamespaceID: ns.ID, Name: "testing", OwnerID: bobo.UserID}
	if err := e.store.CreateChannel(ctx, &c); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "with a channel", del(), errs.Conflict, "There are 3 channels remaining in origin neurosis. Only two are allowed [unstable, stable].")
	if err := e.store.DeleteChannel(ctx, c.ID); err != nil {
		t.Fatal(err)
	}

	r1 := addRelease(t, e, "neurosis", "pkg", "1.0.0", "20200101000000", "x86_64-linux")
	r2 := addRelease(t, e, "neurosis", "pkg", "1.0.1", "20200101000000", "x86_64-linux")
	wantErr(t, "with packages", del(), errs.Conflict, "There are 2 packages remaining in origin neurosis. Must be zero.")
	for _, r := range []meta.Release{r1, r2} {
		if err := e.store.DeleteVersion(ctx, r.VersionID); err != nil {
			t.Fatal(err)
		}
	}
	wantErr(t, "with package settings", del(), errs.Conflict, "There are 1 package settings entries remaining in origin neurosis. Must be zero.")
	repo, err := e.store.GetRepo(ctx, depot.RepoType, "neurosis/pkg")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.core.DeleteRepo(ctx, repo.ID); err != nil {
		t.Fatal(err)
	}

	img, err := e.core.EnsureRepo(ctx, oci.RepoType, "neurosis/image", bobo.UserID)
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, "with an image", del(), errs.Conflict, "There are 1 repositories remaining in origin neurosis. Must be zero.")
	if err := e.core.DeleteRepo(ctx, img.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.GetOrigin(ctx, "neurosis"); err != nil {
		t.Fatalf("origin after refused deletions: %v", err)
	}
	if err := del(); err != nil {
		t.Fatalf("DeleteOrigin when empty: %v", err)
	}
}

func TestDeleteOrigin(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	bobo, wesker := e.person(t, "bobo"), e.person(t, "wesker")
	ns := e.origin(t, bobo, "neurosis")
	if _, err := e.svc.Invite(ctx, bobo, "neurosis", "wesker"); err != nil {
		t.Fatal(err)
	}
	k := meta.OriginKey{NamespaceID: ns.ID, Kind: meta.KeySigPublic, Revision: "20190101000000", Body: []byte("SIG-PUB-1"), OwnerID: bobo.UserID}
	if err := e.store.CreateOriginKey(ctx, &k); err != nil {
		t.Fatal(err)
	}
	// An empty package repository, as deleting its last release leaves it.
	if _, err := e.core.EnsureRepo(ctx, depot.RepoType, "neurosis/empty", bobo.UserID); err != nil {
		t.Fatal(err)
	}

	if err := e.svc.DeleteOrigin(ctx, bobo, "neurosis"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.GetOrigin(ctx, "neurosis"); !errs.Is(err, errs.NotFound) {
		t.Errorf("GetOrigin after deletion: %v", err)
	}
	if ms, err := e.store.ListUserMembers(ctx, bobo.UserID); err != nil || len(ms) != 0 {
		t.Errorf("owner's memberships after deletion = %+v, %v", ms, err)
	}
	if ts, err := e.store.ListUserTeams(ctx, bobo.UserID, 0); err != nil || len(ts) != 0 {
		t.Errorf("owner's teams after deletion = %+v, %v", ts, err)
	}
	if is, err := e.svc.UserInvitations(ctx, wesker); err != nil || len(is) != 0 {
		t.Errorf("invitations after deletion = %+v, %v", is, err)
	}
	if cs, err := e.store.ListChannels(ctx, ns.ID); err != nil || len(cs) != 0 {
		t.Errorf("channels after deletion = %+v, %v", cs, err)
	}
	if _, err := e.store.GetOrigin(ctx, ns.ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("settings after deletion: %v", err)
	}
	if _, err := e.store.GetRepo(ctx, depot.RepoType, "neurosis/empty"); !errs.Is(err, errs.NotFound) {
		t.Errorf("empty package after deletion: %v", err)
	}
	// The name is free again, and the new origin starts empty.
	again := e.origin(t, wesker, "neurosis")
	if _, err := e.store.LatestOriginKey(ctx, again.ID, meta.KeySigPublic); !errs.Is(err, errs.NotFound) {
		t.Errorf("key of the new origin: %v", err)
	}
	if r := e.role(t, bobo, "neurosis"); r != depot.NoRole {
		t.Errorf("old owner's role in the new origin = %v", r)
	}
}
