package main

import (
	"context"
	"io"
	"net"

	"wharf/internal/app"
)

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	var c common
	fs := newFlags("serve", &c)
	fs.StringVar(&c.addr, "addr", "", "listen address (default 127.0.0.1:5000)")
	fs.StringVar(&c.publicURL, "public-url", "", "external base URL used in auth realms and links")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	lw := newLogWriter(stderr)
	defer lw.Close()
	log := newLogger(cfg, lw)
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	log.Info("wharf serving", "addr", ln.Addr().String(), "public_url", cfg.PublicURL, "data", cfg.DataDir, "meta", cfg.Meta.Driver)
	return a.Serve(ctx, ln)
}
