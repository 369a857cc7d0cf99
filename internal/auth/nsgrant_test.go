package auth

import (
	"context"
	"testing"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// TestRoleInRestricted checks that a credential restricted by grants has
// a role in a namespace only through global grants, and that the
// superuser check asks for a global grant of every action.
func TestRoleInRestricted(t *testing.T) {
	ctx := context.Background()
	svc, st := newTestService(t)
	owner := addUser(t, st, "owner", false, false)
	super := addUser(t, st, "root", true, false)
	org, err := svc.CreateOrg(ctx, CreateOrgRequest{Name: "acme", Creator: principalOf(owner)})
	if err != nil {
		t.Fatal(err)
	}
	az := NewAuthorizer(st, 0)
	restricted := func(u meta.User, scopes ...string) Principal {
		p := principalOf(u)
		p.Restricted = true
		for _, s := range scopes {
			g, err := ParseScope(s)
			if err != nil {
				t.Fatal(err)
			}
			p.Grants = append(p.Grants, g)
		}
		return p
	}
	for _, tc := range []struct {
		name  string
		p     Principal
		role  NamespaceRole
		super bool
	}{
		{"unrestricted owner", principalOf(owner), AdminRole, false},
		{"owner with *", restricted(owner, "*"), AdminRole, false},
		{"owner with push", restricted(owner, "push"), CreatorRole, false},
		{"owner with pull", restricted(owner, "pull"), MemberRole, false},
		{"owner with a repository grant", restricted(owner, "repository:acme/app:*"), NoRole, false},
		{"owner with a prefix grant", restricted(owner, "repository:acme/*:*"), NoRole, false},
		{"unrestricted superuser", principalOf(super), AdminRole, true},
		{"superuser with *", restricted(super, "*"), AdminRole, true},
		{"superuser with pull", restricted(super, "pull"), NoRole, false},
		{"superuser with super:user", Principal{UserID: super.ID, Name: super.Name, Caps: &Caps{Super: true}}, AdminRole, true},
		{"superuser with org:admin", Principal{UserID: super.ID, Name: super.Name, Caps: &Caps{OrgAdmin: true}}, NoRole, false},
		{"anonymous", Principal{}, NoRole, false},
	} {
		role, err := az.RoleIn(ctx, tc.p, org)
		if err != nil || role != tc.role {
			t.Errorf("%s: RoleIn = %v, %v; want %v", tc.name, role, err, tc.role)
		}
		s, err := az.Superuser(ctx, tc.p)
		if err != nil || s != tc.super {
			t.Errorf("%s: Superuser = %v, %v; want %v", tc.name, s, err, tc.super)
		}
	}
}

// TestOrgMembership covers the member, collaborator and removal queries
// of an organisation.
func TestOrgMembership(t *testing.T) {
	ctx := context.Background()
	svc, st := newTestService(t)
	owner := addUser(t, st, "owner", false, false)
	dev := addUser(t, st, "dev", false, false)
	outsider := addUser(t, st, "outsider", false, false)
	org, err := svc.CreateOrg(ctx, CreateOrgRequest{Name: "acme", Creator: principalOf(owner)})
	if err != nil {
		t.Fatal(err)
	}
	team, _, err := svc.PutTeam(ctx, PutTeamRequest{Org: org, Name: "devs", Role: meta.TeamMember, Caller: principalOf(owner)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddTeamMember(ctx, team, org, dev.Name, principalOf(owner), false); err != nil {
		t.Fatal(err)
	}
	repo := addRepo(t, st, "oci", "acme/app", false)
	for _, u := range []string{dev.Name, outsider.Name} {
		if _, _, err := svc.SetUserPermission(ctx, repo, org, u, meta.RoleRead); err != nil {
			t.Fatal(err)
		}
	}

	ms, err := svc.OrgMembers(ctx, org)
	if err != nil || len(ms) != 2 || ms[0].User.Name != "dev" || ms[1].User.Name != "owner" ||
		len(ms[0].Repos) != 1 || ms[0].Repos[0] != "acme/app" || len(ms[1].Repos) != 0 {
		t.Fatalf("OrgMembers = %+v, %v", ms, err)
	}
	cs, err := svc.Collaborators(ctx, org, []meta.Repository{repo})
	if err != nil || len(cs) != 1 || cs[0].User.Name != "outsider" || len(cs[0].Repos) != 1 {
		t.Fatalf("Collaborators = %+v, %v", cs, err)
	}
	if _, err := svc.FindOrgMember(ctx, org, outsider.Name); !errs.Is(err, errs.NotFound) {
		t.Errorf("FindOrgMember(outsider) = %v, want not found", err)
	}
	if _, err := svc.RemoveOrgMember(ctx, org, owner.Name); !errs.Is(err, errs.Invalid) {
		t.Errorf("removing the only admin: %v, want invalid", err)
	}
	left, err := svc.RemoveOrgMember(ctx, org, dev.Name)
	if err != nil || len(left) != 1 || left[0].Name != "devs" {
		t.Fatalf("RemoveOrgMember = %+v, %v", left, err)
	}
	if roles, err := st.RepoRoles(ctx, dev.ID, repo.ID); err != nil || len(roles) != 0 {
		t.Errorf("roles after removal = %v, %v", roles, err)
	}
	if _, err := svc.FindOrgMember(ctx, org, dev.Name); !errs.Is(err, errs.NotFound) {
		t.Errorf("FindOrgMember(removed) = %v, want not found", err)
	}
}
