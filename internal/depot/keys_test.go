package depot_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"wharf/internal/depot/depottest"
	"wharf/internal/errs"
	"wharf/internal/format/hab"
	"wharf/internal/meta"
)

func TestSigningKeyUpload(t *testing.T) {
	t.Parallel()
	forBackends(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		old, _, err := hab.GenerateSigningPair(depottest.Origin, time.Date(2019, 6, 18, 17, 52, 35, 0, time.UTC), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		newer, _, err := hab.GenerateSigningPair(depottest.Origin, time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.SigningKey(ctx, depottest.Origin, ""); !errs.Is(err, errs.NotFound) {
			t.Fatalf("latest key of an origin without keys: %v, want not found", err)
		}
		for _, k := range []hab.Key{newer, old} {
			f, err := e.svc.UploadSigningKey(ctx, e.as(t, "admin"), depottest.Origin, k.Revision, k.String()+"\n")
			if err != nil {
				t.Fatalf("upload %s: %v", k.NameWithRevision(), err)
			}
			if f.Revision != k.Revision || f.FileName != depottest.Origin+"-"+k.Revision+".pub" || f.Text != k.String() {
				t.Errorf("upload %s answered %+v", k.NameWithRevision(), f)
			}
		}
		list, err := e.svc.SigningKeys(ctx, depottest.Origin)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Revision != newer.Revision || list[1].Revision != old.Revision {
			t.Errorf("keys %+v, want %s then %s", list, newer.Revision, old.Revision)
		}
		got, err := e.svc.SigningKey(ctx, depottest.Origin, old.Revision)
		if err != nil || got.Text != old.String() {
			t.Errorf("key %s: %q, %v", old.Revision, got.Text, err)
		}
		latest, err := e.svc.SigningKey(ctx, depottest.Origin, "")
		if err != nil || latest.Text != newer.String() {
			t.Errorf("latest key: %q, %v, want %s", latest.Text, err, newer.Revision)
		}
		if _, err := e.svc.SigningKey(ctx, depottest.Origin, "20000101000000"); !errs.Is(err, errs.NotFound) {
			t.Errorf("missing revision: %v, want not found", err)
		}

		// The order of Builder's checks: a member re-sending a known
		// revision learns it exists; a new key needs an administrator.
		third, _, _ := hab.GenerateSigningPair(depottest.Origin, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), rand.Reader)
		other, _, _ := hab.GenerateSigningPair(depottest.Other, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), rand.Reader)
		tests := []struct {
			user, rev, text string
			kind            errs.Kind
			msg             string
		}{
			{"mem", old.Revision, old.String(), errs.Exists, ""},
			{"admin", old.Revision, "garbage", errs.Exists, ""},
			{"mem", third.Revision, third.String(), errs.Denied,
				"You do not have permissions to upload a new origin signing public key: acme-" + third.Revision},
			{"maint", third.Revision, third.String(), errs.Denied, ""},
			{"ro", old.Revision, old.String(), errs.Denied, ""},
			{"out", old.Revision, old.String(), errs.Denied, ""},
			{"", old.Revision, old.String(), errs.Unauthenticated, ""},
			{"admin", third.Revision, "SIG-PUB-1\nacme-20210101000000\n\nnot base64", errs.Invalid, "Invalid origin public key"},
			{"admin", third.Revision, strings.Replace(third.String(), "SIG-PUB-1", "BOX-PUB-1", 1), errs.Invalid, "Invalid origin public key"},
			{"admin", other.Revision, other.String(), errs.Invalid, ""},
		}
		for _, tt := range tests {
			p := e.users[tt.user]
			_, err := e.svc.UploadSigningKey(ctx, p, depottest.Origin, tt.rev, tt.text)
			if !errs.Is(err, tt.kind) || tt.msg != "" && errs.Message(err) != tt.msg {
				t.Errorf("%q uploads %s: %v (%s), want %v %q", tt.user, tt.rev, err, errs.Message(err), tt.kind, tt.msg)
			}
		}
		if list, _ := e.svc.SigningKeys(ctx, depottest.Origin); len(list) != 2 {
			t.Errorf("refused uploads stored keys: %+v", list)
		}
		if _, err := e.svc.SigningKeys(ctx, "nosuch"); !errs.Is(err, errs.NotFound) {
			t.Errorf("keys of an unknown origin: %v", err)
		}
	})
}

func TestGenerateSigningKey(t *testing.T) {
	t.Parallel()
	forBackends(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		for _, u := range []string{"maint", "out"} {
			if _, err := e.svc.GenerateSigningKey(ctx, e.as(t, u), depottest.Origin); !errs.Is(err, errs.Denied) {
				t.Errorf("%s generates: %v, want denied", u, err)
			}
		}
		pub, err := e.svc.GenerateSigningKey(ctx, e.as(t, "admin"), depottest.Origin)
		if err != nil {
			t.Fatal(err)
		}
		listed, err := e.svc.SigningKey(ctx, depottest.Origin, "")
		if err != nil || listed != pub {
			t.Fatalf("latest key %+v, %v, want %+v", listed, err, pub)
		}
		if _, err := e.svc.SecretSigningKey(ctx, e.as(t, "ro"), depottest.Origin); !errs.Is(err, errs.Denied) {
			t.Errorf("read-only member reads the secret key: %v", err)
		}
		sec, err := e.svc.SecretSigningKey(ctx, e.as(t, "mem"), depottest.Origin)
		if err != nil {
			t.Fatal(err)
		}
		if sec.FileName != depottest.Origin+"-"+pub.Revision+".sig.key" {
			t.Errorf("secret key file name %q", sec.FileName)
		}
		k, err := hab.ParseKey(sec.Text, hab.SigSecret)
		if err != nil {
			t.Fatalf("secret key: %v", err)
		}
		if k.Public().String() != pub.Text {
			t.Errorf("the secret key's public half is not the listed key")
		}
		// At rest the secret key is sealed.
		row, err := e.store.GetOriginKey(ctx, e.acme.ID, meta.KeySigSecret, pub.Revision)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(row.Body, []byte("SIG-SEC-1")) || bytes.Contains(row.Body, []byte(strings.Split(sec.Text, "\n")[3])) {
			t.Errorf("the secret key is stored in the clear")
		}
	})
}

func TestUploadSecretSigningKey(t *testing.T) {
	t.Parallel()
	forBackends(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin := e.as(t, "admin")
		pub, sec, err := hab.GenerateSigningPair(depottest.Origin, time.Date(2022, 2, 2, 2, 2, 2, 0, time.UTC), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.UploadSecretSigningKey(ctx, e.as(t, "maint"), depottest.Origin, sec.String()); !errs.Is(err, errs.Denied) {
			t.Errorf("maintainer uploads a secret key: %v", err)
		}
		for _, bad := range []string{"", "garbage", pub.String()} {
			_, err := e.svc.UploadSecretSigningKey(ctx, admin, depottest.Origin, bad)
			if !errs.Is(err, errs.Invalid) || errs.Message(err) != "Invalid origin secret key" {
				t.Errorf("upload %q: %v", bad, err)
			}
		}
		if _, err := e.svc.UploadSecretSigningKey(ctx, admin, depottest.Origin, sec.String()); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.UploadSecretSigningKey(ctx, admin, depottest.Origin, sec.String()); !errs.Is(err, errs.Exists) {
			t.Errorf("second upload: %v, want exists", err)
		}
		got, err := e.svc.SecretSigningKey(ctx, e.as(t, "mem"), depottest.Origin)
		if err != nil || got.Text != sec.String() {
			t.Errorf("secret key %q, %v", got.Text, err)
		}
		// Its public half is there for download verification.
		if got, err := e.svc.SigningKey(ctx, depottest.Origin, pub.Revision); err != nil || got.Text != pub.String() {
			t.Errorf("public half %q, %v", got.Text, err)
		}

		// A secret key whose revision has another public key is refused,
		// and the public key stays.
		other, _, _ := hab.GenerateSigningPair(depottest.Origin, time.Date(2023, 3, 3, 3, 3, 3, 0, time.UTC), rand.Reader)
		_, sec2, _ := hab.GenerateSigningPair(depottest.Origin, time.Date(2023, 3, 3, 3, 3, 3, 0, time.UTC), rand.Reader)
		if _, err := e.svc.UploadSigningKey(ctx, admin, depottest.Origin, other.Revision, other.String()); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.UploadSecretSigningKey(ctx, admin, depottest.Origin, sec2.String()); !errs.Is(err, errs.Invalid) {
			t.Errorf("mismatched secret key: %v, want invalid", err)
		}
		if _, err := e.store.GetOriginKey(ctx, e.acme.ID, meta.KeySigSecret, sec2.Revision); !errs.Is(err, errs.NotFound) {
			t.Errorf("the refused secret key was stored: %v", err)
		}
		// A secret key of another origin is refused.
		_, foreign, _ := hab.GenerateSigningPair(depottest.Other, time.Date(2024, 4, 4, 4, 4, 4, 0, time.UTC), rand.Reader)
		if _, err := e.svc.UploadSecretSigningKey(ctx, admin, depottest.Origin, foreign.String()); !errs.Is(err, errs.Invalid) {
			t.Errorf("secret key of another origin: %v, want invalid", err)
		}
	})
}
