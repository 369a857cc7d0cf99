package meta

import (
	"context"
	"time"
)

// This file holds the organisation model: teams and their members,
// invitations, repository permissions, default permissions (prototypes),
// stars, OAuth applications and their grant codes, and the usage log.
// Robots are Users with Robot set; their NamespaceID is the namespace
// that owns them.

// Team roles, from least to most: a member gains nothing in the
// organisation by membership alone, a creator may create repositories, an
// admin administers the organisation and every repository in it.
const (
	TeamMember  = "member"
	TeamCreator = "creator"
	TeamAdmin   = "admin"
)

// Repository roles, from least to most.
const (
	RoleRead  = "read"
	RoleWrite = "write"
	RoleAdmin = "admin"
)

// Team is a named group of users and robots in an organisation.
type Team struct {
	ID          int64
	NamespaceID int64
	Name        string
	Description string
	Role        string // TeamMember, TeamCreator or TeamAdmin
	Created     time.Time
	// MemberCount and RepoCount are filled by GetTeam and ListTeams: the
	// team's members and the repositories it has a permission on.
	MemberCount int
	RepoCount   int
}

// Invite asks a user, or whoever holds an e-mail address, to join a team.
type Invite struct {
	ID        int64
	TeamID    int64
	UserID    int64  // the invited user, or 0 for an e-mail invitation
	Email     string // the invited address, or "" for a user invitation
	InviterID int64  // 0 when the inviter is gone
	Code      string // the code that names the invitation; unique
	Created   time.Time
}

// Permission gives a user or a team (exactly one of UserID and TeamID is
// set) a role on a repository. The names are filled when listing.
type Permission struct {
	RepoID   int64
	UserID   int64
	TeamID   int64
	Role     string // RoleRead, RoleWrite or RoleAdmin
	Created  time.Time
	UserName string
	Robot    bool // the user is a robot
	TeamName string
	RepoName string // the repository's full name
	Public   bool   // the repository is public
}

// Prototype is a default permission of an organisation: when a repository
// is created in it by ActivatingUserID (any user when 0), Role is given to
// the delegate, a user (DelegateUserID) or a team (DelegateTeamID).
type Prototype struct {
	ID               int64
	UUID             string
	NamespaceID      int64
	ActivatingUserID int64
	DelegateUserID   int64
	DelegateTeamID   int64
	Role             string
	Created          time.Time
}

// App is an OAuth application registered by an organisation.
type App struct {
	ID             int64
	NamespaceID    int64
	ClientID       string // unique
	SealedSecret   []byte // the client secret, sealed with the server key
	Name           string
	Description    string
	ApplicationURI string
	RedirectURI    string
	AvatarEmail    string
	Created        time.Time
}

// GrantCode is a pending OAuth authorization code. Only a hash of the code
// is stored; a code is used once.
type GrantCode struct {
	Hash        string
	AppID       int64
	UserID      int64
	Scopes      []string
	RedirectURI string
	Created     time.Time
	Expires     time.Time
}

// LogEntry is one line of the usage log: who did what, where. Names of the
// namespace and repository are kept in Metadata, so entries outlive what
// they describe.
type LogEntry struct {
	ID          int64
	Kind        string
	NamespaceID int64 // 0 when none
	RepoID      int64 // 0 when none
	PerformerID int64 // 0 for anonymous callers
	IP          string
	Metadata    []byte // JSON object
	Created     time.Time
}

// LogFilter selects log entries: those of a namespace, a repository or a
// performer (at least one must be set), created in [Start, End), newest
// first, with ID below BeforeID when it is set, at most Limit.
type LogFilter struct {
	NamespaceID int64
	RepoID      int64
	PerformerID int64
	Kinds       []string // empty: every kind
	Start, End  time.Time
	BeforeID    int64
	Limit       int
}

// RepoFilter selects the repositories ListVisibleRepos returns. A
// repository is visible to the user UserID (0: the anonymous caller) when
// it lies in their own namespace, they or one of their teams have a
// permission on it, they are in an admin team of its organisation or a
// direct member (Members) of it, or Public is set and the repository and
// its namespace are public.
type RepoFilter struct {
	UserID       int64
	Type         string // repository type; required
	NamespaceID  int64  // 0: every namespace
	Public       bool
	Starred      bool  // keep only repositories UserID starred
	AfterID      int64 // rows with a larger ID only
	Limit        int   // <= 0: no limit
	NamePrefix   string
	NameContains string // case-insensitive match anywhere in the full name
	// ByName orders by lower-cased name instead of ID, keeping only names
	// after AfterName (compared lower-cased), as ListRepos pages.
	ByName    bool
	AfterName string
}

// NamespaceFilter selects namespaces: of a kind ("" for both) whose
// lower-cased name starts with Prefix, in lower-cased name order after
// After, at most Limit.
type NamespaceFilter struct {
	Kind   NamespaceKind
	Prefix string
	After  string
	Limit  int
}

// UserFilter selects users in lower-cased name order after After, at most
// Limit: robots only when Robots, people only otherwise; whose lower-cased
// name starts with Prefix. NamespaceID, when set, keeps only robots of that
// namespace.
type UserFilter struct {
	Robots      bool
	NamespaceID int64
	Prefix      string
	After       string
	Limit       int
}

// Teams reads and writes teams and their members.
type Teams interface {
	// CreateTeam inserts t and sets t.ID and t.Created. Errors: errs.Exists
	// when the namespace has a team of that name (case-insensitive);
	// errs.NotFound when the namespace does not exist.
	CreateTeam(ctx context.Context, t *Team) error
	// GetTeam returns a namespace's team by name (case-insensitive).
	GetTeam(ctx context.Context, namespaceID int64, name string) (Team, error)
	// GetTeamByID returns the team with id.
	GetTeamByID(ctx context.Context, id int64) (Team, error)
	// ListTeams returns a namespace's teams, oldest first.
	ListTeams(ctx context.Context, namespaceID int64) ([]Team, error)
	// UpdateTeam stores t's Description and Role. Errors: errs.NotFound.
	UpdateTeam(ctx context.Context, t Team) error
	// DeleteTeam removes a team with its members, invitations and
	// permissions. Errors: errs.NotFound.
	DeleteTeam(ctx context.Context, id int64) error
	// AddTeamMember adds a user to a team. Errors: errs.Exists when the
	// user is a member; errs.NotFound when the team or user does not exist.
	AddTeamMember(ctx context.Context, teamID, userID int64) error
	// RemoveTeamMember removes a user from a team. Errors: errs.NotFound
	// when the user is not a member.
	RemoveTeamMember(ctx context.Context, teamID, userID int64) error
	// ListTeamMembers returns a team's members in lower-cased name order.
	ListTeamMembers(ctx context.Context, teamID int64) ([]User, error)
	// ListUserTeams returns the teams a user is in, of one namespace or of
	// every namespace when namespaceID is 0, oldest first.
	ListUserTeams(ctx context.Context, userID, namespaceID int64) ([]Team, error)
}

// Invites reads and writes team invitations.
type Invites interface {
	// CreateInvite inserts i and sets i.ID and i.Created. Errors:
	// errs.Exists when the team already invites that user or address
	// (case-insensitive) or the code is taken.
	CreateInvite(ctx context.Context, i *Invite) error
	// GetInvite returns the invitation with code.
	GetInvite(ctx context.Context, code string) (Invite, error)
	// ListTeamInvites returns a team's pending invitations, oldest first.
	ListTeamInvites(ctx context.Context, teamID int64) ([]Invite, error)
	// ListUserInvites returns the invitations of a user: those naming the
	// user and those to email (case-insensitive; "" matches none), oldest
	// first.
	ListUserInvites(ctx context.Context, userID int64, email string) ([]Invite, error)
	// DeleteInvite removes an invitation. Errors: errs.NotFound.
	DeleteInvite(ctx context.Context, id int64) error
}

// Permissions reads and writes repository permissions and answers the
// questions the authorizer asks.
type Permissions interface {
	// PutPermission gives p.Role on p.RepoID to p.UserID or p.TeamID,
	// replacing the role it had. Errors: errs.NotFound when the
	// repository, user or team does not exist.
	PutPermission(ctx context.Context, p Permission) error
	// DeletePermission removes the permission of a user (teamID 0) or a
	// team (userID 0) on a repository. Errors: errs.NotFound.
	DeletePermission(ctx context.Context, repoID, userID, teamID int64) error
	// ListRepoPermissions returns the permissions on a repository, users'
	// then teams', each in lower-cased name order, with names filled.
	ListRepoPermissions(ctx context.Context, repoID int64) ([]Permission, error)
	// ListUserPermissions returns a user's own (not team) permissions, in
	// repository name order, with RepoName and Public filled.
	ListUserPermissions(ctx context.Context, userID int64) ([]Permission, error)
	// ListTeamPermissions returns a team's permissions in repository name
	// order, with RepoName and Public filled.
	ListTeamPermissions(ctx context.Context, teamID int64) ([]Permission, error)
	// RepoRoles returns every role a user has on a repository: their own
	// permission and those of their teams. The order is unspecified.
	RepoRoles(ctx context.Context, userID, repoID int64) ([]string, error)
	// TeamRoles returns the roles of the teams a user is in within a
	// namespace. The order is unspecified.
	TeamRoles(ctx context.Context, userID, namespaceID int64) ([]string, error)
	// ListVisibleRepos returns the repositories f selects, by ID or, with
	// f.ByName, by lower-cased name.
	ListVisibleRepos(ctx context.Context, f RepoFilter) ([]Repository, error)
}

// Prototypes reads and writes default permissions.
type Prototypes interface {
	// CreatePrototype inserts p and sets p.ID and p.Created. Errors:
	// errs.Exists when the UUID is taken.
	CreatePrototype(ctx context.Context, p *Prototype) error
	// GetPrototype returns a namespace's prototype by UUID.
	GetPrototype(ctx context.Context, namespaceID int64, uuid string) (Prototype, error)
	// ListPrototypes returns a namespace's prototypes, oldest first.
	ListPrototypes(ctx context.Context, namespaceID int64) ([]Prototype, error)
	// UpdatePrototype stores p's Role. Errors: errs.NotFound.
	UpdatePrototype(ctx context.Context, p Prototype) error
	// DeletePrototype removes a prototype. Errors: errs.NotFound.
	DeletePrototype(ctx context.Context, id int64) error
}

// Stars reads and writes the repositories users star.
type Stars interface {
	// Star records that a user starred a repository; starring twice is not
	// an error. Errors: errs.NotFound when either does not exist.
	Star(ctx context.Context, userID, repoID int64) error
	// Unstar removes a star; removing a missing one is not an error.
	Unstar(ctx context.Context, userID, repoID int64) error
	// Starred reports whether a user starred a repository.
	Starred(ctx context.Context, userID, repoID int64) (bool, error)
	// CountStars reports how many users starred a repository.
	CountStars(ctx context.Context, repoID int64) (int, error)
}

// Apps reads and writes OAuth applications and authorization codes.
type Apps interface {
	// CreateApp inserts a and sets a.ID and a.Created. Errors: errs.Exists
	// when the client ID is taken.
	CreateApp(ctx context.Context, a *App) error
	// GetApp returns the application with a client ID.
	GetApp(ctx context.Context, clientID string) (App, error)
	// ListApps returns a namespace's applications, oldest first.
	ListApps(ctx context.Context, namespaceID int64) ([]App, error)
	// UpdateApp stores every field of a but ID, NamespaceID, ClientID and
	// Created. Errors: errs.NotFound.
	UpdateApp(ctx context.Context, a App) error
	// DeleteApp removes an application with its tokens and codes. Errors:
	// errs.NotFound.
	DeleteApp(ctx context.Context, id int64) error
	// CreateGrantCode stores an authorization code. Errors: errs.Exists.
	CreateGrantCode(ctx context.Context, c GrantCode) error
	// TakeGrantCode removes the code with hash and returns it, so a code is
	// used at most once. Errors: errs.NotFound, also when it expired
	// before now.
	TakeGrantCode(ctx context.Context, hash string, now time.Time) (GrantCode, error)
}

// Logs writes and reads the usage log.
type Logs interface {
	// AddLog inserts e and sets e.ID and, when zero, e.Created.
	AddLog(ctx context.Context, e *LogEntry) error
	// ListLogs returns the entries f selects.
	ListLogs(ctx context.Context, f LogFilter) ([]LogEntry, error)
	// CountLogs returns how many entries f selects, at most f.Limit when
	// it is positive.
	CountLogs(ctx context.Context, f LogFilter) (int, error)
}

// Member roles of an organisation, from least to most: Habitat's origin
// roles. A read-only member reads everything the organisation owns; a
// member also creates and writes; a maintainer also manages channels and
// invitations; an administrator administers the organisation; the owner
// is the one account that owns it.
const (
	MemberReadOnly      = "readonly_member"
	MemberMember        = "member"
	MemberMaintainer    = "maintainer"
	MemberAdministrator = "administrator"
	MemberOwner         = "owner"
)

// Member is a user's membership of an organisation with a role, held
// directly rather than through a team.
type Member struct {
	NamespaceID int64
	UserID      int64
	Role        string // one of the Member* roles
	Created     time.Time
	UserName    string // filled when listing
}

// Members reads and writes direct memberships of organisations.
type Members interface {
	// PutMember gives m.UserID the role m.Role in m.NamespaceID, adding the
	// membership or changing its role, and sets m.Created. Errors:
	// errs.Invalid for an unknown role; errs.NotFound when the namespace
	// or user does not exist.
	PutMember(ctx context.Context, m *Member) error
	// GetMember returns a user's membership of a namespace, UserName
	// filled. Errors: errs.NotFound.
	GetMember(ctx context.Context, namespaceID, userID int64) (Member, error)
	// ListMembers returns a namespace's members in lower-cased user name
	// order, UserName filled.
	ListMembers(ctx context.Context, namespaceID int64) ([]Member, error)
	// ListUserMembers returns the memberships of a user, oldest first.
	ListUserMembers(ctx context.Context, userID int64) ([]Member, error)
	// DeleteMember removes a membership. Errors: errs.NotFound.
	DeleteMember(ctx context.Context, namespaceID, userID int64) error
}
