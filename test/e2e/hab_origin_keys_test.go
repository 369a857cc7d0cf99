package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"wharf/internal/format/hab"
)

// TestHabKeys checks origin keys (reference §2.5, §6.1, §13.5): public
// signing keys uploaded, listed, fetched by revision and as the latest;
// generated pairs; secret signing keys; the encryption key made on first
// request.
func TestHabKeys(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testHabKeys(t, newEnv(t, b.opt))
		})
	}
}

// keyRevision is an item of the key list.
type keyRevision struct {
	Origin   string `json:"origin"`
	Revision string `json:"revision"`
	Location string `json:"location"`
}

// listKeys returns an origin's public key list, anonymously.
func listKeys(t testing.TB, e *env, origin string) []keyRevision {
	t.Helper()
	var v []keyRevision
	habDo(t, e.anon(), http.MethodGet, originPath(origin, "keys"), nil).want(t, http.StatusOK).decode(t, &v)
	for _, k := range v {
		if k.Origin != origin || k.Location != "/origins/"+origin+"/keys/"+k.Revision || len(k.Revision) != 14 {
			t.Errorf("key list item %+v", k)
		}
	}
	return v
}

// wantKeyFile checks a key file answer: its X-Filename and its key.
func wantKeyFile(t testing.TB, r *response, fileName string, want hab.Key) hab.Key {
	t.Helper()
	r.want(t, http.StatusOK)
	r.wantHeader(t, "X-Filename", fileName)
	if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
		t.Errorf("%s %s: Content-Disposition %q, want an attachment", r.method, r.target, cd)
	}
	got, err := hab.ParseKey(string(r.Body), 0)
	if err != nil {
		t.Fatalf("%s %s: not a key file: %v\n%s", r.method, r.target, err, r.Body)
	}
	if want.Type != 0 && got.String() != want.String() {
		t.Errorf("%s %s: key\n%s\nwant\n%s", r.method, r.target, got, want)
	}
	return got
}

func testHabKeys(t *testing.T, e *env) {
	t.Run("PublicKeys", func(t *testing.T) {
		t.Parallel()
		owner, admin, member := e.habUser(t), e.habUser(t), e.habUser(t)
		origin := owner.createOrigin(t, "")
		owner.addMember(t, origin, admin, "administrator")
		owner.addMember(t, origin, member, "member")
		if got := listKeys(t, e, origin); len(got) != 0 {
			t.Errorf("keys of a new origin: %+v", got)
		}
		habDo(t, e.anon(), http.MethodGet, originPath(origin, "keys", "latest"), nil).want(t, http.StatusNotFound)

		old, _ := keyAt(t, origin, time.Date(2019, 1, 2, 3, 4, 5, 0, time.UTC))
		newer, _ := keyAt(t, origin, time.Date(2020, 6, 7, 8, 9, 10, 0, time.UTC))
		r := admin.do(t, http.MethodPost, originPath(origin, "keys", old.Revision), old.String()).want(t, http.StatusCreated)
		r.wantText(t, "/origins/"+origin+"/keys/"+old.Revision)
		if loc := r.Header.Get("Location"); !strings.HasSuffix(loc, originPath(origin, "keys", old.Revision)) {
			t.Errorf("Location %q", loc)
		}
		// A key that exists is a 409 even for a plain member, as hab
		// pkg upload sends it first every time.
		member.do(t, http.MethodPost, originPath(origin, "keys", old.Revision), old.String()).want(t, http.StatusConflict)
		admin.do(t, http.MethodPost, originPath(origin, "keys", old.Revision), old.String()).want(t, http.StatusConflict)
		// A new one needs administrator.
		member.do(t, http.MethodPost, originPath(origin, "keys", newer.Revision), newer.String()).want(t, http.StatusForbidden).
			wantText(t, "You do not have permissions to upload a new origin signing public key: "+origin+"-"+newer.Revision)
		e.habUser(t).do(t, http.MethodPost, originPath(origin, "keys", newer.Revision), newer.String()).want(t, http.StatusForbidden)
		habDo(t, e.anon(), http.MethodPost, originPath(origin, "keys", newer.Revision), newer.String()).want(t, http.StatusUnauthorized)
		for _, garbage := range []string{"", "garbage", "SIG-PUB-1\n" + origin + "-20200607080910\n\nbm90IGEga2V5", strings.Replace(newer.String(), "SIG-PUB-1", "BOX-PUB-1", 1) + "x"} {
			admin.do(t, http.MethodPost, originPath(origin, "keys", newer.Revision), garbage).want(t, http.StatusUnprocessableEntity).wantText(t, "Invalid origin public key")
		}
		owner.do(t, http.MethodPost, originPath(origin, "keys", newer.Revision), newer.String()+"\n").want(t, http.StatusCreated)

		got := listKeys(t, e, origin)
		if len(got) != 2 || got[0].Revision != newer.Revision || got[1].Revision != old.Revision {
			t.Errorf("key list %+v, want %s then %s", got, newer.Revision, old.Revision)
		}
		for _, k := range []hab.Key{old, newer} {
			r := habDo(t, e.anon(), http.MethodGet, originPath(origin, "keys", k.Revision), nil)
			wantKeyFile(t, r, origin+"-"+k.Revision+".pub", k)
			r.wantHeader(t, "Cache-Control", "private, no-cache, no-store")
		}
		wantKeyFile(t, habDo(t, e.anon(), http.MethodGet, originPath(origin, "keys", "latest"), nil), origin+"-"+newer.Revision+".pub", newer)
		habDo(t, e.anon(), http.MethodGet, originPath(origin, "keys", "20000101000000"), nil).want(t, http.StatusNotFound)
		habDo(t, e.anon(), http.MethodGet, originPath("nosuch"+randHex(t, 4), "keys", "latest"), nil).want(t, http.StatusNotFound)

		// The server makes a pair on request.
		member.do(t, http.MethodPost, originPath(origin, "keys"), nil).want(t, http.StatusForbidden)
		before := time.Now().UTC().Add(-2 * time.Second)
		admin.do(t, http.MethodPost, originPath(origin, "keys"), nil).want(t, http.StatusCreated)
		got = listKeys(t, e, origin)
		if len(got) != 3 {
			t.Fatalf("key list after generating: %+v", got)
		}
		gen := got[0].Revision
		if gen <= newer.Revision || gen < hab.Revision(before) || gen > hab.Revision(time.Now().Add(2*time.Second)) {
			t.Errorf("generated revision %s, want about now", gen)
		}
		pub := wantKeyFile(t, habDo(t, e.anon(), http.MethodGet, originPath(origin, "keys", "latest"), nil), origin+"-"+gen+".pub", hab.Key{})
		if pub.Type != hab.SigPublic || pub.Name != origin || pub.Revision != gen {
			t.Errorf("generated public key %s-%s of type %s", pub.Name, pub.Revision, pub.Type)
		}
		// Its secret half is the latest secret key, and matches.
		sec := wantKeyFile(t, member.do(t, http.MethodGet, originPath(origin, "secret_keys", "latest"), nil), origin+"-"+gen+".sig.key", hab.Key{})
		if sec.Type != hab.SigSecret || sec.Public().String() != pub.String() {
			t.Errorf("generated secret key %s does not match the public key", sec.NameWithRevision())
		}
	})

	t.Run("SecretKeys", func(t *testing.T) {
		t.Parallel()
		owner, admin, maint, member, reader := e.habUser(t), e.habUser(t), e.habUser(t), e.habUser(t), e.habUser(t)
		origin := owner.createOrigin(t, "")
		owner.addMember(t, origin, admin, "administrator")
		owner.addMember(t, origin, maint, "maintainer")
		owner.addMember(t, origin, member, "member")
		owner.addMember(t, origin, reader, "readonly_member")
		member.do(t, http.MethodGet, originPath(origin, "secret_keys", "latest"), nil).want(t, http.StatusNotFound)

		_, sec := keyAt(t, origin, time.Date(2022, 2, 3, 4, 5, 6, 0, time.UTC))
		maint.do(t, http.MethodPost, originPath(origin, "secret_keys", sec.Revision), sec.String()).want(t, http.StatusForbidden)
		habDo(t, e.anon(), http.MethodPost, originPath(origin, "secret_keys", sec.Revision), sec.String()).want(t, http.StatusUnauthorized)
		pub, _ := keyAt(t, origin, time.Date(2022, 2, 3, 4, 5, 7, 0, time.UTC))
		for _, garbage := range []string{"", "junk", pub.String(), strings.Replace(sec.String(), "SIG-SEC-1", "SIG-SEC-2", 1)} {
			admin.do(t, http.MethodPost, originPath(origin, "secret_keys", sec.Revision), garbage).want(t, http.StatusUnprocessableEntity)
		}
		admin.do(t, http.MethodPost, originPath(origin, "secret_keys", sec.Revision), sec.String()).want(t, http.StatusCreated)
		admin.do(t, http.MethodPost, originPath(origin, "secret_keys", sec.Revision), sec.String()).want(t, http.StatusConflict)

		for _, a := range []*habActor{member, maint, admin, owner} {
			r := a.do(t, http.MethodGet, originPath(origin, "secret_keys", "latest"), nil)
			wantKeyFile(t, r, origin+"-"+sec.Revision+".sig.key", sec)
			r.wantHeader(t, "Cache-Control", "private, no-cache, no-store")
		}
		reader.do(t, http.MethodGet, originPath(origin, "secret_keys", "latest"), nil).want(t, http.StatusForbidden)
		e.habUser(t).do(t, http.MethodGet, originPath(origin, "secret_keys", "latest"), nil).want(t, http.StatusForbidden)
		habDo(t, e.anon(), http.MethodGet, originPath(origin, "secret_keys", "latest"), nil).want(t, http.StatusUnauthorized)

		// hab origin key upload --secfile takes only 200, and names the
		// key where the revision goes.
		_, sec2 := keyAt(t, origin, time.Date(2023, 2, 3, 4, 5, 6, 0, time.UTC))
		admin.do(t, http.MethodPost, originPath(origin, "secret_keys", sec2.NameWithRevision()), sec2.String(),
			"User-Agent", "hab/1.6.1245/20240508090000 (x86_64-linux; 5.15.0)").want(t, http.StatusOK)
		wantKeyFile(t, member.do(t, http.MethodGet, originPath(origin, "secret_keys", "latest"), nil), origin+"-"+sec2.Revision+".sig.key", sec2)
		o, _ := getOrigin(t, e.anon(), origin)
		if o.PrivateKeyName == nil || *o.PrivateKeyName != sec2.NameWithRevision() {
			t.Errorf("private_key_name %v, want %s", o.PrivateKeyName, sec2.NameWithRevision())
		}
	})

	t.Run("EncryptionKey", func(t *testing.T) {
		t.Parallel()
		owner, reader := e.habUser(t), e.habUser(t)
		origin := owner.createOrigin(t, "")
		owner.addMember(t, origin, reader, "readonly_member")
		habDo(t, e.anon(), http.MethodGet, originPath(origin, "encryption_key"), nil).want(t, http.StatusUnauthorized)
		e.habUser(t).do(t, http.MethodGet, originPath(origin, "encryption_key"), nil).want(t, http.StatusForbidden)

		r := reader.do(t, http.MethodGet, originPath(origin, "encryption_key"), nil).want(t, http.StatusOK)
		k, err := hab.ParseKey(string(r.Body), hab.BoxPublic)
		if err != nil {
			t.Fatalf("encryption key: %v\n%s", err, r.Body)
		}
		if k.Name != origin {
			t.Errorf("encryption key named %s", k.NameWithRevision())
		}
		r.wantHeader(t, "X-Filename", k.NameWithRevision()+".pub")
		// Stable afterwards, for everyone.
		for _, a := range []*habActor{reader, owner, reader} {
			a.do(t, http.MethodGet, originPath(origin, "encryption_key"), nil).want(t, http.StatusOK).wantBody(t, r.Body)
		}
		// It is not a signing key.
		if got := listKeys(t, e, origin); len(got) != 0 {
			t.Errorf("signing keys after making the encryption key: %+v", got)
		}
	})
}
