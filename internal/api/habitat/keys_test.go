package habitat_test

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"wharf/internal/format/hab"
)

func TestKeyRoutes(t *testing.T) {
	t.Parallel()
	f := newKeyFront(t, "")
	pub, sec, err := hab.GenerateSigningPair("acme", time.Date(2019, 6, 18, 17, 52, 35, 0, time.UTC), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	const rev = "20190618175235"
	keyPath := "/v1/depot/origins/acme/keys/" + rev

	wantStatus(t, f.do(t, "", "POST", keyPath, pub.String()), http.StatusUnauthorized, "anonymous upload")
	wantStatus(t, f.do(t, "out", "POST", keyPath, pub.String()), http.StatusForbidden, "outsider upload")
	w := f.do(t, "mem", "POST", keyPath, pub.String())
	wantStatus(t, w, http.StatusForbidden, "member uploads a new key")
	if got := w.Body.String(); got != "You do not have permissions to upload a new origin signing public key: acme-"+rev {
		t.Errorf("denial message %q", got)
	}
	wantStatus(t, f.do(t, "admin", "POST", "/v1/depot/origins/acme/keys/20200101000000", "garbage"), http.StatusUnprocessableEntity, "garbage key")
	w = f.do(t, "admin", "POST", keyPath, pub.String())
	wantStatus(t, w, http.StatusCreated, "admin upload")
	if w.Header().Get("Location") != keyPath || w.Body.String() != "/origins/acme/keys/"+rev {
		t.Errorf("upload answered Location %q body %q", w.Header().Get("Location"), w.Body)
	}
	wantStatus(t, f.do(t, "mem", "POST", keyPath, pub.String()), http.StatusConflict, "member re-upload")

	w = f.do(t, "", "GET", "/v1/depot/origins/acme/keys", "")
	wantStatus(t, w, http.StatusOK, "list")
	var list []map[string]string
	if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil || len(list) != 1 ||
		list[0]["origin"] != "acme" || list[0]["revision"] != rev || list[0]["location"] != "/origins/acme/keys/"+rev {
		t.Errorf("list %s", w.Body)
	}
	for _, p := range []string{keyPath, "/v1/depot/origins/acme/keys/latest"} {
		w = f.do(t, "", "GET", p, "")
		wantStatus(t, w, http.StatusOK, p)
		if w.Body.String() != pub.String() || w.Header().Get("X-Filename") != "acme-"+rev+".pub" ||
			w.Header().Get("Content-Disposition") != "attachment; filename*=UTF-8''acme-"+rev+".pub" ||
			w.Header().Get("Cache-Control") != "private, no-cache, no-store" {
			t.Errorf("GET %s: %v %q", p, w.Header(), w.Body)
		}
	}
	wantStatus(t, f.do(t, "", "GET", "/v1/depot/origins/acme/keys/20000101000000", ""), http.StatusNotFound, "missing key")
	wantStatus(t, f.do(t, "", "GET", "/v1/depot/origins/nosuch/keys/latest", ""), http.StatusNotFound, "unknown origin")
	wantStatus(t, f.do(t, "", "GET", "/v1/depot/origins/acme/keys", "", "Authorization", "Bearer nonsense"), http.StatusUnauthorized, "bad token")

	// The secret key: 201 as Builder answers, 200 for the hab CLI.
	secPath := "/v1/depot/origins/acme/secret_keys/acme-" + rev
	wantStatus(t, f.do(t, "maint", "POST", secPath, sec.String()), http.StatusForbidden, "maintainer secret upload")
	wantStatus(t, f.do(t, "admin", "POST", secPath, "garbage"), http.StatusUnprocessableEntity, "garbage secret key")
	wantStatus(t, f.do(t, "admin", "POST", secPath, sec.String(), "User-Agent", "hab/1.6.0/20240101 (x86_64-linux; 5.15.0)"), http.StatusOK, "hab secret upload")
	wantStatus(t, f.do(t, "admin", "POST", secPath, sec.String()), http.StatusConflict, "duplicate secret upload")
	_, sec2, _ := hab.GenerateSigningPair("acme", time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), rand.Reader)
	wantStatus(t, f.do(t, "admin", "POST", "/v1/depot/origins/acme/secret_keys/x", sec2.String(), "User-Agent", "curl/8"), http.StatusCreated, "secret upload")
	wantStatus(t, f.do(t, "ro", "GET", "/v1/depot/origins/acme/secret_keys/latest", ""), http.StatusForbidden, "read-only secret download")
	w = f.do(t, "mem", "GET", "/v1/depot/origins/acme/secret_keys/latest", "")
	wantStatus(t, w, http.StatusOK, "secret download")
	if w.Body.String() != sec2.String() || w.Header().Get("X-Filename") != "acme-20210101000000.sig.key" {
		t.Errorf("secret key download: %v %q", w.Header(), w.Body)
	}

	// Generation.
	wantStatus(t, f.do(t, "maint", "POST", "/v1/depot/origins/acme/keys", ""), http.StatusForbidden, "maintainer generates")
	wantStatus(t, f.do(t, "admin", "POST", "/v1/depot/origins/acme/keys", ""), http.StatusCreated, "admin generates")
	w = f.do(t, "", "GET", "/v1/depot/origins/acme/keys", "")
	if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil || len(list) != 3 || list[0]["revision"] <= "20210101000000" {
		t.Errorf("list after generation %s", w.Body)
	}
}

func TestSecretRoutes(t *testing.T) {
	t.Parallel()
	f := newKeyFront(t, "")
	wantStatus(t, f.do(t, "out", "GET", "/v1/depot/origins/acme/encryption_key", ""), http.StatusForbidden, "outsider encryption key")
	w := f.do(t, "ro", "GET", "/v1/depot/origins/acme/encryption_key", "")
	wantStatus(t, w, http.StatusOK, "encryption key")
	k, err := hab.ParseKey(w.Body.String(), hab.BoxPublic)
	if err != nil {
		t.Fatalf("encryption key %q: %v", w.Body, err)
	}
	if w.Header().Get("X-Filename") != k.FileName() {
		t.Errorf("X-Filename %q, want %q", w.Header().Get("X-Filename"), k.FileName())
	}
	box, err := hab.SealAnonymous([]byte("s3cret"), k, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]string{"name": "AWS_KEY", "value": box.String()})
	wantStatus(t, f.do(t, "maint", "POST", "/v1/depot/origins/acme/secret", string(body)), http.StatusForbidden, "maintainer creates")
	wantStatus(t, f.do(t, "admin", "POST", "/v1/depot/origins/acme/secret", `{"name":"X"}`), http.StatusUnprocessableEntity, "no value")
	wantStatus(t, f.do(t, "admin", "POST", "/v1/depot/origins/acme/secret", `{"name":"X","value":"plain"}`), http.StatusUnprocessableEntity, "plain value")
	wantStatus(t, f.do(t, "admin", "POST", "/v1/depot/origins/acme/secret", `{`), http.StatusBadRequest, "malformed body")
	wantStatus(t, f.do(t, "admin", "POST", "/v1/depot/origins/acme/secret", string(body)), http.StatusCreated, "create")
	wantStatus(t, f.do(t, "admin", "POST", "/v1/depot/origins/acme/secret", string(body)), http.StatusConflict, "duplicate")
	w = f.do(t, "admin", "GET", "/v1/depot/origins/acme/secret", "")
	wantStatus(t, w, http.StatusOK, "list")
	var list []map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil || len(list) != 1 || list[0]["origin_id"] != "0" ||
		list[0]["name"] != "AWS_KEY" || list[0]["value"] != box.String() {
		t.Errorf("secrets %s", w.Body)
	}
	if _, ok := list[0]["id"].(string); !ok {
		t.Errorf("secret id is not a string: %s", w.Body)
	}
	for range 2 {
		wantStatus(t, f.do(t, "admin", "DELETE", "/v1/depot/origins/acme/secret/AWS_KEY", ""), http.StatusOK, "delete")
	}
}

func TestIntegrationRoutes(t *testing.T) {
	t.Parallel()
	// The default registry answers like Wharf's own /v2/: Basic
	// credentials of a user are accepted.
	reg := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "bob" || p != "pw" {
			w.Header().Set("WWW-Authenticate", `Basic realm="wharf"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer reg.Close()
	f := newKeyFront(t, reg.URL+"/v2/")
	base := "/v1/depot/origins/acme/integrations"
	wantStatus(t, f.do(t, "mem", "PUT", base+"/docker/hub", `{"username":"bob","password":"pw"}`), http.StatusForbidden, "member puts")
	wantStatus(t, f.do(t, "maint", "PUT", base+"/docker/hub", `not json`), http.StatusBadRequest, "malformed")
	wantStatus(t, f.do(t, "maint", "PUT", base+"/docker/hub", `[1]`), http.StatusUnprocessableEntity, "not an object")
	wantStatus(t, f.do(t, "maint", "PUT", base+"/docker/hub", `{"username":"bob","password":"pw"}`), http.StatusCreated, "put")
	w := f.do(t, "ro", "GET", base, "")
	wantStatus(t, w, http.StatusOK, "list")
	if strings.TrimSpace(w.Body.String()) != `{"docker":["hub"]}` {
		t.Errorf("list %s", w.Body)
	}
	w = f.do(t, "ro", "GET", base+"/docker/names", "")
	if strings.TrimSpace(w.Body.String()) != `{"names":["hub"]}` {
		t.Errorf("names %s", w.Body)
	}
	w = f.do(t, "ro", "GET", base+"/docker/hub", "")
	wantStatus(t, w, http.StatusOK, "get")
	if strings.TrimSpace(w.Body.String()) != `{"origin":"acme","integration":"docker","name":"hub","body":{"username":"bob"}}` {
		t.Errorf("get %s", w.Body)
	}
	wantStatus(t, f.do(t, "maint", "DELETE", base+"/docker/hub", ""), http.StatusNoContent, "delete")
	wantStatus(t, f.do(t, "maint", "DELETE", base+"/docker/hub", ""), http.StatusNotFound, "second delete")

	v := "/v1/ext/integrations/docker/credentials/validate"
	wantStatus(t, f.do(t, "", "POST", v, `{"username":"bob","password":"pw"}`), http.StatusUnauthorized, "anonymous validate")
	wantStatus(t, f.do(t, "out", "POST", v, `{"username":"bob"}`), http.StatusBadRequest, "no password")
	wantStatus(t, f.do(t, "out", "POST", v, `{"username":"bob","password":"pw"}`), http.StatusOK, "valid")
	wantStatus(t, f.do(t, "out", "POST", v, `{"username":"bob","password":"wrong"}`), http.StatusBadRequest, "refused")
	wantStatus(t, f.do(t, "out", "POST", "/v1/ext/integrations/quay/credentials/validate", `{"username":"bob","password":"pw"}`), http.StatusBadRequest, "no url for another type")
	wantStatus(t, f.do(t, "out", "POST", "/v1/ext/integrations/quay/credentials/validate", `{"username":"bob","password":"pw","url":"`+reg.URL+`"}`), http.StatusOK, "explicit url")
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	wantStatus(t, f.do(t, "out", "POST", v, `{"username":"bob","password":"pw","url":"`+closed.URL+`"}`), http.StatusForbidden, "unreachable registry")
}

func TestSettingsRoutes(t *testing.T) {
	t.Parallel()
	f := newKeyFront(t, "")
	wantStatus(t, f.do(t, "mem", "POST", "/v1/settings/acme/redis", ""), http.StatusForbidden, "member creates")
	wantStatus(t, f.do(t, "maint", "POST", "/v1/settings/nosuch/redis", ""), http.StatusNotFound, "unknown origin")
	w := f.do(t, "maint", "POST", "/v1/settings/acme/redis", "")
	wantStatus(t, w, http.StatusCreated, "create")
	var s map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &s); err != nil || s["origin"] != "acme" || s["name"] != "redis" ||
		s["visibility"] != "public" || s["hidden"] != false {
		t.Errorf("created %s", w.Body)
	}
	for _, k := range []string{"id", "owner_id", "created_at", "updated_at"} {
		if v, ok := s[k].(string); !ok || v == "" || strings.HasSuffix(v, "Z") {
			t.Errorf("%s is %v", k, s[k])
		}
	}
	wantStatus(t, f.do(t, "maint", "POST", "/v1/settings/acme/redis", ""), http.StatusConflict, "duplicate")
	wantStatus(t, f.do(t, "maint", "POST", "/v1/settings/acme/nginx", ""), http.StatusCreated, "create nginx")
	wantStatus(t, f.do(t, "ro", "GET", "/v1/settings/acme/redis", ""), http.StatusOK, "get")
	wantStatus(t, f.do(t, "ro", "GET", "/v1/settings/acme/nosuch", ""), http.StatusNotFound, "get missing")
	w = f.do(t, "maint", "PUT", "/v1/settings/acme/redis", `{}`)
	wantStatus(t, w, http.StatusUnprocessableEntity, "empty visibility")
	if w.Body.String() != "Missing required package visibility" {
		t.Errorf("message %q", w.Body)
	}
	wantStatus(t, f.do(t, "maint", "PUT", "/v1/settings/acme/redis", `{"visibility":"secret"}`), http.StatusBadRequest, "bad visibility")
	wantStatus(t, f.do(t, "ro", "PUT", "/v1/settings/acme/redis", `{"visibility":"secret"}`), http.StatusForbidden, "read-only update")
	w = f.do(t, "maint", "PUT", "/v1/settings/acme/redis", `{"visibility":"private"}`)
	wantStatus(t, w, http.StatusOK, "update")
	if !strings.Contains(w.Body.String(), `"visibility":"private"`) {
		t.Errorf("updated %s", w.Body)
	}

	// The package list of the origin: 200 with everything for a member,
	// the public ones for anyone else.
	var env struct {
		RangeStart, RangeEnd, TotalCount int
		Data                             []map[string]any
	}
	decode := func(w *httptest.ResponseRecorder) {
		t.Helper()
		env.Data = nil
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
			t.Fatalf("envelope %s: %v", w.Body, err)
		}
		json.Unmarshal(raw["range_start"], &env.RangeStart)
		json.Unmarshal(raw["range_end"], &env.RangeEnd)
		json.Unmarshal(raw["total_count"], &env.TotalCount)
		json.Unmarshal(raw["data"], &env.Data)
	}
	w = f.do(t, "ro", "GET", "/v1/depot/acme/pkgs", "")
	wantStatus(t, w, http.StatusOK, "member list")
	decode(w)
	if env.TotalCount != 2 || env.RangeStart != 0 || env.RangeEnd != 1 || len(env.Data) != 2 || env.Data[0]["name"] != "nginx" {
		t.Errorf("member list %s", w.Body)
	}
	w = f.do(t, "", "GET", "/v1/depot/acme/pkgs?range=49", "")
	wantStatus(t, w, http.StatusOK, "anonymous list")
	decode(w)
	if env.TotalCount != 1 || env.RangeEnd != 0 || len(env.Data) != 1 || env.Data[0]["name"] != "nginx" {
		t.Errorf("anonymous list %s", w.Body)
	}
	w = f.do(t, "", "GET", "/v1/depot/acme/pkgs?range=50", "")
	decode(w)
	if w.Code != http.StatusOK || env.RangeStart != 50 || env.RangeEnd != 1 || len(env.Data) != 0 {
		t.Errorf("page past the end %d %s", w.Code, w.Body)
	}
	wantStatus(t, f.do(t, "", "GET", "/v1/depot/acme/other", ""), http.StatusNotFound, "another path")

	wantStatus(t, f.do(t, "ro", "DELETE", "/v1/settings/acme/redis", ""), http.StatusForbidden, "read-only delete")
	wantStatus(t, f.do(t, "maint", "DELETE", "/v1/settings/acme/redis", ""), http.StatusNoContent, "delete")
	wantStatus(t, f.do(t, "ro", "GET", "/v1/settings/acme/redis", ""), http.StatusNotFound, "get after delete")
}
