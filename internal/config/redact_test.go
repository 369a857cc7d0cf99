package config

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestRedactDSN(t *testing.T) {
	t.Parallel()
	tests := []struct {
		dsn, want string
	}{
		{"", ""},
		{"postgres://wharf:s3cret@db:5432/wharf?sslmode=require", "postgres://wharf:xxxxx@db:5432/wharf?sslmode=require"},
		{"postgresql://wharf@db/wharf", "postgresql://wharf@db/wharf"},
		{"postgres://db/wharf?password=s3cret&user=u", "postgres://db/wharf?password=xxxxx&user=u"},
		{"postgres://db/wharf?sslpassword=s3cret", "postgres://db/wharf?sslpassword=xxxxx"},
		{"host=db user=wharf password=s3cret dbname=wharf", "host=db user=wharf password=xxxxx dbname=wharf"},
		{"host=db password = 's3 cr\\'et' dbname=wharf", "host=db password = xxxxx dbname=wharf"},
		{"host=db PASSWORD=s3cret", "host=db PASSWORD=xxxxx"},
		{"host=db sslpassword=s3cret", "host=db sslpassword=xxxxx"},
		{"postgres://wharf:s3%zzcret@db/wharf", "xxxxx"},
		{"mysql://u:s3cret@db/x", "xxxxx"},
	}
	for _, tt := range tests {
		if got := redactDSN(tt.dsn); got != tt.want {
			t.Errorf("redactDSN(%q) = %q, want %q", tt.dsn, got, tt.want)
		}
	}
}

func TestSecretsNeverPrinted(t *testing.T) {
	t.Parallel()
	for _, dsn := range []string{"postgres://wharf:s3cret@db/wharf", "host=db password=s3cret"} {
		c := Default()
		c.Meta.Driver, c.Meta.Postgres.DSN = "postgres", dsn
		outputs := map[string]string{
			"String":       c.String(),
			"Redacted":     c.Redacted().Meta.Postgres.DSN,
			"%v":           fmt.Sprintf("%v", c),
			"%+v":          fmt.Sprintf("%+v", c),
			"%v pointer":   fmt.Sprintf("%v", &c),
			"%#v postgres": fmt.Sprintf("%#v", c.Meta.Postgres),
			"%+v meta":     fmt.Sprintf("%+v", c.Meta),
			"%v postgres":  fmt.Sprint(c.Meta.Postgres),
		}
		for name, out := range outputs {
			if strings.Contains(out, "s3cret") {
				t.Errorf("%s output shows the secret: %s", name, out)
			}
		}
		if c.Meta.Postgres.DSN != dsn {
			t.Errorf("Redacted changed the original")
		}
		if !strings.Contains(c.String(), "driver: postgres") {
			t.Errorf("String() = %q, want YAML of the configuration", c.String())
		}
	}
}

// TestStringParses checks that String gives YAML that Parse reads back to
// the same (redacted) configuration.
func TestStringParses(t *testing.T) {
	t.Parallel()
	c := Default()
	c.Meta.Postgres.DSN = "postgres://u:p@h/db"
	c.Resolve()
	back, err := Parse([]byte(c.String()))
	if err != nil {
		t.Fatalf("Parse(String()): %v", err)
	}
	if !reflect.DeepEqual(back, c.Redacted()) {
		t.Errorf("Parse(String()) = %+v, want %+v", back, c.Redacted())
	}
}
