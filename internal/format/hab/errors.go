package hab

import (
	"errors"
	"fmt"

	"wharf/internal/errs"
)

// Stage tells which of Builder's upload checks an unreadable archive fails,
// so that a front can answer with Builder's message.
type Stage int

const (
	// StageArchive: the header, the compressed tar or a metadata file other
	// than TARGET is malformed, PACKAGE_TYPE included (Builder's ds:up:0).
	StageArchive Stage = iota + 1
	// StageTarget: TARGET is missing or names no known target (ds:up:1).
	StageTarget
)

// ArchiveError reports a .hart that cannot be read. It wraps an
// errs.Invalid error carrying Msg, and its cause when there is one. Its
// causes describe only the archive (the decoders' and this package's own
// messages), so Error() is as safe to show to clients as Msg.
type ArchiveError struct {
	Stage Stage
	Msg   string // safe to show to clients
	Err   error  // the cause, if any
}

func (e *ArchiveError) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

// Unwrap exposes the kind (errs.Invalid) and the cause.
func (e *ArchiveError) Unwrap() []error {
	kind := &errs.Error{Kind: errs.Invalid, Msg: e.Msg}
	if e.Err != nil {
		return []error{kind, e.Err}
	}
	return []error{kind}
}

// StageOf returns the stage of the *ArchiveError in err's chain, or 0
// when there is none (err is nil, or a read error of the source).
func StageOf(err error) Stage {
	var ae *ArchiveError
	if errors.As(err, &ae) {
		return ae.Stage
	}
	return 0
}

func archiveErr(stage Stage, format string, args ...any) error {
	return &ArchiveError{Stage: stage, Msg: fmt.Sprintf(format, args...)}
}
