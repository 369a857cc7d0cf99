package auth

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/errs"
)

func basicHeader(user, pw string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pw))
}

func TestParseAuthorization(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header string
		want   Credentials
	}{
		{"", Credentials{}},
		{"   ", Credentials{}},
		{basicHeader("alice", "s3cret"), Credentials{Kind: Basic, User: "alice", Password: "s3cret"}},
		{basicHeader("alice", "pa:ss:word"), Credentials{Kind: Basic, User: "alice", Password: "pa:ss:word"}},
		{basicHeader("", "wharf_tok"), Credentials{Kind: Basic, Password: "wharf_tok"}},
		{basicHeader("wharf_tok", ""), Credentials{Kind: Basic, User: "wharf_tok"}},
		{"basic " + base64.StdEncoding.EncodeToString([]byte("a:b")), Credentials{Kind: Basic, User: "a", Password: "b"}},
		{"BASIC " + base64.StdEncoding.EncodeToString([]byte("a:b")), Credentials{Kind: Basic, User: "a", Password: "b"}},
		{"Basic " + base64.RawStdEncoding.EncodeToString([]byte("ab:c")), Credentials{Kind: Basic, User: "ab", Password: "c"}},
		{"Basic   " + base64.StdEncoding.EncodeToString([]byte("a:b")) + " ", Credentials{Kind: Basic, User: "a", Password: "b"}},
		{"Bearer eyJ.abc.def", Credentials{Kind: Bearer, Token: "eyJ.abc.def"}},
		{"bearer tok", Credentials{Kind: Bearer, Token: "tok"}},
		{"token wharf_abc", Credentials{Kind: Token, Token: "wharf_abc"}},
		{"Token wharf_abc", Credentials{Kind: Token, Token: "wharf_abc"}},
		{"TOKEN  wharf_abc", Credentials{Kind: Token, Token: "wharf_abc"}},
	}
	for _, tt := range tests {
		got, err := ParseAuthorization(tt.header)
		if err != nil {
			t.Errorf("ParseAuthorization(%q): %v", tt.header, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseAuthorization(%q) mismatch (-want +got):\n%s", tt.header, diff)
		}
	}
}

func TestParseAuthorizationInvalid(t *testing.T) {
	t.Parallel()
	for _, h := range []string{
		"Basic",
		"Basic !!!notbase64",
		"Basic " + base64.StdEncoding.EncodeToString([]byte("nocolon")),
		"Basic " + base64.StdEncoding.EncodeToString([]byte("a\x01b:pw")),
		"Basic " + base64.StdEncoding.EncodeToString([]byte("\xff\xfe:pw")),
		"Bearer",
		"Bearer a b",
		"token ",
		"token a\x00b",
		"Digest username=x",
		"Negotiate abc",
		"wharf_abc",
		"Bearer " + strings.Repeat("a", 9000),
	} {
		if c, err := ParseAuthorization(h); !errs.Is(err, errs.Unauthenticated) {
			t.Errorf("ParseAuthorization(%.40q) = %+v, %v; want unauthenticated", h, c, err)
		}
	}
}
