package httpx

import (
	"net/url"
	"testing"
)

func TestLogPath(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"/v2/", "/v2/"},
		{"/v2/a/b/tags/list?n=10&last=x", "/v2/a/b/tags/list?n=10&last=x"},
		{"/v2/r/blobs/uploads/?mount=sha256:ab&from=other/repo", "/v2/r/blobs/uploads/?mount=sha256:ab&from=other/repo"},
		{"/token?service=wharf&scope=repository:a:pull&account=bob", "/token?service=wharf&scope=repository:a:pull&account=REDACTED"},
		{"/x?token=s3cret", "/x?token=REDACTED"},
		{"/x?password=hunter2&n=1", "/x?password=REDACTED&n=1"},
		{"/x?X-Amz-Signature=abc&digest=sha256:0", "/x?X-Amz-Signature=REDACTED&digest=sha256:0"},
		{"/x?secret", "/x?secret"},
		{"/x?secret=", "/x?secret=REDACTED"},
		{"/x?a=1&a=2", "/x?a=REDACTED&a=REDACTED"},
		{"/x?artifactType=application%2Fjson", "/x?artifactType=application%2Fjson"},
		{"/x?%6E=5", "/x?%6E=5"},                // escaped "n"
		{"/x?%zz=5", "/x?%zz=REDACTED"},         // key that does not unescape
		{"/x?token=a=b=c", "/x?token=REDACTED"}, // "=" inside a value
		{"/a%2Fb/c", "/a%2Fb/c"},
		{"/api/v1/teaminvite/4f2a9c", "/api/v1/teaminvite/REDACTED"},
		{"/api/v1/teaminvite/4f2a9c/x?n=1", "/api/v1/teaminvite/REDACTED/x?n=1"},
		{"/api/v1/teaminvite/", "/api/v1/teaminvite/"},
	}
	for _, tt := range tests {
		u, err := url.ParseRequestURI(tt.in)
		if err != nil {
			t.Fatalf("parse %q: %v", tt.in, err)
		}
		if got := logPath(u); got != tt.want {
			t.Errorf("logPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
