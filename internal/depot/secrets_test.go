package depot_test

import (
	"context"
	"crypto/rand"
	"sync"
	"testing"
	"time"

	"wharf/internal/depot"
	"wharf/internal/depot/depottest"
	"wharf/internal/errs"
	"wharf/internal/format/hab"
	"wharf/internal/meta"
)

// sealTo seals value to the public encryption key a depot served.
func sealTo(t *testing.T, f depot.KeyFile, value string) string {
	t.Helper()
	k, err := hab.ParseKey(f.Text, hab.BoxPublic)
	if err != nil {
		t.Fatalf("served encryption key: %v", err)
	}
	box, err := hab.SealAnonymous([]byte(value), k, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return box.String()
}

func TestSecrets(t *testing.T) {
	t.Parallel()
	forBackends(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin := e.as(t, "admin")

		// Before anyone asked for the encryption key the origin has none.
		_, pub, err := hab.GenerateBoxPair(depottest.Origin, time.Now(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		early, _ := hab.SealAnonymous([]byte("x"), pub.Public(), rand.Reader)
		if _, err := e.svc.CreateSecret(ctx, admin, depottest.Origin, depot.SecretRequest{Name: "EARLY", Value: early.String()}); !errs.Is(err, errs.Invalid) {
			t.Errorf("secret for an origin without encryption key: %v, want invalid", err)
		}

		if _, err := e.svc.EncryptionKey(ctx, e.as(t, "out"), depottest.Origin); !errs.Is(err, errs.Denied) {
			t.Errorf("outsider reads the encryption key: %v", err)
		}
		f, err := e.svc.EncryptionKey(ctx, e.as(t, "ro"), depottest.Origin)
		if err != nil {
			t.Fatal(err)
		}
		if again, err := e.svc.EncryptionKey(ctx, admin, depottest.Origin); err != nil || again != f {
			t.Errorf("second request: %+v, %v, want %+v", again, err, f)
		}
		if f.FileName != depottest.Origin+"-"+f.Revision+".pub" {
			t.Errorf("encryption key file name %q", f.FileName)
		}
		value := sealTo(t, f, "s3cret")

		// A box sealed to another key of the same name and revision
		// parses but does not open.
		otherPub, _, err := hab.GenerateBoxPair(depottest.Origin, time.Now(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		otherPub.Revision = f.Revision
		forged, err := hab.SealAnonymous([]byte("s3cret"), otherPub, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			user  string
			req   depot.SecretRequest
			kind  errs.Kind
			msg   string
			label string
		}{
			{"maint", depot.SecretRequest{Name: "A", Value: value}, errs.Denied, "", "maintainer"},
			{"", depot.SecretRequest{Name: "A", Value: value}, errs.Unauthenticated, "", "anonymous"},
			{"admin", depot.SecretRequest{Value: value}, errs.Invalid, "Missing value for field 'name'", "no name"},
			{"admin", depot.SecretRequest{Name: "A"}, errs.Invalid, "Missing value for field 'value'", "no value"},
			{"admin", depot.SecretRequest{Name: "A", Value: "s3cret"}, errs.Invalid, "", "plain value"},
			{"admin", depot.SecretRequest{Name: "A", Value: forged.String()}, errs.Invalid, "", "box of another key"},
			{"admin", depot.SecretRequest{Name: "A", Value: early.String()}, errs.Invalid, "", "box of an unknown revision"},
		}
		for _, tt := range tests {
			_, err := e.svc.CreateSecret(ctx, e.users[tt.user], depottest.Origin, tt.req)
			if !errs.Is(err, tt.kind) || tt.msg != "" && errs.Message(err) != tt.msg {
				t.Errorf("%s: %v (%s), want %v %q", tt.label, err, errs.Message(err), tt.kind, tt.msg)
			}
		}

		s, err := e.svc.CreateSecret(ctx, admin, depottest.Origin, depot.SecretRequest{Name: "AWS_KEY", Value: value})
		if err != nil {
			t.Fatal(err)
		}
		if s.Value != value || s.ID == 0 {
			t.Errorf("created %+v", s)
		}
		if _, err := e.svc.CreateSecret(ctx, admin, depottest.Origin, depot.SecretRequest{Name: "AWS_KEY", Value: sealTo(t, f, "y")}); !errs.Is(err, errs.Exists) {
			t.Errorf("duplicate name: %v, want exists", err)
		}
		if _, err := e.svc.Secrets(ctx, e.as(t, "maint"), depottest.Origin); !errs.Is(err, errs.Denied) {
			t.Errorf("maintainer lists secrets: %v", err)
		}
		list, err := e.svc.Secrets(ctx, admin, depottest.Origin)
		if err != nil || len(list) != 1 || list[0].Name != "AWS_KEY" || list[0].Value != value {
			t.Fatalf("secrets %+v, %v", list, err)
		}
		if err := e.svc.DeleteSecret(ctx, e.as(t, "maint"), depottest.Origin, "AWS_KEY"); !errs.Is(err, errs.Denied) {
			t.Errorf("maintainer deletes a secret: %v", err)
		}
		for range 2 {
			if err := e.svc.DeleteSecret(ctx, admin, depottest.Origin, "AWS_KEY"); err != nil {
				t.Errorf("delete: %v", err)
			}
		}
		if list, _ := e.svc.Secrets(ctx, admin, depottest.Origin); len(list) != 0 {
			t.Errorf("secrets after delete: %+v", list)
		}
		// The secret encryption key is sealed at rest.
		row, err := e.store.GetOriginKey(ctx, e.acme.ID, meta.KeyBoxSecret, f.Revision)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := hab.ParseKey(string(row.Body), 0); err == nil {
			t.Errorf("the secret encryption key is stored in the clear")
		}
	})
}

// TestEncryptionKeyRace has concurrent first requests, in one depot and in
// two depots over one store at the same instant (two servers), end with
// one key pair.
func TestEncryptionKeyRace(t *testing.T) {
	t.Parallel()
	for _, b := range depottest.Backends {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			at := time.Date(2025, 5, 5, 5, 5, 5, 0, time.UTC)
			e := newRoleEnv(t, b.Open(t), func() time.Time { return at })
			services := []*depot.Service{e.svc, e.base.NewDepot(t)}
			const n = 16
			got := make([]depot.KeyFile, n)
			fails := make([]error, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				wg.Go(func() {
					<-start
					got[i], fails[i] = services[i%2].EncryptionKey(context.Background(), e.as(t, "ro"), depottest.Origin)
				})
			}
			close(start)
			wg.Wait()
			for i := range n {
				if fails[i] != nil {
					t.Fatalf("request %d: %v", i, fails[i])
				}
				if got[i] != got[0] {
					t.Errorf("request %d got %q, request 0 %q", i, got[i].Text, got[0].Text)
				}
			}
			for _, kind := range []string{meta.KeyBoxPublic, meta.KeyBoxSecret} {
				keys, err := e.store.ListOriginKeys(context.Background(), e.acme.ID, kind)
				if err != nil || len(keys) != 1 {
					t.Errorf("%s keys: %d, %v, want 1", kind, len(keys), err)
				}
			}
			// The secret key that was kept opens what is sealed to the
			// public key that was served.
			if _, err := e.svc.CreateSecret(context.Background(), e.as(t, "admin"), depottest.Origin,
				depot.SecretRequest{Name: "K", Value: sealTo(t, got[0], "v")}); err != nil {
				t.Errorf("secret sealed to the served key: %v", err)
			}
		})
	}
}
