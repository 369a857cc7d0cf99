package quay

import (
	"crypto/md5"
	"encoding/hex"
	"strings"
	"time"

	"wharf/internal/meta"
)

// avatarColors are the colours avatars are drawn in, picked by hash.
var avatarColors = []string{
	"#969696", "#aec7e8", "#ff7f0e", "#ffbb78", "#2ca02c", "#98df8a", "#d62728", "#ff9896",
	"#9467bd", "#c5b0d5", "#8c564b", "#c49c94", "#e377c2", "#f7b6d2", "#7f7f7f", "#c7c7c7",
}

// avatar is Quay's avatar object: a Gravatar-compatible hash of the
// e-mail address (or of the name when there is none) and a colour.
func avatar(name, kind, email string) map[string]any {
	key := strings.ToLower(strings.TrimSpace(email))
	if key == "" {
		key = name
	}
	sum := md5.Sum([]byte(key))
	return map[string]any{
		"name":  name,
		"hash":  hex.EncodeToString(sum[:]),
		"color": avatarColors[int(sum[0])%len(avatarColors)],
		"kind":  kind,
	}
}

// userAvatar is the avatar of a user or robot.
func userAvatar(u meta.User) map[string]any {
	if u.Robot {
		return avatar(u.Name, "robot", "")
	}
	return avatar(u.Name, "user", u.Email)
}

// teamAvatar is the avatar of a team.
func teamAvatar(t meta.Team) map[string]any { return avatar(t.Name, "team", "") }

// namespaceKind is the avatar kind of a namespace.
func namespaceKind(ns meta.Namespace) string {
	if ns.Kind == meta.KindOrg {
		return "org"
	}
	return "user"
}

// formatDate renders t as Quay does most dates: RFC 2822 in UTC with a
// "-0000" zone. The zero time is null.
func formatDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format("Mon, 02 Jan 2006 15:04:05 -0000")
}

// userEntity is the short view of a user or robot in lists.
func userEntity(u meta.User) map[string]any {
	return map[string]any{"name": u.Name, "kind": "user", "is_robot": u.Robot, "avatar": userAvatar(u)}
}

// teamEntity is the short view of a team.
func teamEntity(t meta.Team) map[string]any {
	return map[string]any{"name": t.Name, "kind": "team", "avatar": teamAvatar(t)}
}

// namespaceEntity is the short view of a namespace.
func namespaceEntity(ns meta.Namespace) map[string]any {
	return map[string]any{"name": ns.Name, "kind": namespaceKind(ns), "avatar": avatar(ns.Name, namespaceKind(ns), ns.Email)}
}

// shortRepoName is a repository's name without its namespace, as Quay
// names repositories inside one.
func shortRepoName(full string) string {
	_, short, ok := strings.Cut(full, "/")
	if !ok {
		return full
	}
	return short
}

// shortNames is shortRepoName of each name.
func shortNames(full []string) []string {
	out := make([]string, 0, len(full))
	for _, n := range full {
		out = append(out, shortRepoName(n))
	}
	return out
}

// repoPermissionsView lists the repository permissions of a robot or a
// team as Quay does: {"repository": {name, is_public}, "role"}.
func repoPermissionsView(ps []meta.Permission) []map[string]any {
	out := make([]map[string]any, 0, len(ps))
	for _, p := range ps {
		out = append(out, map[string]any{
			"repository": map[string]any{"name": shortRepoName(p.RepoName), "is_public": p.Public},
			"role":       p.Role,
		})
	}
	return out
}
