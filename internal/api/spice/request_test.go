package spice

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"wharf/internal/format/spicepod"
)

func TestReadRequest(t *testing.T) {
	t.Parallel()
	const from = `"from": "github:acme/app/main/spicepod.yaml"`
	tests := []struct {
		name, ct, body string
		status         int    // 0: accepted
		msg            string // part of the error message
	}{
		{"minimal", "application/json", `{` + from + `, "params": {}}`, 0, ""},
		{"token", "application/json; charset=utf-8", `{` + from + `, "params": {"github_token": "ghp_x", "other": "y"}}`, 0, ""},
		{"json suffix", "application/vnd.api+json", `{` + from + `, "params": {}}`, 0, ""},
		{"unknown field", "application/json", `{` + from + `, "params": {}, "extra": 1}`, 0, ""},
		{"publish", "application/json", `{` + from + `, "params": {}, "publish": {"owner": "o", "name": "n", "version": "1.0"}}`, 0, ""},
		{"no content type", "", `{` + from + `, "params": {}}`, 415, "Content-Type: application/json"},
		{"text", "text/plain", `{` + from + `, "params": {}}`, 415, "Content-Type"},
		{"bad content type", "application/", `{}`, 415, "Content-Type"},
		{"empty", "application/json", ``, 400, "empty"},
		{"malformed", "application/json", `{"from": `, 400, "not valid JSON"},
		{"not json", "application/json", `from=x`, 400, "not valid JSON"},
		{"trailing", "application/json", `{` + from + `, "params": {}} {}`, 400, "data after"},
		{"no from", "application/json", `{"params": {}}`, 422, "missing field `from`"},
		{"no params", "application/json", `{` + from + `}`, 422, "missing field `params`"},
		{"null params", "application/json", `{` + from + `, "params": null}`, 422, "missing field `params`"},
		{"null body", "application/json", `null`, 422, "missing field `from`"},
		{"array body", "application/json", `[]`, 422, "expected"},
		{"from number", "application/json", `{"from": 5, "params": {}}`, 422, "from: expected a string, found a JSON number"},
		{"params list", "application/json", `{` + from + `, "params": []}`, 422, "params: expected an object of strings"},
		{"token number", "application/json", `{` + from + `, "params": {"github_token": 7}}`, 422, "params: expected a string, found a JSON number"},
		{"publish string", "application/json", `{` + from + `, "params": {}, "publish": "x"}`, 422, "publish: expected an object"},
		{"bad from", "application/json", `{"from": "gitlab:a/b/c/d", "params": {}}`, 400, spicepod.InvalidFromMessage},
		{"bad token", "application/json", `{` + from + `, "params": {"github_token": "a\nb"}}`, 400, "An invalid GitHub token was provided."},
		{"publish no owner", "application/json", `{` + from + `, "params": {}, "publish": {"name": "n", "version": "1"}}`, 400, "publish.owner"},
		{"publish bad name", "application/json", `{` + from + `, "params": {}, "publish": {"owner": "o", "name": "a b", "version": "1"}}`, 400, "invalid package name"},
		{"publish bad version", "application/json", `{` + from + `, "params": {}, "publish": {"owner": "o", "name": "n", "version": " 1"}}`, 400, "invalid package version"},
		{"publish bad file", "application/json", `{` + from + `, "params": {}, "publish": {"owner": "o", "name": "n", "version": "1", "file": "a/b"}}`, 400, "invalid filename"},
		{"too large", "application/json", `{` + from + `, "params": {"x": "` + strings.Repeat("x", maxBodyBytes) + `"}}`, 413, "larger than"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodPost, Path, strings.NewReader(tt.body))
		if tt.ct != "" {
			r.Header.Set("Content-Type", tt.ct)
		}
		req, err := readRequest(httptest.NewRecorder(), r, time.Minute)
		if tt.status == 0 {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			} else if req.source.Repo != "app" {
				t.Errorf("%s: source %+v", tt.name, req.source)
			}
			continue
		}
		var he *httpError
		var se *spicepod.SourceError
		switch {
		case errors.As(err, &he):
			if he.status != tt.status || !strings.Contains(he.msg, tt.msg) {
				t.Errorf("%s: %d %q, want %d with %q", tt.name, he.status, he.msg, tt.status, tt.msg)
			}
		case errors.As(err, &se):
			if tt.status != 400 || tt.msg != spicepod.InvalidFromMessage {
				t.Errorf("%s: a refused from field, want %d %q", tt.name, tt.status, tt.msg)
			}
		default:
			t.Errorf("%s: error %v, want status %d", tt.name, err, tt.status)
		}
	}
}

func TestReadRequestFields(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest(http.MethodPost, Path, strings.NewReader(
		`{"from": "github:acme/app/main/pods/spicepod.yaml", "params": {"github_token": "ghp_x"}, "publish": {"owner": "o", "name": "n", "version": "1.0"}}`))
	r.Header.Set("Content-Type", "application/json")
	req, err := readRequest(httptest.NewRecorder(), r, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	want := spicepod.Source{Org: "acme", Repo: "app", Ref: "main", Path: "pods/spicepod.yaml"}
	if req.source != want || req.token != "ghp_x" {
		t.Errorf("source %+v token %q", req.source, req.token)
	}
	if p := req.publish; p == nil || *p != (publish{Owner: "o", Name: "n", Version: "1.0", File: "spicepod.zip"}) {
		t.Errorf("publish = %+v", req.publish)
	}
}

// TestReadRequestSlowBody checks that a body sent too slowly is refused
// with 408 once the time to read it is over, instead of holding the
// request open for as long as the client drips.
func TestReadRequestSlowBody(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := readRequest(w, r, 200*time.Millisecond)
		var he *httpError
		if !errors.As(err, &he) {
			w.WriteHeader(http.StatusTeapot)
			return
		}
		w.WriteHeader(he.status)
	}))
	defer srv.Close()
	pr, pw := io.Pipe()
	defer pw.Close()
	go pw.Write([]byte(`{"from": "github:acme/app/main/spicepod.yaml", `)) // and nothing more
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, pr)
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	done := make(chan struct{})
	var status int
	go func() {
		defer close(done)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			status = resp.StatusCode
			resp.Body.Close()
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		pw.CloseWithError(errors.New("gave up"))
		<-done
		t.Fatal("a stalled body held the request for 5s")
	}
	if status != http.StatusRequestTimeout {
		t.Errorf("status %d after %v, want 408", status, time.Since(start))
	}
}
