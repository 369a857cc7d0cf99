package blobtest

import (
	"strings"
	"testing"

	"wharf/internal/blob"
	"wharf/internal/errs"
)

// badDigests are malformed or unsupported digests.
func badDigests() []string {
	hex64 := strings.Repeat("ab", 32)
	return []string{
		"",
		"sha256",
		"sha256:",
		":" + hex64,
		"sha256:" + hex64[:63],
		"sha256:" + hex64 + "a",
		"sha256:" + strings.ToUpper(hex64),
		"sha256:" + hex64[:63] + "g",
		"SHA256:" + hex64,
		"sha256:" + hex64 + "\n",
		"sha256::" + hex64,
		"sha512:" + hex64,
		"md5:" + hex64[:32],
		"sha256+x:" + hex64,
		"../../" + hex64,
		"sha256:../" + hex64[:61],
	}
}

func testInvalidDigests(t *testing.T, s blob.Store) {
	ctx := t.Context()
	for _, d := range badDigests() {
		_, err := s.Stat(ctx, d)
		mustKind(t, "Stat("+d+")", err, errs.Invalid)
		_, err = s.Open(ctx, d)
		mustKind(t, "Open("+d+")", err, errs.Invalid)
		mustKind(t, "Delete("+d+")", s.Delete(ctx, d), errs.Invalid)
	}
}

func testInvalidCommitDigests(t *testing.T, s blob.Store) {
	ctx := t.Context()
	for i, d := range badDigests() {
		u, err := s.NewUpload(ctx, "bad-"+strings.Repeat("x", i+1))
		if err != nil {
			t.Fatal(err)
		}
		u.Write([]byte("content"))
		mustKind(t, "Commit("+d+")", u.Commit(ctx, d, -1), errs.Invalid)
		u.Close()
	}
}

func testUploadIDs(t *testing.T, s blob.Store) {
	ctx := t.Context()
	bad := []string{"", "a/b", "..", "../x", "a b", "a_b", "a.b", "é", "a\x00", "a\n", strings.Repeat("a", 129)}
	for _, id := range bad {
		_, err := s.NewUpload(ctx, id)
		mustKind(t, "NewUpload("+id+")", err, errs.Invalid)
		_, err = s.ResumeUpload(ctx, id, 0, nil)
		mustKind(t, "ResumeUpload("+id+")", err, errs.Invalid)
		mustKind(t, "DeleteUpload("+id+")", s.DeleteUpload(ctx, id, nil), errs.Invalid)
	}
	for _, id := range []string{"-", "0", strings.Repeat("Az9-", 32), "0c5e2a1b-7f3d-4e6a-9b1c-2d3e4f5a6b7c"} {
		u, err := s.NewUpload(ctx, id)
		if err != nil {
			t.Errorf("NewUpload(%q): %v", id, err)
			continue
		}
		d := sha256Of([]byte(id))
		u.Write([]byte(id))
		if err := u.Commit(ctx, d, -1); err != nil {
			t.Errorf("Commit of upload %q: %v", id, err)
		}
	}
}
