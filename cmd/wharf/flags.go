package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"wharf/internal/config"
)

// common are the flags every command takes.
type common struct {
	configFile, addr, data, publicURL string
}

func newFlags(name string, c *common) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.configFile, "config", os.Getenv("WHARF_CONFIG"), "YAML configuration file")
	fs.StringVar(&c.data, "data", "", "data directory")
	return fs
}

// parse parses args, allowing flags after positional arguments, and
// returns the positionals.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, fmt.Errorf("%s: %w", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// load builds the configuration: defaults, then the file, then WHARF_*
// variables, then flags. Flags go in as the variables they stand for,
// after the real ones, so that derived paths follow them.
func (c common) load() (config.Config, error) {
	env := os.Environ()
	for name, v := range map[string]string{"WHARF_ADDR": c.addr, "WHARF_DATA": c.data, "WHARF_PUBLIC_URL": c.publicURL} {
		if v != "" {
			env = append(env, name+"="+v)
		}
	}
	return config.Load(c.configFile, env)
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.Log.Level))
	opts := &slog.HandlerOptions{Level: level}
	if strings.EqualFold(cfg.Log.Format, "json") {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// noArgs parses args for a command that takes flags only, refusing any
// positional word: a forgotten flag name must not be silently dropped.
func noArgs(fs *flag.FlagSet, args []string) error {
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("%s: unexpected argument %q", fs.Name(), pos[0])
	}
	return nil
}
