package testserver

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
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

// PID names the running wharf process, and nothing once it stopped.
func TestPID(t *testing.T) {
	s := Start(t, Options{})
	pid := s.PID()
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		t.Fatalf("PID %d: %v", pid, err)
	}
	if args := strings.Split(string(cmdline), "\x00"); len(args) < 2 || filepath.Base(args[0]) != "wharf" || args[1] != "serve" {
		t.Errorf("PID %d runs %q, want wharf serve", pid, args)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if got := s.PID(); got != 0 {
		t.Errorf("PID after Stop = %d, want 0", got)
	}
}

func TestMain(m *testing.M) { Main(m) }
