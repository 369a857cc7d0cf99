package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxFileBytes bounds the configuration and secret files read.
const maxFileBytes = 1 << 20

// FieldError is one problem with one setting. Field is the setting's YAML
// path ("meta.postgres.dsn") or, for a bad environment value, the
// variable's name.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

func problem(field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Load returns the configuration made of the defaults, the YAML file at
// path (none when path is empty), then the WHARF_* variables of env (in
// os.Environ form; later entries win), with derived values filled in by
// Resolve. A DSN file is read when no DSN is given. The result is
// validated: the error joins every problem found (each a *FieldError, see
// errors.Join), and the returned Config is then the zero value. Unknown
// keys and values of the wrong type in the file are reported with the rest,
// each naming its setting and line; a file that cannot be read or is not
// YAML at all fails alone.
func Load(path string, env []string) (Config, error) {
	c := Default()
	var probs []error
	if path != "" {
		data, err := readLimited(path)
		if err != nil {
			return Config{}, fmt.Errorf("config: %w", err)
		}
		c, err = parse(data)
		if te, ok := asTypeError(err); ok {
			probs = append(probs, settingErrors(te, data)...)
		} else if err != nil {
			return Config{}, fmt.Errorf("config %s: %w", path, err)
		}
	}
	probs = append(probs, c.applyEnv(env)...)
	probs = append(probs, c.readSecrets()...)
	c.Resolve()
	if err := c.Validate(); err != nil {
		probs = append(probs, err)
	}
	if err := errors.Join(probs...); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Parse returns the defaults overlaid with the YAML document data; keys
// the document leaves out keep their defaults. Unknown keys, values of the
// wrong type and more than one document are errors. Parse neither applies
// the environment nor resolves nor validates; an empty document gives the
// defaults.
func Parse(data []byte) (Config, error) {
	c, err := parse(data)
	if err != nil {
		return Config{}, err
	}
	return c, nil
}

// parse is Parse, but after a *yaml.TypeError it also returns what was
// decoded: the YAML library decodes every other field before reporting
// those.
func parse(data []byte) (c Config, err error) {
	c = Default()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := decodeSafely(dec, &c); err != nil {
		if errors.Is(err, io.EOF) {
			return Default(), nil
		}
		if _, ok := asTypeError(err); ok {
			return c, err
		}
		return Config{}, err
	}
	var extra yaml.Node
	if err := decodeSafely(dec, &extra); !errors.Is(err, io.EOF) {
		return Config{}, errors.New("yaml: more than one document")
	}
	return c, nil
}

// decodeSafely decodes the next document, turning a panic of the YAML
// library on hostile input into an error.
func decodeSafely(dec *yaml.Decoder, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	return dec.Decode(v)
}

// readSecrets reads the DSN file into the DSN when no DSN is set.
func (c *Config) readSecrets() []error {
	p := &c.Meta.Postgres
	if p.DSNFile == "" || p.DSN != "" {
		return nil
	}
	data, err := readLimited(p.DSNFile)
	if err != nil {
		return []error{problem("meta.postgres.dsn_file", "%v", err)}
	}
	p.DSN = strings.TrimSpace(string(data))
	if p.DSN == "" {
		return []error{problem("meta.postgres.dsn_file", "file %s is empty", p.DSNFile)}
	}
	return nil
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, maxFileBytes)
	}
	return data, nil
}
