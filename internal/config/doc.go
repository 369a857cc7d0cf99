// Package config is Wharf's configuration: one typed tree with defaults,
// loaded from a YAML file and overridden by WHARF_* environment variables.
//
// Loading goes defaults → YAML file → environment → derived values
// (Resolve) → checks (Validate), and Load does all of it. Unknown YAML keys
// are errors, so a misspelt option never passes silently. Durations are Go
// duration strings ("90s", "1h30m"). Validate reports every problem at
// once, each naming the field by its YAML path.
//
// Secrets (the PostgreSQL DSN) may come from a file and never appear in
// String or Redacted output.
//
// docs/configuration.md lists every option with its key, variable and
// default.
package config
