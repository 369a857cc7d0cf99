package fs

import (
	"crypto/sha256"
	"encoding"
	"encoding/binary"
	"hash"

	"wharf/internal/errs"
)

// stateMagic starts every hash state this package hands out. The state is
// stateMagic, the acknowledged size as a big-endian uint64, then the
// marshalled sha256 state; the size lets ResumeUpload reject a state that
// belongs to another offset.
const stateMagic = "wbs1"

// marshalState returns the resumable state of h after size bytes.
func marshalState(h hash.Hash, size int64) ([]byte, error) {
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

// unmarshalState returns a sha256 hash restored from state, which must
// have been saved after size bytes. An empty state stands for a fresh
// hash and fits only size 0. Errors: errs.Invalid.
func unmarshalState(state []byte, size int64) (hash.Hash, error) {
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
