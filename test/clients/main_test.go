// Package clients drives a real `wharf serve` process with the container
// clients people use: the podman, buildah, skopeo, oras, crane and regctl
// command-line tools, and the go-containerregistry and oras-go libraries.
// Every test pushes content, reads it back and checks it byte for byte
// against what it pushed, by digest and by the registry's raw responses.
//
// Tests that need a command-line tool look for it on PATH, then in
// <repository root>/.tools/bin. A missing tool skips the test, unless
// WHARF_TEST_TOOLS=1 is set (scripts/test.sh sets it), which fails it.
package clients

import (
	"testing"

	"wharf/internal/testserver"
)

func TestMain(m *testing.M) { testserver.Main(m) }
