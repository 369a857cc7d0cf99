package quay

import (
	"context"

	"wharf/internal/auth"
	"wharf/internal/meta"
)

// orgView is Quay's view of an organisation for the caller, whose role in
// it is role: everyone sees its name and avatar, members its teams,
// admins its settings.
func (h *Handler) orgView(ctx context.Context, c *call, ns meta.Namespace, role auth.NamespaceRole) (map[string]any, error) {
	admin := role >= auth.AdminRole
	view := map[string]any{
		"name":      ns.Name,
		"email":     "",
		"avatar":    avatar(ns.Name, "org", ns.Email),
		"is_admin":  admin,
		"is_member": role >= auth.MemberRole,
	}
	if role >= auth.MemberRole {
		teams, err := h.opt.Accounts.ListTeams(ctx, ns)
		if err != nil {
			return nil, err
		}
		mine := map[int64]bool{}
		if !admin {
			ts, err := h.opt.Accounts.UserTeams(ctx, c.p.UserID, ns.ID)
			if err != nil {
				return nil, err
			}
			for _, t := range ts {
				mine[t.ID] = true
			}
		}
		views := map[string]any{}
		ordered := make([]string, 0, len(teams))
		for _, t := range teams {
			views[t.Name] = map[string]any{
				"name":         t.Name,
				"description":  t.Description,
				"role":         t.Role,
				"avatar":       teamAvatar(t),
				"can_view":     admin || mine[t.ID],
				"repo_count":   t.RepoCount,
				"member_count": t.MemberCount,
				"is_synced":    false,
			}
			ordered = append(ordered, t.Name)
		}
		view["teams"], view["ordered_teams"] = views, ordered
	}
	if admin {
		view["email"] = ns.Email
		view["invoice_email"] = ns.InvoiceEmail
		view["invoice_email_address"] = nullable(ns.InvoiceEmailAddress)
		view["tag_expiration_s"] = ns.TagExpirationSecs
		view["is_free_account"] = true
	}
	return view, nil
}

// nullable is s, or null when s is empty.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// memberView is a team member, or a user invited to the team.
func memberView(u meta.User, invited bool) map[string]any {
	v := userEntity(u)
	v["invited"] = invited
	return v
}

// orgMemberView is an organisation member with their teams and the
// repositories they have their own permissions on.
func orgMemberView(m auth.OrgMember) map[string]any {
	kind := "user"
	if m.User.Robot {
		kind = "robot"
	}
	teams := make([]map[string]any, 0, len(m.Teams))
	for _, t := range m.Teams {
		teams = append(teams, map[string]any{"name": t.Name, "avatar": teamAvatar(t)})
	}
	return map[string]any{
		"name":         m.User.Name,
		"kind":         kind,
		"avatar":       userAvatar(m.User),
		"teams":        teams,
		"repositories": shortNames(m.Repos),
	}
}
