package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"testing"
)

func TestStreamSectionsMatchWhole(t *testing.T) {
	t.Parallel()
	p := newPattern(7)
	const size = 3*blockSize + 12345
	whole, err := io.ReadAll(p.section(1, 0, size))
	if err != nil {
		t.Fatal(err)
	}
	if len(whole) != size {
		t.Fatalf("len = %d, want %d", len(whole), size)
	}
	tests := []struct{ off, n int64 }{
		{0, 1},
		{0, headerSize + 3},
		{5, 20},
		{blockSize - 3, 10},
		{blockSize, blockSize},
		{2*blockSize + 7, blockSize + 12338},
		{size - 1, 1},
	}
	for _, tt := range tests {
		// Odd buffer sizes exercise reads that stop mid-header and mid-block.
		for _, bufSize := range []int{1, 7, 4096, blockSize + 5} {
			var got bytes.Buffer
			_, err := io.CopyBuffer(&got, struct{ io.Reader }{p.section(1, tt.off, tt.n)}, make([]byte, bufSize))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), whole[tt.off:tt.off+tt.n]) {
				t.Errorf("section(%d, %d) with buffer %d differs from the whole stream", tt.off, tt.n, bufSize)
			}
		}
	}
}

func TestStreamDistinctness(t *testing.T) {
	t.Parallel()
	p := newPattern(1)
	a, _ := io.ReadAll(p.section(1, 0, 2*blockSize))
	b, _ := io.ReadAll(p.section(2, 0, 2*blockSize))
	if bytes.Equal(a, b) {
		t.Error("streams with different ids are equal")
	}
	if bytes.Equal(a[:blockSize], a[blockSize:]) {
		t.Error("two blocks of one stream are equal")
	}
	q, _ := io.ReadAll(newPattern(2).section(1, 0, blockSize))
	if bytes.Equal(a[:blockSize], q) {
		t.Error("patterns of different seeds give equal streams")
	}
	again, _ := io.ReadAll(newPattern(1).section(1, 0, 2*blockSize))
	if !bytes.Equal(a, again) {
		t.Error("equal seeds and ids give different streams")
	}
}

func TestPatternDigest(t *testing.T) {
	t.Parallel()
	p := newPattern(3)
	const size = blockSize + 99
	data, _ := io.ReadAll(p.section(4, 0, size))
	sum := sha256.Sum256(data)
	if got, want := p.digest(4, size), "sha256:"+hex.EncodeToString(sum[:]); got != want {
		t.Errorf("digest = %s, want %s", got, want)
	}
}
