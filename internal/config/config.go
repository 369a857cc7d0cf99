package config

import "time"

// Version is the configuration format version this package reads.
const Version = 1

// Config is the whole configuration. The zero value is not useful; start
// from Default or Load.
type Config struct {
	// Version is the format version of the file; only 1 is known.
	Version int `yaml:"version"`
	// Addr is the host:port the server listens on.
	Addr string `yaml:"addr"`
	// PublicURL is the absolute http(s) URL clients reach the server at;
	// empty means derived from Addr.
	PublicURL string `yaml:"public_url"`
	// DataDir holds the embedded database, blobs and keys by default.
	DataDir string `yaml:"data_dir"`

	Log    Log    `yaml:"log"`
	Meta   Meta   `yaml:"meta"`
	Blob   Blob   `yaml:"blob"`
	Auth   Auth   `yaml:"auth"`
	Limits Limits `yaml:"limits"`
	GC     GC     `yaml:"gc"`
	Server Server `yaml:"server"`

	GitHub   GitHub   `yaml:"github"`
	Packages Packages `yaml:"packages"`
}

// Log configures the process's logger.
type Log struct {
	Format string `yaml:"format"` // "text" or "json"
	Level  string `yaml:"level"`  // "debug", "info", "warn" or "error"
}

// Meta selects and configures the metadata store.
type Meta struct {
	Driver   string   `yaml:"driver"` // "sqlite" or "postgres"
	SQLite   SQLite   `yaml:"sqlite"`
	Postgres Postgres `yaml:"postgres"`
}

// SQLite configures the embedded metadata store.
type SQLite struct {
	Path string `yaml:"path"` // empty means <data_dir>/wharf.db
}

// Postgres configures the PostgreSQL metadata store. DSN is a secret: it
// is masked by String and Redacted.
type Postgres struct {
	DSN     string `yaml:"dsn"`
	DSNFile string `yaml:"dsn_file"` // a file holding the DSN, read when DSN is empty
}

// Blob selects and configures the blob store.
type Blob struct {
	Driver string `yaml:"driver"` // "fs"
	FS     FS     `yaml:"fs"`
}

// FS configures the filesystem blob store.
type FS struct {
	Root  string `yaml:"root"`  // empty means <data_dir>/blobs
	Fsync bool   `yaml:"fsync"` // sync files and directories before acknowledging writes
}

// Auth configures authentication.
type Auth struct {
	// TokenTTL is how long registry tokens issued by the server last.
	TokenTTL time.Duration `yaml:"token_ttl"`
	// UserCacheTTL is how long a user's record read for an access decision
	// is reused; disabling a user takes effect within it. 0 rereads it on
	// every request.
	UserCacheTTL time.Duration `yaml:"user_cache_ttl"`
	// JWTKeyFile holds the key registry tokens are signed with; it is
	// created when missing. Empty means <data_dir>/jwt.key.
	JWTKeyFile string `yaml:"jwt_key_file"`
	// SecretKeyFile holds the key that seals secrets kept in the metadata
	// store (robot tokens, application secrets); it is created when
	// missing. Empty means <data_dir>/secret.key. Every replica needs the
	// same file, and losing it makes those secrets unreadable.
	SecretKeyFile string `yaml:"secret_key_file"`
	// SignUp lets anyone create an account through the API.
	SignUp bool `yaml:"sign_up"`
	// Realm is the token endpoint URL announced to registry clients; empty
	// means the server's own endpoint under PublicURL.
	Realm string `yaml:"realm"`
}

// Limits bound request sizes.
type Limits struct {
	MaxManifestBytes    int64 `yaml:"max_manifest_bytes"`
	MaxGenericFileBytes int64 `yaml:"max_generic_file_bytes"` // 0 means unlimited
}

// GC configures garbage collection of blobs and abandoned uploads.
type GC struct {
	Interval    time.Duration `yaml:"interval"`     // 0 disables the periodic run
	GracePeriod time.Duration `yaml:"grace_period"` // unreferenced blobs younger than this are kept
	UploadTTL   time.Duration `yaml:"upload_ttl"`   // uploads idle this long are removed
}

// Server configures the HTTP server.
type Server struct {
	ReadHeaderTimeout time.Duration `yaml:"read_header_timeout"`
	IdleTimeout       time.Duration `yaml:"idle_timeout"`
	ShutdownTimeout   time.Duration `yaml:"shutdown_timeout"`
}

// Default returns the built-in configuration: an embedded server on
// 127.0.0.1:5000 keeping everything under ./wharf-data.
func Default() Config {
	return Config{
		Version: Version,
		Addr:    "127.0.0.1:5000",
		DataDir: "./wharf-data",
		Log:     Log{Format: "text", Level: "info"},
		Meta:    Meta{Driver: "sqlite"},
		Blob:    Blob{Driver: "fs", FS: FS{Fsync: true}},
		Auth:    Auth{TokenTTL: 5 * time.Minute, UserCacheTTL: 2 * time.Second},
		Limits:  Limits{MaxManifestBytes: 4 << 20},
		GC:      GC{Interval: time.Hour, GracePeriod: 24 * time.Hour, UploadTTL: 24 * time.Hour},
		Server: Server{
			ReadHeaderTimeout: 10 * time.Second,
			IdleTimeout:       120 * time.Second,
			ShutdownTimeout:   30 * time.Second,
		},
		GitHub:   defaultGitHub(),
		Packages: defaultPackages(),
	}
}
