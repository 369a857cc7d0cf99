package auth

import (
	"context"
	"testing"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// orgWorld is an organisation with a team of each role, a robot, a
// repository with direct and team permissions, and outsiders.
type orgWorld struct {
	svc   *Service
	st    meta.Store
	authz *Authorizer
	org   meta.Namespace
	users map[string]meta.User
	robot Robot
	repo  meta.Repository // acme/app, private
	open  meta.Repository // acme/open, public
}

func newOrgWorld(t testing.TB) *orgWorld {
	t.Helper()
	ctx := context.Background()
	svc, st := newTestService(t)
	w := &orgWorld{svc: svc, st: st, authz: NewAuthorizer(st, 0), users: map[string]meta.User{}}
	for _, n := range []string{"owner", "admin2", "creator", "member", "reader", "writer", "outsider", "teamread"} {
		w.users[n] = addUser(t, st, n, false, false)
	}
	var err error
	w.org, err = svc.CreateOrg(ctx, CreateOrgRequest{Name: "acme", Creator: w.principal("owner")})
	if err != nil {
		t.Fatal(err)
	}
	for team, role := range map[string]string{"admins": meta.TeamAdmin, "creators": meta.TeamCreator, "members": meta.TeamMember, "readers": meta.TeamMember} {
		if _, _, err := svc.PutTeam(ctx, PutTeamRequest{Org: w.org, Name: team, Role: role, Caller: w.principal("owner")}); err != nil {
			t.Fatal(err)
		}
	}
	w.robot, err = svc.CreateRobot(ctx, RobotRequest{Namespace: w.org, Short: "ci"})
	if err != nil {
		t.Fatal(err)
	}
	for team, who := range map[string]string{"admins": "admin2", "creators": "creator", "members": "member", "readers": "teamread"} {
		tm, err := svc.Team(ctx, w.org, team)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddTeamMember(ctx, tm, w.org, who, w.principal("owner"), false); err != nil {
			t.Fatal(err)
		}
	}
	w.repo = addRepo(t, st, "oci", "acme/app", false)
	w.open = addRepo(t, st, "oci", "acme/open", true)
	for name, role := range map[string]string{"reader": meta.RoleRead, "writer": meta.RoleWrite, "acme+ci": meta.RoleWrite} {
		if _, _, err := svc.SetUserPermission(ctx, w.repo, w.org, name, role); err != nil {
			t.Fatalf("permission for %s: %v", name, err)
		}
	}
	if _, err := svc.SetTeamPermission(ctx, w.repo, w.org, "readers", meta.RoleRead); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *orgWorld) principal(name string) Principal {
	if name == "" {
		return Principal{}
	}
	if name == w.robot.Name {
		return Principal{UserID: w.robot.ID, Name: w.robot.Name, Robot: true}
	}
	u := w.users[name]
	return Principal{UserID: u.ID, Name: u.Name}
}

func TestAuthorizerOrganisation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newOrgWorld(t)
	// want lists, per caller, the role on acme/app and whether they may
	// pull, push and delete it, pull acme/open and create acme/new.
	type want struct {
		role                  string
		pull, push, del, open bool
		create                bool
		ns                    NamespaceRole
	}
	for who, wt := range map[string]want{
		"owner":    {meta.RoleAdmin, true, true, true, true, true, AdminRole},
		"admin2":   {meta.RoleAdmin, true, true, true, true, true, AdminRole},
		"creator":  {"", false, false, false, true, true, CreatorRole},
		"member":   {"", false, false, false, true, false, MemberRole},
		"teamread": {meta.RoleRead, true, false, false, true, false, MemberRole},
		"reader":   {meta.RoleRead, true, false, false, true, false, NoRole},
		"writer":   {meta.RoleWrite, true, true, true, true, false, NoRole},
		"outsider": {"", false, false, false, true, false, NoRole},
		"acme+ci":  {meta.RoleWrite, true, true, true, true, false, NoRole},
		"":         {"", false, false, false, true, false, NoRole},
	} {
		p := w.principal(who)
		role, err := w.authz.RepoRole(ctx, p, "oci", "acme/app")
		if err != nil || role != wt.role {
			t.Errorf("%q: RepoRole = %q, %v; want %q", who, role, err, wt.role)
		}
		for _, c := range []struct {
			act  Action
			repo string
			want bool
		}{
			{Pull, "acme/app", wt.pull}, {Push, "acme/app", wt.push}, {Delete, "acme/app", wt.del},
			{Pull, "acme/open", wt.open}, {Push, "acme/new", wt.create},
		} {
			got, err := w.authz.Can(ctx, p, c.act, "oci", c.repo)
			if err != nil || got != c.want {
				t.Errorf("%q: Can(%s, %s) = %v, %v; want %v", who, c.act, c.repo, got, err, c.want)
			}
		}
		ns, err := w.authz.NamespaceRole(ctx, p, "acme")
		if err != nil || ns != wt.ns {
			t.Errorf("%q: NamespaceRole = %v, %v; want %v", who, ns, err, wt.ns)
		}
	}
}

func TestAuthorizerOAuthCaps(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newOrgWorld(t)
	capped := func(who, scopes string) Principal {
		_, c, err := ParseOAuthScopes(scopes)
		if err != nil {
			t.Fatal(err)
		}
		p := w.principal(who)
		p.Caps, p.Method = &c, ByOAuth
		return p
	}
	for _, tc := range []struct {
		p      Principal
		act    Action
		repo   string
		want   bool
		reason string
	}{
		{capped("owner", "repo:read"), Pull, "acme/app", true, "read scope reads"},
		{capped("owner", "repo:read"), Push, "acme/app", false, "read scope cannot push"},
		{capped("owner", "repo:write"), Push, "acme/app", true, "write scope pushes"},
		{capped("owner", "repo:write"), Push, "acme/new", false, "creating needs repo:create"},
		{capped("owner", "repo:write repo:create"), Push, "acme/new", true, "repo:create creates"},
		{capped("owner", "org:admin"), Pull, "acme/app", false, "org:admin alone gives no repository rights"},
		{capped("owner", "org:admin"), Pull, "acme/open", true, "public stays public"},
		{capped("reader", "repo:admin"), Push, "acme/app", false, "scopes never raise a role"},
	} {
		got, err := w.authz.Can(ctx, tc.p, tc.act, "oci", tc.repo)
		if err != nil || got != tc.want {
			t.Errorf("%s: Can = %v, %v; want %v", tc.reason, got, err, tc.want)
		}
	}
	if r, _ := w.authz.NamespaceRole(ctx, capped("owner", "repo:read"), "acme"); r != MemberRole {
		t.Errorf("owner with repo:read: namespace role %v, want member", r)
	}
	if r, _ := w.authz.NamespaceRole(ctx, capped("owner", "org:admin"), "acme"); r != AdminRole {
		t.Errorf("owner with org:admin: namespace role %v, want admin", r)
	}
	if _, _, err := ParseOAuthScopes("repo:read bogus"); !errs.Is(err, errs.Invalid) {
		t.Errorf("an unknown scope must invalidate the whole string, got %v", err)
	}
	names, _, err := ParseOAuthScopes("user:read,repo:read repo:read")
	if err != nil || len(names) != 2 || names[0] != "repo:read" {
		t.Errorf("canonical scopes = %v, %v", names, err)
	}
}

func TestRobots(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newOrgWorld(t)
	p, err := w.svc.Authenticate(ctx, Credentials{Kind: Basic, User: "acme+ci", Password: w.robot.Secret})
	if err != nil || p.UserID != w.robot.ID || !p.Robot || p.Method != ByRobot {
		t.Fatalf("robot login = %+v, %v", p, err)
	}
	if len(w.robot.Secret) != 64 {
		t.Errorf("robot secret has %d characters, want 64", len(w.robot.Secret))
	}
	got, err := w.svc.GetRobot(ctx, w.org, "ci")
	if err != nil || got.Secret != w.robot.Secret {
		t.Errorf("GetRobot secret round trip failed: %v", err)
	}
	again, err := w.svc.RegenerateRobot(ctx, w.org, "ci")
	if err != nil || again.Secret == w.robot.Secret {
		t.Fatalf("RegenerateRobot = %v", err)
	}
	if _, err := w.svc.Authenticate(ctx, Credentials{Kind: Basic, User: "acme+ci", Password: w.robot.Secret}); !errs.Is(err, errs.Unauthenticated) {
		t.Errorf("old robot secret after regenerate: %v, want unauthenticated", err)
	}
	if _, err := w.svc.Authenticate(ctx, Credentials{Kind: Basic, User: "acme+ci", Password: again.Secret}); err != nil {
		t.Errorf("new robot secret: %v", err)
	}
	if _, err := w.svc.CreateRobot(ctx, RobotRequest{Namespace: w.org, Short: "ci"}); !errs.Is(err, errs.Exists) {
		t.Errorf("duplicate robot: %v, want exists", err)
	}
	for _, bad := range []string{"", "a", "Bad", "a+b", "-x"} {
		if _, err := w.svc.CreateRobot(ctx, RobotRequest{Namespace: w.org, Short: bad}); !errs.Is(err, errs.Invalid) {
			t.Errorf("robot short name %q: %v, want invalid", bad, err)
		}
	}
	if _, err := w.svc.CreateRobot(ctx, RobotRequest{Namespace: w.org, Short: "meta", Metadata: []byte(`[1]`)}); !errs.Is(err, errs.Invalid) {
		t.Errorf("non-object metadata: %v, want invalid", err)
	}
	// A robot may only be given roles in its own namespace.
	other := addRepo(t, w.st, "oci", "outsider/x", false)
	ns, _ := w.st.GetNamespace(ctx, "outsider")
	if _, _, err := w.svc.SetUserPermission(ctx, other, ns, "acme+ci", meta.RoleRead); !errs.Is(err, errs.Invalid) {
		t.Errorf("foreign robot permission: %v, want invalid", err)
	}
	if _, _, err := w.svc.SetUserPermission(ctx, other, ns, "outsider", meta.RoleRead); !errs.Is(err, errs.Invalid) {
		t.Errorf("namespace owner permission: %v, want invalid", err)
	}
	if err := w.svc.DeleteRobot(ctx, w.org, "ci"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Authenticate(ctx, Credentials{Kind: Basic, User: "acme+ci", Password: again.Secret}); !errs.Is(err, errs.Unauthenticated) {
		t.Errorf("deleted robot login: %v", err)
	}
}

func TestTeamsKeepAnAdmin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newOrgWorld(t)
	owner := w.principal("owner")
	if _, _, err := w.svc.PutTeam(ctx, PutTeamRequest{Org: w.org, Name: OwnersTeam, Role: meta.TeamMember, Caller: owner}); !errs.Is(err, errs.Invalid) {
		t.Errorf("demoting the caller's last admin team: %v, want invalid", err)
	}
	if err := w.svc.DeleteTeam(ctx, w.org, OwnersTeam, owner); !errs.Is(err, errs.Invalid) {
		t.Errorf("deleting the caller's last admin team: %v, want invalid", err)
	}
	if _, err := w.svc.RemoveTeamMember(ctx, mustTeam(t, w, OwnersTeam), "owner", owner); !errs.Is(err, errs.Invalid) {
		t.Errorf("leaving the last admin team: %v, want invalid", err)
	}
	// Someone else may demote it: the owner is not locked out by others'
	// choices here, only by their own.
	if _, _, err := w.svc.PutTeam(ctx, PutTeamRequest{Org: w.org, Name: OwnersTeam, Role: meta.TeamCreator, Caller: w.principal("admin2")}); err != nil {
		t.Errorf("another admin demoting owners: %v", err)
	}
	if _, _, err := w.svc.PutTeam(ctx, PutTeamRequest{Org: w.org, Name: "x", Role: "boss", Caller: owner}); !errs.Is(err, errs.Invalid) {
		t.Errorf("bad team role: %v", err)
	}
}

func mustTeam(t *testing.T, w *orgWorld, name string) meta.Team {
	t.Helper()
	tm, err := w.svc.Team(context.Background(), w.org, name)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestInvites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newOrgWorld(t)
	members := mustTeam(t, w, "members")
	res, err := w.svc.AddTeamMember(ctx, members, w.org, "outsider", w.principal("owner"), true)
	if err != nil || !res.Invited {
		t.Fatalf("inviting a user outside the org = %+v, %v; want an invitation", res, err)
	}
	if err := w.svc.DeclineInvite(ctx, res.Invite.Code, w.principal("reader")); !errs.Is(err, errs.NotFound) {
		t.Errorf("another user declining: %v, want not found", err)
	}
	if _, err := w.svc.AcceptInvite(ctx, res.Invite.Code, w.principal("reader")); !errs.Is(err, errs.NotFound) {
		t.Errorf("another user accepting: %v, want not found", err)
	}
	if _, err := w.svc.AcceptInvite(ctx, res.Invite.Code, w.principal("outsider")); err != nil {
		t.Fatalf("invitee accepting: %v", err)
	}
	if r, _ := w.authz.NamespaceRole(ctx, w.principal("outsider"), "acme"); r != MemberRole {
		t.Errorf("after accepting: role %v, want member", r)
	}
	if _, err := w.svc.AcceptInvite(ctx, res.Invite.Code, w.principal("outsider")); !errs.Is(err, errs.NotFound) {
		t.Errorf("accepting twice: %v, want not found", err)
	}
	// Someone already in the org is added at once.
	res, err = w.svc.AddTeamMember(ctx, members, w.org, "teamread", w.principal("owner"), true)
	if err != nil || res.Invited {
		t.Errorf("adding an org member = %+v, %v; want added", res, err)
	}
	if _, err := w.svc.AddTeamMember(ctx, members, w.org, "teamread", w.principal("owner"), true); !errs.Is(err, errs.Invalid) {
		t.Errorf("adding twice: %v, want invalid", err)
	}
	if _, err := w.svc.AddTeamMember(ctx, members, w.org, "nobody", w.principal("owner"), true); !errs.Is(err, errs.Invalid) {
		t.Errorf("unknown user: %v, want invalid", err)
	}
	i, err := w.svc.InviteEmail(ctx, members, "Writer@Example.com", w.principal("owner"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.AcceptInvite(ctx, i.Code, w.principal("writer")); err != nil {
		t.Errorf("accepting an e-mail invitation with that address (any case): %v", err)
	}
}

func TestDefaultPermissions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newOrgWorld(t)
	if _, err := w.svc.CreatePrototype(ctx, PrototypeRequest{Org: w.org, Role: meta.RoleRead, DelegateTeam: "members"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.CreatePrototype(ctx, PrototypeRequest{Org: w.org, Role: meta.RoleWrite, ActivatingUser: "creator", DelegateUser: "outsider"}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []PrototypeRequest{
		{Org: w.org, Role: "root", DelegateTeam: "members"},
		{Org: w.org, Role: meta.RoleRead},
		{Org: w.org, Role: meta.RoleRead, DelegateTeam: "nope"},
		{Org: w.org, Role: meta.RoleRead, DelegateTeam: "members", ActivatingUser: "nobody"},
	} {
		if _, err := w.svc.CreatePrototype(ctx, bad); !errs.Is(err, errs.Invalid) {
			t.Errorf("CreatePrototype(%+v) = %v, want invalid", bad, err)
		}
	}
	create := func(name string, creator string) meta.Repository {
		var r meta.Repository
		err := w.st.Tx(ctx, func(q meta.Queries) error {
			r = meta.Repository{NamespaceID: w.org.ID, Type: "oci", Name: name}
			if err := q.CreateRepo(ctx, &r); err != nil {
				return err
			}
			return OnCreateRepo(ctx, q, r, w.users[creator].ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	create("acme/by-creator", "creator")
	create("acme/by-admin", "admin2")
	for _, c := range []struct {
		who, repo, want string
	}{
		{"creator", "acme/by-creator", meta.RoleAdmin}, // creators administer what they make
		{"member", "acme/by-creator", meta.RoleRead},   // the team default
		{"outsider", "acme/by-creator", meta.RoleWrite},
		{"outsider", "acme/by-admin", ""}, // only for repositories the creator makes
		{"member", "acme/by-admin", meta.RoleRead},
	} {
		got, err := w.authz.RepoRole(ctx, w.principal(c.who), "oci", c.repo)
		if err != nil || got != c.want {
			t.Errorf("%s on %s: role %q, %v; want %q", c.who, c.repo, got, err, c.want)
		}
	}
}

func TestOAuthCodeExchange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newOrgWorld(t)
	app, err := w.svc.CreateApp(ctx, w.org, AppRequest{Name: "ci", RedirectURI: "https://ci.example.com/cb"})
	if err != nil {
		t.Fatal(err)
	}
	secret, err := w.svc.AppSecret(app)
	if err != nil || len(secret) != 40 {
		t.Fatalf("AppSecret = %q, %v", secret, err)
	}
	names, _, _ := ParseOAuthScopes("repo:read")
	code, err := w.svc.CreateGrantCode(ctx, app, w.users["owner"].ID, names, "https://ci.example.com/cb")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.svc.ExchangeCode(ctx, app.ClientID, "wrong", code, "https://ci.example.com/cb"); !errs.Is(err, errs.Unauthenticated) {
		t.Errorf("wrong client secret: %v", err)
	}
	if _, _, err := w.svc.ExchangeCode(ctx, app.ClientID, secret, code, "https://evil.example.com/cb"); !errs.Is(err, errs.Invalid) {
		t.Errorf("redirect mismatch: %v", err)
	}
	// The mismatch used the code up: codes are single use.
	if _, _, err := w.svc.ExchangeCode(ctx, app.ClientID, secret, code, "https://ci.example.com/cb"); !errs.Is(err, errs.Invalid) {
		t.Errorf("reused code: %v", err)
	}
	code, _ = w.svc.CreateGrantCode(ctx, app, w.users["owner"].ID, names, "https://ci.example.com/cb")
	tok, rec, err := w.svc.ExchangeCode(ctx, app.ClientID, secret, code, "https://ci.example.com/cb")
	if err != nil || rec.Kind != meta.TokenOAuth {
		t.Fatalf("exchange: %+v, %v", rec, err)
	}
	p, err := w.svc.Authenticate(ctx, Credentials{Kind: Bearer, Token: tok})
	if err != nil || p.Method != ByOAuth || p.Caps == nil || p.Caps.Repo != meta.RoleRead {
		t.Fatalf("OAuth token principal = %+v, %v", p, err)
	}
	if _, err := w.svc.Authenticate(ctx, Credentials{Kind: Basic, User: "$oauthtoken", Password: tok}); err != nil {
		t.Errorf("$oauthtoken login: %v", err)
	}
	if _, err := w.svc.Authenticate(ctx, Credentials{Kind: Basic, User: "$app", Password: tok}); !errs.Is(err, errs.Unauthenticated) {
		t.Errorf("OAuth token as $app: %v, want unauthenticated", err)
	}
	appTok, _, err := w.svc.CreateAppToken(ctx, w.users["owner"].ID, "laptop", 0)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := w.svc.Authenticate(ctx, Credentials{Kind: Basic, User: "$app", Password: appTok}); err != nil || p.Method != ByAppToken {
		t.Errorf("$app login = %+v, %v", p, err)
	}
}

// BenchmarkAuthorizerCanTeamPull measures the decision for a user who
// reads through a team's permission: the longest path of Can.
func BenchmarkAuthorizerCanTeamPull(b *testing.B) {
	w := newOrgWorld(b)
	ctx := context.Background()
	p := w.principal("teamread")
	for b.Loop() {
		if ok, err := w.authz.Can(ctx, p, Pull, "oci", "acme/app"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkAuthorizerCanOwnerPull measures the owner of a personal
// namespace, who is answered without a store read.
func BenchmarkAuthorizerCanOwnerPull(b *testing.B) {
	w := newOrgWorld(b)
	ctx := context.Background()
	p := w.principal("outsider")
	for b.Loop() {
		if ok, err := w.authz.Can(ctx, p, Pull, "oci", "outsider/app"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// A credential limited to some repositories still reads public ones, as
// the anonymous caller does, and nothing private beyond its grants.
func TestRestrictedReadsPublic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newOrgWorld(t)
	p := w.principal("owner")
	p.Restricted = true
	p.Grants = []Grant{{Type: GrantRepository, Name: "owner/only", Actions: []Action{Pull}}}
	for _, c := range []struct {
		act  Action
		repo string
		want bool
	}{
		{Pull, "acme/open", true},
		{Push, "acme/open", false},
		{Pull, "acme/app", false},
	} {
		got, err := w.authz.Can(ctx, p, c.act, "oci", c.repo)
		if err != nil || got != c.want {
			t.Errorf("Can(%s, %s) = %v, %v; want %v", c.act, c.repo, got, err, c.want)
		}
	}
}

// Direct members of an organisation get their role on every repository
// of it, and the matching namespace role.
func TestAuthorizerDirectMembers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newOrgWorld(t)
	type want struct {
		role         string
		push, create bool
		ns           NamespaceRole
	}
	for role, wt := range map[string]want{
		meta.MemberReadOnly:      {meta.RoleRead, false, false, MemberRole},
		meta.MemberMember:        {meta.RoleWrite, true, true, CreatorRole},
		meta.MemberMaintainer:    {meta.RoleWrite, true, true, CreatorRole},
		meta.MemberAdministrator: {meta.RoleAdmin, true, true, AdminRole},
		meta.MemberOwner:         {meta.RoleAdmin, true, true, AdminRole},
	} {
		u := addUser(t, w.st, "m-"+role[:4], false, false)
		if err := w.st.PutMember(ctx, &meta.Member{NamespaceID: w.org.ID, UserID: u.ID, Role: role}); err != nil {
			t.Fatal(err)
		}
		p := Principal{UserID: u.ID, Name: u.Name}
		if got, err := w.authz.RepoRole(ctx, p, "oci", "acme/app"); err != nil || got != wt.role {
			t.Errorf("%s: RepoRole = %q, %v; want %q", role, got, err, wt.role)
		}
		if got, _ := w.authz.Can(ctx, p, Push, "oci", "acme/app"); got != wt.push {
			t.Errorf("%s: push = %v, want %v", role, got, wt.push)
		}
		if got, _ := w.authz.Can(ctx, p, Push, "oci", "acme/brand-new"); got != wt.create {
			t.Errorf("%s: create = %v, want %v", role, got, wt.create)
		}
		if got, _ := w.authz.NamespaceRole(ctx, p, "acme"); got != wt.ns {
			t.Errorf("%s: namespace role %v, want %v", role, got, wt.ns)
		}
		// Removing the person from the organisation ends the membership;
		// the owner must hand the organisation over first.
		if role == meta.MemberOwner {
			if _, err := w.svc.RemoveOrgMember(ctx, w.org, u.Name); !errs.Is(err, errs.Invalid) {
				t.Fatalf("%s: RemoveOrgMember = %v, want invalid", role, err)
			}
			if err := w.st.PutMember(ctx, &meta.Member{NamespaceID: w.org.ID, UserID: u.ID, Role: meta.MemberMaintainer}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.svc.RemoveOrgMember(ctx, w.org, u.Name); err != nil {
			t.Fatalf("%s: RemoveOrgMember: %v", role, err)
		}
		if got, _ := w.authz.Can(ctx, p, Pull, "oci", "acme/app"); got {
			t.Errorf("%s: still reads after removal", role)
		}
	}
}
