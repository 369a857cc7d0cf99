// Package errs defines the small set of error kinds every layer of Wharf
// speaks. Stores and services wrap a kind; each HTTP front has exactly one
// function that maps a kind to its own error envelope and status.
//
//	return errs.E(errs.NotFound, "blob unknown")
//	if errs.Is(err, errs.NotFound) { ... }
package errs

import (
	"errors"
	"fmt"
)

// Kind classifies an error by what the caller can do about it.
type Kind int

// The kinds. Other is the zero value and means an unexpected failure
// (a 500 at the edge).
const (
	Other           Kind = iota
	NotFound             // the thing does not exist, or the caller may not know it does
	Exists               // a create collided with an existing thing
	Invalid              // the input is malformed
	Unauthenticated      // credentials are missing or wrong
	Denied               // the principal is known but lacks the right
	Conflict             // the request is well formed but clashes with current state
	TooLarge             // a size limit was exceeded
	Unavailable          // a dependency is down; retrying may help
	RangeInvalid         // a byte range or upload offset does not fit
	Unsupported          // the operation or method is not offered
)

var kindNames = [...]string{
	Other:           "other",
	NotFound:        "not found",
	Exists:          "already exists",
	Invalid:         "invalid",
	Unauthenticated: "unauthenticated",
	Denied:          "permission denied",
	Conflict:        "conflict",
	TooLarge:        "too large",
	Unavailable:     "unavailable",
	RangeInvalid:    "range invalid",
	Unsupported:     "unsupported",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is an error of a known kind. Msg is safe to show to clients;
// Err, when set, is the cause and is only logged.
type Error struct {
	Kind Kind
	Msg  string
	Err  error
}

func (e *Error) Error() string {
	switch {
	case e.Err != nil && e.Msg != "":
		return e.Msg + ": " + e.Err.Error()
	case e.Err != nil:
		return e.Err.Error()
	case e.Msg != "":
		return e.Msg
	}
	return e.Kind.String()
}

func (e *Error) Unwrap() error { return e.Err }

// E returns an error of kind k whose client-visible message is the
// formatted text.
func E(k Kind, format string, args ...any) error {
	return &Error{Kind: k, Msg: fmt.Sprintf(format, args...)}
}

// Wrap returns an error of kind k with message msg and cause err.
// It returns nil when err is nil.
func Wrap(k Kind, msg string, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Kind: k, Msg: msg, Err: err}
}

// KindOf reports the kind of the outermost *Error in err's chain, or Other.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		if e.Kind == Other && e.Err != nil {
			return KindOf(e.Err)
		}
		return e.Kind
	}
	return Other
}

// Is reports whether err is of kind k.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }

// Message returns the client-visible message of err's outermost *Error,
// or the kind's name when it has none. It never exposes a cause.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Msg != "" {
		return e.Msg
	}
	return KindOf(err).String()
}
