package depot

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/format/hab"
	"wharf/internal/meta"
)

// KeyFile is an origin key as it is served: the origin, the key's
// revision, its file name (X-Filename) and its text.
type KeyFile struct {
	Origin   string
	Revision string
	FileName string
	Text     string
}

// keyFile describes a parsed key of the origin ns.
func keyFile(ns meta.Namespace, k hab.Key) KeyFile {
	return KeyFile{Origin: ns.Name, Revision: k.Revision, FileName: k.FileName(), Text: k.String()}
}

// storedKey reads a stored key, opening it when it is sealed.
func (s *Service) storedKey(ns meta.Namespace, k meta.OriginKey) (KeyFile, hab.Key, error) {
	body := k.Body
	want := hab.SigPublic
	switch k.Kind {
	case meta.KeySigSecret, meta.KeyBoxSecret:
		plain, err := s.sealer.Open(body)
		if err != nil {
			return KeyFile{}, hab.Key{}, fmt.Errorf("origin key %s %s: %w", k.Kind, k.Revision, err)
		}
		body = plain
		want = hab.SigSecret
		if k.Kind == meta.KeyBoxSecret {
			want = hab.BoxSecret
		}
	case meta.KeyBoxPublic:
		want = hab.BoxPublic
	}
	key, err := hab.ParseKey(string(body), want)
	if err != nil {
		// What was stored was parsed before: this is corruption, not
		// bad input.
		return KeyFile{}, hab.Key{}, fmt.Errorf("origin key %s %s: %s", k.Kind, k.Revision, errs.Message(err))
	}
	return keyFile(ns, key), key, nil
}

// SigningKeys lists the public signing keys of an origin, newest revision
// first. Errors: errs.NotFound for the origin.
func (s *Service) SigningKeys(ctx context.Context, origin string) ([]KeyFile, error) {
	ns, err := s.Origin(ctx, origin)
	if err != nil {
		return nil, err
	}
	keys, err := s.store.ListOriginKeys(ctx, ns.ID, meta.KeySigPublic)
	if err != nil {
		return nil, fmt.Errorf("list origin keys: %w", err)
	}
	out := make([]KeyFile, 0, len(keys))
	for _, k := range keys {
		f, _, err := s.storedKey(ns, k)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// SigningKey returns a public signing key of an origin by revision, the
// newest one when revision is "". Anyone may read it. Errors:
// errs.NotFound.
func (s *Service) SigningKey(ctx context.Context, origin, revision string) (KeyFile, error) {
	ns, err := s.Origin(ctx, origin)
	if err != nil {
		return KeyFile{}, err
	}
	var k meta.OriginKey
	if revision == "" {
		k, err = s.store.LatestOriginKey(ctx, ns.ID, meta.KeySigPublic)
	} else {
		k, err = s.store.GetOriginKey(ctx, ns.ID, meta.KeySigPublic, revision)
	}
	if err != nil {
		return KeyFile{}, notFound(err, "key not found")
	}
	f, _, err := s.storedKey(ns, k)
	return f, err
}

// notFound gives a store's errs.NotFound the message msg; other errors
// stay as they are.
func notFound(err error, msg string) error {
	if errs.Is(err, errs.NotFound) {
		return errs.Wrap(errs.NotFound, msg, err)
	}
	return err
}

// UploadSigningKey stores a public signing key (SIG-PUB-1 text) under the
// revision its text names, checking as Builder does: a member re-sending
// a revision the origin has (as hab pkg upload does before every
// upload) gets errs.Exists; a new key needs an administrator (errs.Denied
// with Builder's message); then the text must parse (errs.Invalid
// "Invalid origin public key") and name the origin (errs.Invalid).
// revision is the one the URL names. Errors also: errs.NotFound for the
// origin; errs.Unauthenticated.
func (s *Service) UploadSigningKey(ctx context.Context, p auth.Principal, origin, revision, text string) (KeyFile, error) {
	ns, err := s.Origin(ctx, origin)
	if err != nil {
		return KeyFile{}, err
	}
	role, err := s.need(ctx, p, ns, Member)
	if err != nil {
		return KeyFile{}, err
	}
	switch _, err := s.store.GetOriginKey(ctx, ns.ID, meta.KeySigPublic, revision); {
	case err == nil:
		return KeyFile{}, errs.E(errs.Exists, "Origin key %s-%s already exists", ns.Name, revision)
	case !errs.Is(err, errs.NotFound):
		return KeyFile{}, fmt.Errorf("get origin key: %w", err)
	}
	if role < Administrator {
		return KeyFile{}, errs.E(errs.Denied, "You do not have permissions to upload a new origin signing public key: %s-%s", ns.Name, revision)
	}
	key, err := hab.ParseKey(text, hab.SigPublic)
	if err != nil {
		return KeyFile{}, errs.E(errs.Invalid, "Invalid origin public key")
	}
	if err := sameOrigin(ns, key); err != nil {
		return KeyFile{}, err
	}
	k := meta.OriginKey{NamespaceID: ns.ID, Kind: meta.KeySigPublic, Revision: key.Revision,
		Body: []byte(key.String()), OwnerID: p.UserID}
	if err := s.store.CreateOriginKey(ctx, &k); err != nil {
		if errs.Is(err, errs.Exists) {
			return KeyFile{}, errs.E(errs.Exists, "Origin key %s already exists", key.NameWithRevision())
		}
		return KeyFile{}, fmt.Errorf("create origin key: %w", err)
	}
	return keyFile(ns, key), nil
}

// sameOrigin checks that a key names the origin ns: hab finds a key by the
// name in its file, so a key of another origin would never verify.
func sameOrigin(ns meta.Namespace, key hab.Key) error {
	if !strings.EqualFold(key.Name, ns.Name) {
		return errs.E(errs.Invalid, "The key is for origin %s, not %s", key.Name, ns.Name)
	}
	return nil
}

// GenerateSigningKey makes a new signing key pair for an origin, stores
// its public key and its secret key, sealed, and returns the public key.
// Errors: errs.Exists when the origin has a key of this second's revision;
// errs.NotFound for the origin; errs.Unauthenticated; errs.Denied below
// administrator.
func (s *Service) GenerateSigningKey(ctx context.Context, p auth.Principal, origin string) (KeyFile, error) {
	ns, err := s.originAs(ctx, p, origin, Administrator)
	if err != nil {
		return KeyFile{}, err
	}
	pub, sec, err := hab.GenerateSigningPair(ns.Name, s.now(), rand.Reader)
	if err != nil {
		return KeyFile{}, err
	}
	sealed, err := s.sealer.Seal([]byte(sec.String()))
	if err != nil {
		return KeyFile{}, err
	}
	err = s.store.Tx(ctx, func(q meta.Queries) error {
		for _, k := range []meta.OriginKey{
			{NamespaceID: ns.ID, Kind: meta.KeySigPublic, Revision: pub.Revision, Body: []byte(pub.String()), OwnerID: p.UserID},
			{NamespaceID: ns.ID, Kind: meta.KeySigSecret, Revision: sec.Revision, Body: sealed, OwnerID: p.UserID},
		} {
			if err := q.CreateOriginKey(ctx, &k); err != nil {
				return err
			}
		}
		return nil
	})
	if errs.Is(err, errs.Exists) {
		return KeyFile{}, errs.E(errs.Exists, "Origin key %s already exists", pub.NameWithRevision())
	}
	if err != nil {
		return KeyFile{}, fmt.Errorf("create origin keys: %w", err)
	}
	return keyFile(ns, pub), nil
}

// UploadSecretSigningKey stores a secret signing key (SIG-SEC-1 text),
// sealed, and its public half when the origin has no public key of that
// revision. Errors: errs.Invalid when the text is not a secret signing
// key of the origin, or when the origin's public key of that revision is
// another key's; errs.Exists when the origin has a secret key of that
// revision; errs.NotFound for the origin; errs.Unauthenticated;
// errs.Denied below administrator.
func (s *Service) UploadSecretSigningKey(ctx context.Context, p auth.Principal, origin, text string) (KeyFile, error) {
	ns, err := s.originAs(ctx, p, origin, Administrator)
	if err != nil {
		return KeyFile{}, err
	}
	sec, err := hab.ParseKey(text, hab.SigSecret)
	if err != nil {
		return KeyFile{}, errs.E(errs.Invalid, "Invalid origin secret key")
	}
	if err := sameOrigin(ns, sec); err != nil {
		return KeyFile{}, err
	}
	sealed, err := s.sealer.Seal([]byte(sec.String()))
	if err != nil {
		return KeyFile{}, err
	}
	pub := sec.Public()
	err = s.store.Tx(ctx, func(q meta.Queries) error {
		k := meta.OriginKey{NamespaceID: ns.ID, Kind: meta.KeySigSecret, Revision: sec.Revision, Body: sealed, OwnerID: p.UserID}
		if err := q.CreateOriginKey(ctx, &k); err != nil {
			if errs.Is(err, errs.Exists) {
				return errs.E(errs.Exists, "Origin secret key %s already exists", sec.NameWithRevision())
			}
			return err
		}
		have, err := q.GetOriginKey(ctx, ns.ID, meta.KeySigPublic, pub.Revision)
		switch {
		case errs.Is(err, errs.NotFound):
			k := meta.OriginKey{NamespaceID: ns.ID, Kind: meta.KeySigPublic, Revision: pub.Revision,
				Body: []byte(pub.String()), OwnerID: p.UserID}
			return q.CreateOriginKey(ctx, &k)
		case err != nil:
			return err
		}
		if old, err := hab.ParseKey(string(have.Body), hab.SigPublic); err != nil || string(old.Material) != string(pub.Material) {
			return errs.E(errs.Invalid, "The secret key does not match the origin public key %s", pub.NameWithRevision())
		}
		return nil
	})
	if err != nil {
		if errs.KindOf(err) != errs.Other {
			return KeyFile{}, err
		}
		return KeyFile{}, fmt.Errorf("store origin secret key: %w", err)
	}
	return keyFile(ns, sec), nil
}

// SecretSigningKey returns the newest secret signing key of an origin, as
// a key file. Errors: errs.NotFound when it has none or for the origin;
// errs.Unauthenticated; errs.Denied below member.
func (s *Service) SecretSigningKey(ctx context.Context, p auth.Principal, origin string) (KeyFile, error) {
	ns, err := s.originAs(ctx, p, origin, Member)
	if err != nil {
		return KeyFile{}, err
	}
	k, err := s.store.LatestOriginKey(ctx, ns.ID, meta.KeySigSecret)
	if err != nil {
		return KeyFile{}, notFound(err, "secret key not found")
	}
	f, _, err := s.storedKey(ns, k)
	return f, err
}
