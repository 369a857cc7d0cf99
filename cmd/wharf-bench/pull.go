package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"time"
)

// pullBlob downloads a pushed blob with GET, hashing it while reading and
// discarding the bytes. The measured time covers the request and the whole
// body; hashing is part of it, as it is for every client that verifies.
func (b *bench) pullBlob(ctx context.Context, p pushedBlob) (blobResult, error) {
	w := watchRSS(b.cfg.pid)
	start := time.Now()
	n, dgst, err := b.c.fetchBlob(ctx, p.repo, p.digest)
	elapsed := time.Since(start)
	peak := w.stop()
	if err != nil {
		return blobResult{}, fmt.Errorf("pull %s blob: %w", formatSize(p.size), err)
	}
	if n != p.size || dgst != p.digest {
		return blobResult{}, fmt.Errorf("pull %s: got %d bytes with digest %s, want %d bytes", p.digest, n, dgst, p.size)
	}
	return blobResult{
		Size: p.size, SizeLabel: formatSize(p.size), Mode: p.mode, Digest: p.digest,
		Seconds: elapsed.Seconds(), MiBps: mibps(p.size, elapsed), ServerPeakRSSKiB: peak,
	}, nil
}

// fetchBlob GETs a blob, following redirects, and returns its length and
// digest as read.
func (c *client) fetchBlob(ctx context.Context, repo, dgst string) (int64, string, error) {
	resp, err := c.do(ctx, request{method: http.MethodGet, url: c.url(repo + "/blobs/" + dgst), scope: pullScope(repo)})
	if err != nil {
		return 0, "", err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, "", expect(resp, http.StatusOK)
	}
	defer resp.Body.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, resp.Body, make([]byte, 1<<20))
	if err != nil {
		return n, "", fmt.Errorf("read blob %s: %w", dgst, err)
	}
	return n, "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}
