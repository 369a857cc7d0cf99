package config

import (
	"strings"
	"time"
)

// Habitat configures the Habitat depot under /v1/.
type Habitat struct {
	// Targets are the package targets uploads may have; others are a 501,
	// which hab upload skips.
	Targets []string `yaml:"targets"`
	// VerifySignatures refuses an upload signed by a key of its origin
	// that the signature does not verify with.
	VerifySignatures bool `yaml:"verify_signatures"`
	// MaxUploadBytes bounds one .hart; 0 means no bound.
	MaxUploadBytes int64 `yaml:"max_upload_bytes"`
	// RegistryURL is the Docker Registry v2 API root that origin
	// integration credentials are checked against; empty means this
	// server's own /v2/.
	RegistryURL string `yaml:"registry_url"`
	// PrivateMaxAge is the max-age of a private package's download.
	PrivateMaxAge time.Duration `yaml:"private_max_age"`
}

func defaultHabitat() Habitat {
	return Habitat{
		Targets:          []string{"x86_64-linux", "x86_64-windows", "aarch64-linux"},
		VerifySignatures: true,
		PrivateMaxAge:    5 * time.Minute,
	}
}

// habitatTargets are the targets hab knows; the configured ones must be
// among them.
var habitatTargets = []string{"x86_64-linux", "x86_64-linux-kernel2", "x86_64-windows", "x86_64-darwin",
	"aarch64-linux", "aarch64-darwin", "aarch64-windows"}

// validateHabitat checks the packages.habitat section.
func (v *validator) validateHabitat(h Habitat) {
	if len(h.Targets) == 0 {
		v.add("packages.habitat.targets", "must name at least one target")
	}
	for _, t := range h.Targets {
		v.oneOf("packages.habitat.targets", t, habitatTargets...)
	}
	if h.MaxUploadBytes < 0 {
		v.add("packages.habitat.max_upload_bytes", "must not be negative (0 means unlimited)")
	}
	if h.RegistryURL != "" {
		v.url("packages.habitat.registry_url", h.RegistryURL)
	}
	v.positive("packages.habitat.private_max_age", h.PrivateMaxAge)
}

// habitatEnvVars binds the variables of the packages.habitat section.
func habitatEnvVars() []envVar {
	hab := func(c *Config) *Habitat { return &c.Packages.Habitat }
	return []envVar{
		{"WHARF_HABITAT_TARGETS", "packages.habitat.targets", func(c *Config, v string) error {
			var ts []string
			for _, t := range strings.Split(v, ",") {
				if t = strings.TrimSpace(t); t != "" {
					ts = append(ts, t)
				}
			}
			hab(c).Targets = ts
			return nil
		}},
		{"WHARF_HABITAT_VERIFY_SIGNATURES", "packages.habitat.verify_signatures", boolean(func(c *Config) *bool { return &hab(c).VerifySignatures })},
		{"WHARF_HABITAT_MAX_UPLOAD_BYTES", "packages.habitat.max_upload_bytes", integer(func(c *Config) *int64 { return &hab(c).MaxUploadBytes })},
		{"WHARF_HABITAT_REGISTRY_URL", "packages.habitat.registry_url", str(func(c *Config) *string { return &hab(c).RegistryURL })},
		{"WHARF_HABITAT_PRIVATE_MAX_AGE", "packages.habitat.private_max_age", duration(func(c *Config) *time.Duration { return &hab(c).PrivateMaxAge })},
	}
}
