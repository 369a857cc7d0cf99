package hab

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/blake2b"

	"wharf/internal/errs"
)

func TestArchiveRoundTrip(t *testing.T) {
	t.Parallel()
	pub, sec := signingPair(t, "neurosis")
	m := sampleMetadata()
	bin := strings.Repeat("binary\x00data ", 50000)
	files := []File{
		{Path: "bin/testapp", Mode: 0o755, Size: int64(len(bin)), Body: strings.NewReader(bin)},
		{Path: "hooks/run", Size: 9, Body: strings.NewReader("#!/bin/sh")},
	}
	var b bytes.Buffer
	if err := WriteArchive(&b, m, files, sec, buildTime); err != nil {
		t.Fatal(err)
	}
	hart := b.Bytes()
	if !bytes.HasPrefix(hart, []byte("HART-1\nneurosis-20171205003213\nBLAKE2b\n")) {
		t.Fatalf("header %q", hart[:60])
	}
	payload := hart[bytes.Index(hart, []byte("\n\n"))+2:]
	whole, signedSum := blake2b.Sum256(hart), blake2b.Sum256(payload)

	for name, r := range map[string]io.Reader{
		"plain":    bytes.NewReader(hart),
		"one byte": iotest.OneByteReader(bytes.NewReader(hart)),
		"data+EOF": iotest.DataErrReader(bytes.NewReader(hart)),
		"half":     iotest.HalfReader(bytes.NewReader(hart)),
	} {
		a, err := ReadArchive(r)
		if err != nil {
			t.Fatalf("%s: ReadArchive: %v", name, err)
		}
		if diff := cmp.Diff(m, a.Metadata); diff != "" {
			t.Errorf("%s: metadata (-want +got):\n%s", name, diff)
		}
		if a.Checksum != hex.EncodeToString(whole[:]) || a.PayloadDigest != hex.EncodeToString(signedSum[:]) || a.Size != int64(len(hart)) {
			t.Errorf("%s: checksum %s, payload digest %s, size %d", name, a.Checksum, a.PayloadDigest, a.Size)
		}
		if a.Header.KeyName != "neurosis-20171205003213" || a.Header.KeyOrigin() != "neurosis" || a.Header.KeyRevision() != "20171205003213" || len(a.Header.Signature) != 128 {
			t.Errorf("%s: header %q, %d signature bytes", name, a.Header.KeyName, len(a.Header.Signature))
		}
		if err := VerifySignature(a, pub); err != nil {
			t.Errorf("%s: VerifySignature: %v", name, err)
		}
	}
}

func TestArchiveDefaults(t *testing.T) {
	t.Parallel()
	_, sec := signingPair(t, "o")
	m := Metadata{Ident: Ident{"o", "n", "1.0", "20200101000000"}, Target: "aarch64-darwin", Manifest: "m"}
	var b bytes.Buffer
	if err := WriteArchive(&b, m, nil, sec, buildTime); err != nil {
		t.Fatal(err)
	}
	a, err := ReadArchive(&b)
	if err != nil {
		t.Fatal(err)
	}
	m.PackageType = Standard
	if diff := cmp.Diff(m, a.Metadata); diff != "" {
		t.Errorf("metadata (-want +got):\n%s", diff)
	}
}

func TestVerifySignature(t *testing.T) {
	t.Parallel()
	pub, sec := signingPair(t, "o")
	var b bytes.Buffer
	if err := WriteArchive(&b, sampleMetadata(), nil, sec, buildTime); err != nil {
		t.Fatal(err)
	}
	hart := b.Bytes()
	read := func(h []byte) *Archive {
		a, err := ReadArchive(bytes.NewReader(h))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	a := read(hart)
	if err := VerifySignature(a, pub); err != nil {
		t.Fatalf("VerifySignature: %v", err)
	}
	impostor, _ := signingPair(t, "o") // same name and revision, other key
	otherOrigin, _ := signingPair(t, "p")
	bpub := Key{BoxPublic, "o", pub.Revision, pub.Material}
	for name, k := range map[string]Key{"impostor": impostor, "other origin": otherOrigin, "box key": bpub} {
		if err := VerifySignature(a, k); !errs.Is(err, errs.Invalid) {
			t.Errorf("VerifySignature with %s = %v, want invalid", name, err)
		}
	}

	// The header of one build in front of the payload of another.
	var other bytes.Buffer
	m := sampleMetadata()
	m.Manifest += "\nrebuilt"
	if err := WriteArchive(&other, m, nil, sec, buildTime); err != nil {
		t.Fatal(err)
	}
	hdrLen := bytes.Index(hart, []byte("\n\n")) + 2
	swapped := append(bytes.Clone(hart[:hdrLen]), other.Bytes()[bytes.Index(other.Bytes(), []byte("\n\n"))+2:]...)
	if err := VerifySignature(read(swapped), pub); !errs.Is(err, errs.Invalid) {
		t.Errorf("VerifySignature of a swapped payload = %v, want invalid", err)
	}

	// Each byte of the signature matters.
	for _, i := range []int{0, 63, 64, 127} {
		ts := *a
		ts.Header.Signature = bytes.Clone(a.Header.Signature)
		ts.Header.Signature[i] ^= 1
		if err := VerifySignature(&ts, pub); !errs.Is(err, errs.Invalid) {
			t.Errorf("VerifySignature with signature byte %d flipped = %v, want invalid", i, err)
		}
	}
	short := *a
	short.Header.Signature = a.Header.Signature[:100]
	if err := VerifySignature(&short, pub); !errs.Is(err, errs.Invalid) {
		t.Errorf("VerifySignature of a short signature = %v", err)
	}

	// A flipped payload byte either breaks the xz stream or the signature.
	for _, off := range []int{hdrLen + 20, hdrLen + (len(hart)-hdrLen)/2, len(hart) - 20} {
		tampered := bytes.Clone(hart)
		tampered[off] ^= 0x40
		ta, err := ReadArchive(bytes.NewReader(tampered))
		if err != nil {
			if StageOf(err) != StageArchive {
				t.Errorf("tampered byte %d: error %v of stage %d", off, err, StageOf(err))
			}
			continue
		}
		if err := VerifySignature(ta, pub); !errs.Is(err, errs.Invalid) {
			t.Errorf("tampered byte %d: VerifySignature = %v, want invalid", off, err)
		}
	}
}

func TestWriteArchiveInvalid(t *testing.T) {
	t.Parallel()
	pub, sec := signingPair(t, "o")
	body := func(p string) []File { return []File{{Path: p, Size: 1, Body: strings.NewReader("x")}} }
	for name, tc := range map[string]struct {
		edit  func(*Metadata)
		files []File
		key   Key
	}{
		"partial ident":  {edit: func(m *Metadata) { m.Ident.Release = "" }},
		"bad release":    {edit: func(m *Metadata) { m.Ident.Release = "1" }},
		"bad origin":     {edit: func(m *Metadata) { m.Ident.Origin = "O" }},
		"unknown target": {edit: func(m *Metadata) { m.Target = "x86_64-plan9" }},
		"partial dep":    {edit: func(m *Metadata) { m.TDeps = append(m.TDeps, Ident{"core", "glibc", "", ""}) }},
		"package type":   {edit: func(m *Metadata) { m.PackageType = "Standard" }},
		"escaping file":  {files: body("../../etc/passwd")},
		"absolute file":  {files: body("/etc/passwd")},
		"dot file":       {files: body(".")},
		"metadata file":  {files: body("IDENT")},
		"public key":     {key: pub},
	} {
		m := sampleMetadata()
		if tc.edit != nil {
			tc.edit(&m)
		}
		key := sec
		if tc.key.Type != 0 {
			key = tc.key
		}
		if err := WriteArchive(io.Discard, m, tc.files, key, buildTime); !errs.Is(err, errs.Invalid) {
			t.Errorf("%s: WriteArchive = %v, want invalid", name, err)
		}
	}
}

func TestReadArchiveSourceError(t *testing.T) {
	t.Parallel()
	_, sec := signingPair(t, "o")
	var b bytes.Buffer
	if err := WriteArchive(&b, sampleMetadata(), nil, sec, buildTime); err != nil {
		t.Fatal(err)
	}
	broken := errors.New("connection reset")
	for _, n := range []int{0, 10, 200, b.Len() - 1} {
		r := io.MultiReader(bytes.NewReader(b.Bytes()[:n]), iotest.ErrReader(broken))
		_, err := ReadArchive(r)
		if !errors.Is(err, broken) || StageOf(err) != 0 || errs.Is(err, errs.Invalid) {
			t.Errorf("source failing after %d bytes: error %v (stage %d, kind %v)", n, err, StageOf(err), errs.KindOf(err))
		}
	}
}
