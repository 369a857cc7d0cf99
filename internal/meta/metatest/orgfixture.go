package metatest

import (
	"slices"
	"testing"
	"time"

	"wharf/internal/meta"
)

// Fixture helpers of the organisation model.

// org creates an organisation namespace.
func (f *fixture) org(name string, public bool) meta.Namespace {
	f.t.Helper()
	n := meta.Namespace{Name: name, Kind: meta.KindOrg, Public: public}
	f.ok(f.s.CreateNamespace(f.ctx, &n))
	return n
}

// person creates a user whose own namespace, of the same name, is public
// or not.
func (f *fixture) person(name string, public bool) meta.User {
	f.t.Helper()
	n := meta.Namespace{Name: name, Kind: meta.KindUser, Public: public}
	f.ok(f.s.CreateNamespace(f.ctx, &n))
	u := meta.User{Name: name, Email: name + "@example.com", PasswordHash: "hash-" + name, NamespaceID: n.ID}
	f.ok(f.s.CreateUser(f.ctx, &u))
	return u
}

// robot creates the robot "<namespace>+<short>" of ns.
func (f *fixture) robot(ns meta.Namespace, short string) meta.User {
	f.t.Helper()
	u := meta.User{Name: ns.Name + "+" + short, NamespaceID: ns.ID, Robot: true,
		Description: "robot " + short, SealedSecret: []byte("sealed " + short), SecretHash: "secret-" + short}
	f.ok(f.s.CreateUser(f.ctx, &u))
	return u
}

// team creates a team of a namespace with a role.
func (f *fixture) team(namespaceID int64, name, role string) meta.Team {
	f.t.Helper()
	t := meta.Team{NamespaceID: namespaceID, Name: name, Description: "team " + name, Role: role}
	f.ok(f.s.CreateTeam(f.ctx, &t))
	return t
}

// members adds users to a team.
func (f *fixture) members(teamID int64, users ...meta.User) {
	f.t.Helper()
	for _, u := range users {
		f.ok(f.s.AddTeamMember(f.ctx, teamID, u.ID))
	}
}

// repoIn creates a repository of type typ named "<namespace>/<name>" in ns.
func (f *fixture) repoIn(ns meta.Namespace, typ, name string, public bool) meta.Repository {
	f.t.Helper()
	r := meta.Repository{NamespaceID: ns.ID, Type: typ, Name: ns.Name + "/" + name, Public: public}
	f.ok(f.s.CreateRepo(f.ctx, &r))
	return r
}

// grant gives a user (teamID 0) or a team (userID 0) a role on a
// repository.
func (f *fixture) grant(repoID, userID, teamID int64, role string) {
	f.t.Helper()
	f.ok(f.s.PutPermission(f.ctx, meta.Permission{RepoID: repoID, UserID: userID, TeamID: teamID, Role: role}))
}

// app registers an OAuth application of a namespace.
func (f *fixture) app(namespaceID int64, clientID string) meta.App {
	f.t.Helper()
	a := meta.App{NamespaceID: namespaceID, ClientID: clientID, SealedSecret: []byte("sealed " + clientID),
		Name: "app " + clientID}
	f.ok(f.s.CreateApp(f.ctx, &a))
	return a
}

// at returns a fixed instant, minutes after a base, at the stores'
// microsecond resolution and in a zone other than UTC.
func at(minutes int) time.Time {
	base := time.Date(2030, 3, 4, 5, 6, 7, 891011000, time.FixedZone("Z+2", 2*3600))
	return base.Add(time.Duration(minutes) * time.Minute)
}

// wantUTC fails the test unless ts is in UTC.
func wantUTC(t *testing.T, what string, ts time.Time) {
	t.Helper()
	if ts.Location() != time.UTC {
		t.Errorf("%s = %v, want UTC", what, ts)
	}
}

// sorted returns a sorted copy of ss, nil when empty.
func sorted(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	out := slices.Clone(ss)
	slices.Sort(out)
	return out
}

// teamIDs returns the IDs of teams, in order.
func teamIDs(ts []meta.Team) []int64 {
	var ids []int64
	for _, t := range ts {
		ids = append(ids, t.ID)
	}
	return ids
}

// userNames returns the names of users, in order.
func userNames(us []meta.User) []string {
	var names []string
	for _, u := range us {
		names = append(names, u.Name)
	}
	return names
}
