package auth

import (
	"slices"
	"strings"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// Caps is the ceiling an OAuth access token puts on its user's rights,
// one field per family of roles. A zero Caps allows nothing.
type Caps struct {
	Repo      string // the highest repository role: meta.RoleRead, RoleWrite, RoleAdmin or ""
	Create    bool   // may create repositories
	UserRead  bool   // may read the user's own account
	UserAdmin bool   // may administer the user's account: robots, tokens, stars
	OrgAdmin  bool   // may administer organisations
	Super     bool   // may use superuser powers the user has
}

// OAuthScopes are the scopes an OAuth token may carry, in the order they
// are listed to users.
var OAuthScopes = []string{
	"repo:read", "repo:write", "repo:admin", "repo:create",
	"user:read", "user:admin", "org:admin", "super:user",
}

// ParseOAuthScopes reads a scope string of an OAuth request: scope names
// separated by spaces or commas. It returns the canonical list (each once,
// in the order of OAuthScopes) and the Caps they give. Errors:
// errs.Invalid when a name is unknown or none is given: an unknown scope
// invalidates the whole string.
func ParseOAuthScopes(s string) ([]string, Caps, error) {
	var names []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' }) {
		if !slices.Contains(OAuthScopes, f) {
			return nil, Caps{}, errs.E(errs.Invalid, "unknown scope %q", f)
		}
		if !slices.Contains(names, f) {
			names = append(names, f)
		}
	}
	if len(names) == 0 {
		return nil, Caps{}, errs.E(errs.Invalid, "no scope given")
	}
	slices.SortFunc(names, func(a, b string) int {
		return slices.Index(OAuthScopes, a) - slices.Index(OAuthScopes, b)
	})
	return names, capsOf(names), nil
}

// capsOf returns the Caps of canonical scope names. Unknown names give
// nothing.
func capsOf(names []string) Caps {
	var c Caps
	for _, n := range names {
		switch n {
		case "repo:read":
			c.Repo = maxRole(c.Repo, meta.RoleRead)
		case "repo:write":
			c.Repo = maxRole(c.Repo, meta.RoleWrite)
		case "repo:admin":
			c.Repo = maxRole(c.Repo, meta.RoleAdmin)
		case "repo:create":
			c.Create = true
		case "user:read":
			c.UserRead = true
		case "user:admin":
			c.UserRead, c.UserAdmin = true, true
		case "org:admin":
			c.OrgAdmin = true
		case "super:user":
			c.Super = true
		}
	}
	return c
}

// roleRank orders repository roles; "" ranks lowest.
func roleRank(r string) int {
	switch r {
	case meta.RoleRead:
		return 1
	case meta.RoleWrite:
		return 2
	case meta.RoleAdmin:
		return 3
	}
	return 0
}

func maxRole(a, b string) string {
	if roleRank(b) > roleRank(a) {
		return b
	}
	return a
}

func minRole(a, b string) string {
	if roleRank(b) < roleRank(a) {
		return b
	}
	return a
}

// RoleAllows reports whether a repository role covers an action: read
// covers Pull, write also Push and Delete, admin everything.
func RoleAllows(role string, act Action) bool {
	switch act {
	case Pull:
		return roleRank(role) >= 1
	case Push, Delete:
		return roleRank(role) >= 2
	}
	return roleRank(role) >= 3
}

// ValidRole reports whether r is a repository role.
func ValidRole(r string) bool { return roleRank(r) > 0 }

// checkRole refuses a role that is not a repository role. Errors:
// errs.Invalid.
func checkRole(r string) error {
	if !ValidRole(r) {
		return errs.E(errs.Invalid, "Invalid role %q: want read, write or admin", r)
	}
	return nil
}

// teamRank orders team roles; "" ranks lowest.
func teamRank(r string) int {
	switch r {
	case meta.TeamMember:
		return 1
	case meta.TeamCreator:
		return 2
	case meta.TeamAdmin:
		return 3
	}
	return 0
}

// ValidTeamRole reports whether r is a team role.
func ValidTeamRole(r string) bool { return teamRank(r) > 0 }
