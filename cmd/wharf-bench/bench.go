package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
)

// bench runs the measurement sections against one registry.
type bench struct {
	cfg    config
	c      *client
	pat    pattern
	log    io.Writer    // progress lines
	pushed []pushedBlob // blobs stored by the push section, for pull
}

// run pings the registry and runs every section not skipped, in the order
// push, pull, manifest, images. It returns the report of what completed,
// also when a section fails.
func run(ctx context.Context, cfg config, log io.Writer) (*report, error) {
	b := &bench{
		cfg: cfg,
		c:   newClient(cfg, max(slices.Max(cfg.concurrency), cfg.workers)),
		pat: newPattern(cfg.seed),
		log: log,
	}
	rep := newReport(cfg)
	defer rep.finish()
	if err := b.c.ping(ctx); err != nil {
		return rep, fmt.Errorf("registry %s: %w", cfg.registry, err)
	}
	sections := []struct {
		name string
		fn   func(context.Context, *report) error
	}{
		{secPush, b.runPush},
		{secPull, b.runPull},
		{secManifest, b.runManifest},
		{secImages, b.runImages},
	}
	for _, s := range sections {
		if cfg.skip[s.name] {
			rep.Skipped = append(rep.Skipped, s.name)
			continue
		}
		if s.name == secPull && len(b.pushed) == 0 {
			rep.Skipped = append(rep.Skipped, s.name+" (nothing pushed)")
			continue
		}
		before := b.mem()
		if err := s.fn(ctx, rep); err != nil {
			return rep, err
		}
		if cfg.pid != 0 {
			rep.Memory = append(rep.Memory, sectionMem{Section: s.name, Before: before, After: b.mem()})
		}
	}
	return rep, nil
}

// mem reads the server's memory, or returns zero without --pid.
func (b *bench) mem() procMem {
	if b.cfg.pid == 0 {
		return procMem{}
	}
	m, err := readProcMem(b.cfg.pid)
	if err != nil {
		fmt.Fprintf(b.log, "warning: %v\n", err)
	}
	return m
}

func (b *bench) runPush(ctx context.Context, rep *report) error {
	repo := b.cfg.repo + "/blobs"
	for i, size := range b.cfg.sizes {
		for j, mode := range []string{modeMonolithic, modeChunked} {
			res, p, err := b.pushBlob(ctx, repo, uint64(2*i+j+1), size, mode)
			if err != nil {
				return err
			}
			fmt.Fprintf(b.log, "push %-7s %-10s %9.1f MiB/s  %7.2f s\n", res.SizeLabel, mode, res.MiBps, res.Seconds)
			rep.Push = append(rep.Push, res)
			b.pushed = append(b.pushed, p)
		}
	}
	return nil
}

func (b *bench) runPull(ctx context.Context, rep *report) error {
	for _, p := range b.pushed {
		res, err := b.pullBlob(ctx, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(b.log, "pull %-7s %-10s %9.1f MiB/s  %7.2f s\n", res.SizeLabel, res.Mode, res.MiBps, res.Seconds)
		rep.Pull = append(rep.Pull, res)
	}
	return nil
}

func (b *bench) runManifest(ctx context.Context, rep *report) error {
	repo, tag := b.cfg.repo+"/manifest", "bench"
	img, err := buildImage(newChaCha(b.cfg.seed, 1))
	if err != nil {
		return err
	}
	if err := b.c.pushImage(ctx, repo, tag, img); err != nil {
		return fmt.Errorf("push manifest fixture: %w", err)
	}
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		for _, conc := range b.cfg.concurrency {
			res, err := b.manifestLoad(ctx, repo, tag, method, conc)
			if err != nil {
				return err
			}
			fmt.Fprintf(b.log, "manifest %-4s c=%-3d %9.0f req/s  p50 %.2f ms  p99 %.2f ms  errors %d\n",
				method, conc, res.ReqPerSec, res.P50Ms, res.P99Ms, res.Errors)
			rep.Manifest = append(rep.Manifest, res)
		}
	}
	return nil
}

func (b *bench) runImages(ctx context.Context, rep *report) error {
	res, err := b.pushImages(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(b.log, "images %d with %d workers: %.1f images/s\n", res.Images, res.Workers, res.PerSecond)
	rep.Images = &res
	return nil
}
