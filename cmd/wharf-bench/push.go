package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// blobResult is the outcome of pushing or pulling one blob.
type blobResult struct {
	Size      int64   `json:"size_bytes"`
	SizeLabel string  `json:"size"`
	Mode      string  `json:"mode"`
	Digest    string  `json:"digest"`
	Seconds   float64 `json:"seconds"`
	MiBps     float64 `json:"mib_per_s"`
	// ServerPeakRSSKiB is the largest server RSS sampled during the
	// transfer; zero without --pid.
	ServerPeakRSSKiB int64 `json:"server_peak_rss_kib,omitempty"`
}

// Upload modes.
const (
	modeMonolithic = "monolithic"
	modeChunked    = "chunked"
)

// pushedBlob identifies a blob the push section stored, for the pull section.
type pushedBlob struct {
	repo   string
	id     uint64
	size   int64
	mode   string
	digest string
}

// pushBlob uploads the size-byte stream id to repo, monolithically (POST,
// then PUT with the whole body) or in chunks (POST, PATCH per chunk with
// Content-Range, then PUT without body). The digest is computed before the
// clock starts; the measured time runs from the POST to the PUT's response.
func (b *bench) pushBlob(ctx context.Context, repo string, id uint64, size int64, mode string) (blobResult, pushedBlob, error) {
	dgst := b.pat.digest(id, size)
	w := watchRSS(b.cfg.pid)
	start := time.Now()
	err := b.upload(ctx, repo, id, size, dgst, mode)
	elapsed := time.Since(start)
	peak := w.stop()
	if err != nil {
		return blobResult{}, pushedBlob{}, fmt.Errorf("push %s %s blob: %w", formatSize(size), mode, err)
	}
	res := blobResult{
		Size: size, SizeLabel: formatSize(size), Mode: mode, Digest: dgst,
		Seconds: elapsed.Seconds(), MiBps: mibps(size, elapsed), ServerPeakRSSKiB: peak,
	}
	return res, pushedBlob{repo: repo, id: id, size: size, mode: mode, digest: dgst}, nil
}

func (b *bench) upload(ctx context.Context, repo string, id uint64, size int64, dgst, mode string) error {
	loc, err := b.c.startUpload(ctx, repo)
	if err != nil {
		return err
	}
	if mode == modeMonolithic {
		return b.c.putUpload(ctx, repo, loc, dgst, size, func() io.Reader { return b.pat.section(id, 0, size) })
	}
	for off := int64(0); off < size; off += b.cfg.chunk {
		n := min(b.cfg.chunk, size-off)
		body := func() io.Reader { return b.pat.section(id, off, n) }
		if loc, err = b.c.patchChunk(ctx, repo, loc, off, n, body); err != nil {
			return err
		}
	}
	return b.c.putUpload(ctx, repo, loc, dgst, 0, nil)
}

// startUpload opens an upload session and returns its location.
func (c *client) startUpload(ctx context.Context, repo string) (*url.URL, error) {
	resp, err := c.do(ctx, request{method: http.MethodPost, url: c.url(repo + "/blobs/uploads/"), scope: pushScope(repo)})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusAccepted {
		return nil, expect(resp, http.StatusAccepted)
	}
	defer drain(resp)
	return c.resolve(resp)
}

// patchChunk sends bytes [off, off+n) of an upload and returns the location
// for the next request.
func (c *client) patchChunk(ctx context.Context, repo string, loc *url.URL, off, n int64, body func() io.Reader) (*url.URL, error) {
	h := http.Header{}
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Range", fmt.Sprintf("%d-%d", off, off+n-1))
	resp, err := c.do(ctx, request{method: http.MethodPatch, url: loc, scope: pushScope(repo), header: h, body: body, size: n})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusAccepted {
		return nil, expect(resp, http.StatusAccepted)
	}
	defer drain(resp)
	return c.resolve(resp)
}

// putUpload completes an upload with digest dgst, sending size bytes from
// body first when body is non-nil.
func (c *client) putUpload(ctx context.Context, repo string, loc *url.URL, dgst string, size int64, body func() io.Reader) error {
	u := *loc
	q := u.Query()
	q.Set("digest", dgst)
	u.RawQuery = q.Encode()
	h := http.Header{}
	h.Set("Content-Type", "application/octet-stream")
	resp, err := c.do(ctx, request{method: http.MethodPut, url: &u, scope: pushScope(repo), header: h, body: body, size: size})
	if err != nil {
		return err
	}
	return expect(resp, http.StatusCreated)
}

// blobExists reports whether repo has the blob, by HEAD.
func (c *client) blobExists(ctx context.Context, repo, dgst string) (bool, error) {
	resp, err := c.do(ctx, request{method: http.MethodHead, url: c.url(repo + "/blobs/" + dgst), scope: pushScope(repo)})
	if err != nil {
		return false, err
	}
	defer drain(resp)
	switch resp.StatusCode {
	case http.StatusOK:
		return true, nil
	case http.StatusNotFound:
		return false, nil
	}
	return false, fmt.Errorf("HEAD blob %s: %s", dgst, resp.Status)
}

// mibps converts bytes over a duration into MiB/s.
func mibps(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / (1 << 20) / d.Seconds()
}
