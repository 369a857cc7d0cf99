package metatest

import (
	"slices"
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// Conformance of meta.OriginKeys and meta.OriginInvitations.

// originKey creates a key of an origin.
func (f *fixture) originKey(namespaceID int64, kind, revision string) meta.OriginKey {
	f.t.Helper()
	k := meta.OriginKey{NamespaceID: namespaceID, Kind: kind, Revision: revision,
		Body: []byte(kind + " " + revision + "\x00\xff"), OwnerID: 7}
	f.ok(f.s.CreateOriginKey(f.ctx, &k))
	return k
}

// revisions returns the revisions of keys, in order.
func revisions(ks []meta.OriginKey) []string {
	var rs []string
	for _, k := range ks {
		rs = append(rs, k.Revision)
	}
	return rs
}

func originKeyTests() []test {
	return []test{
		{"CreateGetLatestList", func(t *testing.T, f *fixture) {
			acme, other := f.org("acme", true), f.org("other", true)
			before := time.Now()
			k := meta.OriginKey{NamespaceID: acme.ID, Kind: meta.KeySigPublic, Revision: "20200101000000",
				Body: []byte("SIG-PUB-1\nacme-20200101000000\n\n\x00\xffkey"), OwnerID: 42}
			f.ok(f.s.CreateOriginKey(f.ctx, &k))
			if k.ID == 0 {
				t.Error("CreateOriginKey left ID zero")
			}
			wantStamp(t, "Created", k.Created, before)
			got, err := f.s.GetOriginKey(f.ctx, acme.ID, meta.KeySigPublic, "20200101000000")
			f.ok(err)
			wantEqual(t, "GetOriginKey", got, k)

			// Revisions created out of order come back highest first.
			f.originKey(acme.ID, meta.KeySigPublic, "20210315120000")
			f.originKey(acme.ID, meta.KeySigPublic, "20191231235959")
			f.originKey(acme.ID, meta.KeySigSecret, "20990101000000")
			f.originKey(other.ID, meta.KeySigPublic, "20300101000000")
			latest, err := f.s.LatestOriginKey(f.ctx, acme.ID, meta.KeySigPublic)
			f.ok(err)
			if latest.Revision != "20210315120000" || latest.NamespaceID != acme.ID || latest.Kind != meta.KeySigPublic {
				t.Errorf("LatestOriginKey = %+v, want revision 20210315120000 of acme", latest)
			}
			ks, err := f.s.ListOriginKeys(f.ctx, acme.ID, meta.KeySigPublic)
			f.ok(err)
			if rs := revisions(ks); !slices.Equal(rs, []string{"20210315120000", "20200101000000", "20191231235959"}) {
				t.Errorf("ListOriginKeys revisions = %v, want highest first, of one kind and origin", rs)
			}
			if len(ks) == 3 {
				wantEqual(t, "listed key", ks[1], k)
			}
			secret, err := f.s.LatestOriginKey(f.ctx, acme.ID, meta.KeySigSecret)
			f.ok(err)
			if secret.Revision != "20990101000000" || string(secret.Body) != meta.KeySigSecret+" 20990101000000\x00\xff" {
				t.Errorf("LatestOriginKey(sig-secret) = %+v", secret)
			}

			// A kind without keys.
			_, err = f.s.LatestOriginKey(f.ctx, acme.ID, meta.KeyBoxPublic)
			wantKind(t, "LatestOriginKey without keys", err, errs.NotFound)
			ks, err = f.s.ListOriginKeys(f.ctx, acme.ID, meta.KeyBoxPublic)
			f.ok(err)
			if len(ks) != 0 {
				t.Errorf("ListOriginKeys without keys = %v", ks)
			}
			_, err = f.s.GetOriginKey(f.ctx, acme.ID, meta.KeySigPublic, "20220101000000")
			wantKind(t, "GetOriginKey of a missing revision", err, errs.NotFound)
			_, err = f.s.GetOriginKey(f.ctx, acme.ID, meta.KeyBoxPublic, "20200101000000")
			wantKind(t, "GetOriginKey of another kind", err, errs.NotFound)
			_, err = f.s.GetOriginKey(f.ctx, other.ID, meta.KeySigPublic, "20200101000000")
			wantKind(t, "GetOriginKey of another origin", err, errs.NotFound)
		}},
		{"Errors", func(t *testing.T, f *fixture) {
			acme, other := f.org("acme", true), f.org("other", true)
			for _, kind := range []string{"", "sig", "SIG-PUBLIC", "Sig-Public", "sig-public "} {
				k := meta.OriginKey{NamespaceID: acme.ID, Kind: kind, Revision: "20200101000000", Body: []byte("k")}
				wantKind(t, "CreateOriginKey(kind "+kind+")", f.s.CreateOriginKey(f.ctx, &k), errs.Invalid)
				_, err := f.s.GetOriginKey(f.ctx, acme.ID, kind, "20200101000000")
				wantKind(t, "GetOriginKey(kind "+kind+")", err, errs.Invalid)
				_, err = f.s.LatestOriginKey(f.ctx, acme.ID, kind)
				wantKind(t, "LatestOriginKey(kind "+kind+")", err, errs.Invalid)
				_, err = f.s.ListOriginKeys(f.ctx, acme.ID, kind)
				wantKind(t, "ListOriginKeys(kind "+kind+")", err, errs.Invalid)
			}
			for _, rev := range []string{"", "2020", "2020010100000", "202001010000000", "2020010100000a",
				"2020-01-01T000", " 20200101000000", "２0200101000000"} {
				k := meta.OriginKey{NamespaceID: acme.ID, Kind: meta.KeyBoxPublic, Revision: rev, Body: []byte("k")}
				wantKind(t, "CreateOriginKey(revision "+rev+")", f.s.CreateOriginKey(f.ctx, &k), errs.Invalid)
				_, err := f.s.GetOriginKey(f.ctx, acme.ID, meta.KeyBoxPublic, rev)
				wantKind(t, "GetOriginKey(revision "+rev+")", err, errs.Invalid)
			}
			wantKind(t, "CreateOriginKey(empty body)", f.s.CreateOriginKey(f.ctx,
				&meta.OriginKey{NamespaceID: acme.ID, Kind: meta.KeyBoxPublic, Revision: "20200101000000"}), errs.Invalid)
			wantKind(t, "CreateOriginKey(missing namespace)", f.s.CreateOriginKey(f.ctx,
				&meta.OriginKey{NamespaceID: 999999, Kind: meta.KeyBoxPublic, Revision: "20200101000000", Body: []byte("k")}), errs.NotFound)
			if ks, err := f.s.ListOriginKeys(f.ctx, acme.ID, meta.KeyBoxPublic); err != nil || len(ks) != 0 {
				t.Errorf("refused keys were stored: %v, %v", ks, err)
			}

			first := f.originKey(acme.ID, meta.KeyBoxPublic, "20200101000000")
			dup := meta.OriginKey{NamespaceID: acme.ID, Kind: meta.KeyBoxPublic, Revision: "20200101000000", Body: []byte("other")}
			wantKind(t, "CreateOriginKey(duplicate)", f.s.CreateOriginKey(f.ctx, &dup), errs.Exists)
			got, err := f.s.GetOriginKey(f.ctx, acme.ID, meta.KeyBoxPublic, "20200101000000")
			f.ok(err)
			wantEqual(t, "key after a refused duplicate", got, first)
			// The same revision of another kind, or of another origin, is another key.
			f.originKey(acme.ID, meta.KeyBoxSecret, "20200101000000")
			f.originKey(other.ID, meta.KeyBoxPublic, "20200101000000")
		}},
		{"InTx", func(t *testing.T, f *fixture) {
			acme := f.org("acme", true)
			f.originKey(acme.ID, meta.KeySigPublic, "20200101000000")
			// Refused writes leave the transaction usable.
			f.ok(f.s.Tx(f.ctx, func(q meta.Queries) error {
				dup := meta.OriginKey{NamespaceID: acme.ID, Kind: meta.KeySigPublic, Revision: "20200101000000", Body: []byte("k")}
				wantKind(t, "duplicate in Tx", q.CreateOriginKey(f.ctx, &dup), errs.Exists)
				lost := meta.OriginKey{NamespaceID: 999999, Kind: meta.KeySigPublic, Revision: "20200101000000", Body: []byte("k")}
				wantKind(t, "missing namespace in Tx", q.CreateOriginKey(f.ctx, &lost), errs.NotFound)
				s := meta.OriginSecret{NamespaceID: acme.ID, Name: "TOKEN", Value: "v"}
				if err := q.CreateOriginSecret(f.ctx, &s); err != nil {
					return err
				}
				wantKind(t, "duplicate secret in Tx", q.CreateOriginSecret(f.ctx, &s), errs.Exists)
				wantKind(t, "secret of a missing namespace in Tx", q.CreateOriginSecret(f.ctx,
					&meta.OriginSecret{NamespaceID: 999999, Name: "TOKEN", Value: "v"}), errs.NotFound)
				wantKind(t, "integration of a missing namespace in Tx", q.PutIntegration(f.ctx,
					&meta.Integration{NamespaceID: 999999, Integration: "docker", Name: "hub", Body: []byte("{}")}), errs.NotFound)
				k := meta.OriginKey{NamespaceID: acme.ID, Kind: meta.KeySigPublic, Revision: "20210101000000", Body: []byte("k")}
				return q.CreateOriginKey(f.ctx, &k)
			}))
			latest, err := f.s.LatestOriginKey(f.ctx, acme.ID, meta.KeySigPublic)
			f.ok(err)
			if latest.Revision != "20210101000000" {
				t.Errorf("latest revision after Tx = %s, want the one it created", latest.Revision)
			}
			if ss, err := f.s.ListOriginSecrets(f.ctx, acme.ID); err != nil || len(ss) != 1 {
				t.Errorf("secrets after Tx = %v, %v", ss, err)
			}
			// A rolled back transaction writes nothing.
			err = f.s.Tx(f.ctx, func(q meta.Queries) error {
				k := meta.OriginKey{NamespaceID: acme.ID, Kind: meta.KeySigPublic, Revision: "20220101000000", Body: []byte("k")}
				if err := q.CreateOriginKey(f.ctx, &k); err != nil {
					return err
				}
				return errBoom
			})
			if err != errBoom {
				t.Fatalf("Tx = %v, want errBoom", err)
			}
			_, err = f.s.GetOriginKey(f.ctx, acme.ID, meta.KeySigPublic, "20220101000000")
			wantKind(t, "key of a rolled back Tx", err, errs.NotFound)
		}},
	}
}

// secretNames returns the names of secrets, in order.
func secretNames(ss []meta.OriginSecret) []string {
	var ns []string
	for _, s := range ss {
		ns = append(ns, s.Name)
	}
	return ns
}

func originSecretTests() []test {
	return []test{
		{"CreateListDelete", func(t *testing.T, f *fixture) {
			acme, other := f.org("acme", true), f.org("other", true)
			before := time.Now()
			s := meta.OriginSecret{NamespaceID: acme.ID, Name: "token", Value: "ANONYMOUS-BOX-1\nkey\nsealed", OwnerID: 3}
			f.ok(f.s.CreateOriginSecret(f.ctx, &s))
			if s.ID == 0 {
				t.Error("CreateOriginSecret left ID zero")
			}
			wantStamp(t, "Created", s.Created, before)
			// Names are case-sensitive and listed bytewise.
			for _, name := range []string{"TOKEN", "b_key", "a", "Z"} {
				f.ok(f.s.CreateOriginSecret(f.ctx, &meta.OriginSecret{NamespaceID: acme.ID, Name: name, Value: "v " + name}))
			}
			f.ok(f.s.CreateOriginSecret(f.ctx, &meta.OriginSecret{NamespaceID: other.ID, Name: "token", Value: "v"}))
			ss, err := f.s.ListOriginSecrets(f.ctx, acme.ID)
			f.ok(err)
			if ns := secretNames(ss); !slices.Equal(ns, []string{"TOKEN", "Z", "a", "b_key", "token"}) {
				t.Errorf("ListOriginSecrets names = %v, want bytewise order", ns)
			}
			if len(ss) == 5 {
				wantEqual(t, "listed secret", ss[4], s)
			}

			wantKind(t, "CreateOriginSecret(duplicate)", f.s.CreateOriginSecret(f.ctx,
				&meta.OriginSecret{NamespaceID: acme.ID, Name: "token", Value: "other"}), errs.Exists)

			existed, err := f.s.DeleteOriginSecret(f.ctx, acme.ID, "token")
			f.ok(err)
			if !existed {
				t.Error("DeleteOriginSecret of a secret reported it missing")
			}
			existed, err = f.s.DeleteOriginSecret(f.ctx, acme.ID, "token")
			f.ok(err)
			if existed {
				t.Error("DeleteOriginSecret of a deleted secret reported it existed")
			}
			existed, err = f.s.DeleteOriginSecret(f.ctx, acme.ID, "z")
			f.ok(err)
			if existed {
				t.Error("DeleteOriginSecret matched a name of another case")
			}
			ss, err = f.s.ListOriginSecrets(f.ctx, acme.ID)
			f.ok(err)
			if ns := secretNames(ss); !slices.Equal(ns, []string{"TOKEN", "Z", "a", "b_key"}) {
				t.Errorf("names after delete = %v", ns)
			}
			ss, err = f.s.ListOriginSecrets(f.ctx, other.ID)
			f.ok(err)
			if len(ss) != 1 || ss[0].Name != "token" {
				t.Errorf("another origin's secrets after delete = %v", ss)
			}
			// The name is free again.
			f.ok(f.s.CreateOriginSecret(f.ctx, &meta.OriginSecret{NamespaceID: acme.ID, Name: "token", Value: "again"}))
		}},
		{"Errors", func(t *testing.T, f *fixture) {
			acme := f.org("acme", true)
			wantKind(t, "CreateOriginSecret(empty name)", f.s.CreateOriginSecret(f.ctx,
				&meta.OriginSecret{NamespaceID: acme.ID, Value: "v"}), errs.Invalid)
			wantKind(t, "CreateOriginSecret(empty value)", f.s.CreateOriginSecret(f.ctx,
				&meta.OriginSecret{NamespaceID: acme.ID, Name: "n"}), errs.Invalid)
			wantKind(t, "CreateOriginSecret(missing namespace)", f.s.CreateOriginSecret(f.ctx,
				&meta.OriginSecret{NamespaceID: 999999, Name: "n", Value: "v"}), errs.NotFound)
			if ss, err := f.s.ListOriginSecrets(f.ctx, acme.ID); err != nil || len(ss) != 0 {
				t.Errorf("refused secrets were stored: %v, %v", ss, err)
			}
		}},
	}
}

func integrationTests() []test {
	return []test{
		{"PutGetListDelete", func(t *testing.T, f *fixture) {
			acme, other := f.org("acme", true), f.org("other", true)
			before := time.Now()
			i := meta.Integration{NamespaceID: acme.ID, Integration: "docker", Name: "hub", Body: []byte("sealed {\"a\":1}\x00")}
			f.ok(f.s.PutIntegration(f.ctx, &i))
			if i.ID == 0 {
				t.Error("PutIntegration left ID zero")
			}
			wantStamp(t, "Created", i.Created, before)
			if !i.Updated.Equal(i.Created) {
				t.Errorf("new integration Updated %v, want Created %v", i.Updated, i.Created)
			}
			got, err := f.s.GetIntegration(f.ctx, acme.ID, "docker", "hub")
			f.ok(err)
			wantEqual(t, "GetIntegration", got, i)

			// Putting it again replaces the body and keeps ID and Created.
			tick()
			again := meta.Integration{NamespaceID: acme.ID, Integration: "docker", Name: "hub", Body: []byte("sealed {\"a\":2}")}
			f.ok(f.s.PutIntegration(f.ctx, &again))
			if again.ID != i.ID || !again.Created.Equal(i.Created) || !again.Updated.After(i.Updated) {
				t.Errorf("replaced integration = %+v, want ID %d, Created %v and a later Updated", again, i.ID, i.Created)
			}
			got, err = f.s.GetIntegration(f.ctx, acme.ID, "docker", "hub")
			f.ok(err)
			wantEqual(t, "GetIntegration after replacing", got, again)

			f.ok(f.s.PutIntegration(f.ctx, &meta.Integration{NamespaceID: acme.ID, Integration: "docker", Name: "Quay", Body: []byte("q")}))
			f.ok(f.s.PutIntegration(f.ctx, &meta.Integration{NamespaceID: acme.ID, Integration: "artifactory", Name: "main", Body: []byte("m")}))
			f.ok(f.s.PutIntegration(f.ctx, &meta.Integration{NamespaceID: acme.ID, Integration: "Docker", Name: "hub", Body: []byte("d")}))
			f.ok(f.s.PutIntegration(f.ctx, &meta.Integration{NamespaceID: other.ID, Integration: "docker", Name: "hub", Body: []byte("o")}))
			is, err := f.s.ListIntegrations(f.ctx, acme.ID)
			f.ok(err)
			var keys []string
			for _, i := range is {
				keys = append(keys, i.Integration+"/"+i.Name)
			}
			if !slices.Equal(keys, []string{"Docker/hub", "artifactory/main", "docker/Quay", "docker/hub"}) {
				t.Errorf("ListIntegrations = %v, want kind then name, bytewise", keys)
			}
			if len(is) == 4 {
				wantEqual(t, "listed integration", is[3], again)
			}

			_, err = f.s.GetIntegration(f.ctx, acme.ID, "docker", "HUB")
			wantKind(t, "GetIntegration of a name of another case", err, errs.NotFound)
			_, err = f.s.GetIntegration(f.ctx, acme.ID, "github", "hub")
			wantKind(t, "GetIntegration of another kind", err, errs.NotFound)

			f.ok(f.s.DeleteIntegration(f.ctx, acme.ID, "docker", "hub"))
			wantKind(t, "DeleteIntegration again", f.s.DeleteIntegration(f.ctx, acme.ID, "docker", "hub"), errs.NotFound)
			_, err = f.s.GetIntegration(f.ctx, acme.ID, "docker", "hub")
			wantKind(t, "GetIntegration after delete", err, errs.NotFound)
			if _, err := f.s.GetIntegration(f.ctx, other.ID, "docker", "hub"); err != nil {
				t.Errorf("another origin's integration after delete: %v", err)
			}
			if is, err := f.s.ListIntegrations(f.ctx, acme.ID); err != nil || len(is) != 3 {
				t.Errorf("integrations after delete = %v, %v", is, err)
			}
		}},
		{"Errors", func(t *testing.T, f *fixture) {
			acme := f.org("acme", true)
			for _, i := range []meta.Integration{
				{NamespaceID: acme.ID, Name: "hub", Body: []byte("b")},
				{NamespaceID: acme.ID, Integration: "docker", Body: []byte("b")},
				{NamespaceID: acme.ID, Integration: "docker", Name: "hub"},
			} {
				wantKind(t, "PutIntegration(incomplete)", f.s.PutIntegration(f.ctx, &i), errs.Invalid)
			}
			wantKind(t, "PutIntegration(missing namespace)", f.s.PutIntegration(f.ctx,
				&meta.Integration{NamespaceID: 999999, Integration: "docker", Name: "hub", Body: []byte("b")}), errs.NotFound)
			if is, err := f.s.ListIntegrations(f.ctx, acme.ID); err != nil || len(is) != 0 {
				t.Errorf("refused integrations were stored: %v, %v", is, err)
			}
			wantKind(t, "DeleteIntegration(missing)", f.s.DeleteIntegration(f.ctx, acme.ID, "docker", "hub"), errs.NotFound)
		}},
	}
}

// invitationUsers returns the user names of invitations, in order.
func invitationUsers(is []meta.OriginInvitation) []string {
	var ns []string
	for _, i := range is {
		ns = append(ns, i.Origin+":"+i.UserName)
	}
	return ns
}

func originInvitationTests() []test {
	return []test{
		{"CreateGetList", func(t *testing.T, f *fixture) {
			acme, other := f.org("acme", true), f.org("Other", true)
			owner, bob, alice := f.person("owner", true), f.person("Bob", true), f.person("alice", true)
			before := time.Now()
			i := meta.OriginInvitation{NamespaceID: acme.ID, UserID: bob.ID, InviterID: owner.ID}
			f.ok(f.s.CreateOriginInvitation(f.ctx, &i))
			if i.ID == 0 {
				t.Error("CreateOriginInvitation left ID zero")
			}
			wantStamp(t, "Created", i.Created, before)
			if !i.Updated.Equal(i.Created) {
				t.Errorf("new invitation Updated %v, want Created %v", i.Updated, i.Created)
			}
			got, err := f.s.GetOriginInvitation(f.ctx, i.ID)
			f.ok(err)
			want := i
			want.Origin, want.UserName = "acme", "Bob"
			wantEqual(t, "GetOriginInvitation", got, want)

			tick()
			f.ok(f.s.CreateOriginInvitation(f.ctx, &meta.OriginInvitation{NamespaceID: acme.ID, UserID: alice.ID, InviterID: owner.ID}))
			tick()
			f.ok(f.s.CreateOriginInvitation(f.ctx, &meta.OriginInvitation{NamespaceID: other.ID, UserID: bob.ID, InviterID: alice.ID}))
			is, err := f.s.ListOriginInvitations(f.ctx, acme.ID)
			f.ok(err)
			if us := invitationUsers(is); !slices.Equal(us, []string{"acme:Bob", "acme:alice"}) {
				t.Errorf("ListOriginInvitations = %v, want oldest first", us)
			}
			if len(is) == 2 {
				wantEqual(t, "listed invitation", is[0], want)
			}
			is, err = f.s.ListUserInvitations(f.ctx, bob.ID)
			f.ok(err)
			if us := invitationUsers(is); !slices.Equal(us, []string{"acme:Bob", "Other:Bob"}) {
				t.Errorf("ListUserInvitations = %v, want oldest first", us)
			}
			if is, err := f.s.ListUserInvitations(f.ctx, owner.ID); err != nil || len(is) != 0 {
				t.Errorf("invitations of a user not invited = %v, %v", is, err)
			}

			wantKind(t, "CreateOriginInvitation(duplicate)", f.s.CreateOriginInvitation(f.ctx,
				&meta.OriginInvitation{NamespaceID: acme.ID, UserID: bob.ID, InviterID: alice.ID}), errs.Exists)
			wantKind(t, "CreateOriginInvitation(missing user)", f.s.CreateOriginInvitation(f.ctx,
				&meta.OriginInvitation{NamespaceID: acme.ID, UserID: 999999, InviterID: owner.ID}), errs.NotFound)
			wantKind(t, "CreateOriginInvitation(missing namespace)", f.s.CreateOriginInvitation(f.ctx,
				&meta.OriginInvitation{NamespaceID: 999999, UserID: owner.ID, InviterID: owner.ID}), errs.NotFound)
			_, err = f.s.GetOriginInvitation(f.ctx, 999999)
			wantKind(t, "GetOriginInvitation(missing)", err, errs.NotFound)
			if is, err := f.s.ListOriginInvitations(f.ctx, acme.ID); err != nil || len(is) != 2 {
				t.Errorf("invitations after refused creations = %v, %v", is, err)
			}
		}},
		{"IgnoreDelete", func(t *testing.T, f *fixture) {
			acme, other := f.org("acme", true), f.org("other", true)
			bob := f.person("bob", true)
			i := meta.OriginInvitation{NamespaceID: acme.ID, UserID: bob.ID}
			f.ok(f.s.CreateOriginInvitation(f.ctx, &i))
			j := meta.OriginInvitation{NamespaceID: other.ID, UserID: bob.ID}
			f.ok(f.s.CreateOriginInvitation(f.ctx, &j))
			tick()
			f.ok(f.s.IgnoreOriginInvitation(f.ctx, i.ID))
			got, err := f.s.GetOriginInvitation(f.ctx, i.ID)
			f.ok(err)
			if !got.Ignored || !got.Created.Equal(i.Created) || !got.Updated.After(i.Updated) {
				t.Errorf("ignored invitation = %+v, want Ignored, Created %v and a later Updated", got, i.Created)
			}
			is, err := f.s.ListUserInvitations(f.ctx, bob.ID)
			f.ok(err)
			if len(is) != 1 || is[0].ID != j.ID {
				t.Errorf("ListUserInvitations = %+v, want only the invitation not ignored", is)
			}
			is, err = f.s.ListOriginInvitations(f.ctx, acme.ID)
			f.ok(err)
			if len(is) != 1 || !is[0].Ignored {
				t.Errorf("ListOriginInvitations = %+v, want the ignored invitation", is)
			}
			// An ignored invitation still holds its place.
			wantKind(t, "CreateOriginInvitation(ignored duplicate)", f.s.CreateOriginInvitation(f.ctx,
				&meta.OriginInvitation{NamespaceID: acme.ID, UserID: bob.ID}), errs.Exists)
			wantKind(t, "IgnoreOriginInvitation(missing)", f.s.IgnoreOriginInvitation(f.ctx, 999999), errs.NotFound)

			f.ok(f.s.DeleteOriginInvitation(f.ctx, i.ID))
			wantKind(t, "DeleteOriginInvitation again", f.s.DeleteOriginInvitation(f.ctx, i.ID), errs.NotFound)
			_, err = f.s.GetOriginInvitation(f.ctx, i.ID)
			wantKind(t, "GetOriginInvitation after delete", err, errs.NotFound)
			if _, err := f.s.GetOriginInvitation(f.ctx, j.ID); err != nil {
				t.Errorf("the other invitation after delete: %v", err)
			}
			// The user may be invited again.
			f.ok(f.s.CreateOriginInvitation(f.ctx, &meta.OriginInvitation{NamespaceID: acme.ID, UserID: bob.ID}))
		}},
		{"InTx", func(t *testing.T, f *fixture) {
			acme := f.org("acme", true)
			bob := f.person("bob", true)
			f.ok(f.s.CreateOriginInvitation(f.ctx, &meta.OriginInvitation{NamespaceID: acme.ID, UserID: bob.ID}))
			carol := f.person("carol", true)
			f.ok(f.s.Tx(f.ctx, func(q meta.Queries) error {
				wantKind(t, "duplicate in Tx", q.CreateOriginInvitation(f.ctx,
					&meta.OriginInvitation{NamespaceID: acme.ID, UserID: bob.ID}), errs.Exists)
				wantKind(t, "missing user in Tx", q.CreateOriginInvitation(f.ctx,
					&meta.OriginInvitation{NamespaceID: acme.ID, UserID: 999999}), errs.NotFound)
				wantKind(t, "ignore missing in Tx", q.IgnoreOriginInvitation(f.ctx, 999999), errs.NotFound)
				return q.CreateOriginInvitation(f.ctx, &meta.OriginInvitation{NamespaceID: acme.ID, UserID: carol.ID})
			}))
			is, err := f.s.ListOriginInvitations(f.ctx, acme.ID)
			f.ok(err)
			if us := invitationUsers(is); !slices.Equal(us, []string{"acme:bob", "acme:carol"}) {
				t.Errorf("invitations after Tx = %v", us)
			}
		}},
	}
}

func originCascadeTests() []test {
	return []test{
		{"DeleteUser", func(t *testing.T, f *fixture) {
			acme := f.org("acme", true)
			owner, bob := f.person("owner", true), f.person("bob", true)
			k := meta.OriginKey{NamespaceID: acme.ID, Kind: meta.KeySigPublic, Revision: "20200101000000", Body: []byte("k"), OwnerID: owner.ID}
			f.ok(f.s.CreateOriginKey(f.ctx, &k))
			f.ok(f.s.CreateOriginSecret(f.ctx, &meta.OriginSecret{NamespaceID: acme.ID, Name: "s", Value: "v", OwnerID: owner.ID}))
			invited := meta.OriginInvitation{NamespaceID: acme.ID, UserID: bob.ID, InviterID: owner.ID}
			f.ok(f.s.CreateOriginInvitation(f.ctx, &invited))
			invitedOwner := meta.OriginInvitation{NamespaceID: acme.ID, UserID: owner.ID, InviterID: bob.ID}
			f.ok(f.s.CreateOriginInvitation(f.ctx, &invitedOwner))

			// The owner's and the inviter's rows outlive them.
			f.ok(f.s.DeleteUser(f.ctx, owner.ID))
			if got, err := f.s.GetOriginKey(f.ctx, acme.ID, meta.KeySigPublic, "20200101000000"); err != nil || got.OwnerID != owner.ID {
				t.Errorf("key after its owner's deletion = %+v, %v", got, err)
			}
			if ss, err := f.s.ListOriginSecrets(f.ctx, acme.ID); err != nil || len(ss) != 1 {
				t.Errorf("secrets after their owner's deletion = %v, %v", ss, err)
			}
			if got, err := f.s.GetOriginInvitation(f.ctx, invited.ID); err != nil || got.InviterID != owner.ID {
				t.Errorf("invitation after its inviter's deletion = %+v, %v", got, err)
			}
			// The invited user's invitations go with them.
			_, err := f.s.GetOriginInvitation(f.ctx, invitedOwner.ID)
			wantKind(t, "invitation of a deleted user", err, errs.NotFound)
			f.ok(f.s.DeleteUser(f.ctx, bob.ID))
			if is, err := f.s.ListOriginInvitations(f.ctx, acme.ID); err != nil || len(is) != 0 {
				t.Errorf("invitations after the invited users' deletion = %v, %v", is, err)
			}
		}},
		{"DeleteNamespace", func(t *testing.T, f *fixture) {
			acme, other := f.org("acme", true), f.org("other", true)
			bob := f.person("bob", true)
			robot := f.robot(acme, "builder")
			for _, ns := range []meta.Namespace{acme, other} {
				f.originKey(ns.ID, meta.KeySigPublic, "20200101000000")
				f.originKey(ns.ID, meta.KeySigSecret, "20200101000000")
				f.ok(f.s.CreateOriginSecret(f.ctx, &meta.OriginSecret{NamespaceID: ns.ID, Name: "s", Value: "v"}))
				f.ok(f.s.PutIntegration(f.ctx, &meta.Integration{NamespaceID: ns.ID, Integration: "docker", Name: "hub", Body: []byte("b")}))
				f.ok(f.s.CreateOriginInvitation(f.ctx, &meta.OriginInvitation{NamespaceID: ns.ID, UserID: bob.ID, InviterID: robot.ID}))
			}
			// acme's robot, invited to other, goes with acme, and so does its invitation.
			f.ok(f.s.CreateOriginInvitation(f.ctx, &meta.OriginInvitation{NamespaceID: other.ID, UserID: robot.ID}))

			f.ok(f.s.DeleteNamespace(f.ctx, acme.ID))
			for _, kind := range []string{meta.KeySigPublic, meta.KeySigSecret} {
				if ks, err := f.s.ListOriginKeys(f.ctx, acme.ID, kind); err != nil || len(ks) != 0 {
					t.Errorf("%s keys of a deleted namespace = %v, %v", kind, ks, err)
				}
			}
			if ss, err := f.s.ListOriginSecrets(f.ctx, acme.ID); err != nil || len(ss) != 0 {
				t.Errorf("secrets of a deleted namespace = %v, %v", ss, err)
			}
			if is, err := f.s.ListIntegrations(f.ctx, acme.ID); err != nil || len(is) != 0 {
				t.Errorf("integrations of a deleted namespace = %v, %v", is, err)
			}
			if is, err := f.s.ListOriginInvitations(f.ctx, acme.ID); err != nil || len(is) != 0 {
				t.Errorf("invitations of a deleted namespace = %v, %v", is, err)
			}
			is, err := f.s.ListUserInvitations(f.ctx, bob.ID)
			f.ok(err)
			if us := invitationUsers(is); !slices.Equal(us, []string{"other:bob"}) {
				t.Errorf("bob's invitations after acme's deletion = %v", us)
			}
			is, err = f.s.ListOriginInvitations(f.ctx, other.ID)
			f.ok(err)
			if us := invitationUsers(is); !slices.Equal(us, []string{"other:bob"}) {
				t.Errorf("other's invitations after acme's deletion = %v, want the robot's gone", us)
			}

			// The other origin keeps everything.
			if ks, err := f.s.ListOriginKeys(f.ctx, other.ID, meta.KeySigSecret); err != nil || len(ks) != 1 {
				t.Errorf("other's keys = %v, %v", ks, err)
			}
			if ss, err := f.s.ListOriginSecrets(f.ctx, other.ID); err != nil || len(ss) != 1 {
				t.Errorf("other's secrets = %v, %v", ss, err)
			}
			if is, err := f.s.ListIntegrations(f.ctx, other.ID); err != nil || len(is) != 1 {
				t.Errorf("other's integrations = %v, %v", is, err)
			}
			f.ok(f.s.DeleteNamespace(f.ctx, other.ID))
			if is, err := f.s.ListUserInvitations(f.ctx, bob.ID); err != nil || len(is) != 0 {
				t.Errorf("bob's invitations after every origin's deletion = %v, %v", is, err)
			}
		}},
	}
}
