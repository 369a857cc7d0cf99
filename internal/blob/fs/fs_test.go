package fs_test

import (
	"testing"

	"wharf/internal/blob"
	"wharf/internal/blob/blobtest"
	"wharf/internal/blob/fs"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		opt  fs.Options
	}{
		{"Fsync", fs.Options{Fsync: true}},
		{"NoFsync", fs.Options{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			blobtest.Run(t, func(t *testing.T) blob.Store {
				s, err := fs.New(t.TempDir(), tt.opt)
				if err != nil {
					t.Fatal(err)
				}
				return s
			})
		})
	}
}
