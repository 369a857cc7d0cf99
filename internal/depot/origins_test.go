package depot_test

import (
	"context"
	"slices"
	"testing"

	"wharf/internal/auth"
	"wharf/internal/depot"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

func TestCreateOrigin(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	bobo := e.person(t, "bobo")
	o, err := e.svc.CreateOrigin(ctx, bobo, depot.CreateOriginRequest{Name: "neurosis", DefaultVisibility: meta.VisibilityPrivate})
	if err != nil {
		t.Fatal(err)
	}
	if o.OwnerID != bobo.UserID || o.Settings.DefaultVisibility != meta.VisibilityPrivate || o.Namespace.Kind != meta.KindOrg {
		t.Errorf("CreateOrigin = %+v", o)
	}
	if r := e.role(t, bobo, "neurosis"); r != depot.Owner {
		t.Errorf("creator's role = %v, want owner", r)
	}
	m, err := e.store.GetMember(ctx, o.Namespace.ID, bobo.UserID)
	if err != nil || m.Role != meta.MemberOwner {
		t.Errorf("creator's membership = %+v, %v", m, err)
	}
	team, err := e.store.GetTeam(ctx, o.Namespace.ID, auth.OwnersTeam)
	if err != nil {
		t.Fatalf("owners team: %v", err)
	}
	if us, _ := e.store.ListTeamMembers(ctx, team.ID); len(us) != 1 || us[0].ID != bobo.UserID {
		t.Errorf("owners team = %+v", us)
	}
	cs, err := e.store.ListChannels(ctx, o.Namespace.ID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, []string{"stable", "unstable"}) {
		t.Errorf("channels = %q", names)
	}

	got, err := e.svc.GetOrigin(ctx, "neurosis")
	if err != nil {
		t.Fatal(err)
	}
	if got.OwnerID != bobo.UserID || got.OwnerName != "bobo" || got.PrivateKeyName != "" || got.Settings.DefaultVisibility != meta.VisibilityPrivate {
		t.Errorf("GetOrigin = %+v", got)
	}
	k := meta.OriginKey{NamespaceID: o.Namespace.ID, Kind: meta.KeySigSecret, Revision: "20190101000000", Body: []byte("sealed"), OwnerID: bobo.UserID}
	if err := e.store.CreateOriginKey(ctx, &k); err != nil {
		t.Fatal(err)
	}
	k.Revision = "20200101000000"
	if err := e.store.CreateOriginKey(ctx, &k); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.svc.GetOrigin(ctx, "neurosis"); got.PrivateKeyName != "neurosis-20200101000000" {
		t.Errorf("PrivateKeyName = %q", got.PrivateKeyName)
	}

	// The default visibility defaults to public.
	if o, err := e.svc.CreateOrigin(ctx, bobo, depot.CreateOriginRequest{Name: "core_2"}); err != nil || o.Settings.DefaultVisibility != meta.VisibilityPublic {
		t.Errorf("CreateOrigin core_2 = %+v, %v", o, err)
	}

	for _, name := range []string{"", "Neurosis", "-x", "a.b", "x", "a--b", "admin", "ünï"} {
		_, err := e.svc.CreateOrigin(ctx, bobo, depot.CreateOriginRequest{Name: name})
		wantErr(t, "CreateOrigin "+name, err, errs.Invalid, "")
		if _, err := e.store.GetNamespace(ctx, name); name != "" && name != "Neurosis" && !errs.Is(err, errs.NotFound) {
			t.Errorf("namespace %q after refused creation: %v", name, err)
		}
	}
	_, err = e.svc.CreateOrigin(ctx, bobo, depot.CreateOriginRequest{Name: "neurosis"})
	wantErr(t, "CreateOrigin taken", err, errs.Exists, "")
	_, err = e.svc.CreateOrigin(ctx, bobo, depot.CreateOriginRequest{Name: "bobo"})
	wantErr(t, "CreateOrigin user's name", err, errs.Exists, "")
	_, err = e.svc.CreateOrigin(ctx, bobo, depot.CreateOriginRequest{Name: "other", DefaultVisibility: "hidden"})
	wantErr(t, "CreateOrigin hidden", err, errs.Invalid, "")
	_, err = e.svc.CreateOrigin(ctx, auth.Principal{}, depot.CreateOriginRequest{Name: "other"})
	wantErr(t, "CreateOrigin anonymous", err, errs.Unauthenticated, "")

	_, err = e.svc.GetOrigin(ctx, "missing")
	wantErr(t, "GetOrigin missing", err, errs.NotFound, "")
	_, err = e.svc.GetOrigin(ctx, "bobo")
	wantErr(t, "GetOrigin of a person", err, errs.NotFound, "")
}

func TestCreateOrgHookRollsBack(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	bobo := e.person(t, "bobo")
	_, err := e.acct.CreateOrg(ctx, auth.CreateOrgRequest{Name: "half", Creator: bobo,
		Also: func(ctx context.Context, q meta.Queries, ns meta.Namespace) error {
			c := meta.Channel{NamespaceID: ns.ID, Name: "stable"}
			if err := q.CreateChannel(ctx, &c); err != nil {
				return err
			}
			return q.CreateChannel(ctx, &c) // exists: fails the creation
		}})
	if !errs.Is(err, errs.Exists) {
		t.Fatalf("CreateOrg with a failing hook: %v", err)
	}
	if _, err := e.store.GetNamespace(ctx, "half"); !errs.Is(err, errs.NotFound) {
		t.Errorf("namespace after a failed hook: %v", err)
	}
	if _, err := e.svc.CreateOrigin(ctx, bobo, depot.CreateOriginRequest{Name: "half"}); err != nil {
		t.Errorf("CreateOrigin after the rollback: %v", err)
	}
}

func TestUpdateOrigin(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	bobo, wesker, ada := e.person(t, "bobo"), e.person(t, "wesker"), e.person(t, "ada")
	e.origin(t, bobo, "neurosis")
	e.join(t, bobo, wesker, "neurosis", depot.Administrator)
	e.join(t, bobo, ada, "neurosis", depot.Maintainer)

	vis := func() string {
		o, err := e.svc.GetOrigin(ctx, "neurosis")
		if err != nil {
			t.Fatal(err)
		}
		return o.Settings.DefaultVisibility
	}
	if err := e.svc.UpdateOrigin(ctx, wesker, "neurosis", meta.VisibilityPrivate); err != nil || vis() != meta.VisibilityPrivate {
		t.Errorf("UpdateOrigin private: %v, visibility %s", err, vis())
	}
	if err := e.svc.UpdateOrigin(ctx, bobo, "neurosis", ""); err != nil || vis() != meta.VisibilityPublic {
		t.Errorf("UpdateOrigin without visibility: %v, visibility %s", err, vis())
	}
	wantErr(t, "UpdateOrigin by a maintainer", e.svc.UpdateOrigin(ctx, ada, "neurosis", meta.VisibilityPrivate), errs.Denied, "")
	wantErr(t, "UpdateOrigin anonymous", e.svc.UpdateOrigin(ctx, auth.Principal{}, "neurosis", meta.VisibilityPrivate), errs.Unauthenticated, "")
	wantErr(t, "UpdateOrigin hidden", e.svc.UpdateOrigin(ctx, bobo, "neurosis", meta.VisibilityHidden), errs.Invalid, "")
	wantErr(t, "UpdateOrigin missing", e.svc.UpdateOrigin(ctx, bobo, "missing", meta.VisibilityPrivate), errs.NotFound, "")
	if vis() != meta.VisibilityPublic {
		t.Errorf("visibility after refused updates = %s", vis())
	}
}

func TestUserOrigins(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	bobo, wesker := e.person(t, "bobo"), e.person(t, "wesker")
	e.origin(t, bobo, "zeta")
	e.origin(t, wesker, "alpha")
	e.join(t, wesker, bobo, "alpha", depot.ReadOnlyMember)
	// An organisation bobo is in through a team only.
	org, err := e.acct.CreateOrg(ctx, auth.CreateOrgRequest{Name: "middle", Creator: wesker})
	if err != nil {
		t.Fatal(err)
	}
	team := meta.Team{NamespaceID: org.ID, Name: "readers", Role: meta.TeamMember}
	if err := e.store.CreateTeam(ctx, &team); err != nil {
		t.Fatal(err)
	}
	if err := e.store.AddTeamMember(ctx, team.ID, bobo.UserID); err != nil {
		t.Fatal(err)
	}
	addRelease(t, e, "zeta", "pkg", "1.0.0", "20200101000000", "x86_64-linux")
	addRelease(t, e, "zeta", "pkg", "1.0.0", "20200101000000", "x86_64-windows")
	addRelease(t, e, "zeta", "other", "2.0", "20200101000000", "x86_64-linux")

	os, err := e.svc.UserOrigins(ctx, bobo)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range os {
		got = append(got, o.Namespace.Name)
		if o.Namespace.Name == "zeta" && (o.PackageCount != 2 || o.OwnerID != bobo.UserID) {
			t.Errorf("zeta = %+v", o)
		}
		if o.Namespace.Name == "alpha" && (o.PackageCount != 0 || o.OwnerName != "wesker") {
			t.Errorf("alpha = %+v", o)
		}
		if o.Namespace.Name == "middle" && o.OwnerName != "wesker" {
			t.Errorf("middle, owned through its owners team only = %+v", o)
		}
	}
	if !slices.Equal(got, []string{"alpha", "middle", "zeta"}) {
		t.Errorf("UserOrigins = %q", got)
	}
	_, err = e.svc.UserOrigins(ctx, auth.Principal{})
	wantErr(t, "UserOrigins anonymous", err, errs.Unauthenticated, "")
}

// addRelease indexes a release of a package as an upload leaves it: a
// version of the package's repository, with its settings and release row.
func addRelease(t *testing.T, e *env, origin, name, version, release, target string) meta.Release {
	t.Helper()
	ctx := context.Background()
	ns, err := e.svc.Origin(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	repo, err := e.core.EnsureRepo(ctx, depot.RepoType, origin+"/"+name, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.GetPackageSettings(ctx, repo.ID); errs.Is(err, errs.NotFound) {
		ps := meta.PackageSettings{RepoID: repo.ID, NamespaceID: ns.ID, Origin: origin, Name: name, Visibility: meta.VisibilityPublic}
		if err := e.store.CreatePackageSettings(ctx, &ps); err != nil {
			t.Fatal(err)
		}
	}
	v := meta.Version{RepoID: repo.ID, Version: version + "/" + release + "/" + target}
	if err := e.store.CreateVersion(ctx, &v, nil); err != nil {
		t.Fatal(err)
	}
	r := meta.Release{VersionID: v.ID, RepoID: repo.ID, NamespaceID: ns.ID, Origin: origin, Name: name,
		Version: version, Release: release, Target: target, Checksum: "00", Visibility: meta.VisibilityPublic,
		PackageType: "standard"}
	if err := e.store.CreateRelease(ctx, &r); err != nil {
		t.Fatal(err)
	}
	return r
}
