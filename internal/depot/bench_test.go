package depot_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"wharf/internal/auth"
	"wharf/internal/blob/fs"
	"wharf/internal/depot"
	"wharf/internal/depot/depottest"
	"wharf/internal/format/hab"
)

// benchDepot is a depot over SQLite and the filesystem blob store, as
// `wharf serve` runs it, with an origin "bench" whose owner is returned.
func benchDepot(b *testing.B) (*depot.Service, auth.Principal, hab.Key) {
	b.Helper()
	ctx := context.Background()
	dir := b.TempDir()
	blobs, err := fs.New(filepath.Join(dir, "blobs"), fs.Options{Fsync: true})
	if err != nil {
		b.Fatal(err)
	}
	e := depottest.New(b, depottest.OpenSQLite(b), blobs, func(o *depot.Options) {
		o.Authorizer = auth.NewAuthorizer(o.Store, time.Second)
		o.VerifySignatures = true
	})
	svc, acct := e.Depot, e.Accounts
	if _, err := acct.CreateUser(ctx, auth.CreateUserRequest{Name: "owner", Email: "owner@example.com", Password: "secret-owner"}); err != nil {
		b.Fatal(err)
	}
	secret, _, err := acct.CreateToken(ctx, auth.CreateTokenRequest{User: "owner", Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	p, err := acct.Authenticate(ctx, auth.Credentials{Kind: auth.Bearer, Token: secret})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.CreateOrigin(ctx, p, depot.CreateOriginRequest{Name: "bench"}); err != nil {
		b.Fatal(err)
	}
	pub, sec, err := hab.GenerateSigningPair("bench", time.Now(), nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.UploadSigningKey(ctx, p, "bench", pub.Revision, pub.String()); err != nil {
		b.Fatal(err)
	}
	return svc, p, sec
}

// benchHart writes a signed .hart of an ident holding size bytes of
// incompressible data, and returns it with its checksum.
func benchHart(b *testing.B, key hab.Key, id hab.Ident, size int64) ([]byte, string) {
	b.Helper()
	rng := rand.NewChaCha8([32]byte{1})
	m := hab.Metadata{Ident: id, Target: hab.DefaultTarget, Manifest: "# " + id.Name,
		TDeps: []hab.Ident{{Origin: "core", Name: "glibc", Version: "2.39", Release: "20240101000000"}}}
	var buf bytes.Buffer
	files := []hab.File{{Path: "data.bin", Size: size, Body: &limited{r: rng, n: size}}}
	if err := hab.WriteArchive(&buf, m, files, key, time.Unix(1_700_000_000, 0)); err != nil {
		b.Fatal(err)
	}
	a, err := hab.ReadArchive(bytes.NewReader(buf.Bytes()))
	if err != nil {
		b.Fatal(err)
	}
	return buf.Bytes(), a.Checksum
}

// limited reads n bytes of r.
type limited struct {
	r interface{ Read([]byte) (int, error) }
	n int64
}

func (l *limited) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, os.ErrClosed
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// BenchmarkUpload measures an upload of a 16 MiB .hart: the body streams
// to the blob store while it is decompressed, hashed twice and checked,
// then the release is indexed; each iteration deletes it again.
func BenchmarkUpload(b *testing.B) {
	svc, p, key := benchDepot(b)
	ctx := context.Background()
	id := hab.Ident{Origin: "bench", Name: "big", Version: "1.0.0", Release: "20260101000000"}
	hart, sum := benchHart(b, key, id, 16<<20)
	b.SetBytes(int64(len(hart)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := svc.Upload(ctx, p, depot.UploadRequest{Ident: id, Target: hab.DefaultTarget, Checksum: sum,
			Body: bytes.NewReader(hart)}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := svc.DeletePackage(ctx, p, id, hab.DefaultTarget); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkLatestInChannel measures the lookup `hab pkg install` makes:
// the newest release of a package in a channel, among 500 releases.
func BenchmarkLatestInChannel(b *testing.B) {
	svc, p, key := benchDepot(b)
	ctx := context.Background()
	for i := range 500 {
		id := hab.Ident{Origin: "bench", Name: "app", Version: fmt.Sprintf("1.%d.%d", i/50, i%50),
			Release: fmt.Sprintf("2026%010d", i)}
		hart, sum := benchHart(b, key, id, 64)
		if _, err := svc.Upload(ctx, p, depot.UploadRequest{Ident: id, Target: hab.DefaultTarget, Checksum: sum,
			Body: bytes.NewReader(hart)}); err != nil {
			b.Fatal(err)
		}
	}
	req := depot.LatestRequest{Origin: "bench", Name: "app", Channel: depot.Unstable, Target: hab.DefaultTarget}
	b.ResetTimer()
	for b.Loop() {
		pkg, err := svc.Latest(ctx, auth.Principal{}, req)
		if err != nil {
			b.Fatal(err)
		}
		if pkg.Version != "1.9.49" {
			b.Fatalf("latest = %s", pkg.Version)
		}
	}
}
