package distribution

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/errs"
	"wharf/internal/format/oci"
)

const testDigest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestParseRoute(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		path string
		want Route
	}{
		{"/v2/", Route{Kind: RouteBase}},
		{"/v2", Route{Kind: RouteBase}},
		{"/v2/_catalog", Route{Kind: RouteCatalog}},
		{"/v2/auth", Route{Kind: RouteAuth}},
		{"/v2/ubuntu/tags/list", Route{RouteTags, "ubuntu", ""}},
		{"/v2/library/ubuntu/tags/list", Route{RouteTags, "library/ubuntu", ""}},
		{"/v2/library/ubuntu/manifests/latest", Route{RouteManifest, "library/ubuntu", "latest"}},
		{"/v2/a/b/c/manifests/" + testDigest, Route{RouteManifest, "a/b/c", testDigest}},
		{"/v2/a/blobs/" + testDigest, Route{RouteBlob, "a", testDigest}},
		{"/v2/a/b/blobs/uploads/", Route{RouteUploadStart, "a/b", ""}},
		{"/v2/a/b/blobs/uploads", Route{RouteUploadStart, "a/b", ""}},
		{"/v2/a/blobs/uploads/0b4c7a3e-1d2f", Route{RouteUpload, "a", "0b4c7a3e-1d2f"}},
		{"/v2/a/referrers/" + testDigest, Route{RouteReferrers, "a", testDigest}},
		// Refs are not checked here.
		{"/v2/a/manifests/NOT A TAG", Route{RouteManifest, "a", "NOT A TAG"}},
		{"/v2/a/blobs/x", Route{RouteBlob, "a", "x"}},
		// Repositories named like endpoints.
		{"/v2/a/blobs/uploads/blobs/uploads/", Route{RouteUploadStart, "a/blobs/uploads", ""}},
		{"/v2/a/blobs/uploads/manifests/latest", Route{RouteManifest, "a/blobs/uploads", "latest"}},
		{"/v2/a/blobs/uploads/uploads", Route{RouteUpload, "a", "uploads"}},
		{"/v2/a/blobs/uploads/blobs", Route{RouteUpload, "a", "blobs"}},
		{"/v2/manifests/tags/manifests/x", Route{RouteManifest, "manifests/tags", "x"}},
		{"/v2/tags/list/tags/list", Route{RouteTags, "tags/list", ""}},
		{"/v2/v2/manifests/latest", Route{RouteManifest, "v2", "latest"}},
		{"/v2/auth/manifests/latest", Route{RouteManifest, "auth", "latest"}},
		{"/v2/a/manifests/blobs/uploads", Route{RouteUploadStart, "a/manifests", ""}},
	} {
		got, err := ParseRoute(tc.path)
		if err != nil {
			t.Errorf("ParseRoute(%q) error %v", tc.path, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("ParseRoute(%q) (-want +got):\n%s", tc.path, diff)
		}
	}
}

func TestParseRouteErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		path string
		kind errs.Kind
	}{
		{"", errs.NotFound},
		{"/", errs.NotFound},
		{"/v1/a/manifests/latest", errs.NotFound},
		{"/v2x", errs.NotFound},
		{"v2/", errs.NotFound},
		{"/v2/_catalog/", errs.NotFound},
		{"/v2/auth/", errs.NotFound},
		{"/v2/a", errs.NotFound},
		{"/v2/a/", errs.NotFound},
		{"/v2/a/manifests", errs.NotFound},
		{"/v2/a/manifests/", errs.NotFound},
		{"/v2/a/manifests/latest/", errs.NotFound},
		{"/v2/a/tags/list/", errs.NotFound},
		{"/v2/a/tags/other", errs.NotFound},
		{"/v2/a/blobs/", errs.NotFound},
		{"/v2/a/blobs/uploads//", errs.NotFound},
		{"/v2/a/uploads/x", errs.NotFound},
		{"/v2/blobs/uploads/x", errs.NotFound},
		{"/v2/blobs/uploads/", errs.NotFound},
		{"/v2/manifests/latest", errs.NotFound},
		{"/v2/a/foo/bar", errs.NotFound},
		{"/v2/a/referrers", errs.NotFound},
		// Known shapes with invalid names.
		{"/v2/Library/manifests/latest", errs.Invalid},
		{"/v2/a//b/manifests/latest", errs.Invalid},
		{"/v2//manifests/latest", errs.Invalid},
		{"/v2/a/b//tags/list", errs.Invalid},
		{"/v2/a___b/blobs/" + testDigest, errs.Invalid},
		{"/v2/_catalog/tags/list", errs.Invalid},
		{"/v2/a b/blobs/uploads/", errs.Invalid},
		{"/v2/-a/blobs/uploads/x", errs.Invalid},
		{"/v2/" + strings.Repeat("a", 256) + "/tags/list", errs.Invalid},
	} {
		got, err := ParseRoute(tc.path)
		if k := errs.KindOf(err); err == nil || k != tc.kind {
			t.Errorf("ParseRoute(%q) = %+v, %v; want a %v error", tc.path, got, err, tc.kind)
		}
	}
}

func TestParseRouteNameMessage(t *testing.T) {
	t.Parallel()
	_, err := ParseRoute("/v2/Library/manifests/latest")
	if want := oci.ValidRepoName("Library"); errs.Message(err) != errs.Message(want) {
		t.Errorf("ParseRoute message %q, want %q", errs.Message(err), errs.Message(want))
	}
}

// pathOf is the canonical path of a route, the inverse of ParseRoute.
func pathOf(r Route) string {
	switch r.Kind {
	case RouteBase:
		return "/v2/"
	case RouteCatalog:
		return "/v2/_catalog"
	case RouteAuth:
		return "/v2/auth"
	case RouteTags:
		return "/v2/" + r.Name + "/tags/list"
	case RouteManifest:
		return "/v2/" + r.Name + "/manifests/" + r.Ref
	case RouteBlob:
		return "/v2/" + r.Name + "/blobs/" + r.Ref
	case RouteUploadStart:
		return "/v2/" + r.Name + "/blobs/uploads/"
	case RouteUpload:
		return "/v2/" + r.Name + "/blobs/uploads/" + r.Ref
	case RouteReferrers:
		return "/v2/" + r.Name + "/referrers/" + r.Ref
	}
	return ""
}

func FuzzParseRoute(f *testing.F) {
	f.Fuzz(func(t *testing.T, path string) {
		r, err := ParseRoute(path)
		if err != nil {
			if k := errs.KindOf(err); k != errs.NotFound && k != errs.Invalid {
				t.Fatalf("ParseRoute(%q) error of kind %v", path, k)
			}
			return
		}
		if r.Kind.String() == "none" {
			t.Fatalf("ParseRoute(%q) = %+v, no kind", path, r)
		}
		hasName := r.Kind != RouteBase && r.Kind != RouteCatalog && r.Kind != RouteAuth
		if hasName != (r.Name != "") {
			t.Fatalf("ParseRoute(%q) = %+v, name presence wrong", path, r)
		}
		if hasName && oci.ValidRepoName(r.Name) != nil {
			t.Fatalf("ParseRoute(%q) = %+v, invalid name", path, r)
		}
		hasRef := r.Kind == RouteManifest || r.Kind == RouteBlob || r.Kind == RouteUpload || r.Kind == RouteReferrers
		if hasRef != (r.Ref != "") || strings.Contains(r.Ref, "/") {
			t.Fatalf("ParseRoute(%q) = %+v, bad ref", path, r)
		}
		canon := pathOf(r)
		again, err := ParseRoute(canon)
		if err != nil || again != r {
			t.Fatalf("ParseRoute(%q) = %+v, but its path %q parses to %+v, %v", path, r, canon, again, err)
		}
	})
}

func TestRouteKindString(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for k := RouteBase; k <= RouteAuth; k++ {
		s := k.String()
		if s == "none" || seen[s] {
			t.Errorf("RouteKind(%d).String() = %q", k, s)
		}
		seen[s] = true
	}
	if s := RouteKind(0).String(); s != "none" {
		t.Errorf("RouteKind(0).String() = %q", s)
	}
}

func BenchmarkParseRoute(b *testing.B) {
	paths := []string{
		"/v2/",
		"/v2/library/ubuntu/manifests/latest",
		"/v2/my-org/team/app/blobs/" + testDigest,
		"/v2/my-org/team/app/blobs/uploads/0b4c7a3e-1d2f-4a5b-8c9d-0e1f2a3b4c5d",
		"/v2/my-org/team/app/tags/list",
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range paths {
			if _, err := ParseRoute(p); err != nil {
				b.Fatal(err)
			}
		}
	}
}
