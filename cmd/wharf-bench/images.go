package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"

	digest "github.com/opencontainers/go-digest"
	specs "github.com/opencontainers/image-spec/specs-go"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"golang.org/x/sync/errgroup"
)

// layerPayload is the size of the random file inside each small image.
const layerPayload = 1 << 10

// image is a small, complete OCI image held in memory.
type image struct {
	layer, config, manifest []byte
	layerDigest             string
	configDigest            string
}

// buildImage makes an image with one gzipped tar layer holding a file of
// random bytes from r, a config that lists the layer's diff ID, and an OCI
// image manifest.
func buildImage(r *rand.ChaCha8) (image, error) {
	payload := make([]byte, layerPayload)
	_, _ = r.Read(payload) // ChaCha8.Read never fails
	var tarBuf bytes.Buffer
	tw := tar.NewWriter(&tarBuf)
	hdr := &tar.Header{Name: "data", Mode: 0o644, Size: int64(len(payload)), ModTime: time.Unix(0, 0), Typeflag: tar.TypeReg}
	if err := tw.WriteHeader(hdr); err != nil {
		return image{}, err
	}
	if _, err := tw.Write(payload); err != nil {
		return image{}, err
	}
	if err := tw.Close(); err != nil {
		return image{}, err
	}
	var layer bytes.Buffer
	zw := gzip.NewWriter(&layer)
	if _, err := zw.Write(tarBuf.Bytes()); err != nil {
		return image{}, err
	}
	if err := zw.Close(); err != nil {
		return image{}, err
	}
	config, err := json.Marshal(ocispec.Image{
		Platform: ocispec.Platform{Architecture: "amd64", OS: "linux"},
		RootFS:   ocispec.RootFS{Type: "layers", DiffIDs: []digest.Digest{digest.FromBytes(tarBuf.Bytes())}},
	})
	if err != nil {
		return image{}, err
	}
	img := image{layer: layer.Bytes(), config: config}
	img.layerDigest = digest.FromBytes(img.layer).String()
	img.configDigest = digest.FromBytes(config).String()
	img.manifest, err = json.Marshal(ocispec.Manifest{
		Versioned: specs.Versioned{SchemaVersion: 2},
		MediaType: ocispec.MediaTypeImageManifest,
		Config:    ocispec.Descriptor{MediaType: ocispec.MediaTypeImageConfig, Digest: digest.Digest(img.configDigest), Size: int64(len(config))},
		Layers: []ocispec.Descriptor{{
			MediaType: ocispec.MediaTypeImageLayerGzip, Digest: digest.Digest(img.layerDigest), Size: int64(len(img.layer)),
		}},
	})
	return img, err
}

// pushImage uploads img to repo under tag the way a client does: for each
// blob a HEAD, and a POST plus monolithic PUT when the blob is missing; then
// the manifest by tag.
func (c *client) pushImage(ctx context.Context, repo, tag string, img image) error {
	for _, blob := range []struct {
		data   []byte
		digest string
	}{{img.layer, img.layerDigest}, {img.config, img.configDigest}} {
		ok, err := c.blobExists(ctx, repo, blob.digest)
		if err != nil {
			return err
		}
		if ok {
			continue
		}
		loc, err := c.startUpload(ctx, repo)
		if err != nil {
			return err
		}
		data := blob.data
		if err := c.putUpload(ctx, repo, loc, blob.digest, int64(len(data)), func() io.Reader { return bytes.NewReader(data) }); err != nil {
			return err
		}
	}
	h := http.Header{}
	h.Set("Content-Type", ocispec.MediaTypeImageManifest)
	resp, err := c.do(ctx, request{
		method: http.MethodPut, url: c.url(repo + "/manifests/" + tag), scope: pushScope(repo), header: h,
		body: func() io.Reader { return bytes.NewReader(img.manifest) }, size: int64(len(img.manifest)),
	})
	if err != nil {
		return err
	}
	return expect(resp, http.StatusCreated)
}

// imagesResult is the outcome of the small-image section.
type imagesResult struct {
	Repository string  `json:"repository"`
	Images     int     `json:"images"`
	Workers    int     `json:"workers"`
	Seconds    float64 `json:"seconds"`
	PerSecond  float64 `json:"images_per_s"`
	P50Ms      float64 `json:"p50_ms"`
	P99Ms      float64 `json:"p99_ms"`
}

// pushImages pushes cfg.images distinct small images to one repository with
// cfg.workers concurrent workers. Images are built before the clock starts.
func (b *bench) pushImages(ctx context.Context) (imagesResult, error) {
	repo := b.cfg.repo + "/images"
	r := newChaCha(b.cfg.seed, 2)
	imgs := make([]image, b.cfg.images)
	for i := range imgs {
		var err error
		if imgs[i], err = buildImage(r); err != nil {
			return imagesResult{}, err
		}
	}
	lat := make(latencies, len(imgs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(b.cfg.workers)
	start := time.Now()
	for i := range imgs {
		g.Go(func() error {
			t0 := time.Now()
			if err := b.c.pushImage(gctx, repo, fmt.Sprintf("img-%d", i), imgs[i]); err != nil {
				return fmt.Errorf("image %d: %w", i, err)
			}
			lat[i] = time.Since(t0)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return imagesResult{}, err
	}
	elapsed := time.Since(start)
	return imagesResult{
		Repository: repo, Images: len(imgs), Workers: b.cfg.workers, Seconds: elapsed.Seconds(),
		PerSecond: float64(len(imgs)) / elapsed.Seconds(),
		P50Ms:     ms(lat.percentile(50)), P99Ms: ms(lat.percentile(99)),
	}, nil
}

// newChaCha returns a generator for a purpose-specific stream of the seed.
func newChaCha(seed, purpose uint64) *rand.ChaCha8 {
	var key [32]byte
	for i := range 8 {
		key[i] = byte(seed >> (8 * i))
		key[8+i] = byte(purpose >> (8 * i))
	}
	return rand.NewChaCha8(key)
}
