package auth

import (
	"bytes"
	"testing"
)

func TestSealer(t *testing.T) {
	t.Parallel()
	key := bytes.Repeat([]byte{7}, 32)
	s, err := NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Seal([]byte("robot token"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.Seal([]byte("robot token"))
	if bytes.Equal(a, b) {
		t.Error("sealing twice gave the same bytes; the nonce is not random")
	}
	if bytes.Contains(a, []byte("robot token")) {
		t.Error("sealed value contains the plain text")
	}
	got, err := s.Open(a)
	if err != nil || string(got) != "robot token" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	a[len(a)-1] ^= 1
	if _, err := s.Open(a); err == nil {
		t.Error("Open accepted an altered value")
	}
	other, _ := NewSealer(bytes.Repeat([]byte{8}, 32))
	if _, err := other.Open(b); err == nil {
		t.Error("Open accepted a value sealed with another key")
	}
	for _, bad := range [][]byte{nil, {1}, {2, 0, 0}} {
		if _, err := s.Open(bad); err == nil {
			t.Errorf("Open(%v) succeeded", bad)
		}
	}
	if _, err := NewSealer(key[:31]); err == nil {
		t.Error("NewSealer accepted a 31-byte key")
	}
}

func testSealer(t testing.TB) *Sealer {
	t.Helper()
	s, err := NewSealer(bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
