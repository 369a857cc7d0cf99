package memblob_test

import (
	"testing"

	"wharf/internal/blob"
	"wharf/internal/blob/blobtest"
	"wharf/internal/blob/memblob"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	blobtest.Run(t, func(t *testing.T) blob.Store { return memblob.New() })
}
