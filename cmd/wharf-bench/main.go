// Command wharf-bench measures an OCI registry over its HTTP API: blob push
// (monolithic and chunked) and pull throughput, manifest GET/HEAD request
// rate and latency under concurrency, and end-to-end pushes of small images.
// It works against any registry that speaks the distribution API, with
// anonymous access, HTTP Basic, a fixed bearer token, or the Docker token flow.
//
// Blob data is generated on the fly from a seeded pseudo-random pattern, so
// no blob is ever held in memory. With --pid it also samples the server's
// resident memory during each transfer.
//
// Example:
//
//	wharf-bench --registry http://127.0.0.1:5000 --json out.json
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "wharf-bench:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	rep, runErr := run(ctx, cfg, os.Stderr)
	fmt.Println()
	if err := rep.writeTable(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "wharf-bench:", err)
	}
	if cfg.jsonOut != "" {
		if err := rep.writeJSON(cfg.jsonOut); err != nil {
			fmt.Fprintln(os.Stderr, "wharf-bench:", err)
			os.Exit(1)
		}
	}
	if runErr != nil {
		fmt.Fprintln(os.Stderr, "wharf-bench:", runErr)
		os.Exit(1)
	}
}

// parseFlags parses and validates the command line.
func parseFlags(args []string, errOut io.Writer) (config, error) {
	fs := flag.NewFlagSet("wharf-bench", flag.ContinueOnError)
	fs.SetOutput(errOut)
	var (
		cfg                                   config
		registry, sizes, chunk, conc, skipped string
	)
	fs.StringVar(&registry, "registry", "http://127.0.0.1:5000", "registry base URL")
	fs.StringVar(&cfg.label, "label", "", "name of the registry under test, for the report")
	fs.StringVar(&cfg.user, "user", "", "user name for Basic auth or the token service")
	fs.StringVar(&cfg.password, "password", "", "password for --user (default $WHARF_BENCH_PASSWORD)")
	fs.StringVar(&cfg.token, "token", "", "fixed bearer token (default $WHARF_BENCH_TOKEN)")
	fs.BoolVar(&cfg.insecure, "insecure", false, "skip TLS certificate verification")
	fs.StringVar(&cfg.repo, "repo", "bench", "repository prefix")
	fs.StringVar(&sizes, "sizes", "256MiB,1GiB", "comma-separated blob sizes")
	fs.StringVar(&chunk, "chunk", "16MiB", "chunk size for chunked uploads")
	fs.DurationVar(&cfg.duration, "duration", 10*time.Second, "duration of each manifest load run")
	fs.StringVar(&conc, "concurrency", "16,32", "comma-separated manifest load concurrencies")
	fs.IntVar(&cfg.images, "images", 500, "number of small images to push")
	fs.IntVar(&cfg.workers, "workers", 8, "concurrent workers for the small-image push")
	fs.StringVar(&cfg.jsonOut, "json", "", "write the report as JSON to this file")
	fs.StringVar(&skipped, "skip", "", "comma-separated sections to skip: push, pull, manifest, images")
	fs.IntVar(&cfg.pid, "pid", 0, "server process id, to report its memory from /proc")
	fs.Uint64Var(&cfg.seed, "seed", uint64(time.Now().UnixNano()), "seed of the generated data")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if cfg.password == "" {
		cfg.password = os.Getenv("WHARF_BENCH_PASSWORD")
	}
	if cfg.token == "" {
		cfg.token = os.Getenv("WHARF_BENCH_TOKEN")
	}
	var err error
	if cfg.registry, err = parseRegistry(registry); err != nil {
		return config{}, err
	}
	if cfg.sizes, err = parseSizes(sizes); err != nil {
		return config{}, err
	}
	if cfg.chunk, err = parseSize(chunk); err != nil {
		return config{}, fmt.Errorf("--chunk: %w", err)
	}
	if cfg.concurrency, err = parseInts(conc); err != nil {
		return config{}, fmt.Errorf("--concurrency: %w", err)
	}
	if cfg.skip, err = parseSkip(skipped); err != nil {
		return config{}, err
	}
	switch {
	case cfg.duration <= 0:
		return config{}, errors.New("--duration must be positive")
	case cfg.images <= 0 || cfg.workers <= 0:
		return config{}, errors.New("--images and --workers must be positive")
	case cfg.repo == "":
		return config{}, errors.New("--repo must not be empty")
	case cfg.token != "" && cfg.user != "":
		return config{}, errors.New("use either --token or --user, not both")
	case cfg.pid < 0:
		return config{}, errors.New("--pid must not be negative")
	}
	return cfg, nil
}
