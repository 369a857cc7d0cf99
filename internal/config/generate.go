package config

import "time"

// GitHub says where GitHub is, for features that fetch from it.
type GitHub struct {
	// APIURL is the REST API base: https://api.github.com, or
	// https://<host>/api/v3 for GitHub Enterprise Server.
	APIURL string `yaml:"api_url"`
	// RawURL is the base of raw file contents:
	// https://raw.githubusercontent.com, or https://<host>/raw.
	RawURL string `yaml:"raw_url"`
}

// Packages configures package features beyond storing and serving them.
type Packages struct {
	Generate Generate `yaml:"generate"`
	Habitat  Habitat  `yaml:"habitat"`
}

// Generate configures package generation, POST /v1/packages/generate.
type Generate struct {
	// Public lets anonymous callers generate packages; otherwise any
	// signed-in principal may.
	Public bool `yaml:"public"`
	// MaxFiles bounds the files of one package.
	MaxFiles int64 `yaml:"max_files"`
	// MaxBytes bounds the bytes of all files of one package, before
	// compression.
	MaxBytes int64 `yaml:"max_bytes"`
	// Timeout bounds the time one generation takes.
	Timeout time.Duration `yaml:"timeout"`
	// Concurrency bounds the files one generation fetches at once.
	Concurrency int64 `yaml:"concurrency"`
	// MaxRunning bounds the generations running at once on one replica,
	// whoever asks; more wait within Timeout.
	MaxRunning int64 `yaml:"max_running"`
	// CacheTTL is how long a package of a commit SHA is kept for identical
	// requests; 0 keeps none.
	CacheTTL time.Duration `yaml:"cache_ttl"`
	// RatePerMinute is how many generations one principal (or one address,
	// for anonymous callers) may start per minute on one replica; 0 means
	// no limit.
	RatePerMinute int64 `yaml:"rate_per_minute"`
	// RateBurst is how many generations may start at once before the rate
	// applies.
	RateBurst int64 `yaml:"rate_burst"`
}

func defaultGitHub() GitHub {
	return GitHub{APIURL: "https://api.github.com", RawURL: "https://raw.githubusercontent.com"}
}

func defaultPackages() Packages {
	return Packages{Generate: Generate{
		MaxFiles: 1000, MaxBytes: 256 << 20, Timeout: 2 * time.Minute, Concurrency: 4, MaxRunning: 8,
		CacheTTL: 7 * 24 * time.Hour, RatePerMinute: 30, RateBurst: 10,
	}, Habitat: defaultHabitat()}
}

// maxConcurrency bounds packages.generate.concurrency, and maxRunning
// packages.generate.max_running.
const (
	maxConcurrency = 64
	maxRunning     = 1024
)

// validateGenerate checks the github and packages sections.
func (v *validator) validateGenerate(gh GitHub, g Generate) {
	v.url("github.api_url", gh.APIURL)
	v.url("github.raw_url", gh.RawURL)
	if g.MaxFiles <= 0 {
		v.add("packages.generate.max_files", "must be positive")
	}
	if g.MaxBytes <= 0 {
		v.add("packages.generate.max_bytes", "must be positive")
	}
	v.positive("packages.generate.timeout", g.Timeout)
	if g.Concurrency < 1 || g.Concurrency > maxConcurrency {
		v.add("packages.generate.concurrency", "must be from 1 to %d", maxConcurrency)
	}
	if g.MaxRunning < 1 || g.MaxRunning > maxRunning {
		v.add("packages.generate.max_running", "must be from 1 to %d", maxRunning)
	}
	v.notNegative("packages.generate.cache_ttl", g.CacheTTL)
	if g.RatePerMinute < 0 {
		v.add("packages.generate.rate_per_minute", "must not be negative (0 means no limit)")
	}
	if g.RatePerMinute > 0 && g.RateBurst < 1 {
		v.add("packages.generate.rate_burst", "must be positive when rate_per_minute is set")
	}
}

// generateEnvVars binds the variables of the github and packages sections.
func generateEnvVars() []envVar {
	gen := func(c *Config) *Generate { return &c.Packages.Generate }
	return []envVar{
		{"WHARF_GITHUB_API_URL", "github.api_url", str(func(c *Config) *string { return &c.GitHub.APIURL })},
		{"WHARF_GITHUB_RAW_URL", "github.raw_url", str(func(c *Config) *string { return &c.GitHub.RawURL })},
		{"WHARF_GENERATE_PUBLIC", "packages.generate.public", boolean(func(c *Config) *bool { return &gen(c).Public })},
		{"WHARF_GENERATE_MAX_FILES", "packages.generate.max_files", integer(func(c *Config) *int64 { return &gen(c).MaxFiles })},
		{"WHARF_GENERATE_MAX_BYTES", "packages.generate.max_bytes", integer(func(c *Config) *int64 { return &gen(c).MaxBytes })},
		{"WHARF_GENERATE_TIMEOUT", "packages.generate.timeout", duration(func(c *Config) *time.Duration { return &gen(c).Timeout })},
		{"WHARF_GENERATE_CONCURRENCY", "packages.generate.concurrency", integer(func(c *Config) *int64 { return &gen(c).Concurrency })},
		{"WHARF_GENERATE_MAX_RUNNING", "packages.generate.max_running", integer(func(c *Config) *int64 { return &gen(c).MaxRunning })},
		{"WHARF_GENERATE_CACHE_TTL", "packages.generate.cache_ttl", duration(func(c *Config) *time.Duration { return &gen(c).CacheTTL })},
		{"WHARF_GENERATE_RATE", "packages.generate.rate_per_minute", integer(func(c *Config) *int64 { return &gen(c).RatePerMinute })},
		{"WHARF_GENERATE_BURST", "packages.generate.rate_burst", integer(func(c *Config) *int64 { return &gen(c).RateBurst })},
	}
}
