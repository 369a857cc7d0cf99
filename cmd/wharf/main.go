// Command wharf is the Wharf registry: `wharf serve` runs it, `wharf admin`
// manages accounts, tokens, migrations and garbage collection.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage:
  wharf serve [--addr ADDR] [--data DIR] [--config FILE] [--public-url URL]
  wharf admin user create NAME --email EMAIL --password-stdin [--superuser] [--data DIR]
  wharf admin token create --user NAME [--scope SCOPE]... [--name NAME] [--ttl DURATION] [--data DIR]
  wharf admin repo public|private NAME [--type oci|generic] [--data DIR]
  wharf admin gc [--data DIR]
  wharf admin migrate [--data DIR]

Every command also takes --config FILE; WHARF_* environment variables
override the file and flags override both.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "wharf:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := func(n int) string {
		if len(args) > n {
			return args[n]
		}
		return ""
	}
	switch {
	case cmd(0) == "serve":
		return serve(ctx, args[1:], stderr)
	case cmd(0) == "admin" && cmd(1) == "user" && cmd(2) == "create":
		return userCreate(ctx, args[3:], stdin, stdout)
	case cmd(0) == "admin" && cmd(1) == "token" && cmd(2) == "create":
		return tokenCreate(ctx, args[3:], stdout)
	case cmd(0) == "admin" && cmd(1) == "repo" && (cmd(2) == "public" || cmd(2) == "private"):
		return repoVisibility(ctx, args[3:], cmd(2) == "public", stdout)
	case cmd(0) == "admin" && cmd(1) == "gc":
		return gc(ctx, args[2:], stdout)
	case cmd(0) == "admin" && cmd(1) == "migrate":
		return migrate(ctx, args[2:], stdout)
	case cmd(0) == "help" || cmd(0) == "-h" || cmd(0) == "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd(0))
}
