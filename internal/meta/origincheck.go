package meta

import "wharf/internal/errs"

// The checks below are the errs.Invalid cases of OriginKeys, run by every
// implementation before it reads or writes.

// CheckKeyKind returns errs.Invalid unless kind is one of the Key* kinds.
func CheckKeyKind(kind string) error {
	switch kind {
	case KeySigPublic, KeySigSecret, KeyBoxPublic, KeyBoxSecret:
		return nil
	}
	return errs.E(errs.Invalid, "unknown origin key kind %q", kind)
}

// CheckKeyRevision returns errs.Invalid unless revision is 14 ASCII
// digits, the form of a UTC stamp YYYYMMDDhhmmss.
func CheckKeyRevision(revision string) error {
	if len(revision) != 14 {
		return errs.E(errs.Invalid, "origin key revision %q is not 14 digits", revision)
	}
	for i := 0; i < len(revision); i++ {
		if c := revision[i]; c < '0' || c > '9' {
			return errs.E(errs.Invalid, "origin key revision %q is not 14 digits", revision)
		}
	}
	return nil
}

// CheckOriginKey returns errs.Invalid for a key of an unknown kind, with
// a malformed revision or with an empty body.
func CheckOriginKey(k *OriginKey) error {
	if err := CheckKeyKind(k.Kind); err != nil {
		return err
	}
	if err := CheckKeyRevision(k.Revision); err != nil {
		return err
	}
	if len(k.Body) == 0 {
		return errs.E(errs.Invalid, "origin key body is empty")
	}
	return nil
}

// CheckOriginSecret returns errs.Invalid for a secret without a name or a
// value.
func CheckOriginSecret(s *OriginSecret) error {
	if s.Name == "" || s.Value == "" {
		return errs.E(errs.Invalid, "origin secret name or value is empty")
	}
	return nil
}

// CheckIntegration returns errs.Invalid for an integration without a kind,
// a name or a body.
func CheckIntegration(i *Integration) error {
	if i.Integration == "" || i.Name == "" || len(i.Body) == 0 {
		return errs.E(errs.Invalid, "integration kind, name or body is empty")
	}
	return nil
}
