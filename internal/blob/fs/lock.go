package fs

import (
	"errors"
	"io/fs"
	"os"
	"syscall"

	"wharf/internal/errs"
)

// lockSession takes the write lock of upload session id on f, the
// session's data file open at path, without waiting for it. The lock is an
// exclusive flock(2), held by f's open file description until f is closed,
// so it keeps out other Uploads of this Store, of other Stores and of other
// processes on the same files alike. Once it holds the lock it checks that
// path still names f: a session deleted between opening f and locking it
// is gone. Errors: errs.Conflict when the lock is held elsewhere,
// errs.NotFound when the session was deleted.
func lockSession(f *os.File, path, id string) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return errs.E(errs.Conflict, "upload %s is being written by another request", id)
		}
		if err != nil {
			return errs.Wrap(errs.Other, "lock upload "+id, err)
		}
		break
	}
	held, err := f.Stat()
	if err != nil {
		return errs.Wrap(errs.Other, "lock upload "+id, err)
	}
	named, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && !os.SameFile(held, named)) {
		return errs.E(errs.NotFound, "upload %s unknown", id)
	}
	if err != nil {
		return errs.Wrap(errs.Other, "lock upload "+id, err)
	}
	return nil
}
