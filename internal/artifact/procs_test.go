package artifact_test

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"sync"
	"testing"

	"wharf/internal/artifact"
	"wharf/internal/blob"
	"wharf/internal/blob/memblob"
)

// hookedStore is a blob.Store that calls hooks before it deletes a blob
// and around an upload's commit, so that a test can hold one process at a
// chosen point while another goes on. Hooks are set before use.
type hookedStore struct {
	blob.Store
	beforeDelete func()
	beforeCommit func()
	afterCommit  func()
	beforeClose  func(id string)
	// failDeleteUpload, when it returns an error, fails DeleteUpload.
	failDeleteUpload func(id string) error
	// beforeCommitOf, like beforeCommit, is told the upload's id.
	beforeCommitOf func(id string)
}

func (h *hookedStore) Delete(ctx context.Context, digest string) error {
	if h.beforeDelete != nil {
		h.beforeDelete()
	}
	return h.Store.Delete(ctx, digest)
}

func (h *hookedStore) DeleteUpload(ctx context.Context, id string, confirm func(ctx context.Context) (bool, error)) error {
	if h.failDeleteUpload != nil {
		if err := h.failDeleteUpload(id); err != nil {
			return err
		}
	}
	return h.Store.DeleteUpload(ctx, id, confirm)
}

func (h *hookedStore) NewUpload(ctx context.Context, id string) (blob.Upload, error) {
	u, err := h.Store.NewUpload(ctx, id)
	if err != nil {
		return nil, err
	}
	return &hookedUpload{Upload: u, h: h}, nil
}

func (h *hookedStore) ResumeUpload(ctx context.Context, id string, size int64, state []byte) (blob.Upload, error) {
	u, err := h.Store.ResumeUpload(ctx, id, size, state)
	if err != nil {
		return nil, err
	}
	return &hookedUpload{Upload: u, h: h}, nil
}

type hookedUpload struct {
	blob.Upload
	h *hookedStore
}

func (u *hookedUpload) Commit(ctx context.Context, digest string, size int64) error {
	if u.h.beforeCommit != nil {
		u.h.beforeCommit()
	}
	if u.h.beforeCommitOf != nil {
		u.h.beforeCommitOf(u.ID())
	}
	err := u.Upload.Commit(ctx, digest, size)
	if u.h.afterCommit != nil {
		u.h.afterCommit()
	}
	return err
}

func (u *hookedUpload) Close() error {
	if u.h.beforeClose != nil {
		u.h.beforeClose(u.ID())
	}
	return u.Upload.Close()
}

// processes returns n Services that share their data as processes of one
// deployment do: each has its own connections to one SQLite database and
// its own locks, and all see one in-memory blob store, each through a
// hookedStore of its own.
func processes(t *testing.T, n int) ([]*env, []*hookedStore) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "meta.db")
	shared := memblob.New()
	var envs []*env
	var hooks []*hookedStore
	for i := range n {
		m := openMeta(t, path)
		t.Cleanup(func() { m.Close() })
		if i == 0 {
			createNamespaces(t, m)
		}
		h := &hookedStore{Store: shared}
		envs = append(envs, newEnvOn(t, m, h, artifact.Options{}))
		hooks = append(hooks, h)
	}
	return envs, hooks
}

// once returns a function that closes ch the first time it is called.
func once(ch chan struct{}) func() {
	var o sync.Once
	return func() { o.Do(func() { close(ch) }) }
}

// hold makes the hook *slot stop the first process that reaches it until
// resume is closed; held is closed when it gets there.
func hold(slot *func()) (held, resume chan struct{}) {
	held, resume = make(chan struct{}), make(chan struct{})
	signal := once(held)
	*slot = func() { signal(); <-resume }
	return held, resume
}

// async runs f on its own goroutine and delivers its error.
func async(f func() error) <-chan error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	return done
}

// heldBody yields first, then blocks until release is closed, then yields
// rest. reached is closed once first has been read.
func heldBody(first, rest []byte) (body io.Reader, reached, release chan struct{}) {
	reached, release = make(chan struct{}), make(chan struct{})
	signal := once(reached)
	gate := readerFunc(func([]byte) (int, error) {
		signal()
		<-release
		return 0, io.EOF
	})
	return io.MultiReader(bytes.NewReader(first), gate, bytes.NewReader(rest)), reached, release
}

type readerFunc func(p []byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }
