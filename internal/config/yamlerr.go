package config

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// keyPaths maps each line of a YAML document that holds a mapping key to
// the dotted path of that key ("gc.grace_period"), so that decoding
// problems, which the YAML library reports by line, can name the setting.
func keyPaths(data []byte) map[int]string {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil {
		return nil
	}
	paths := map[int]string{}
	var walk func(n *yaml.Node, prefix string)
	walk = func(n *yaml.Node, prefix string) {
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, prefix)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				key := n.Content[i].Value
				if prefix != "" {
					key = prefix + "." + key
				}
				if _, seen := paths[n.Content[i].Line]; !seen {
					paths[n.Content[i].Line] = key
				}
				walk(n.Content[i+1], key)
			}
		}
	}
	walk(&root, "")
	return paths
}

var (
	unknownField = regexp.MustCompile(`^line (\d+): field (.+) not found in type \S+$`)
	badValue     = regexp.MustCompile("^line (\\d+): cannot unmarshal !!\\w+ `(.*)` into (\\S+)$")
	lineOnly     = regexp.MustCompile(`^line (\d+): (.*)$`)
)

// typeNames says in a setting's words what Go type a value failed to be.
var typeNames = map[string]string{
	"time.Duration": "a duration such as 30s or 24h",
	"int64":         "a whole number of bytes",
	"int":           "a whole number",
	"bool":          "true or false",
	"string":        "a string",
}

// settingErrors turns the YAML library's per-line type errors into one
// FieldError per problem, each naming the setting when it can be found.
func settingErrors(te *yaml.TypeError, data []byte) []error {
	paths := keyPaths(data)
	probs := make([]error, 0, len(te.Errors))
	for _, msg := range te.Errors {
		line, field, text := 0, "", msg
		switch {
		case unknownField.MatchString(msg):
			m := unknownField.FindStringSubmatch(msg)
			line, _ = strconv.Atoi(m[1])
			text = "unknown setting"
		case badValue.MatchString(msg):
			m := badValue.FindStringSubmatch(msg)
			line, _ = strconv.Atoi(m[1])
			want, ok := typeNames[m[3]]
			if !ok {
				want = "another kind of value"
			}
			text = fmt.Sprintf("%q is not %s", m[2], want)
		case lineOnly.MatchString(msg):
			m := lineOnly.FindStringSubmatch(msg)
			line, _ = strconv.Atoi(m[1])
			text = m[2]
		}
		if field = paths[line]; field == "" {
			field = "line " + strconv.Itoa(line)
		}
		if line > 0 {
			text += " (line " + strconv.Itoa(line) + ")"
		}
		probs = append(probs, &FieldError{Field: field, Msg: strings.TrimSpace(text)})
	}
	return probs
}

// asTypeError reports whether err holds the YAML library's list of
// per-field problems, after which the rest of the document was decoded.
func asTypeError(err error) (*yaml.TypeError, bool) {
	var te *yaml.TypeError
	ok := errors.As(err, &te)
	return te, ok
}
