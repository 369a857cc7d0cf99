package pkggen

import (
	"errors"
	"fmt"
	"time"

	"wharf/internal/errs"
)

// ErrTimeout is returned when generating a package took longer than
// Options.Timeout.
var ErrTimeout = errors.New("package generation took longer than allowed")

// UpstreamError is a failure of GitHub that the caller cannot fix by
// sending the request again unchanged: bad credentials, denied access, an
// unexpected answer or an unreachable server. Msg is fit for the client;
// Err, when set, is the cause and is only logged.
type UpstreamError struct {
	Status int // GitHub's HTTP status, or 0 when it could not be reached
	Msg    string
	Err    error
}

func (e *UpstreamError) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

func (e *UpstreamError) Unwrap() error { return e.Err }

// RateLimitError says that GitHub is rate limiting the credentials (or
// the server's address, without a token); RetryAfter is when it expects
// requests again.
type RateLimitError struct {
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("GitHub rate limit exceeded; retry in %s", e.RetryAfter)
}

// notFound is the error for a repository path that GitHub does not have
// at the source's revision.
func notFound(src sourceName, what string) error {
	return errs.E(errs.NotFound, "%s not found in %s", what, src)
}

// sourceName names a repository at a revision in messages: org/repo@ref.
type sourceName string
