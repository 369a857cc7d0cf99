package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// manifestAccept is what clients send when resolving a tag.
var manifestAccept = strings.Join([]string{
	"application/vnd.oci.image.manifest.v1+json",
	"application/vnd.oci.image.index.v1+json",
	"application/vnd.docker.distribution.manifest.v2+json",
	"application/vnd.docker.distribution.manifest.list.v2+json",
}, ", ")

// loadResult is the outcome of one fixed-duration request loop.
type loadResult struct {
	Method      string  `json:"method"`
	Concurrency int     `json:"concurrency"`
	Requests    int     `json:"requests"`
	Errors      int     `json:"errors"`
	Seconds     float64 `json:"seconds"`
	ReqPerSec   float64 `json:"req_per_s"`
	P50Ms       float64 `json:"p50_ms"`
	P99Ms       float64 `json:"p99_ms"`
	MaxMs       float64 `json:"max_ms"`
	FirstError  string  `json:"first_error,omitempty"`
}

// manifestLoad sends method requests for repo:ref from conc workers for
// cfg.duration over the shared keep-alive client. Each worker makes one
// untimed request first, which opens its connection; the clock starts when
// all are ready. Latency is measured per successful request, from sending to
// the end of the body; failed requests are counted apart.
func (b *bench) manifestLoad(ctx context.Context, repo, ref, method string, conc int) (loadResult, error) {
	r := request{method: method, url: b.c.url(repo + "/manifests/" + ref), scope: pullScope(repo), header: http.Header{}}
	r.header.Set("Accept", manifestAccept)

	type worker struct {
		lat      latencies
		errs     int
		firstErr error
	}
	workers := make([]worker, conc)
	warm := make([]error, conc)
	var ready, done sync.WaitGroup
	startCh := make(chan struct{})
	var deadline time.Time
	for i := range workers {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			w := &workers[i]
			_, warm[i] = b.manifestOnce(ctx, r)
			ready.Done()
			<-startCh
			if warm[i] != nil {
				return
			}
			for ctx.Err() == nil && time.Now().Before(deadline) {
				d, err := b.manifestOnce(ctx, r)
				if err != nil {
					w.errs++
					if w.firstErr == nil {
						w.firstErr = err
					}
					continue
				}
				w.lat = append(w.lat, d)
			}
		}()
	}
	ready.Wait()
	start := time.Now()
	deadline = start.Add(b.cfg.duration)
	close(startCh)
	done.Wait()
	elapsed := time.Since(start)
	for _, err := range warm {
		if err != nil {
			return loadResult{}, fmt.Errorf("%s manifest %s:%s: %w", method, repo, ref, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return loadResult{}, err
	}

	res := loadResult{Method: method, Concurrency: conc, Seconds: elapsed.Seconds()}
	var all latencies
	for _, w := range workers {
		all = append(all, w.lat...)
		res.Errors += w.errs
		if w.firstErr != nil && res.FirstError == "" {
			res.FirstError = w.firstErr.Error()
		}
	}
	res.Requests = len(all)
	res.ReqPerSec = float64(len(all)) / elapsed.Seconds()
	res.P50Ms, res.P99Ms, res.MaxMs = ms(all.percentile(50)), ms(all.percentile(99)), ms(all.percentile(100))
	return res, nil
}

// manifestOnce performs one request and reads the whole body.
func (b *bench) manifestOnce(ctx context.Context, r request) (time.Duration, error) {
	start := time.Now()
	resp, err := b.c.do(ctx, r)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, expect(resp, http.StatusOK)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return time.Since(start), err
}
