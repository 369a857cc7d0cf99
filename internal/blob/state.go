package blob

import (
	"crypto/sha256"
	"encoding"
	"encoding/binary"
	"hash"

	"wharf/internal/errs"
)

// stateMagic starts every hash state MarshalState hands out. The state is
// stateMagic, the acknowledged size as a big-endian uint64, then the
// marshalled sha256 state; the size lets ResumeUpload reject a state that
// belongs to another offset.
const stateMagic = "wbs1"

// MarshalState returns the resumable state of the sha256 hash h after size
// bytes, in the form implementations return from Upload.Sync.
func MarshalState(h hash.Hash, size int64) ([]byte, error) {
	m, ok := h.(encoding.BinaryMarshaler)
	if !ok {
		return nil, errs.E(errs.Other, "hash state cannot be saved")
	}
	hs, err := m.MarshalBinary()
	if err != nil {
		return nil, errs.Wrap(errs.Other, "save hash state", err)
	}
	b := make([]byte, 0, len(stateMagic)+8+len(hs))
	b = append(b, stateMagic...)
	b = binary.BigEndian.AppendUint64(b, uint64(size))
	return append(b, hs...), nil
}

// UnmarshalState returns a sha256 hash restored from a state MarshalState
// made after size bytes, for ResumeUpload. An empty state stands for a fresh
// hash and fits only size 0. Errors: errs.Invalid.
func UnmarshalState(state []byte, size int64) (hash.Hash, error) {
	h := sha256.New()
	if len(state) == 0 {
		if size != 0 {
			return nil, errs.E(errs.Invalid, "upload state is missing")
		}
		return h, nil
	}
	n := len(stateMagic) + 8
	if len(state) < n || string(state[:len(stateMagic)]) != stateMagic {
		return nil, errs.E(errs.Invalid, "upload state is malformed")
	}
	if got := binary.BigEndian.Uint64(state[len(stateMagic):n]); got != uint64(size) {
		return nil, errs.E(errs.Invalid, "upload state is for offset %d, not %d", got, size)
	}
	u, ok := h.(encoding.BinaryUnmarshaler)
	if !ok {
		return nil, errs.E(errs.Other, "hash state cannot be restored")
	}
	if err := u.UnmarshalBinary(state[n:]); err != nil {
		return nil, errs.Wrap(errs.Invalid, "upload state is malformed", err)
	}
	return h, nil
}
