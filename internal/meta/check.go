package meta

import "wharf/internal/errs"

// The checks below are the errs.Invalid cases that the store interfaces
// document for the organisation model. Every implementation runs them
// before it writes, so a bad value is refused the same way by each.

// CheckRepoRole returns errs.Invalid unless role is RoleRead, RoleWrite or
// RoleAdmin.
func CheckRepoRole(role string) error {
	switch role {
	case RoleRead, RoleWrite, RoleAdmin:
		return nil
	}
	return errs.E(errs.Invalid, "unknown repository role %q", role)
}

// CheckTeamRole returns errs.Invalid unless role is TeamMember,
// TeamCreator or TeamAdmin.
func CheckTeamRole(role string) error {
	switch role {
	case TeamMember, TeamCreator, TeamAdmin:
		return nil
	}
	return errs.E(errs.Invalid, "unknown team role %q", role)
}

// CheckMemberRole returns errs.Invalid unless role is one of the Member
// roles.
func CheckMemberRole(role string) error {
	switch role {
	case MemberReadOnly, MemberMember, MemberMaintainer, MemberAdministrator, MemberOwner:
		return nil
	}
	return errs.E(errs.Invalid, "unknown member role %q", role)
}

// CheckGrantee returns errs.Invalid unless exactly one of a user and a
// team is given, as a Permission or a Prototype's delegate requires.
func CheckGrantee(userID, teamID int64) error {
	if (userID == 0) == (teamID == 0) {
		return errs.E(errs.Invalid, "a permission is a user's or a team's")
	}
	return nil
}

// CheckApp returns errs.Invalid for an App without a name or a sealed
// secret.
func CheckApp(a *App) error {
	if a.Name == "" || len(a.SealedSecret) == 0 {
		return errs.E(errs.Invalid, "application name or secret is empty")
	}
	return nil
}

// CheckTokenKind returns the kind a Token is stored with: kind itself,
// or TokenAPI for "". Errors: errs.Invalid for an unknown kind.
func CheckTokenKind(kind string) (string, error) {
	switch kind {
	case "":
		return TokenAPI, nil
	case TokenAPI, TokenApp, TokenOAuth:
		return kind, nil
	}
	return "", errs.E(errs.Invalid, "unknown token kind %q", kind)
}

// CheckGenerated returns errs.Invalid for a GeneratedPackage with an empty
// key part or digest, or a negative size.
func CheckGenerated(g *GeneratedPackage) error {
	k := g.GeneratedKey
	if k.Source == "" || k.Ref == "" || k.Path == "" || k.Variant == "" || g.Digest == "" || g.Size < 0 {
		return errs.E(errs.Invalid, "generated package key, digest or size is missing")
	}
	return nil
}
