package artifact_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/artifact"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// putFile stores a generic file.
func (e *env) putFile(t testing.TB, repo, version, name string, data []byte) meta.File {
	t.Helper()
	f, err := e.svc.PutFile(t.Context(), artifact.PutFileRequest{
		Type: "generic", RepoName: repo, Version: version, FileName: name, Body: bytes.NewReader(data),
	})
	if err != nil {
		t.Fatalf("PutFile %s/%s/%s: %v", repo, version, name, err)
	}
	return f
}

// readFile returns a file's content without counting a download.
func (e *env) readFile(t testing.TB, repo, version, name string) []byte {
	t.Helper()
	f, r, err := e.svc.OpenFile(t.Context(), artifact.FileRef{Type: "generic", RepoName: repo, Version: version, FileName: name})
	if err != nil {
		t.Fatalf("OpenFile %s/%s/%s: %v", repo, version, name, err)
	}
	data := readAll(t, r)
	if int64(len(data)) != f.Size {
		t.Errorf("OpenFile %s: read %d bytes, file size %d", name, len(data), f.Size)
	}
	return data
}

// countingReader counts the reads of the reader it wraps.
type countingReader struct {
	r     io.Reader
	reads atomic.Int32
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.reads.Add(1)
	return c.r.Read(p)
}

func TestPutFile(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	tests := []struct {
		repo, version, name string
		size                int
		public              bool
	}{
		{repo: "alice/tool", version: "1.0.0", name: "tool.tar.gz", size: 70_000},
		{repo: "alice/tool", version: "1.0.0", name: "tool.sha256", size: 64},
		{repo: "alice/tool", version: "1.0.1", name: "tool.tar.gz", size: 1},
		{repo: "acme/lib", version: "2024.01 beta", name: "lib (x86).zip", size: 0, public: true},
		{repo: "acme/Lib2", version: "v2", name: "README", size: 1 << 20, public: true},
	}
	for i, tt := range tests {
		// In order: the first two share a version.
		ctx := t.Context()
		data := randBytes(tt.size, uint64(100+i))
		f := e.putFile(t, tt.repo, tt.version, tt.name, data)
		want := meta.File{ID: f.ID, VersionID: f.VersionID, Name: tt.name, Digest: sha256Digest(data), Size: int64(tt.size), Lead: true, Created: f.Created}
		want.MD5, want.SHA1, want.SHA512 = hexSums(data)
		if diff := cmp.Diff(want, f); diff != "" {
			t.Errorf("PutFile %d (-want +got):\n%s", i, diff)
		}
		repo, err := e.svc.Repo(ctx, "generic", tt.repo)
		if err != nil {
			t.Fatalf("Repo after PutFile: %v", err)
		}
		if repo.Public != tt.public {
			t.Errorf("repository %s: Public = %v, want %v (the namespace's)", tt.repo, repo.Public, tt.public)
		}
		v, sf, err := e.svc.StatFile(ctx, artifact.FileRef{Type: "generic", RepoName: tt.repo, Version: tt.version, FileName: tt.name})
		if err != nil {
			t.Fatalf("StatFile: %v", err)
		}
		if diff := cmp.Diff(f, sf); diff != "" {
			t.Errorf("StatFile (-PutFile +StatFile):\n%s", diff)
		}
		if v.ID != f.VersionID || v.RepoID != repo.ID || v.Version != tt.version || v.BlobDigest != "" {
			t.Errorf("StatFile version = %+v, want id %d of repository %d, version %q, no content", v, f.VersionID, repo.ID, tt.version)
		}
		if got := e.readFile(t, tt.repo, tt.version, tt.name); !bytes.Equal(got, data) {
			t.Errorf("OpenFile %d returned other bytes", i)
		}
	}
	if got := e.sessions(t); len(got) != 0 {
		t.Errorf("sessions left after PutFile: %v", got)
	}
	if got := e.unreferenced(t); len(got) != 0 {
		t.Errorf("unreferenced blobs after PutFile: %v", got)
	}
}

func TestPutFileDuplicate(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	original := []byte("original")
	e.putFile(t, "alice/dup", "1.0", "a.txt", original)
	for _, name := range []string{"a.txt", "A.TXT", "A.txt"} {
		body := &countingReader{r: strings.NewReader("replacement")}
		_, err := e.svc.PutFile(ctx, artifact.PutFileRequest{
			Type: "generic", RepoName: "alice/dup", Version: "1.0", FileName: name, Body: body,
		})
		wantKind(t, "PutFile of a duplicate "+name, err, errs.Exists)
		if n := body.reads.Load(); n != 0 {
			t.Errorf("PutFile of a duplicate %s read the body %d times", name, n)
		}
	}
	// The version string is matched without case too.
	_, err := e.svc.PutFile(ctx, artifact.PutFileRequest{
		Type: "generic", RepoName: "ALICE/DUP", Version: "1.0", FileName: "a.txt", Body: strings.NewReader("x"),
	})
	wantKind(t, "PutFile of a duplicate through another spelling of the repository", err, errs.Exists)
	if got := e.readFile(t, "alice/dup", "1.0", "a.txt"); !bytes.Equal(got, original) {
		t.Errorf("file after refused duplicates = %q, want %q", got, original)
	}
	e.putFile(t, "alice/dup", "1.1", "a.txt", []byte("next version"))
	if got := e.sessions(t); len(got) != 0 {
		t.Errorf("sessions left: %v", got)
	}
}

func TestPutFileConcurrentSameName(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	const n = 6
	bodies := make([][]byte, n)
	files := make([]meta.File, n)
	failed := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		bodies[i] = randBytes(10_000+i, uint64(i))
		name := "race.bin"
		if i%2 == 1 {
			name = "RACE.bin"
		}
		wg.Go(func() {
			files[i], failed[i] = e.svc.PutFile(ctx, artifact.PutFileRequest{
				Type: "generic", RepoName: "alice/race", Version: "1", FileName: name, Body: bytes.NewReader(bodies[i]),
			})
		})
	}
	wg.Wait()
	winner := -1
	for i := range n {
		if failed[i] == nil {
			if winner >= 0 {
				t.Fatalf("PutFile %d and %d both stored the file", winner, i)
			}
			winner = i
			continue
		}
		wantKind(t, fmt.Sprintf("PutFile %d", i), failed[i], errs.Exists)
	}
	if winner < 0 {
		t.Fatal("no PutFile succeeded")
	}
	if got := e.readFile(t, "alice/race", "1", "race.bin"); !bytes.Equal(got, bodies[winner]) {
		t.Errorf("stored file is not the winner's body")
	}
	if got := e.sessions(t); len(got) != 0 {
		t.Errorf("sessions left: %v", got)
	}
}

func TestPutFileMaxSize(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	tests := []struct {
		size    int
		max     int64
		tooBig  bool
		comment string
	}{
		{size: 10, max: 10, comment: "exactly the bound"},
		{size: 11, max: 10, tooBig: true},
		{size: 1<<20 + 1, max: 1 << 20, tooBig: true},
		{size: 3 << 20, max: 1, tooBig: true},
		{size: 100_000, max: 0, comment: "no bound"},
		{size: 100_000, max: -1, comment: "no bound"},
	}
	t.Run("group", func(t *testing.T) {
		for i, tt := range tests {
			t.Run(fmt.Sprintf("%d of %d", tt.size, tt.max), func(t *testing.T) {
				t.Parallel()
				ctx := t.Context()
				data := randBytes(tt.size, uint64(200+i))
				ref := artifact.FileRef{Type: "generic", RepoName: fmt.Sprintf("alice/max%d", i), Version: "1", FileName: "f.bin"}
				_, err := e.svc.PutFile(ctx, artifact.PutFileRequest{
					Type: ref.Type, RepoName: ref.RepoName, Version: ref.Version, FileName: ref.FileName,
					Body: bytes.NewReader(data), MaxSize: tt.max,
				})
				if !tt.tooBig {
					if err != nil {
						t.Fatalf("PutFile: %v", err)
					}
					if got := e.readFile(t, ref.RepoName, ref.Version, ref.FileName); !bytes.Equal(got, data) {
						t.Errorf("stored file differs")
					}
					return
				}
				wantKind(t, "PutFile past MaxSize", err, errs.TooLarge)
				_, _, err = e.svc.StatFile(ctx, ref)
				wantKind(t, "StatFile after a refused PutFile", err, errs.NotFound)
				// The repository the refused upload made went with it.
				_, err = e.svc.Repo(ctx, "generic", ref.RepoName)
				wantKind(t, "Repo after a refused PutFile", err, errs.NotFound)
				if _, err := e.meta.GetBlob(ctx, sha256Digest(data)); !errs.Is(err, errs.NotFound) {
					t.Errorf("blob record after a refused PutFile: %v, want not found", err)
				}
				if e.stored(t, sha256Digest(data)) {
					t.Errorf("the blob store kept the refused file")
				}
			})
		}
	})
	if got := e.sessions(t); len(got) != 0 {
		t.Errorf("sessions left: %v", got)
	}
}

func TestPutFileRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	tests := []struct {
		name string
		req  artifact.PutFileRequest
		want errs.Kind
	}{
		{name: "empty version", req: artifact.PutFileRequest{Type: "generic", RepoName: "alice/r1", Version: "", FileName: "f"}, want: errs.Invalid},
		{name: "padded version", req: artifact.PutFileRequest{Type: "generic", RepoName: "alice/r2", Version: " 1.0", FileName: "f"}, want: errs.Invalid},
		{name: "bad package name", req: artifact.PutFileRequest{Type: "generic", RepoName: "alice/a b", Version: "1", FileName: "f"}, want: errs.Invalid},
		{name: "no package name", req: artifact.PutFileRequest{Type: "generic", RepoName: "alice", Version: "1", FileName: "f"}, want: errs.Invalid},
		{name: "unknown namespace", req: artifact.PutFileRequest{Type: "generic", RepoName: "bob/tool", Version: "1", FileName: "f"}, want: errs.NotFound},
		{name: "unknown type", req: artifact.PutFileRequest{Type: "hab", RepoName: "alice/tool", Version: "1", FileName: "f"}, want: errs.Unsupported},
		{name: "broken body", req: artifact.PutFileRequest{Type: "generic", RepoName: "alice/r3", Version: "1", FileName: "f",
			Body: &failingReader{data: []byte("part"), err: errors.New("connection reset")}}, want: errs.Invalid},
	}
	t.Run("group", func(t *testing.T) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				if tt.req.Body == nil {
					tt.req.Body = strings.NewReader("content")
				}
				_, err := e.svc.PutFile(t.Context(), tt.req)
				wantKind(t, "PutFile", err, tt.want)
				_, _, err = e.svc.StatFile(t.Context(), artifact.FileRef{Type: tt.req.Type, RepoName: tt.req.RepoName, Version: tt.req.Version, FileName: tt.req.FileName})
				wantKind(t, "StatFile after a refused PutFile", err, errs.NotFound)
			})
		}
	})
	if got := e.sessions(t); len(got) != 0 {
		t.Errorf("sessions left after refused puts: %v", got)
	}
	// A refused upload leaves a repository it did not make.
	ctx := t.Context()
	if _, err := e.svc.PutFile(ctx, artifact.PutFileRequest{Type: "generic", RepoName: "alice/kept", Version: "1", FileName: "a",
		Body: strings.NewReader("a")}); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.PutFile(ctx, artifact.PutFileRequest{Type: "generic", RepoName: "alice/kept", Version: "2", FileName: "b",
		Body: &failingReader{data: []byte("part"), err: errors.New("connection reset")}})
	wantKind(t, "PutFile with a broken body", err, errs.Invalid)
	if _, err := e.svc.Repo(ctx, "generic", "alice/kept"); err != nil {
		t.Errorf("the repository of an earlier upload went with a refused one: %v", err)
	}
	// One whose broken body made it goes with it.
	_, err = e.svc.PutFile(ctx, artifact.PutFileRequest{Type: "generic", RepoName: "alice/r3", Version: "1", FileName: "f",
		Body: &failingReader{data: []byte("part"), err: errors.New("connection reset")}})
	wantKind(t, "PutFile with a broken body", err, errs.Invalid)
	_, err = e.svc.Repo(ctx, "generic", "alice/r3")
	wantKind(t, "Repo after a refused PutFile", err, errs.NotFound)
}

func TestPutFileSameBytes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	data := randBytes(5000, 42)
	d := sha256Digest(data)
	refs := []artifact.FileRef{
		{Type: "generic", RepoName: "alice/one", Version: "1", FileName: "a.bin"},
		{Type: "generic", RepoName: "alice/one", Version: "1", FileName: "b.bin"},
		{Type: "generic", RepoName: "acme/two", Version: "9", FileName: "a.bin"},
	}
	for _, r := range refs {
		if f := e.putFile(t, r.RepoName, r.Version, r.FileName, data); f.Digest != d {
			t.Errorf("PutFile %s: digest %s, want %s", r.FileName, f.Digest, d)
		}
	}
	for i, r := range refs {
		if got := e.readFile(t, r.RepoName, r.Version, r.FileName); !bytes.Equal(got, data) {
			t.Errorf("file %d differs", i)
		}
		if err := e.svc.DeleteFile(ctx, r); err != nil {
			t.Fatalf("DeleteFile %d: %v", i, err)
		}
		want := []string(nil)
		if i == len(refs)-1 {
			want = []string{d}
		}
		if diff := cmp.Diff(want, e.unreferenced(t)); diff != "" {
			t.Errorf("unreferenced after deleting %d of %d files sharing a blob (-want +got):\n%s", i+1, len(refs), diff)
		}
	}
}

func TestCountDownload(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	e.putFile(t, "alice/dl", "1", "a", []byte("aaa"))
	e.putFile(t, "alice/dl", "1", "b", []byte("bbb"))
	e.putFile(t, "alice/dl", "2", "a", []byte("222"))
	ref := func(version, name string) artifact.FileRef {
		return artifact.FileRef{Type: "generic", RepoName: "alice/dl", Version: version, FileName: name}
	}
	downloads := func(version string) int64 {
		t.Helper()
		v, _, err := e.svc.StatFile(ctx, ref(version, "a"))
		if err != nil {
			t.Fatal(err)
		}
		return v.Downloads
	}
	steps := []struct {
		version, name string
		count         bool
		want1, want2  int64
	}{
		{version: "1", name: "a", count: false, want1: 0},
		{version: "1", name: "a", count: true, want1: 1},
		{version: "1", name: "B", count: true, want1: 2},
		{version: "1", name: "b", count: false, want1: 2},
		{version: "2", name: "a", count: true, want1: 2, want2: 1},
	}
	for i, s := range steps {
		f, r, err := e.svc.OpenFile(ctx, ref(s.version, s.name))
		if err != nil {
			t.Fatalf("step %d: OpenFile: %v", i, err)
		}
		if !strings.EqualFold(f.Name, s.name) {
			t.Errorf("step %d: OpenFile returned file %q", i, f.Name)
		}
		readAll(t, r)
		if s.count {
			if err := e.svc.CountDownload(ctx, f.VersionID); err != nil {
				t.Fatalf("step %d: CountDownload: %v", i, err)
			}
		}
		if got1, got2 := downloads("1"), downloads("2"); got1 != s.want1 || got2 != s.want2 {
			t.Errorf("step %d: downloads %d, %d; want %d, %d", i, got1, got2, s.want1, s.want2)
		}
	}
	for _, r := range []artifact.FileRef{ref("1", "c"), ref("3", "a"), {Type: "generic", RepoName: "alice/none", Version: "1", FileName: "a"}} {
		_, _, err := e.svc.OpenFile(ctx, r)
		wantKind(t, fmt.Sprintf("OpenFile %+v", r), err, errs.NotFound)
	}
	v, _, err := e.svc.StatFile(ctx, ref("2", "a"))
	if err != nil {
		t.Fatal(err)
	}
	wantKind(t, "CountDownload(missing version)", e.svc.CountDownload(ctx, v.ID+1000), errs.NotFound)
}

func TestDeleteFile(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	first := e.putFile(t, "alice/df", "1", "first", []byte("1st"))
	e.putFile(t, "alice/df", "1", "second", []byte("2nd"))
	repo, err := e.svc.Repo(ctx, "generic", "alice/df")
	if err != nil {
		t.Fatal(err)
	}
	ref := func(name string) artifact.FileRef {
		return artifact.FileRef{Type: "generic", RepoName: "alice/df", Version: "1", FileName: name}
	}
	if err := e.svc.DeleteFile(ctx, ref("FIRST")); err != nil {
		t.Fatalf("DeleteFile: %v", err)
	}
	_, _, err = e.svc.StatFile(ctx, ref("first"))
	wantKind(t, "StatFile of the deleted file", err, errs.NotFound)
	v, err := e.meta.GetVersion(ctx, repo.ID, "1")
	if err != nil {
		t.Fatalf("version after deleting one of two files: %v", err)
	}
	if v.ID != first.VersionID {
		t.Errorf("version id changed from %d to %d", first.VersionID, v.ID)
	}
	if got := e.readFile(t, "alice/df", "1", "second"); string(got) != "2nd" {
		t.Errorf("remaining file = %q", got)
	}

	if err := e.svc.DeleteFile(ctx, ref("second")); err != nil {
		t.Fatalf("DeleteFile of the last file: %v", err)
	}
	_, err = e.meta.GetVersion(ctx, repo.ID, "1")
	wantKind(t, "version after deleting its last file", err, errs.NotFound)

	for name, r := range map[string]artifact.FileRef{
		"deleted file":       ref("second"),
		"missing version":    {Type: "generic", RepoName: "alice/df", Version: "9", FileName: "x"},
		"missing repository": {Type: "generic", RepoName: "alice/nope", Version: "1", FileName: "x"},
	} {
		wantKind(t, "DeleteFile of a "+name, e.svc.DeleteFile(ctx, r), errs.NotFound)
	}
	// The version can be made again.
	e.putFile(t, "alice/df", "1", "first", []byte("again"))
	if got := e.readFile(t, "alice/df", "1", "first"); string(got) != "again" {
		t.Errorf("re-created file = %q", got)
	}
}

func TestDeleteNamedVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	e.putFile(t, "alice/dnv", "1", "a", []byte("a1"))
	e.putFile(t, "alice/dnv", "1", "b", []byte("b1"))
	e.putFile(t, "alice/dnv", "2", "a", []byte("a2"))
	if err := e.svc.DeleteNamedVersion(ctx, "generic", "ALICE/dnv", "1"); err != nil {
		t.Fatalf("DeleteNamedVersion: %v", err)
	}
	for _, name := range []string{"a", "b"} {
		_, _, err := e.svc.StatFile(ctx, artifact.FileRef{Type: "generic", RepoName: "alice/dnv", Version: "1", FileName: name})
		wantKind(t, "StatFile of a file of the deleted version", err, errs.NotFound)
	}
	if got := e.readFile(t, "alice/dnv", "2", "a"); string(got) != "a2" {
		t.Errorf("file of the other version = %q", got)
	}
	if diff := cmp.Diff([]string{sha256Digest([]byte("a1")), sha256Digest([]byte("b1"))}, e.unreferenced(t), cmpSorted); diff != "" {
		t.Errorf("unreferenced after DeleteNamedVersion (-want +got):\n%s", diff)
	}
	wantKind(t, "DeleteNamedVersion again", e.svc.DeleteNamedVersion(ctx, "generic", "alice/dnv", "1"), errs.NotFound)
	wantKind(t, "DeleteNamedVersion of a missing repository", e.svc.DeleteNamedVersion(ctx, "generic", "alice/none", "1"), errs.NotFound)
	wantKind(t, "DeleteNamedVersion of another type", e.svc.DeleteNamedVersion(ctx, "oci", "alice/dnv", "2"), errs.NotFound)
}
