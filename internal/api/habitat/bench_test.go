package habitat_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"wharf/internal/api/habitat"
	"wharf/internal/auth"
	"wharf/internal/depot"
	"wharf/internal/depot/depottest"
	"wharf/internal/format/hab"
)

// BenchmarkLatestInChannelHTTP measures the request `hab pkg install` and
// the Supervisor make, over HTTP on loopback with 16 clients at once: the
// newest release of a package in a channel among 100, answered with the
// full package JSON, from SQLite.
func BenchmarkLatestInChannelHTTP(b *testing.B) {
	ctx := context.Background()
	e := depottest.New(b, depottest.OpenSQLite(b), nil, func(o *depot.Options) {
		o.Authorizer = auth.NewAuthorizer(o.Store, time.Second)
	})
	if _, err := e.Accounts.CreateUser(ctx, auth.CreateUserRequest{Name: "owner", Email: "owner@example.com", Password: "secret-owner"}); err != nil {
		b.Fatal(err)
	}
	secret, _, err := e.Accounts.CreateToken(ctx, auth.CreateTokenRequest{User: "owner", Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	p, err := e.Accounts.Authenticate(ctx, auth.Credentials{Kind: auth.Bearer, Token: secret})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.Depot.CreateOrigin(ctx, p, depot.CreateOriginRequest{Name: "bench"}); err != nil {
		b.Fatal(err)
	}
	_, key, err := hab.GenerateSigningPair("bench", time.Now(), nil)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 100 {
		id := hab.Ident{Origin: "bench", Name: "app", Version: fmt.Sprintf("1.%d.%d", i/10, i%10), Release: fmt.Sprintf("2026%010d", i)}
		m := hab.Metadata{Ident: id, Target: hab.DefaultTarget, Manifest: "# app\npkg_exposes=(port)\n", Config: "port = 80\n",
			TDeps: []hab.Ident{{Origin: "core", Name: "glibc", Version: "2.39", Release: "20240101000000"}}, Exposes: []uint16{80}}
		var buf bytes.Buffer
		if err := hab.WriteArchive(&buf, m, nil, key, time.Unix(1_700_000_000, 0)); err != nil {
			b.Fatal(err)
		}
		a, err := hab.ReadArchive(bytes.NewReader(buf.Bytes()))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.Depot.Upload(ctx, p, depot.UploadRequest{Ident: id, Target: hab.DefaultTarget, Checksum: a.Checksum,
			Body: &buf}); err != nil {
			b.Fatal(err)
		}
	}
	srv := httptest.NewServer(habitat.NewHandler(habitat.Options{Depot: e.Depot, Accounts: e.Accounts}))
	defer srv.Close()
	url := srv.URL + "/v1/depot/channels/bench/unstable/pkgs/app/latest?target=" + hab.DefaultTarget
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.SetParallelism(8) // 16 clients on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Get(url)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}
