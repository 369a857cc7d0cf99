package distribution

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"wharf/internal/artifact"
	"wharf/internal/errs"
)

// code is an error code of the distribution spec with its HTTP status.
type code struct {
	name   string
	status int
}

// The spec's error codes. Each carries the status Wharf answers with.
var (
	codeBlobUnknown         = code{"BLOB_UNKNOWN", http.StatusNotFound}
	codeBlobUploadInvalid   = code{"BLOB_UPLOAD_INVALID", http.StatusBadRequest}
	codeBlobUploadUnknown   = code{"BLOB_UPLOAD_UNKNOWN", http.StatusNotFound}
	codeDigestInvalid       = code{"DIGEST_INVALID", http.StatusBadRequest}
	codeManifestBlobUnknown = code{"MANIFEST_BLOB_UNKNOWN", http.StatusBadRequest}
	codeManifestInvalid     = code{"MANIFEST_INVALID", http.StatusBadRequest}
	codeManifestUnknown     = code{"MANIFEST_UNKNOWN", http.StatusNotFound}
	codeNameInvalid         = code{"NAME_INVALID", http.StatusBadRequest}
	codeNameUnknown         = code{"NAME_UNKNOWN", http.StatusNotFound}
	codeSizeInvalid         = code{"SIZE_INVALID", http.StatusBadRequest}
	codeUnauthorized        = code{"UNAUTHORIZED", http.StatusUnauthorized}
	codeDenied              = code{"DENIED", http.StatusForbidden}
	codeUnsupported         = code{"UNSUPPORTED", http.StatusBadRequest}
	codeTooManyRequests     = code{"TOOMANYREQUESTS", http.StatusTooManyRequests}
)

// apiError is an error as the spec's envelope carries it. status, when
// set, overrides the code's usual status (416 for a range, 413 for an
// oversize manifest, 405 for a method).
type apiError struct {
	code   code
	msg    string
	detail any
	status int
}

func (e *apiError) Error() string { return e.code.name + ": " + e.msg }

func newError(c code, msg string) *apiError { return &apiError{code: c, msg: msg} }

func (e *apiError) withStatus(s int) *apiError { e.status = s; return e }

func (e *apiError) withDetail(d any) *apiError { e.detail = d; return e }

// as turns a core error into the spec error c when it is of kind k, and
// leaves it for writeError otherwise.
func as(err error, k errs.Kind, c code) error {
	if errs.Is(err, k) {
		return newError(c, errs.Message(err))
	}
	return err
}

// writeError is the one place where an error becomes a response of this
// front. Core errors without a spec code are mapped by kind; unexpected
// ones become a generic 500 and are logged with their cause.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var e *apiError
	if !errors.As(err, &e) {
		e = fromKind(err)
	}
	status := e.status
	if status == 0 {
		status = e.code.status
	}
	if status >= 500 {
		log.ErrorContext(r.Context(), "request failed", "err", err, "method", r.Method, "path", r.URL.Path)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Del("Content-Length")
	h.Del("Docker-Content-Digest")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	type item struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Detail  any    `json:"detail,omitempty"`
	}
	json.NewEncoder(w).Encode(struct {
		Errors []item `json:"errors"`
	}{[]item{{e.code.name, e.msg, e.detail}}})
}

func fromKind(err error) *apiError {
	if m, ok := artifact.IsMissingRef(err); ok {
		return newError(codeManifestBlobUnknown, m.Error()).withDetail(map[string]string{"digest": m.Ref.Digest})
	}
	msg := errs.Message(err)
	switch errs.KindOf(err) {
	case errs.NotFound:
		return newError(codeNameUnknown, msg)
	case errs.Invalid, errs.Exists, errs.Conflict:
		return newError(codeUnsupported, msg)
	case errs.Unauthenticated:
		return newError(codeUnauthorized, msg)
	case errs.Denied:
		return newError(codeDenied, msg)
	case errs.TooLarge:
		return newError(codeSizeInvalid, msg).withStatus(http.StatusRequestEntityTooLarge)
	case errs.RangeInvalid:
		return newError(codeBlobUploadInvalid, msg).withStatus(http.StatusRequestedRangeNotSatisfiable)
	case errs.Unsupported:
		return newError(codeUnsupported, msg)
	case errs.Unavailable:
		return newError(codeTooManyRequests, "service unavailable").withStatus(http.StatusServiceUnavailable)
	}
	return &apiError{code: code{"UNKNOWN", http.StatusInternalServerError}, msg: "internal server error"}
}
