package depot

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/format/hab"
	"wharf/internal/meta"
)

// EncryptionKey returns the newest public encryption key (BOX-PUB-1) of
// an origin, making the origin's first encryption key pair when it has
// none, as Builder does; its secret key is stored sealed. Concurrent first
// requests end with one key pair. Errors: errs.NotFound for the origin;
// errs.Unauthenticated; errs.Denied below read-only member.
func (s *Service) EncryptionKey(ctx context.Context, p auth.Principal, origin string) (KeyFile, error) {
	ns, err := s.originAs(ctx, p, origin, ReadOnlyMember)
	if err != nil {
		return KeyFile{}, err
	}
	k, err := s.store.LatestOriginKey(ctx, ns.ID, meta.KeyBoxPublic)
	if errs.Is(err, errs.NotFound) {
		k, err = s.makeBoxKey(ctx, ns, p.UserID)
	}
	if err != nil {
		return KeyFile{}, fmt.Errorf("origin encryption key: %w", err)
	}
	f, _, err := s.storedKey(ns, k)
	return f, err
}

// makeBoxKey makes an origin's first encryption key pair and returns its
// public key, or the one another request made first: the transaction
// holds the origin (LockNamespace) and reads again before it writes, so
// requests of every process sharing the store end with one pair.
func (s *Service) makeBoxKey(ctx context.Context, ns meta.Namespace, ownerID int64) (meta.OriginKey, error) {
	pub, sec, err := hab.GenerateBoxPair(ns.Name, s.now(), rand.Reader)
	if err != nil {
		return meta.OriginKey{}, err
	}
	sealed, err := s.sealer.Seal([]byte(sec.String()))
	if err != nil {
		return meta.OriginKey{}, err
	}
	var out meta.OriginKey
	err = s.store.Tx(ctx, func(q meta.Queries) error {
		// Held until the end: a process making the key at the same time
		// waits, then finds it.
		if _, err := q.LockNamespace(ctx, ns.ID); err != nil {
			return err
		}
		have, err := q.LatestOriginKey(ctx, ns.ID, meta.KeyBoxPublic)
		if !errs.Is(err, errs.NotFound) {
			out = have
			return err
		}
		out = meta.OriginKey{NamespaceID: ns.ID, Kind: meta.KeyBoxPublic, Revision: pub.Revision,
			Body: []byte(pub.String()), OwnerID: ownerID}
		if err := q.CreateOriginKey(ctx, &out); err != nil {
			return err
		}
		k := meta.OriginKey{NamespaceID: ns.ID, Kind: meta.KeyBoxSecret, Revision: sec.Revision, Body: sealed, OwnerID: ownerID}
		return q.CreateOriginKey(ctx, &k)
	})
	if errs.Is(err, errs.Exists) {
		return s.store.LatestOriginKey(ctx, ns.ID, meta.KeyBoxPublic)
	}
	return out, err
}

// SecretRequest is an origin secret to store.
type SecretRequest struct {
	Name  string
	Value string // an ANONYMOUS-BOX-1 text sealed to the origin's encryption key
}

// CreateSecret stores an origin secret as it is received, once the
// origin's secret encryption key it names has opened it. Errors:
// errs.Invalid for a missing name or value, a name that is not UTF-8
// without control characters, a value that is not an anonymous box, an
// origin without an encryption key and a box the origin's keys cannot
// open; errs.TooLarge for a value above
// hab.MaxSecretSize; errs.Exists when the origin has a secret of that
// name; errs.NotFound for the origin; errs.Unauthenticated; errs.Denied
// below administrator.
func (s *Service) CreateSecret(ctx context.Context, p auth.Principal, origin string, req SecretRequest) (meta.OriginSecret, error) {
	ns, err := s.originAs(ctx, p, origin, Administrator)
	if err != nil {
		return meta.OriginSecret{}, err
	}
	switch {
	case req.Name == "":
		return meta.OriginSecret{}, errs.E(errs.Invalid, "Missing value for field 'name'")
	case req.Value == "":
		return meta.OriginSecret{}, errs.E(errs.Invalid, "Missing value for field 'value'")
	case len(req.Name) > maxSecretName:
		return meta.OriginSecret{}, errs.E(errs.Invalid, "Secret name longer than %d bytes", maxSecretName)
	case !utf8.ValidString(req.Name) || strings.ContainsFunc(req.Name, unicode.IsControl):
		// Such a name could never be named in the path that deletes it.
		return meta.OriginSecret{}, errs.E(errs.Invalid, "Secret name must be UTF-8 without control characters")
	}
	box, err := hab.ParseAnonymousBox(req.Value)
	if err != nil {
		return meta.OriginSecret{}, err
	}
	if err := s.openSecret(ctx, ns, box); err != nil {
		return meta.OriginSecret{}, err
	}
	sec := meta.OriginSecret{NamespaceID: ns.ID, Name: req.Name, Value: req.Value, OwnerID: p.UserID}
	if err := s.store.CreateOriginSecret(ctx, &sec); err != nil {
		if errs.Is(err, errs.Exists) {
			return meta.OriginSecret{}, errs.E(errs.Exists, "Secret %s already exists in origin %s", req.Name, ns.Name)
		}
		return meta.OriginSecret{}, fmt.Errorf("create origin secret: %w", err)
	}
	return sec, nil
}

// maxSecretName bounds the name of an origin secret.
const maxSecretName = 255

// openSecret checks that the origin's secret encryption key the box names
// opens it.
func (s *Service) openSecret(ctx context.Context, ns meta.Namespace, box hab.AnonymousBox) error {
	if _, err := s.store.LatestOriginKey(ctx, ns.ID, meta.KeyBoxSecret); err != nil {
		if errs.Is(err, errs.NotFound) {
			return errs.E(errs.Invalid, "Origin %s has no encryption key", ns.Name)
		}
		return fmt.Errorf("origin encryption key: %w", err)
	}
	name, rev, err := hab.ParseNameWithRevision(box.Receiver)
	if err != nil {
		return err
	}
	if name != ns.Name {
		return errs.E(errs.Invalid, "The secret is sealed to %s, not to an encryption key of origin %s", box.Receiver, ns.Name)
	}
	k, err := s.store.GetOriginKey(ctx, ns.ID, meta.KeyBoxSecret, rev)
	if errs.Is(err, errs.NotFound) {
		return errs.E(errs.Invalid, "Origin %s has no encryption key %s", ns.Name, box.Receiver)
	}
	if err != nil {
		return fmt.Errorf("origin encryption key: %w", err)
	}
	_, key, err := s.storedKey(ns, k)
	if err != nil {
		return err
	}
	if _, err := box.Open(key); err != nil {
		return errs.E(errs.Invalid, "The secret cannot be decrypted with the encryption key %s", box.Receiver)
	}
	return nil
}

// Secrets lists an origin's secrets by name, their values as stored.
// Errors: errs.NotFound for the origin; errs.Unauthenticated; errs.Denied
// below administrator.
func (s *Service) Secrets(ctx context.Context, p auth.Principal, origin string) ([]meta.OriginSecret, error) {
	ns, err := s.originAs(ctx, p, origin, Administrator)
	if err != nil {
		return nil, err
	}
	out, err := s.store.ListOriginSecrets(ctx, ns.ID)
	if err != nil {
		return nil, fmt.Errorf("list origin secrets: %w", err)
	}
	return out, nil
}

// DeleteSecret removes an origin secret; removing one that does not
// exist is not an error. Errors: errs.NotFound for the origin;
// errs.Unauthenticated; errs.Denied below administrator.
func (s *Service) DeleteSecret(ctx context.Context, p auth.Principal, origin, name string) error {
	ns, err := s.originAs(ctx, p, origin, Administrator)
	if err != nil {
		return err
	}
	if _, err := s.store.DeleteOriginSecret(ctx, ns.ID, name); err != nil {
		return fmt.Errorf("delete origin secret: %w", err)
	}
	return nil
}
