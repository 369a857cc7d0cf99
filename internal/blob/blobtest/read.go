package blobtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"testing"

	"wharf/internal/blob"
	"wharf/internal/errs"
)

// readAll opens digest and returns its content, checking Size.
func readAll(t *testing.T, s blob.Store, digest string) []byte {
	t.Helper()
	r, err := s.Open(t.Context(), digest)
	if err != nil {
		t.Fatalf("Open(%s): %v", digest, err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read %s: %v", digest, err)
	}
	if r.Size() != int64(len(b)) {
		t.Errorf("Size() = %d, read %d bytes", r.Size(), len(b))
	}
	return b
}

func testCommitStatOpen(t *testing.T, s blob.Store) {
	ctx := t.Context()
	data := randomBytes(70_000, 1)
	u, err := s.NewUpload(ctx, "u1")
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	if u.ID() != "u1" {
		t.Errorf("ID() = %q, want u1", u.ID())
	}
	if _, err := u.Write(data[:1000]); err != nil {
		t.Fatal(err)
	}
	if got, want := u.Digest(), sha256Of(data[:1000]); got != want {
		t.Errorf("Digest() after 1000 bytes = %s, want %s", got, want)
	}
	if n, err := u.ReadFrom(bytes.NewReader(data[1000:])); err != nil || n != int64(len(data)-1000) {
		t.Fatalf("ReadFrom = %d, %v; want %d, nil", n, err, len(data)-1000)
	}
	if u.Size() != int64(len(data)) {
		t.Errorf("Size() = %d, want %d", u.Size(), len(data))
	}
	d := sha256Of(data)
	if u.Digest() != d {
		t.Errorf("Digest() = %s, want %s", u.Digest(), d)
	}
	absent(t, ctx, s, d)
	if err := u.Commit(ctx, d, int64(len(data))); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	n, err := s.Stat(ctx, d)
	if err != nil || n != int64(len(data)) {
		t.Errorf("Stat = %d, %v; want %d, nil", n, err, len(data))
	}
	if got := readAll(t, s, d); !bytes.Equal(got, data) {
		t.Errorf("read back %d bytes that differ from the %d written", len(got), len(data))
	}
}

func testReadRanges(t *testing.T, s blob.Store) {
	data := randomBytes(1000, 2)
	d := put(t, s, "r", data)
	r, err := s.Open(t.Context(), d)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Size() != 1000 {
		t.Errorf("Size() = %d, want 1000", r.Size())
	}

	seeks := []struct {
		off    int64
		whence int
		pos    int64
		n      int // bytes to read after seeking; -1 reads to the end
	}{
		{100, io.SeekStart, 100, 50},
		{10, io.SeekCurrent, 160, 40},
		{-10, io.SeekEnd, 990, -1},
		{0, io.SeekStart, 0, 1},
		{999, io.SeekStart, 999, 1},
	}
	for _, sk := range seeks {
		pos, err := r.Seek(sk.off, sk.whence)
		if err != nil || pos != sk.pos {
			t.Fatalf("Seek(%d, %d) = %d, %v; want %d", sk.off, sk.whence, pos, err, sk.pos)
		}
		var got []byte
		if sk.n < 0 {
			got, err = io.ReadAll(r)
		} else {
			got = make([]byte, sk.n)
			_, err = io.ReadFull(r, got)
		}
		if err != nil {
			t.Fatalf("read after Seek to %d: %v", pos, err)
		}
		if want := data[pos : pos+int64(len(got))]; !bytes.Equal(got, want) || (sk.n < 0 && pos+int64(len(got)) != 1000) {
			t.Errorf("read after Seek to %d: got %d bytes that differ from the blob", pos, len(got))
		}
	}
	if n, err := r.Read(make([]byte, 10)); n != 0 || err != io.EOF {
		t.Errorf("Read at end = %d, %v; want 0, io.EOF", n, err)
	}

	reads := []struct {
		off     int64
		n, want int
		eof     bool
	}{
		{0, 100, 100, false},
		{500, 100, 100, false},
		{900, 100, 100, false},
		{950, 100, 50, true},
		{1000, 10, 0, true},
		{5000, 10, 0, true},
	}
	for _, rd := range reads {
		p := make([]byte, rd.n)
		n, err := r.ReadAt(p, rd.off)
		if n != rd.want || (rd.eof && err != io.EOF) || (!rd.eof && err != nil) {
			t.Errorf("ReadAt(%d bytes, %d) = %d, %v; want %d (EOF %v)", rd.n, rd.off, n, err, rd.want, rd.eof)
			continue
		}
		if n > 0 && !bytes.Equal(p[:n], data[rd.off:rd.off+int64(n)]) {
			t.Errorf("ReadAt(%d bytes, %d) returned bytes that differ from the blob", rd.n, rd.off)
		}
	}
}

func testReaderClose(t *testing.T, s blob.Store) {
	d := put(t, s, "c", []byte("hello"))
	r, err := s.Open(t.Context(), d)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := r.Read(make([]byte, 1)); err == nil || err == io.EOF {
		t.Errorf("Read after Close = %v, want an error", err)
	}
}

func testDelete(t *testing.T, s blob.Store) {
	ctx := t.Context()
	keep := put(t, s, "k", []byte("keep"))
	d := put(t, s, "d", []byte("delete me"))
	if err := s.Delete(ctx, d); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	absent(t, ctx, s, d)
	if _, err := s.Open(ctx, d); !errs.Is(err, errs.NotFound) {
		t.Errorf("Open after Delete: %v, want NotFound", err)
	}
	if err := s.Delete(ctx, d); err != nil {
		t.Errorf("second Delete: %v, want nil", err)
	}
	if got := readAll(t, s, keep); string(got) != "keep" {
		t.Errorf("other blob reads %q after Delete, want %q", got, "keep")
	}
	// The same content can be committed again.
	if d2 := put(t, s, "d2", []byte("delete me")); d2 != d {
		t.Fatalf("digest changed: %s, %s", d2, d)
	}
	if got := readAll(t, s, d); string(got) != "delete me" {
		t.Errorf("recommitted blob reads %q", got)
	}
}

func testMissing(t *testing.T, s blob.Store) {
	ctx := t.Context()
	d := sha256Of([]byte("never stored"))
	absent(t, ctx, s, d)
	if _, err := s.Open(ctx, d); !errs.Is(err, errs.NotFound) {
		t.Errorf("Open(missing): %v, want NotFound", err)
	}
	if _, err := s.Stat(ctx, sha512Of([]byte("never stored"))); !errs.Is(err, errs.NotFound) {
		t.Errorf("Stat(missing sha512): %v, want NotFound", err)
	}
	if err := s.Delete(ctx, d); err != nil {
		t.Errorf("Delete(missing): %v, want nil", err)
	}
	if _, err := s.ResumeUpload(ctx, "nope", 0, nil); !errs.Is(err, errs.NotFound) {
		t.Errorf("ResumeUpload(missing): %v, want NotFound", err)
	}
	if err := s.DeleteUpload(ctx, "nope", nil); err != nil {
		t.Errorf("DeleteUpload(missing): %v, want nil", err)
	}
}

func testEmpty(t *testing.T, s blob.Store) {
	ctx := t.Context()
	u, err := s.NewUpload(ctx, "e")
	if err != nil {
		t.Fatal(err)
	}
	d := sha256Of(nil)
	if u.Digest() != d || u.Size() != 0 {
		t.Errorf("fresh upload: Digest() = %s, Size() = %d; want %s, 0", u.Digest(), u.Size(), d)
	}
	if err := u.Commit(ctx, d, 0); err != nil {
		t.Fatalf("Commit(empty): %v", err)
	}
	if n, err := s.Stat(ctx, d); err != nil || n != 0 {
		t.Errorf("Stat(empty) = %d, %v; want 0, nil", n, err)
	}
	if got := readAll(t, s, d); len(got) != 0 {
		t.Errorf("empty blob reads %d bytes", len(got))
	}
	r, err := s.Open(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n, err := r.ReadAt(make([]byte, 1), 0); n != 0 || err != io.EOF {
		t.Errorf("ReadAt on empty blob = %d, %v; want 0, io.EOF", n, err)
	}
}

// chunky yields at most max bytes per Read, as a network body does.
type chunky struct {
	r   io.Reader
	max int
}

func (c chunky) Read(p []byte) (int, error) {
	if len(p) > c.max {
		p = p[:c.max]
	}
	return c.r.Read(p)
}

func testLarge(t *testing.T, s blob.Store) {
	const size = 8<<20 + 12345
	ctx := t.Context()
	src := chunky{io.LimitReader(newStream(3), size), 100_000}
	h := sha256.New()
	u, err := s.NewUpload(ctx, "large")
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	// A first part through Write and Sync, the rest through ReadFrom.
	buf := make([]byte, 64<<10)
	for range 10 {
		n, _ := io.ReadFull(src, buf)
		h.Write(buf[:n])
		if _, err := u.Write(buf[:n]); err != nil {
			t.Fatal(err)
		}
		if _, err := u.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := u.ReadFrom(io.TeeReader(src, h)); err != nil {
		t.Fatalf("ReadFrom: %v", err)
	}
	d := "sha256:" + hex.EncodeToString(h.Sum(nil))
	if u.Size() != size || u.Digest() != d {
		t.Fatalf("upload has %d bytes, %s; want %d, %s", u.Size(), u.Digest(), size, d)
	}
	if err := u.Commit(ctx, d, size); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	r, err := s.Open(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h.Reset()
	if n, err := io.Copy(h, r); err != nil || n != size {
		t.Fatalf("read back %d bytes, %v; want %d", n, err, size)
	}
	if got := "sha256:" + hex.EncodeToString(h.Sum(nil)); got != d {
		t.Errorf("read back content with digest %s, want %s", got, d)
	}
	// A range near the end, compared with the regenerated source.
	stream := newStream(3)
	if _, err := io.CopyN(io.Discard, stream, size-5000); err != nil {
		t.Fatal(err)
	}
	want := make([]byte, 5000)
	io.ReadFull(stream, want)
	got := make([]byte, 5000)
	if n, err := r.ReadAt(got, size-5000); n != 5000 || (err != nil && err != io.EOF) {
		t.Fatalf("ReadAt near the end = %d, %v", n, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("ReadAt near the end returned bytes that differ from what was written")
	}
}
