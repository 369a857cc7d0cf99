package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseChallenge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    challenge
		wantErr bool
	}{
		{
			in: `Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"`,
			want: challenge{scheme: "bearer", params: map[string]string{
				"realm": "https://auth.example/token", "service": "registry.example", "scope": "repository:a/b:pull,push",
			}},
		},
		{
			in:   `Basic realm="Registry Realm"`,
			want: challenge{scheme: "basic", params: map[string]string{"realm": "Registry Realm"}},
		},
		{
			in:   `bearer realm=http://x/t, service = s ,scope="a\"b"`,
			want: challenge{scheme: "bearer", params: map[string]string{"realm": "http://x/t", "service": "s", "scope": `a"b`}},
		},
		{in: `Basic`, want: challenge{scheme: "basic", params: map[string]string{}}},
		{in: ``, wantErr: true},
		{in: `Bearer realm`, wantErr: true},
		{in: `Bearer realm="open`, wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseChallenge(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseChallenge(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(challenge{})); !tt.wantErr && diff != "" {
			t.Errorf("parseChallenge(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestPickChallenge(t *testing.T) {
	t.Parallel()
	ch, ok := pickChallenge([]string{`Basic realm="r"`, `Bearer realm="http://t/token"`})
	if !ok || ch.scheme != "bearer" {
		t.Errorf("pickChallenge preferred %q, want bearer", ch.scheme)
	}
	ch, ok = pickChallenge([]string{`Bearer service="no realm"`, `Basic realm="r"`})
	if !ok || ch.scheme != "basic" {
		t.Errorf("pickChallenge = %q, %v; want basic", ch.scheme, ok)
	}
	if _, ok := pickChallenge([]string{`Negotiate`}); ok {
		t.Error("pickChallenge accepted an unsupported scheme")
	}
}
