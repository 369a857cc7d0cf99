package quay

import (
	"errors"
	"net/http"

	"wharf/internal/errs"
)

// apiError is an error answered in one of Quay's shapes: the problem
// document (typ set) or {"message": …} (typ empty). Quay's third shape,
// {"error": …}, comes from refusals Wharf does not make (anonymous access
// switched off, browser calls without X-Requested-With).
type apiError struct {
	status int
	typ    string // Quay's error_type: invalid_request, invalid_token, …
	detail string
	extra  map[string]any // more keys of the problem document
}

func (e *apiError) Error() string { return e.detail }

// The error types of Quay's problem documents and their titles.
const (
	typeInvalidRequest    = "invalid_request"
	typeInvalidToken      = "invalid_token"
	typeInsufficientScope = "insufficient_scope"
	typeNotFound          = "not_found"
	typeExpiredToken      = "expired_token"
)

// errorDescriptions are the long texts of GET /api/v1/error/{type}.
var errorDescriptions = map[string]string{
	typeInvalidRequest:     "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.",
	typeInvalidToken:       "The access token provided is expired, revoked, malformed, or invalid for other reasons.",
	typeInsufficientScope:  "The request requires higher privileges than provided by the access token.",
	typeNotFound:           "The resource requested does not exist or the caller may not see it.",
	typeExpiredToken:       "The access token provided has expired.",
	"invalid_response":     "The response was not valid.",
	"exceeds_license":      "The action was refused because the current license does not allow it.",
	"downstream_issue":     "An error occurred in a downstream service.",
	"fresh_login_required": "The action requires a fresh login to succeed.",
}

// requestError is 400 invalid_request with a detail.
func requestError(detail string) error {
	return &apiError{status: http.StatusBadRequest, typ: typeInvalidRequest, detail: detail}
}

// messageError answers {"message": msg} with status.
func messageError(status int, msg string) error {
	return &apiError{status: status, detail: msg}
}

// unauthorized is Quay's answer to an anonymous call that needs a user.
func unauthorized() error {
	return &apiError{status: http.StatusUnauthorized, typ: typeInvalidToken, detail: "Requires authentication"}
}

// forbidden is Quay's answer to a signed-in caller without the right.
func forbidden() error {
	return &apiError{status: http.StatusForbidden, typ: typeInsufficientScope, detail: "Unauthorized"}
}

func notFound() error {
	return &apiError{status: http.StatusNotFound, typ: typeNotFound, detail: "Not Found"}
}

// denied answers a refused call: 401 for the anonymous caller, 403 for
// everyone else, as Quay does before it looks anything up.
func (c *call) denied() error {
	if c.p.Anonymous() {
		return unauthorized()
	}
	return forbidden()
}

// asAPIError turns a service error into an answer: invalid input and
// collisions are Quay's 400 invalid_request, missing things 404, refusals
// 401/403. Other errors are not the caller's fault and stay 500s.
func asAPIError(err error) (*apiError, bool) {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae, true
	}
	msg := errs.Message(err)
	switch errs.KindOf(err) {
	case errs.Invalid, errs.Exists, errs.Conflict:
		return &apiError{status: http.StatusBadRequest, typ: typeInvalidRequest, detail: msg}, true
	case errs.NotFound:
		return &apiError{status: http.StatusNotFound, typ: typeNotFound, detail: "Not Found"}, true
	case errs.Unauthenticated:
		return &apiError{status: http.StatusUnauthorized, typ: typeInvalidToken, detail: msg}, true
	case errs.Denied:
		return &apiError{status: http.StatusForbidden, typ: typeInsufficientScope, detail: msg}, true
	case errs.TooLarge:
		return &apiError{status: http.StatusRequestEntityTooLarge, detail: msg}, true
	case errs.Unavailable:
		return &apiError{status: http.StatusServiceUnavailable, detail: msg}, true
	}
	return nil, false
}
