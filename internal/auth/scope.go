package auth

import (
	"slices"
	"strings"
	"unicode"

	"wharf/internal/errs"
)

// Action is something a principal may do to a repository.
type Action string

// The actions. Admin stands for every action, including those added later.
const (
	Pull   Action = "pull"
	Push   Action = "push"
	Delete Action = "delete"
	Admin  Action = "*"
)

// Grant types. A global grant (type "") covers every repository.
const (
	GrantGlobal     = ""
	GrantRepository = "repository"
	GrantRegistry   = "registry" // registry-wide resources, such as "catalog"
)

// Grant is one permission carried by a credential: Actions on the
// resource of type Type named Name. When Prefix is set, Name is a prefix
// that covers every resource whose name starts with it. Names compare
// case-insensitively.
type Grant struct {
	Type    string
	Name    string
	Prefix  bool
	Actions []Action
}

// Allows reports whether g lets act be done to the resource of type typ
// named name. A global grant covers resources of every type; Admin among
// the actions covers every action.
func (g Grant) Allows(typ, name string, act Action) bool {
	if g.Type != GrantGlobal {
		if g.Type != typ {
			return false
		}
		if g.Prefix {
			if len(name) < len(g.Name) || !strings.EqualFold(name[:len(g.Name)], g.Name) {
				return false
			}
		} else if !strings.EqualFold(name, g.Name) {
			return false
		}
	}
	return slices.Contains(g.Actions, act) || slices.Contains(g.Actions, Admin)
}

// String returns g as a scope that ParseScope reads back.
func (g Grant) String() string {
	acts := make([]string, len(g.Actions))
	for i, a := range g.Actions {
		acts[i] = string(a)
	}
	list := strings.Join(acts, ",")
	if g.Type == GrantGlobal {
		return list
	}
	name := g.Name
	if g.Prefix {
		name += "*"
	}
	return g.Type + ":" + name + ":" + list
}

// scopeAliases maps the global scope words to their actions.
var scopeAliases = map[string][]Action{
	"pull":          {Pull},
	"push":          {Push},
	"delete":        {Delete},
	"*":             {Admin},
	"read":          {Pull},
	"read:package":  {Pull},
	"write":         {Push, Delete},
	"write:package": {Push, Delete},
}

// ParseScope parses a scope as stored on an API token: a comma-separated
// list of "pull", "push", "delete", "*", "read", "write", "read:package"
// and "write:package" (global: every repository), or "repository:<name>:<actions>" where name may end in "*" to
// cover every repository starting with what precedes it, and actions is a
// comma-separated list of pull, push, delete and *. Names are lower-cased.
// Errors: errs.Invalid.
func ParseScope(s string) (Grant, error) {
	s = strings.TrimSpace(s)
	typ, rest, ok := strings.Cut(s, ":")
	if !ok || typ != GrantRepository {
		return parseGlobalScope(s)
	}
	i := strings.LastIndexByte(rest, ':')
	if i < 0 {
		return Grant{}, errs.E(errs.Invalid, "invalid scope %q: want repository:<name>:<actions>", s)
	}
	name, list := rest[:i], rest[i+1:]
	g := Grant{Type: GrantRepository}
	if n, ok := strings.CutSuffix(name, "*"); ok {
		name, g.Prefix = n, true
	}
	if (name == "" && !g.Prefix) || !validScopeName(name) {
		return Grant{}, errs.E(errs.Invalid, "invalid scope %q: bad repository name", s)
	}
	g.Name = strings.ToLower(name)
	for _, a := range strings.Split(list, ",") {
		act := Action(a)
		switch act {
		case Pull, Push, Delete, Admin:
		default:
			return Grant{}, errs.E(errs.Invalid, "invalid scope %q: unknown action %q", s, a)
		}
		if !slices.Contains(g.Actions, act) {
			g.Actions = append(g.Actions, act)
		}
	}
	return g, nil
}

// parseGlobalScope parses a comma-separated list of the global scope
// words.
func parseGlobalScope(s string) (Grant, error) {
	var g Grant
	for _, w := range strings.Split(s, ",") {
		acts, ok := scopeAliases[w]
		if !ok {
			return Grant{}, errs.E(errs.Invalid, "invalid scope %q: want pull, push, delete, *, read, write, read:package, write:package or repository:<name>:<actions>", s)
		}
		for _, a := range acts {
			if !slices.Contains(g.Actions, a) {
				g.Actions = append(g.Actions, a)
			}
		}
	}
	return g, nil
}

// validScopeName rejects names that no repository can have: spaces,
// control characters, separators of the scope grammar and globs.
func validScopeName(name string) bool {
	return !strings.ContainsFunc(name, func(r rune) bool {
		return r == ':' || r == ',' || r == '*' || unicode.IsSpace(r) || unicode.IsControl(r)
	})
}

// ParseRequestScopes parses the scope parameters of a Docker token-auth
// request. Each parameter holds space-separated scopes of the form
// "type[(class)]:name:action[,action...]"; the class is ignored and the
// name may contain colons (a registry host with a port). Types other than
// "repository" and "registry" are skipped, as are unknown actions. Grants
// for the same resource are merged. Errors: errs.Invalid for a scope that
// lacks a part or has an unbalanced class.
func ParseRequestScopes(params []string) ([]Grant, error) {
	var out []Grant
	for _, p := range params {
		for _, s := range strings.Fields(p) {
			g, ok, err := parseRequestScope(s)
			if err != nil {
				return nil, err
			}
			if ok {
				out = mergeGrant(out, g)
			}
		}
	}
	return out, nil
}

func parseRequestScope(s string) (Grant, bool, error) {
	first := strings.IndexByte(s, ':')
	last := strings.LastIndexByte(s, ':')
	if first <= 0 || first == last {
		return Grant{}, false, errs.E(errs.Invalid, "invalid scope %q", s)
	}
	typ, name, list := s[:first], s[first+1:last], s[last+1:]
	if open := strings.IndexByte(typ, '('); open >= 0 {
		if open == 0 || !strings.HasSuffix(typ, ")") || strings.ContainsAny(typ[open+1:len(typ)-1], "()") {
			return Grant{}, false, errs.E(errs.Invalid, "invalid scope %q: bad resource class", s)
		}
		typ = typ[:open]
	} else if strings.ContainsRune(typ, ')') {
		return Grant{}, false, errs.E(errs.Invalid, "invalid scope %q: bad resource class", s)
	}
	if name == "" {
		return Grant{}, false, errs.E(errs.Invalid, "invalid scope %q: empty resource name", s)
	}
	if typ != GrantRepository && typ != GrantRegistry {
		return Grant{}, false, nil
	}
	g := Grant{Type: typ, Name: name}
	for _, a := range strings.Split(list, ",") {
		act := Action(a)
		switch act {
		case Pull, Push, Delete, Admin:
			if !slices.Contains(g.Actions, act) {
				g.Actions = append(g.Actions, act)
			}
		}
	}
	return g, true, nil
}

// mergeGrant adds g to gs, joining its actions to a grant for the same
// resource when there is one.
func mergeGrant(gs []Grant, g Grant) []Grant {
	for i := range gs {
		if gs[i].Type == g.Type && gs[i].Prefix == g.Prefix && strings.EqualFold(gs[i].Name, g.Name) {
			for _, a := range g.Actions {
				if !slices.Contains(gs[i].Actions, a) {
					gs[i].Actions = append(gs[i].Actions, a)
				}
			}
			return gs
		}
	}
	return append(gs, g)
}
