package testserver

import (
	"context"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgresDSN returns the DSN of the test PostgreSQL server, failing the
// test when WHARF_TEST_POSTGRES_DSN is not set.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("WHARF_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Fatal("WHARF_TEST_POSTGRES_DSN is not set; run the suite with scripts/test.sh")
	}
	return dsn
}

// freshDatabase creates an empty database for one server, drops it when
// the test ends, and returns its DSN.
func freshDatabase(t testing.TB) string {
	t.Helper()
	dsn := PostgresDSN(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect to test postgres: %v", err)
	}
	defer conn.Close(ctx)
	name := RandomName("wharf_e2e_")
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, dsn); err == nil {
			c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(ctx)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("parse dsn: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}
