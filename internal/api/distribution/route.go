package distribution

import (
	"strings"

	"wharf/internal/errs"
	"wharf/internal/format/oci"
)

// RouteKind names an endpoint shape of the distribution API.
type RouteKind int

// The endpoint shapes. The zero value is no route.
const (
	RouteBase        RouteKind = iota + 1 // /v2/
	RouteCatalog                          // /v2/_catalog
	RouteTags                             // /v2/<name>/tags/list
	RouteManifest                         // /v2/<name>/manifests/<reference>
	RouteBlob                             // /v2/<name>/blobs/<digest>
	RouteUploadStart                      // /v2/<name>/blobs/uploads/
	RouteUpload                           // /v2/<name>/blobs/uploads/<id>
	RouteReferrers                        // /v2/<name>/referrers/<digest>
	RouteAuth                             // /v2/auth, the token endpoint
)

func (k RouteKind) String() string {
	switch k {
	case RouteBase:
		return "base"
	case RouteCatalog:
		return "catalog"
	case RouteTags:
		return "tags"
	case RouteManifest:
		return "manifest"
	case RouteBlob:
		return "blob"
	case RouteUploadStart:
		return "upload-start"
	case RouteUpload:
		return "upload"
	case RouteReferrers:
		return "referrers"
	case RouteAuth:
		return "auth"
	}
	return "none"
}

// Route is a parsed request path. Name is the repository, empty for
// RouteBase, RouteCatalog and RouteAuth. Ref is the last path segment of
// manifest, blob, upload and referrers routes: a tag or digest, a digest,
// an upload id. It is non-empty and has no '/', but ParseRoute does not
// check it further; handlers parse it as their endpoint requires.
type Route struct {
	Kind RouteKind
	Name string
	Ref  string
}

// ParseRoute parses a request path under /v2/ (the decoded URL path).
//
// Repository names contain slashes, so routes are matched from the tail of
// the path; whatever precedes the endpoint's fixed segments is the name.
// Where one path fits two shapes the more specific wins: a path ending in
// "/blobs/uploads" or "/blobs/uploads/" is always an upload start (never
// the blob "uploads", which no digest can be), and "/v2/<x>/blobs/uploads/<id>"
// is always an upload of <x>. A repository whose own name ends in such
// segments, such as "a/blobs/uploads", is still reachable, because its
// routes end in further segments ("/v2/a/blobs/uploads/manifests/latest").
//
// Errors: a path of no known shape wraps errs.NotFound; a known shape with
// an invalid repository name wraps errs.Invalid with oci.ValidRepoName's
// message. Upload-start paths are accepted with or without the trailing
// slash; other paths must match exactly, with no trailing slash.
func ParseRoute(path string) (Route, error) {
	rest, ok := strings.CutPrefix(path, "/v2/")
	if !ok {
		if path == "/v2" {
			return Route{Kind: RouteBase}, nil
		}
		return Route{}, noRoute()
	}
	switch rest {
	case "":
		return Route{Kind: RouteBase}, nil
	case "_catalog":
		return Route{Kind: RouteCatalog}, nil
	case "auth":
		return Route{Kind: RouteAuth}, nil
	}
	if name, ok := cutUploadStart(rest); ok {
		return named(RouteUploadStart, name, "")
	}
	head, ref, ok := cutLast(rest)
	if !ok || ref == "" {
		return Route{}, noRoute()
	}
	name, keyword, ok := cutLast(head)
	if !ok {
		return Route{}, noRoute()
	}
	switch keyword {
	case "tags":
		if ref == "list" {
			return named(RouteTags, name, "")
		}
	case "manifests":
		return named(RouteManifest, name, ref)
	case "blobs":
		return named(RouteBlob, name, ref)
	case "referrers":
		return named(RouteReferrers, name, ref)
	case "uploads":
		if name, ok := strings.CutSuffix(name, "/blobs"); ok {
			return named(RouteUpload, name, ref)
		}
	}
	return Route{}, noRoute()
}

// noRoute is the error for a path of no known shape.
func noRoute() error { return errs.E(errs.NotFound, "no such endpoint") }

// cutUploadStart returns the name of a "<name>/blobs/uploads[/]" path.
func cutUploadStart(rest string) (string, bool) {
	rest = strings.TrimSuffix(rest, "/")
	return strings.CutSuffix(rest, "/blobs/uploads")
}

// cutLast splits s at its last '/'.
func cutLast(s string) (before, after string, ok bool) {
	i := strings.LastIndexByte(s, '/')
	if i < 0 {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

func named(k RouteKind, name, ref string) (Route, error) {
	if err := oci.ValidRepoName(name); err != nil {
		return Route{}, err
	}
	return Route{Kind: k, Name: name, Ref: ref}, nil
}
