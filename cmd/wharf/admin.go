package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"wharf/internal/app"
	"wharf/internal/auth"
)

// openApp loads the configuration and opens the stores for an admin
// command.
func openApp(ctx context.Context, c common) (*app.App, error) {
	cfg, err := c.load()
	if err != nil {
		return nil, err
	}
	return app.New(ctx, cfg, slog.New(slog.DiscardHandler))
}

func userCreate(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	var (
		c                        common
		email                    string
		passwordStdin, superuser bool
	)
	fs := newFlags("user create", &c)
	fs.StringVar(&email, "email", "", "e-mail address")
	fs.BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
	fs.BoolVar(&superuser, "superuser", false, "make the user a superuser")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("user create: exactly one NAME is required")
	}
	if !passwordStdin {
		return errors.New("user create: --password-stdin is required")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("user create: reading password: %w", err)
	}
	a, err := openApp(ctx, c)
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.Accounts.CreateUser(ctx, auth.CreateUserRequest{
		Name: pos[0], Email: email, Password: strings.TrimRight(line, "\r\n"), Superuser: superuser,
	})
	if err != nil {
		return fmt.Errorf("user create: %w", err)
	}
	fmt.Fprintf(stdout, "created user %s\n", u.Name)
	return nil
}

// scopes collects repeated --scope flags.
type scopes []string

func (s *scopes) String() string     { return strings.Join(*s, " ") }
func (s *scopes) Set(v string) error { *s = append(*s, v); return nil }

func tokenCreate(ctx context.Context, args []string, stdout io.Writer) error {
	var (
		c          common
		user, name string
		ttl        time.Duration
		sc         scopes
	)
	fs := newFlags("token create", &c)
	fs.StringVar(&user, "user", "", "user the token acts as")
	fs.StringVar(&name, "name", "cli", "a name to recognise the token by")
	fs.DurationVar(&ttl, "ttl", 0, "lifetime; 0 means no expiry")
	fs.Var(&sc, "scope", "limit the token, e.g. pull or repository:alice/app:pull,push (repeatable)")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	if user == "" {
		return errors.New("token create: --user is required")
	}
	a, err := openApp(ctx, c)
	if err != nil {
		return err
	}
	defer a.Close()
	secret, _, err := a.Accounts.CreateToken(ctx, auth.CreateTokenRequest{User: user, Name: name, Scopes: sc, TTL: ttl})
	if err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	fmt.Fprintln(stdout, secret)
	return nil
}

func gc(ctx context.Context, args []string, stdout io.Writer) error {
	var c common
	if err := noArgs(newFlags("gc", &c), args); err != nil {
		return err
	}
	a, err := openApp(ctx, c)
	if err != nil {
		return err
	}
	defer a.Close()
	st, err := a.CollectGarbage(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "uploads deleted: %d\nblobs deleted: %d\nbytes freed: %d\n", st.UploadsDeleted, st.BlobsDeleted, st.BytesFreed)
	return nil
}

func migrate(ctx context.Context, args []string, stdout io.Writer) error {
	var c common
	if err := noArgs(newFlags("migrate", &c), args); err != nil {
		return err
	}
	a, err := openApp(ctx, c)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "migrations applied")
	return a.Close()
}

func repoVisibility(ctx context.Context, args []string, public bool, stdout io.Writer) error {
	var (
		c   common
		typ string
	)
	fs := newFlags("repo", &c)
	fs.StringVar(&typ, "type", "oci", "repository type: oci or generic (generic names are OWNER/PACKAGE)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("repo: exactly one repository NAME is required")
	}
	a, err := openApp(ctx, c)
	if err != nil {
		return err
	}
	defer a.Close()
	repo, err := a.Artifacts.Repo(ctx, typ, pos[0])
	if err != nil {
		return fmt.Errorf("repo: %w", err)
	}
	if err := a.Artifacts.SetRepoPublic(ctx, repo.ID, public); err != nil {
		return fmt.Errorf("repo: %w", err)
	}
	state := "private"
	if public {
		state = "public"
	}
	fmt.Fprintf(stdout, "%s %s is %s\n", typ, repo.Name, state)
	return nil
}
