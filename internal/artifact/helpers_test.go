package artifact_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"wharf/internal/artifact"
	"wharf/internal/blob"
	"wharf/internal/blob/memblob"
	"wharf/internal/errs"
	"wharf/internal/format/generic"
	"wharf/internal/format/oci"
	"wharf/internal/meta"
	"wharf/internal/meta/sqlite"
)

// farFuture is far enough ahead that every row of a test is older.
const farFuture = 100 * 365 * 24 * time.Hour

// Namespaces every env starts with: a private user and a public
// organization.
const (
	userNS = "alice"
	orgNS  = "acme"
)

// ignoreCreated leaves out the timestamps the stores assign.
var ignoreCreated = cmpopts.IgnoreFields(meta.Blob{}, "Created")

// cmpSorted compares string slices as sets.
var cmpSorted = cmpopts.SortSlices(func(a, b string) bool { return a < b })

// testFormats registers the formats as the application does.
func testFormats() []artifact.Format {
	return []artifact.Format{
		{
			Type:            "oci",
			ValidName:       oci.ValidRepoName,
			PublicByDefault: func(meta.Namespace) bool { return false },
		},
		{
			Type: "generic",
			ValidName: func(name string) error {
				_, pkg, ok := strings.Cut(name, "/")
				if !ok {
					return generic.ValidPackageName("")
				}
				return generic.ValidPackageName(pkg)
			},
			ValidVersion:    generic.ValidVersion,
			PublicByDefault: func(ns meta.Namespace) bool { return ns.Public },
			FileSums:        true,
		},
	}
}

// clock is the wall clock moved by an offset, so that a test can make
// the service believe time has passed while the stores keep real time.
type clock struct{ off atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Now().Add(time.Duration(c.off.Load())) }
func (c *clock) Advance(d time.Duration) { c.off.Add(int64(d)) }

// env is a Service over real stores.
type env struct {
	svc   *artifact.Service
	meta  meta.Store
	blobs blob.Store
	clock *clock
}

// newEnv returns a Service on SQLite in a temporary directory and the
// in-memory blob store, with the namespaces userNS and orgNS.
func newEnv(t testing.TB, opt artifact.Options) *env {
	t.Helper()
	m := openMeta(t, filepath.Join(t.TempDir(), "meta.db"))
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close metadata store: %v", err)
		}
	})
	createNamespaces(t, m)
	return newEnvOn(t, m, memblob.New(), opt)
}

// newEnvOn returns a Service over the given stores. When opt.Now is nil
// the env's clock drives the service.
func newEnvOn(t testing.TB, m meta.Store, b blob.Store, opt artifact.Options) *env {
	t.Helper()
	c := &clock{}
	if opt.Now == nil {
		opt.Now = c.Now
	}
	svc, err := artifact.New(m, b, testFormats(), opt)
	if err != nil {
		t.Fatalf("artifact.New: %v", err)
	}
	return &env{svc: svc, meta: m, blobs: b, clock: c}
}

// openMeta opens a SQLite store; the caller closes it.
func openMeta(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	m, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	return m
}

func createNamespaces(t testing.TB, m meta.Store) {
	t.Helper()
	for _, ns := range []meta.Namespace{
		{Name: userNS, Kind: meta.KindUser},
		{Name: orgNS, Kind: meta.KindOrg, Public: true},
	} {
		if err := m.CreateNamespace(context.Background(), &ns); err != nil {
			t.Fatalf("CreateNamespace %s: %v", ns.Name, err)
		}
	}
}

// repo returns the repository, creating it.
func (e *env) repo(t testing.TB, typ, name string) meta.Repository {
	t.Helper()
	r, err := e.svc.EnsureRepo(context.Background(), typ, name, 0)
	if err != nil {
		t.Fatalf("EnsureRepo(%s, %s): %v", typ, name, err)
	}
	return r
}

// push stores data as a blob linked to the repository and returns its
// digest.
func (e *env) push(t testing.TB, repoID int64, data []byte) string {
	t.Helper()
	d := sha256Digest(data)
	if _, err := e.svc.PutBlob(context.Background(), repoID, d, bytes.NewReader(data)); err != nil {
		t.Fatalf("PutBlob %s: %v", d, err)
	}
	return d
}

// readBlob returns the content of a blob linked to the repository.
func (e *env) readBlob(t testing.TB, repoID int64, digest string) []byte {
	t.Helper()
	b, r, err := e.svc.OpenBlob(context.Background(), repoID, digest)
	if err != nil {
		t.Fatalf("OpenBlob %s: %v", digest, err)
	}
	data := readAll(t, r)
	if int64(len(data)) != b.Size || r.Size() != b.Size {
		t.Errorf("OpenBlob %s: read %d bytes, reader size %d, recorded %d", digest, len(data), r.Size(), b.Size)
	}
	return data
}

// sessions returns the ids of every upload session in the metadata store.
func (e *env) sessions(t testing.TB) []string {
	t.Helper()
	ups, err := e.meta.StaleUploads(context.Background(), time.Now().Add(farFuture), 0)
	if err != nil {
		t.Fatalf("StaleUploads: %v", err)
	}
	var ids []string
	for _, u := range ups {
		ids = append(ids, u.ID)
	}
	return ids
}

// unreferenced returns the digests of every blob record nothing refers
// to, whatever its age.
func (e *env) unreferenced(t testing.TB) []string {
	t.Helper()
	bs, err := e.meta.UnreferencedBlobs(context.Background(), time.Now().Add(farFuture), 0)
	if err != nil {
		t.Fatalf("UnreferencedBlobs: %v", err)
	}
	var ds []string
	for _, b := range bs {
		ds = append(ds, b.Digest)
	}
	return ds
}

// stored reports whether the blob store holds a committed blob.
func (e *env) stored(t testing.TB, digest string) bool {
	t.Helper()
	_, err := e.blobs.Stat(context.Background(), digest)
	if err != nil && !errs.Is(err, errs.NotFound) {
		t.Fatalf("blob Stat %s: %v", digest, err)
	}
	return err == nil
}

func readAll(t testing.TB, r io.ReadCloser) []byte {
	t.Helper()
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return data
}

// readAllErr reads and closes r; for goroutines, which must not stop the
// test.
func readAllErr(r io.ReadCloser) ([]byte, error) {
	defer r.Close()
	return io.ReadAll(r)
}

// wantKind reports an error unless err is of kind k.
func wantKind(t testing.TB, what string, err error, k errs.Kind) {
	t.Helper()
	if !errs.Is(err, k) {
		t.Errorf("%s: error %v (kind %v), want kind %v", what, err, errs.KindOf(err), k)
	}
}

func sha256Digest(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

func sha512Digest(b []byte) string {
	s := sha512.Sum512(b)
	return "sha512:" + hex.EncodeToString(s[:])
}

// randBytes returns n pseudo-random bytes determined by seed.
func randBytes(n int, seed uint64) []byte {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	b := make([]byte, n)
	rand.NewChaCha8(key).Read(b)
	return b
}

// failingReader yields data and then fails with err.
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}
