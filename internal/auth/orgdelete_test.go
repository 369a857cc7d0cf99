package auth

import (
	"context"
	"strings"
	"testing"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// originWorld is an organisation kept as a Habitat origin: its creator is
// its direct owner, with an administrator and a maintainer beside them,
// and a superuser outside.
type originWorld struct {
	svc                       *Service
	st                        meta.Store
	org                       meta.Namespace
	owner, admin, maint, root meta.User
}

func newOriginWorld(t *testing.T, name string) *originWorld {
	t.Helper()
	svc, st := newTestService(t)
	w := &originWorld{svc: svc, st: st}
	w.owner = addUser(t, st, "owner", false, false)
	w.admin = addUser(t, st, "admin", false, false)
	w.maint = addUser(t, st, "maint", false, false)
	w.root = addUser(t, st, "root", true, false)
	w.org = w.addOrigin(t, name, w.owner)
	return w
}

// addOrigin creates an organisation owned by owner, with w.admin its
// administrator and w.maint its maintainer.
func (w *originWorld) addOrigin(t *testing.T, name string, owner meta.User) meta.Namespace {
	t.Helper()
	ctx := context.Background()
	org, err := w.svc.CreateOrg(ctx, CreateOrgRequest{Name: name, Creator: principalOf(owner)})
	if err != nil {
		t.Fatal(err)
	}
	for u, role := range map[int64]string{owner.ID: meta.MemberOwner, w.admin.ID: meta.MemberAdministrator, w.maint.ID: meta.MemberMaintainer} {
		if err := w.st.PutMember(ctx, &meta.Member{NamespaceID: org.ID, UserID: u, Role: role}); err != nil {
			t.Fatal(err)
		}
	}
	return org
}

// addRelease indexes a release of the Habitat package <org>/<name> and
// returns its repository.
func (w *originWorld) addRelease(t *testing.T, name string) meta.Repository {
	t.Helper()
	ctx := context.Background()
	repo := addRepo(t, w.st, "hab", w.org.Name+"/"+name, true)
	v := meta.Version{RepoID: repo.ID, Version: "1.0.0/20240102030405/x86_64-linux", MediaType: "application/octet-stream"}
	if err := w.st.CreateVersion(ctx, &v, nil); err != nil {
		t.Fatal(err)
	}
	r := meta.Release{VersionID: v.ID, Origin: w.org.Name, Name: name, Version: "1.0.0", Release: "20240102030405",
		Target: "x86_64-linux", Checksum: strings.Repeat("ab", 32), Visibility: meta.VisibilityPublic,
		PackageType: meta.PackageStandard}
	if err := w.st.CreateRelease(ctx, &r); err != nil {
		t.Fatal(err)
	}
	return repo
}

// The owner alone (or a superuser) deletes an origin, and only once its
// packages are gone; an administrator, who administers the organisation,
// may not.
func TestDeleteOrgHabitatOwner(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newOriginWorld(t, "neurosis")
	for _, u := range []meta.User{w.admin, w.maint} {
		p := principalOf(u)
		err := w.svc.CheckOrgDelete(ctx, w.org, p)
		if !errs.Is(err, errs.Denied) || !strings.Contains(errs.Message(err), "only its owner") ||
			!strings.Contains(errs.Message(err), "owner") {
			t.Errorf("CheckOrgDelete by %s = %v, want denied naming the owner rule", u.Name, err)
		}
		if err := w.svc.DeleteOrg(ctx, w.org, p); !errs.Is(err, errs.Denied) {
			t.Errorf("DeleteOrg by %s = %v, want denied", u.Name, err)
		}
	}
	// A superuser whose OAuth token lacks super:user is no superuser here.
	capped := principalOf(w.root)
	capped.Caps = &Caps{OrgAdmin: true}
	if err := w.svc.CheckOrgDelete(ctx, w.org, capped); !errs.Is(err, errs.Denied) {
		t.Errorf("CheckOrgDelete by a capped superuser = %v, want denied", err)
	}
	if _, err := w.st.GetNamespace(ctx, w.org.Name); err != nil {
		t.Fatalf("origin gone after refusals: %v", err)
	}

	repo := w.addRelease(t, "pkg")
	for _, u := range []meta.User{w.owner, w.root} {
		err := w.svc.CheckOrgDelete(ctx, w.org, principalOf(u))
		if !errs.Is(err, errs.Conflict) || !strings.Contains(errs.Message(err), "DELETE /v1/depot/origins/neurosis") {
			t.Errorf("CheckOrgDelete by %s with a package = %v, want a conflict pointing to the depot", u.Name, err)
		}
		if err := w.svc.DeleteOrg(ctx, w.org, principalOf(u)); !errs.Is(err, errs.Conflict) {
			t.Errorf("DeleteOrg by %s with a package = %v, want conflict", u.Name, err)
		}
	}
	if _, err := w.st.DeleteRepo(ctx, repo.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.CheckOrgDelete(ctx, w.org, principalOf(w.owner)); err != nil {
		t.Fatalf("CheckOrgDelete by the owner of an empty origin: %v", err)
	}
	if err := w.svc.DeleteOrg(ctx, w.org, principalOf(w.owner)); err != nil {
		t.Fatalf("DeleteOrg by the owner: %v", err)
	}
	if _, err := w.st.GetNamespace(ctx, w.org.Name); !errs.Is(err, errs.NotFound) {
		t.Errorf("origin after deletion: %v, want not found", err)
	}

	// A superuser deletes another's origin.
	other := w.addOrigin(t, "other", w.owner)
	if err := w.svc.DeleteOrg(ctx, other, principalOf(w.root)); err != nil {
		t.Errorf("DeleteOrg by a superuser: %v", err)
	}
}

// An organisation without an owner (one made before organisations were
// origins; this Service has no OnCreateOrg hook) is deleted by any of its
// admins, as before.
func TestDeleteOrgWithoutOwner(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, st := newTestService(t)
	creator := addUser(t, st, "creator", false, false)
	admin := addUser(t, st, "admin", false, false)
	org, err := svc.CreateOrg(ctx, CreateOrgRequest{Name: "acme", Creator: principalOf(creator)})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutMember(ctx, &meta.Member{NamespaceID: org.ID, UserID: admin.ID, Role: meta.MemberAdministrator}); err != nil {
		t.Fatal(err)
	}
	if err := svc.DeleteOrg(ctx, org, principalOf(admin)); err != nil {
		t.Fatalf("DeleteOrg by an admin of an organisation without owner: %v", err)
	}
}

// The owner cannot be taken out of their origin; the others can.
func TestRemoveOrgMemberKeepsOwner(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newOriginWorld(t, "neurosis")
	_, err := w.svc.RemoveOrgMember(ctx, w.org, w.owner.Name)
	if !errs.Is(err, errs.Invalid) || !strings.Contains(errs.Message(err), "transfer the origin to another member first") {
		t.Fatalf("removing the owner = %v, want invalid asking for a transfer", err)
	}
	if m, err := w.st.GetMember(ctx, w.org.ID, w.owner.ID); err != nil || m.Role != meta.MemberOwner {
		t.Errorf("owner's membership after the refusal = %+v, %v", m, err)
	}
	if teams, err := w.st.ListUserTeams(ctx, w.owner.ID, w.org.ID); err != nil || len(teams) != 1 {
		t.Errorf("owner's teams after the refusal = %+v, %v", teams, err)
	}
	if _, err := w.svc.RemoveOrgMember(ctx, w.org, w.admin.Name); err != nil {
		t.Fatalf("removing the administrator: %v", err)
	}
	if _, err := w.st.GetMember(ctx, w.org.ID, w.admin.ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("administrator's membership after removal: %v, want not found", err)
	}
}

// The owner's account stays while they own origins, and goes once each
// has another owner.
func TestDeleteAccountKeepsOwner(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newOriginWorld(t, "neurosis")
	second := w.addOrigin(t, "deftones", w.owner)
	for name, check := range map[string]func() error{
		"CheckAccountDelete": func() error { return w.svc.CheckAccountDelete(ctx, w.owner.Name) },
		"DeleteAccount":      func() error { return w.svc.DeleteAccount(ctx, w.owner.Name) },
	} {
		err := check()
		if !errs.Is(err, errs.Invalid) || !strings.Contains(errs.Message(err), "deftones, neurosis") {
			t.Errorf("%s of the owner of two origins = %v, want invalid naming both", name, err)
		}
	}
	if _, err := w.st.GetUser(ctx, w.owner.Name); err != nil {
		t.Fatalf("owner after the refusal: %v", err)
	}
	// The administrator owns nothing: their account goes.
	if err := w.svc.CheckAccountDelete(ctx, w.admin.Name); err != nil {
		t.Errorf("CheckAccountDelete of an administrator: %v", err)
	}
	// Each origin passes to the maintainer, as a transfer does.
	for _, org := range []meta.Namespace{w.org, second} {
		for u, role := range map[int64]string{w.maint.ID: meta.MemberOwner, w.owner.ID: meta.MemberMaintainer} {
			if err := w.st.PutMember(ctx, &meta.Member{NamespaceID: org.ID, UserID: u, Role: role}); err != nil {
				t.Fatal(err)
			}
		}
		if org.ID == w.org.ID {
			err := w.svc.DeleteAccount(ctx, w.owner.Name)
			if !errs.Is(err, errs.Invalid) || !strings.Contains(errs.Message(err), "origin deftones:") {
				t.Errorf("DeleteAccount of the owner of one origin = %v, want invalid naming it", err)
			}
		}
	}
	if err := w.svc.DeleteAccount(ctx, w.owner.Name); err != nil {
		t.Fatalf("DeleteAccount after the transfers: %v", err)
	}
	if _, err := w.st.GetUser(ctx, w.owner.Name); !errs.Is(err, errs.NotFound) {
		t.Errorf("old owner after deletion: %v, want not found", err)
	}
	if err := w.svc.DeleteAccount(ctx, w.maint.Name); !errs.Is(err, errs.Invalid) {
		t.Errorf("DeleteAccount of the new owner = %v, want invalid", err)
	}
}
