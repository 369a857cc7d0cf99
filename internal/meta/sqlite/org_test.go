package sqlite

import (
	"context"
	"fmt"
	"testing"

	"wharf/internal/meta"
)

// seedOrgs records 20 organisations of 500 repositories, a third of them
// public, and 100 people: person i administers organisation i, is in the
// member team of three and has a permission of their own on a few
// repositories. It returns the people and the organisations.
func seedOrgs(b *testing.B, s meta.Store) ([]meta.User, []meta.Namespace) {
	b.Helper()
	ctx := context.Background()
	var users []meta.User
	var orgs []meta.Namespace
	err := s.Tx(ctx, func(q meta.Queries) error {
		for i := range 100 {
			n := meta.Namespace{Name: fmt.Sprintf("user%d", i), Kind: meta.KindUser, Public: true}
			if err := q.CreateNamespace(ctx, &n); err != nil {
				return err
			}
			u := meta.User{Name: n.Name, NamespaceID: n.ID}
			if err := q.CreateUser(ctx, &u); err != nil {
				return err
			}
			users = append(users, u)
		}
		for i := range 20 {
			n := meta.Namespace{Name: fmt.Sprintf("org%d", i), Kind: meta.KindOrg, Public: true}
			if err := q.CreateNamespace(ctx, &n); err != nil {
				return err
			}
			orgs = append(orgs, n)
			admins := meta.Team{NamespaceID: n.ID, Name: "admins", Role: meta.TeamAdmin}
			members := meta.Team{NamespaceID: n.ID, Name: "members", Role: meta.TeamMember}
			for _, tm := range []*meta.Team{&admins, &members} {
				if err := q.CreateTeam(ctx, tm); err != nil {
					return err
				}
			}
			if err := q.AddTeamMember(ctx, admins.ID, users[i].ID); err != nil {
				return err
			}
			for j := range 15 {
				if err := q.AddTeamMember(ctx, members.ID, users[(i*5+j)%100].ID); err != nil {
					return err
				}
			}
			for j := range 500 {
				r := meta.Repository{NamespaceID: n.ID, Type: "oci", Name: fmt.Sprintf("%s/r%d", n.Name, j), Public: j%3 == 0}
				if err := q.CreateRepo(ctx, &r); err != nil {
					return err
				}
				p := meta.Permission{RepoID: r.ID, TeamID: members.ID, Role: meta.RoleRead}
				if j%25 == 1 {
					p = meta.Permission{RepoID: r.ID, UserID: users[(i+j)%100].ID, Role: meta.RoleWrite}
				}
				if j%25 <= 1 {
					if err := q.PutPermission(ctx, p); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return users, orgs
}

// BenchmarkListVisibleRepos lists among 10,000 repositories what a person
// who administers none of them sees.
func BenchmarkListVisibleRepos(b *testing.B) {
	s := open(b)
	users, orgs := seedOrgs(b, s)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		f    meta.RepoFilter
	}{
		{"PublicPage", meta.RepoFilter{Type: "oci", UserID: users[50].ID, Public: true, Limit: 50}},
		{"Private", meta.RepoFilter{Type: "oci", UserID: users[50].ID}},
		{"Namespace", meta.RepoFilter{Type: "oci", UserID: users[50].ID, Public: true, NamespaceID: orgs[9].ID}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.ListVisibleRepos(ctx, c.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRepoRoles measures the question every authorization decision
// on a repository asks.
func BenchmarkRepoRoles(b *testing.B) {
	s := open(b)
	users, _ := seedOrgs(b, s)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := s.RepoRoles(ctx, users[i%100].ID, int64(i%10000+1)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
