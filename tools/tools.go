//go:build tools

// Package tools pins the versions of the command-line registry clients used
// by the test suite. Build them with `go install` from inside this module so
// the versions in go.mod apply, e.g. `go install oras.land/oras/cmd/oras`.
package tools

import (
	_ "github.com/google/go-containerregistry/cmd/crane"
	_ "github.com/regclient/regclient/cmd/regctl"
	_ "oras.land/oras/cmd/oras"
)
