package spice

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"wharf/internal/format/generic"
	"wharf/internal/format/spicepod"
)

// maxBodyBytes bounds a request body.
const maxBodyBytes = 1 << 20

// defaultFileName names a published package's file when the request does
// not.
const defaultFileName = "spicepod.zip"

// body is the request body. Pointers tell a missing field from an empty
// one.
type body struct {
	From    *string            `json:"from"`
	Params  *map[string]string `json:"params"`
	Publish *publish           `json:"publish"`
}

// publish asks for the package to be stored as a generic package file.
type publish struct {
	Owner   string `json:"owner"`
	Name    string `json:"name"`
	Version string `json:"version"`
	File    string `json:"file"`
}

func (p publish) repoName() string { return p.Owner + "/" + p.Name }

// request is a checked generate request.
type request struct {
	source  spicepod.Source
	token   string
	publish *publish
}

// bodyTimeout is how long a client has to send the request body.
const bodyTimeout = 30 * time.Second

// readRequest reads and checks the request as Spice does: a JSON body
// (415 for another content type, 400 when it is not JSON, 422 for a
// missing field or a value of the wrong type), a from field ParseSource
// accepts (400) and a token that can be sent in a header (400). The body
// must arrive within timeout (408).
func readRequest(w http.ResponseWriter, r *http.Request, timeout time.Duration) (request, error) {
	if !isJSON(r.Header.Get("Content-Type")) {
		return request{}, fail(http.StatusUnsupportedMediaType, "Expected request with `Content-Type: application/json`")
	}
	// Not every ResponseWriter can set a deadline (a recorder cannot);
	// where none is set, the server's own timeouts apply.
	rc := http.NewResponseController(w)
	if rc.SetReadDeadline(time.Now().Add(timeout)) == nil {
		defer rc.SetReadDeadline(time.Time{})
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	var (
		tooBig  *http.MaxBytesError
		timeErr interface{ Timeout() bool }
	)
	switch {
	case errors.As(err, &tooBig):
		return request{}, fail(http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is larger than %d bytes", maxBodyBytes))
	case errors.As(err, &timeErr) && timeErr.Timeout():
		return request{}, fail(http.StatusRequestTimeout, "the request body did not arrive in time")
	case err != nil:
		return request{}, fail(http.StatusBadRequest, "the request body could not be read")
	}
	b, err := decode(data)
	if err != nil {
		return request{}, err
	}
	src, err := spicepod.ParseSource(*b.From)
	if err != nil {
		return request{}, err
	}
	req := request{source: src, token: (*b.Params)["github_token"], publish: b.Publish}
	if !validToken(req.token) {
		return request{}, fail(http.StatusBadRequest, "An invalid GitHub token was provided.")
	}
	if p := req.publish; p != nil {
		if p.File == "" {
			p.File = defaultFileName
		}
		if err := checkPublish(*p); err != nil {
			return request{}, err
		}
	}
	return req, nil
}

// isJSON reports whether a Content-Type names JSON: application/json or
// an application/*+json type, with any parameters.
func isJSON(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	sub, ok := strings.CutPrefix(mt, "application/")
	return ok && (sub == "json" || strings.HasSuffix(sub, "+json"))
}

// decode parses the body: one JSON value, an object with from (a string)
// and params (an object of strings), and optionally publish.
func decode(data []byte) (body, error) {
	var b body
	dec := json.NewDecoder(bytes.NewReader(data))
	err := dec.Decode(&b)
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "the body"
		}
		return body{}, fail(http.StatusUnprocessableEntity, fmt.Sprintf("%s: expected %s, found a JSON %s", field, typeName(typeErr), typeErr.Value))
	case errors.Is(err, io.EOF):
		return body{}, fail(http.StatusBadRequest, "the request body is empty")
	case err != nil:
		return body{}, fail(http.StatusBadRequest, "the request body is not valid JSON: "+err.Error())
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return body{}, fail(http.StatusBadRequest, "the request body has data after the JSON value")
	}
	switch {
	case b.From == nil:
		return body{}, fail(http.StatusUnprocessableEntity, "missing field `from`")
	case b.Params == nil:
		return body{}, fail(http.StatusUnprocessableEntity, "missing field `params`")
	}
	return b, nil
}

// typeName says in words what a JSON field should have held.
func typeName(e *json.UnmarshalTypeError) string {
	switch e.Type.Kind().String() {
	case "string":
		return "a string"
	case "map":
		return "an object of strings"
	case "struct", "ptr":
		return "an object"
	}
	return e.Type.String()
}

// validToken reports whether a token can be sent in a header value: no
// control characters but tab.
func validToken(t string) bool {
	for i := 0; i < len(t); i++ {
		if c := t[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// checkPublish checks the generic package a request publishes to, with
// the generic registry's rules and messages.
func checkPublish(p publish) error {
	switch {
	case p.Owner == "":
		return fail(http.StatusBadRequest, "publish.owner is required")
	case generic.ValidPackageName(p.Name) != nil:
		return fail(http.StatusBadRequest, "publish.name: invalid package name")
	case generic.ValidVersion(p.Version) != nil:
		return fail(http.StatusBadRequest, "publish.version: invalid package version")
	case generic.ValidFileName(p.File) != nil:
		return fail(http.StatusBadRequest, "publish.file: invalid filename")
	}
	return nil
}
