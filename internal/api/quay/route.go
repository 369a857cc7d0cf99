package quay

import (
	"net/http"
	"net/url"
	"strings"
)

// route is one endpoint: a method and a pattern of path segments below
// /api/v1/. A segment "{name}" matches one segment; a segment
// "{name...}" matches two or more (a repository "namespace/name", which
// may be nested), taking what the segments after it leave, so that fixed
// suffixes such as "/tag/" win over nested names.
type route struct {
	method  string
	pattern string
	fn      func(w http.ResponseWriter, r *http.Request, c *call) error
}

// pick chooses the route that serves method on the path segments segs.
// Of the patterns that match, the most specific win: those with the most
// segments, so that a fixed suffix ("/tag/{tag}") beats a nested
// repository name taking it, whatever the order of the table. It returns
// the first of them with the method (HEAD is served by GET), its
// variables, and the methods they allow (for 405 and OPTIONS).
func pick(routes []route, segs []string, method string) (*route, map[string]string, []string) {
	var (
		best    = -1
		found   *route
		vars    map[string]string
		allowed []string
	)
	for i := range routes {
		rt := &routes[i]
		v, ok := match(rt.pattern, segs)
		if !ok {
			continue
		}
		n := strings.Count(strings.Trim(rt.pattern, "/"), "/")
		if n < best {
			continue
		}
		if n > best {
			best, found, vars, allowed = n, nil, nil, nil
		}
		allowed = append(allowed, rt.method)
		if found == nil && (rt.method == method || (method == http.MethodHead && rt.method == http.MethodGet)) {
			found, vars = rt, v
		}
	}
	return found, vars, allowed
}

// match reports whether the path segments segs fit pattern and returns
// the captured values, unescaped.
func match(pattern string, segs []string) (map[string]string, bool) {
	pat := strings.Split(strings.TrimPrefix(pattern, "/"), "/")
	vars := map[string]string{}
	greedy := -1
	for i, p := range pat {
		if strings.HasSuffix(p, "...}") {
			greedy = i
		}
	}
	if greedy < 0 {
		if len(pat) != len(segs) {
			return nil, false
		}
		return vars, matchSegs(pat, segs, vars)
	}
	tail := len(pat) - greedy - 1
	n := len(segs) - greedy - tail // segments the greedy variable takes
	if n < 2 {
		return nil, false
	}
	if !matchSegs(pat[:greedy], segs[:greedy], vars) || !matchSegs(pat[greedy+1:], segs[greedy+n:], vars) {
		return nil, false
	}
	for _, s := range segs[greedy : greedy+n] {
		if s == "" {
			return nil, false
		}
	}
	name := strings.TrimSuffix(strings.TrimPrefix(pat[greedy], "{"), "...}")
	vars[name] = strings.Join(segs[greedy:greedy+n], "/")
	return vars, true
}

func matchSegs(pat, segs []string, vars map[string]string) bool {
	for i, p := range pat {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			if segs[i] == "" {
				return false
			}
			vars[p[1:len(p)-1]] = segs[i]
			continue
		}
		if p != segs[i] {
			return false
		}
	}
	return true
}

// splitPath returns the unescaped segments of an escaped path below
// prefix; a trailing slash gives a trailing empty segment, which
// patterns ending in "/" match. ok is false for undecodable segments.
func splitPath(escaped, prefix string) ([]string, bool) {
	rest, ok := strings.CutPrefix(escaped, prefix)
	if !ok {
		return nil, false
	}
	segs := strings.Split(rest, "/")
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil {
			return nil, false
		}
		segs[i] = u
	}
	return segs, true
}
