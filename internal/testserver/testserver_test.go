package testserver

import (
	"bytes"
	"net"
	"os"
	"testing"
)

// A server whose address another process holds reports that it could not
// bind, so that Start can pick another address, instead of passing the
// other process's health check off as its own.
func TestStartOnTakenAddress(t *testing.T) {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	s := &Server{t: t, bin: Binary(t), DataDir: t.TempDir(), logs: &bytes.Buffer{}}
	s.env = append(os.Environ(), "WHARF_DATA="+s.DataDir)
	s.setAddr(held.Addr().String())
	if s.start() {
		s.Stop()
		t.Fatal("start reported success on an address another listener holds")
	}
	s.setAddr(freeAddr(t))
	if !s.start() {
		t.Fatal("start on a free address failed")
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
}

func TestMain(m *testing.M) { Main(m) }
