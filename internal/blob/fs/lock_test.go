package fs_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"wharf/internal/blob/fs"
	"wharf/internal/errs"
)

// holderEnv, when set to "root id", makes the test binary a process that
// holds upload session id of the store at root open until its standard
// input closes (see TestMain).
const holderEnv = "WHARF_FS_TEST_HOLD_UPLOAD"

func TestMain(m *testing.M) {
	if arg := os.Getenv(holderEnv); arg != "" {
		os.Exit(holdUpload(arg))
	}
	os.Exit(m.Run())
}

// holdUpload resumes an upload at size 0, writes to it, reports "held" on
// standard output and keeps it open until standard input closes.
func holdUpload(arg string) int {
	var root, id string
	if _, err := fmt.Sscan(arg, &root, &id); err != nil {
		fmt.Println(err)
		return 2
	}
	s, err := fs.New(root, fs.Options{})
	if err != nil {
		fmt.Println(err)
		return 2
	}
	u, err := s.ResumeUpload(context.Background(), id, 0, nil)
	if err != nil {
		fmt.Println(err)
		return 1
	}
	u.Write([]byte("from the other process"))
	fmt.Println("held")
	bufio.NewReader(os.Stdin).ReadString('\n')
	u.Close()
	return 0
}

// TestWriteLockAcrossProcesses opens an upload session in another process
// and checks that this process can neither write nor delete it meanwhile,
// and can once the other lets go.
func TestWriteLockAcrossProcesses(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	root := t.TempDir()
	s := newStore(t, root)
	u, err := s.NewUpload(ctx, "shared")
	if err != nil {
		t.Fatal(err)
	}
	u.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holderEnv+"="+root+" shared")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := false
	t.Cleanup(func() {
		if !exited {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if line != "held\n" {
		t.Fatalf("the other process did not take the upload: %q, %v", line, err)
	}

	_, err = s.ResumeUpload(ctx, "shared", 0, nil)
	if !errs.Is(err, errs.Conflict) {
		t.Errorf("ResumeUpload while another process writes: %v, want a Conflict", err)
	}
	if err := s.DeleteUpload(ctx, "shared", nil); !errs.Is(err, errs.Conflict) {
		t.Errorf("DeleteUpload while another process writes: %v, want a Conflict", err)
	}

	stdin.Close()
	exited = true
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the other process: %v", err)
	}
	w, err := s.ResumeUpload(ctx, "shared", 0, nil)
	if err != nil {
		t.Fatalf("ResumeUpload after the other process let go: %v", err)
	}
	w.Write([]byte("mine"))
	if err := w.Commit(ctx, sha256Digest([]byte("mine")), 4); err != nil {
		t.Errorf("Commit: %v (the other process's unacknowledged bytes must be cut off)", err)
	}
}
