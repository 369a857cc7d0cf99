package metatest

import (
	"testing"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// refusalsKeepTransaction makes every write that refuses with a
// documented error inside one transaction, then writes and commits: the
// refusals must not abort the transaction.
func refusalsKeepTransaction(t *testing.T, f *fixture) {
	s, ctx := f.s, f.ctx
	n := meta.Namespace{Name: "acme", Kind: meta.KindOrg}
	if err := s.CreateNamespace(ctx, &n); err != nil {
		t.Fatal(err)
	}
	u := meta.User{Name: "ann", NamespaceID: n.ID}
	if err := s.CreateUser(ctx, &u); err != nil {
		t.Fatal(err)
	}
	r := meta.Repository{NamespaceID: n.ID, Type: "oci", Name: "acme/app"}
	if err := s.CreateRepo(ctx, &r); err != nil {
		t.Fatal(err)
	}
	var team meta.Team
	err := s.Tx(ctx, func(q meta.Queries) error {
		const missing = 1 << 40
		team = meta.Team{NamespaceID: n.ID, Name: "owners", Role: meta.TeamAdmin}
		if err := q.CreateTeam(ctx, &team); err != nil {
			return err
		}
		if err := q.AddTeamMember(ctx, team.ID, u.ID); err != nil {
			return err
		}
		app := meta.App{NamespaceID: n.ID, ClientID: "cid", SealedSecret: []byte{1}, Name: "app"}
		if err := q.CreateApp(ctx, &app); err != nil {
			return err
		}
		for _, c := range []struct {
			what string
			err  error
			want errs.Kind
		}{
			{"CreateTeam(taken)", q.CreateTeam(ctx, &meta.Team{NamespaceID: n.ID, Name: "OWNERS", Role: meta.TeamMember}), errs.Exists},
			{"CreateTeam(no namespace)", q.CreateTeam(ctx, &meta.Team{NamespaceID: missing, Name: "x", Role: meta.TeamMember}), errs.NotFound},
			{"AddTeamMember(again)", q.AddTeamMember(ctx, team.ID, u.ID), errs.Exists},
			{"AddTeamMember(no user)", q.AddTeamMember(ctx, team.ID, missing), errs.NotFound},
			{"CreateInvite(no team)", q.CreateInvite(ctx, &meta.Invite{TeamID: missing, UserID: u.ID, Code: "c"}), errs.NotFound},
			{"PutPermission(no repository)", q.PutPermission(ctx, meta.Permission{RepoID: missing, UserID: u.ID, Role: meta.RoleRead}), errs.NotFound},
			{"PutPermission(no team)", q.PutPermission(ctx, meta.Permission{RepoID: r.ID, TeamID: missing, Role: meta.RoleRead}), errs.NotFound},
			{"CreatePrototype(no user)", q.CreatePrototype(ctx, &meta.Prototype{UUID: "p", NamespaceID: n.ID, DelegateUserID: missing, Role: meta.RoleRead}), errs.NotFound},
			{"Star(no repository)", q.Star(ctx, u.ID, missing), errs.NotFound},
			{"CreateApp(taken)", q.CreateApp(ctx, &meta.App{NamespaceID: n.ID, ClientID: "cid", SealedSecret: []byte{1}, Name: "b"}), errs.Exists},
			{"CreateToken(no app)", q.CreateToken(ctx, &meta.Token{UserID: u.ID, Hash: "h", AppID: missing}), errs.NotFound},
			{"CreateGrantCode(no user)", q.CreateGrantCode(ctx, meta.GrantCode{Hash: "g", AppID: app.ID, UserID: missing, Expires: at(10)}), errs.NotFound},
			{"DeleteNamespace(with repositories)", q.DeleteNamespace(ctx, n.ID), errs.Conflict},
		} {
			if !errs.Is(c.err, c.want) {
				t.Errorf("%s: %v, want kind %v", c.what, c.err, c.want)
			}
		}
		return q.PutPermission(ctx, meta.Permission{RepoID: r.ID, TeamID: team.ID, Role: meta.RoleWrite})
	})
	if err != nil {
		t.Fatalf("Tx: %v", err)
	}
	roles, err := s.RepoRoles(ctx, u.ID, r.ID)
	if err != nil || len(roles) != 1 || roles[0] != meta.RoleWrite {
		t.Errorf("RepoRoles after the transaction = %q, %v; want [write]", roles, err)
	}
}
